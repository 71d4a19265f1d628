//! Realistic, reproducible example packets of the TRTC Live (TUILiveKit) webhooks.
//!
//! The examples are generated from the JSON Schemas, the single source of truth (the bundle
//! `dist/trtc-live-webhooks.schema.json`, embedded at build time), not from templates: a
//! change to a schema changes the examples. Every example validates against its schema, in
//! strict mode too, and every value that an enumeration allows turns up.
//!
//! On top of the schema, values follow the property and definition names:
//!
//! - account ids (`AccountId`) are names (`"user_8812"`, `"jared"`, `"admin"`), quoted
//!   numbers (`"10100015411"`, `"144115245442327522"`) and bare integers, many beyond 2^53
//!   like Tencent's `144115245442327522`, which a double would round: read them with a parser
//!   that keeps integers exact;
//! - room ids look like `live_1234`, `pk-3` or `@TGS#2J4SZEAEL`, and one packet speaks of one
//!   room (invited rooms differ from it);
//! - times are recent (2025 and 2026) and consistent: seconds fields are at most `EventTime`
//!   (milliseconds) / 1000; a battle's `CreateTime <= StartTime <= EndTime`, and a battle that
//!   ran out its time (`OpType` 0) lasted exactly `Duration` milliseconds;
//! - message bodies hold text, custom, face and location elements (`TIMTextElem`, ...);
//! - answers to notifications are mostly OK; answers to the before-webhooks vary their
//!   decision, with matching error texts.
//!
//! ```
//! use trtc_live_examples::ExampleGenerator;
//! use trtc_live_types::Command;
//!
//! let mut generator = ExampleGenerator::new(7);
//! for _ in 0..3 {
//!     let packet = generator.request(Command::GroupCallbackAfterSendMsg);
//!     println!("{packet}"); // one line each: NDJSON
//!     assert!(packet["MsgBody"].as_array().is_some_and(|body| !body.is_empty()));
//! }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod dice;
mod fits;
mod generator;
mod pattern;
mod realism;
mod schema;
mod shape;
mod walk;

pub use generator::ExampleGenerator;

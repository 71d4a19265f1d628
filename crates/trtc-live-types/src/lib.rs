//! Rust types of the TRTC Live (TUILiveKit) webhook packets.
//!
//! Everything under `generated` is written by `cargo xtask codegen` from the JSON Schemas in
//! `schemas/`; [`wire`] holds the few hand-written types that typify cannot derive (see
//! `xtask/src/typify_workarounds.rs`).
//!
//! Tencent extends its packets over time. A value set that grows (a new client platform, a new
//! cause) is an open enumeration ([`open_enum`]): its type keeps an unknown value in an `Other`
//! variant instead of failing. A member added later ([`revision`]) is an `Option`, so that an
//! older packet is still typed; a packet dated (by its own times) after the member appeared must
//! carry it. [`findings::Findings`] lists what a valid packet still deserves a warning for.
//!
//! Decoding from bytes without validation:
//!
//! ```
//! use trtc_live_types::{Command, Webhook};
//!
//! let body = br#"{"CallbackCommand": "Live.CallbackAfterEndBattle", "BattleId": "b1",
//!     "Duration": 30000, "CreateTime": 1739956115, "StartTime": 1739956115,
//!     "EndTime": 1739956145, "OpType": 0,
//!     "FromRoomInfo": {"RoomId": "pk-3", "Score": 0, "Owner_Account": 144115245353757792},
//!     "ToRoomList": [], "EventTime": 1739956146119}"#;
//! let webhook = Webhook::from_slice(body)?;
//! assert_eq!(webhook.command(), Command::LiveCallbackAfterEndBattle);
//! # Ok::<(), trtc_live_types::DecodeError>(())
//! ```
//!
//! Decoding does not check everything the schemas say (string patterns, for instance); the
//! `trtc-live-validate` crate does, and returns these types.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod bounds;
pub mod conform;
pub mod decision;
mod decode;
pub mod findings;
mod members;
pub mod open_enum;
mod plain;
pub mod revision;
pub mod timestamp;
pub mod wire;

// Written by `cargo xtask codegen` and formatted by prettyplease: rustfmt leaves it alone.
#[rustfmt::skip]
mod generated {
    pub mod types;
    pub mod webhooks;
}

pub use bounds::MAX_SAFE_INTEGER;
pub use decision::{
    CodeOutOfRange, GiftPassThroughCode, MsgPassThroughCode, PassThroughCode, SendGiftErrorCode,
    SendMsgErrorCode,
};
pub use decode::DecodeError;

/// The bundled JSON Schema these types are generated from, as `cargo xtask codegen` writes it to
/// `dist/trtc-live-webhooks.schema.json` (and copies it into this crate): one self-contained
/// draft-07 file whose root accepts any request packet, each packet, response packet and shared
/// shape under `definitions` by the name of its Rust type ([`Command::request_type_name`],
/// [`Command::response_type_name`]).
pub const BUNDLED_SCHEMA: &str = include_str!("generated/trtc-live-webhooks.schema.json");
pub use generated::types::*;
pub use generated::webhooks::{Command, Webhook, WebhookResponse};
pub use timestamp::UnixMillisecondsOrDigits;
pub use wire::{AccountId, BattleEndReason, GroupAtAllFlag, OnlineOnlyFlag};

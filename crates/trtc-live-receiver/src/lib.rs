//! Receive TRTC Live (TUILiveKit) webhooks: check that a request is Tencent's for your
//! application, turn it into a typed webhook, and answer as Tencent expects.
//!
//! The core is framework-agnostic: [`Receiver::receive`] takes the request's method, URI and
//! body bytes and an explicit `now` (the clock is a parameter, so tests never depend on wall
//! time), checks the method, the body size, `SdkAppid`, the signature and its time window, the
//! URL parameters, the JSON, the command and the schema, in that order, and returns a
//! [`Delivery`] (typed URL parameters, the typed [`Webhook`], the body exactly as received and
//! the validator's warnings) or the [`ReceiveError`] of the first failed check, one variant per
//! check. Every error has a documented HTTP answer ([table](ReceiveError#http-answers)); every
//! accepted webhook is answered with an [`Answer`]: OK for the notifications, a typed decision
//! for the two before-webhooks.
//!
//! # Features
//!
//! | feature | what it adds |
//! |---|---|
//! | `axum` | [`axum::WebhookEndpoint`] and [`axum::webhook_router`]: all of it for an axum 0.8 app, every outcome logged through `tracing` and given to an optional hook |
//! | `journal` | [`journal`]: the durable journal of deliveries (group commit, torn-record repair), its [`journal::Record`] and [`journal::JournalReader`]; with `axum`, an endpoint journals every delivery before its handler runs |
//! | `server` | [`server::serve`]: the HTTP/1 server of `trtc-live serve`, every wait a client controls bounded (headers, body, answers, connections), for any axum app (implies `axum`) |
//! | `forward` | [`forward`]: the forwarding gateway of `trtc-live serve --forward-to`: journaled notifications forwarded in order to an application, with retries, backoff, dead letters and a saved position; before-webhooks forwarded within a budget; Standard Webhooks signatures; routes (implies `axum` and `journal`) |
//! | `metrics` | [`metrics::Metrics`]: Prometheus metrics of an endpoint, its journals and its forwarder (implies `axum` and `journal`) |
//!
//! `trtc-live serve` is built from these: an app built on this crate with the first three
//! features has the same checks, limits and durable journal (the example `durable_app`), and
//! with all five the same gateway and metrics (the example `gateway`).
//!
//! ```
//! use std::time::{Duration, SystemTime, UNIX_EPOCH};
//! use trtc_live_receiver::{sign, Answer, Receiver, ReceiverConfig, Token};
//! use trtc_live_types::{LiveCallbackBeforeSendGiftResponse, Webhook};
//!
//! let token = Token::new("xxxxyyyy");
//! let receiver = Receiver::new(ReceiverConfig::new("1400000000").with_token(token.clone()))?;
//!
//! // What Tencent sends: a POST to the webhook URL with these parameters, and the packet.
//! let uri: http::Uri = format!(
//!     "/webhook?SdkAppid=1400000000&CallbackCommand=Live.CallbackBeforeSendGift\
//!      &contenttype=json&ClientIP=127.0.0.1&OptPlatform=iOS&Sign={}&RequestTime=1669872112",
//!     sign(&token, "1669872112"),
//! )
//! .parse()?;
//! let body = br#"{"CallbackCommand": "Live.CallbackBeforeSendGift",
//!     "Operator_Account": "viewer_1", "RoomId": "room-1",
//!     "GiftWater": {"From_Account": "viewer_1", "To_Account": ["anchor_1"], "Time": 1669872111,
//!                   "GiftId": "rose", "Count": 1, "Coins": 10}}"#;
//! let now = UNIX_EPOCH + Duration::from_secs(1669872112 + 3);
//!
//! let response = match receiver.receive(&http::Method::POST, &uri, body, now) {
//!     Ok(delivery) => {
//!         let answer = match &delivery.webhook {
//!             Webhook::LiveCallbackBeforeSendGift(gift) if gift.gift_water.coins > 1000 => {
//!                 Answer::gift(gift, LiveCallbackBeforeSendGiftResponse::reject("too expensive"))
//!             }
//!             Webhook::LiveCallbackBeforeSendGift(gift) => {
//!                 Answer::gift(gift, LiveCallbackBeforeSendGiftResponse::allow())
//!             }
//!             _ => Answer::ok(),
//!         };
//!         answer.http_response()
//!     }
//!     // 401 for a bad signature, 403 for another application, ... (see the table).
//!     Err(error) => receiver.response_for(&error),
//! };
//! assert_eq!(response.status(), 200);
//! assert_eq!(response.body(), br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#);
//!
//! // One minute and one second later, the same request is a replay.
//! let later = now + Duration::from_secs(58);
//! let error = receiver.receive(&http::Method::POST, &uri, body, later).unwrap_err();
//! assert_eq!(receiver.response_for(&error).status(), 401);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The token never appears in `Debug` output ([`Token`] prints `Token(***)`), in error messages,
//! in answers or in logs. The core does not log; the `axum` endpoint logs one `tracing` event
//! per request (see [its documentation](axum#logs)), the journal one per torn record it cuts
//! off. Surrounding whitespace of a token is removed: [Whitespace](Token#whitespace).
//!
//! # Invalid deliveries
//!
//! An authenticated request (our `SdkAppid` and, with a token, a right `Sign` and a fresh
//! `RequestTime`) whose payload is not valid (a packet that breaks its schema, a command word
//! no schema knows yet, URL parameters that break theirs, a body that is not JSON) is, by
//! default, refused with the status of the [table](ReceiveError#http-answers): Tencent counts a
//! failed delivery, and for the two before-webhooks its own failure setting (or the
//! [`InvalidBeforeWebhookPolicy`]) decides. The application never sees it (`trtc-live serve`
//! keeps it in its quarantine journal).
//!
//! An application may choose to receive it instead: [`Receiver::receive_genuine`] returns it as
//! an [`InvalidDelivery`] (the raw body, the command word, every issue found, the parsed JSON,
//! and the typed packet where it could still be built), and
//! [`axum::WebhookEndpoint::on_invalid`] hands it to a second handler, which answers it or lets
//! it be refused. The trade-offs:
//!
//! - **For:** nothing genuine is lost while the schemas and Tencent disagree (a member renamed,
//!   a new command word, a new value): the application can still act on what it reads, and
//!   keeps the bytes to replay once the schemas are fixed.
//! - **Against:** the application handles data no schema vouches for: members may be missing,
//!   of another type, or out of range, so it must read the parsed JSON defensively (the typed
//!   packet is there only when it could be built). Tencent's signature does not cover the
//!   body: with a captured `Sign`, anyone can send any body within the tolerance, and a body
//!   that is not valid is as likely to be that as a change on Tencent's side.
//! - **Against:** acknowledging such a delivery (HTTP 200) hides the failure from Tencent's
//!   delivery statistics and retries: the application must log and alert on it itself (the
//!   endpoint logs each one as a warning, and its outcome hook counts them).
//! - **For the two before-webhooks**, answering is deciding: the handler decides on a gift or
//!   a message it could not fully read (or answers `None`, and the request is refused as by
//!   default, so that Tencent's own failure setting decides).
//!
//! Requests whose command words contradict each other (`CallbackCommand` and `WebhookCommand`
//! differ, or the URL's and the body's) are refused either way: what they are cannot be told.
//!
//! # Replays and duplicates
//!
//! The receiver keeps no memory of what it received: it accepts the same request as many times
//! as it is sent within the tolerance (60 s by default, either way), and refuses it after.
//! Tencent's `Sign` is `sha256(Token RequestTime)`: it covers neither the body nor the other URL
//! parameters, and every delivery signed in the same second carries the same `Sign`. So:
//!
//! - a request captured on the way (plain HTTP) can be replayed verbatim inside the window, and
//!   its `Sign` and `RequestTime` can carry **any other body or command** inside the window. No
//!   receiver can tell; only the transport can prevent it: serve the webhook URL over HTTPS
//!   only;
//! - the same delivery may also arrive twice legitimately, if Tencent sends it again after a
//!   failed or late answer (its pages document no retry rule, nor whether a new attempt is
//!   signed anew).
//!
//! No duplicate guard is offered, because none would be right here: a `Sign` does not identify
//! a delivery (one per second, shared), a key with the body's hash lets any forged body through
//! as "new", a duplicate must still be answered as the first was (200, and for a gift or a
//! message the same decision, not a bare OK), and an in-memory set is lost at restart and not
//! shared between instances. Make the application's handling idempotent instead, keyed on the
//! event's own fields: for instance the command with `RoomId` and `EventTime`, a battle's
//! `BattleId`, a message's `MsgId` or `MsgSeq`, a gift's `GiftWater` (`From_Account`, `Time`,
//! `GiftId`). `trtc-live serve` journals every accepted delivery, duplicates included, with its
//! receive time, so duplicates are visible there.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod answer;
mod auth;
mod config;
mod error;
mod http_answer;
mod query;
mod receiver;
mod token;

#[cfg(feature = "axum")]
pub mod axum;
#[cfg(feature = "forward")]
pub mod forward;
#[cfg(feature = "journal")]
pub mod journal;
#[cfg(feature = "metrics")]
pub mod metrics;
#[cfg(feature = "nats")]
pub mod nats;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "journal")]
pub mod sink;

pub use answer::{Answer, AnswerMismatch};
pub use config::{
    ConfigError, InvalidBeforeWebhookPolicy, ReceiverConfig, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_TOLERANCE,
};
pub use error::ReceiveError;
pub use http_answer::failure_response;
pub use receiver::{Delivery, Genuine, InvalidDelivery, Receiver};
pub use token::{sign, Token};
pub use trtc_live_types::{Command, Webhook, WebhookUrlParameters};
/// The validator's report types, carried by [`ReceiveError`], [`InvalidDelivery`] and
/// [`Delivery`] (its warnings).
pub use trtc_live_validate::{
    Issue, IssueKind, Rejection, SyntaxError, UnknownCommand, Violation, Warning,
};

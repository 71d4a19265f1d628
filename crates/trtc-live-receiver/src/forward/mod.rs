//! The forwarding gateway (feature `forward`): put this crate's checks and durable journal in
//! front of an application written in any language.
//!
//! ```text
//! Tencent ──POST──▶ endpoint: checks, journal (fsync) ──200──▶ Tencent
//!                        │ notifications                │ before-webhooks (gift, message)
//!                        ▼                              ▼
//!                    accepted.ndjson ──▶ Forwarder    Gateway: forwarded at once, within
//!                    (position file,     in order,    a budget; the answer checked and
//!                     dead letters)      retried      relayed, or the fallback's
//!                                        ▼              ▼
//!                                     the application (any language): Standard Webhooks
//!                                     headers, the body byte for byte
//! ```
//!
//! - **Notifications** (every webhook but the two before-webhooks) are answered 200 as soon as
//!   they are journaled (the endpoint's journals, feature `journal`). A [`Forwarder`] reads the
//!   journal as it grows, only what is durable ([`crate::journal::Journal::watch_durable`]),
//!   and sends each delivery to the application in journal order, retrying a failed attempt
//!   (no connection, no answer within the attempt's timeout, a status other than 2xx) with
//!   exponential backoff and jitter ([`Backoff`]), up to [`ForwarderConfig::max_attempts`];
//!   then the delivery goes to a dead-letter journal, with the reason. Its position (every
//!   record before it finished) is saved in a [`PositionFile`], atomically and durably, so a
//!   restart or a crash resumes where it left off: the application gets every journaled
//!   delivery at least once.
//! - **Before-webhooks** are journaled too (nothing answered is missing from the record), then
//!   forwarded at once by the endpoint's handler, [`Gateway::handler`]: the application's
//!   answer is checked against the command's response schema and relayed to Tencent, within a
//!   budget, or a documented fallback answers ([`Gateway`]). The forwarder passes over them.
//! - **Every forwarded request** carries the body exactly as received, the
//!   [Standard Webhooks](https://www.standardwebhooks.com) headers (`webhook-id`: the stable
//!   [`DeliveryId`]; `webhook-timestamp`; `webhook-signature`: `v1,` and the base64
//!   HMAC-SHA256 of `id.timestamp.body` with the [`ForwardSecret`]), the command word
//!   (`trtc-command`), the receive time, the attempt's number and Tencent's URL parameters
//!   without `Sign` ([`Outgoing::headers`]). Tencent's own `Sign` covers its token and the
//!   time, not the body; the signature of the forwarding hop covers the body, so the
//!   application verifies with any Standard Webhooks library that the body is the one the
//!   gateway checked.
//! - **Routes** send command words to paths of their own ([`Routes`]; first match wins).
//!
//! Quarantined deliveries (authenticated, but not valid) are not forwarded: they were refused
//! to Tencent, and the application would get a packet no schema vouches for; `trtc-live
//! replay` sends them on request, once the schemas are fixed.
//!
//! `trtc-live serve --forward-to URL` is this module with `serve`'s options; the runnable
//! example `gateway` shows it in an axum application of one's own.

mod before;
mod forwarder;
mod id;
mod position;
mod routes;
mod signature;
mod target;

pub use before::{BeforeWebhookCounts, Gateway, GatewayHandler, DEFAULT_BEFORE_WEBHOOK_BUDGET};
#[cfg(feature = "nats")]
pub(crate) use forwarder::{is_before_webhook, Counters};
pub use forwarder::{
    Backoff, Forwarder, ForwarderConfig, ForwarderSnapshot, ForwarderStats, Sleeper, Start,
};
pub use id::DeliveryId;
pub(crate) use position::check_position;
pub use position::PositionFile;
pub use routes::{command_matches, Route, RouteError, Routes};
pub use signature::{
    ForwardSecret, SecretError, VerifyError, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP,
};
pub use target::{
    AppAnswer, AttemptError, AttemptReport, DeliveryKind, ForwardTarget, Outgoing, TargetError,
    TRTC_ATTEMPT, TRTC_COMMAND, TRTC_RECEIVED_AT, TRTC_URL_PARAMETERS,
};

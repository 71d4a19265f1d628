//! Validation of TRTC Live (TUILiveKit) webhook packets against their JSON Schemas.
//!
//! The schemas of `schemas/` are embedded and compiled once, from a local registry keyed by
//! their `$id`: nothing is ever fetched. A packet is routed by its `CallbackCommand`, checked
//! against the schema of that command, and decoded into its type from `trtc-live-types`, every
//! integer exact.
//!
//! ```
//! use trtc_live_validate::{Rejection, Validator};
//!
//! let validator = Validator::new()?;
//! let rejection = validator
//!     .validate(br#"{"CallbackCommand": "Live.CallbackAfterEndBattle", "OpType": "7"}"#)
//!     .unwrap_err();
//! let Rejection::Schema { violations, .. } = &rejection else { panic!() };
//! assert!(violations.iter().any(|v| v.instance_path == "/OpType"));
//! assert!(violations.iter().any(|v| v.message.contains("\"BattleId\" is a required property")));
//! # Ok::<(), trtc_live_validate::BuildError>(())
//! ```
//!
//! A valid packet may still deserve a [`Warning`]: a value of an open enumeration outside its
//! known ones (`unknown_enum_value`), members an older revision of the webhook did not send
//! (`older_revision`, decided by the packet's own time), a semantic check that failed.
//! [`Validator::validate_with_warnings`] and [`Validator::check`] return them with the packet.
//!
//! ```
//! use trtc_live_validate::{IssueKind, Validator};
//!
//! let validator = Validator::new()?;
//! // A message of 2019, before Tencent added EventTime and MsgId to this webhook.
//! let validated = validator.validate_with_warnings(
//!     br#"{"CallbackCommand": "Group.CallbackAfterSendMsg", "GroupId": "@TGS#1", "Type": "Public",
//!          "From_Account": "a", "Operator_Account": "a", "Random": 1, "MsgSeq": 2,
//!          "MsgTime": 1567032819, "MsgBody": []}"#,
//! ).expect("valid");
//! assert!(validated.warnings.iter().all(|w| w.kind == IssueKind::OlderRevision));
//! assert_eq!(validated.warnings.len(), 2);
//! # Ok::<(), trtc_live_validate::BuildError>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod fast_path;
mod jsonc;
mod locate;
mod open_enum_report;
mod registry;
mod report;
mod revision_report;
mod schema_texts;
mod semantic;
mod strict;
mod validator;
mod warning;
mod written;

// Written by `cargo xtask codegen` and formatted by prettyplease: rustfmt leaves it alone.
#[rustfmt::skip]
mod generated {
    pub(crate) mod schema_files;
}

pub use jsonc::{parse_json, parse_jsonc, strip_comments};
pub use locate::{locate, Span};
pub use report::{
    Issue, IssueKind, Rejection, SyntaxError, UnknownCommand, Violation, ViolationList,
};
pub use schema_texts::{schema_text, URL_PARAMETERS_SCHEMA_ID};
pub use semantic::{
    semantic_checks_apply_to, semantic_warnings, SemanticCheck, SemanticWarning,
    DURATION_TOLERANCE_MS, SEMANTIC_CHECKS,
};
pub use strict::close_objects;
pub use trtc_live_types::findings::Findings;
pub use trtc_live_types::open_enum::UnknownValue;
pub use trtc_live_types::revision::OlderRevision;
pub use trtc_live_types::{
    Command, Webhook, WebhookResponse, WebhookUrlParameters, BUNDLED_SCHEMA,
};
pub use validator::{BuildError, Checked, Options, Validated, Validator};
pub use warning::{warnings, Warning};

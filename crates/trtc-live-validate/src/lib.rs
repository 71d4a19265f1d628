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
//!     .validate(br#"{"CallbackCommand": "Live.CallbackAfterEndBattle", "OpType": 7}"#)
//!     .unwrap_err();
//! let Rejection::Schema { violations, .. } = &rejection else { panic!() };
//! assert!(violations.iter().any(|v| v.instance_path == "/OpType"));
//! assert!(violations.iter().any(|v| v.message.contains("\"BattleId\" is a required property")));
//! # Ok::<(), trtc_live_validate::BuildError>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod fast_path;
mod jsonc;
mod locate;
mod registry;
mod report;
mod schema_texts;
mod semantic;
mod strict;
mod validator;
mod written;

// Written by `cargo xtask codegen` and formatted by prettyplease: rustfmt leaves it alone.
#[rustfmt::skip]
mod generated {
    pub(crate) mod schema_files;
}

pub use jsonc::{parse_json, parse_jsonc, strip_comments};
pub use locate::{locate, Span};
pub use report::{Issue, IssueKind, Rejection, SyntaxError, UnknownCommand, Violation};
pub use schema_texts::{schema_text, URL_PARAMETERS_SCHEMA_ID};
pub use semantic::{
    semantic_checks_apply_to, semantic_warnings, SemanticCheck, SemanticWarning,
    DURATION_TOLERANCE_MS, SEMANTIC_CHECKS,
};
pub use strict::close_objects;
pub use trtc_live_types::{
    Command, Webhook, WebhookResponse, WebhookUrlParameters, BUNDLED_SCHEMA,
};
pub use validator::{BuildError, Checked, Options, Validator};

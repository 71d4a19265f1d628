//! Warnings: what a valid packet is still reported for, each with its kind.
//!
//! - `semantic`: a rule of the documentation beyond the schema ([`crate::SEMANTIC_CHECKS`]);
//! - `older_revision`: a member Tencent added later is missing, and the packet's own time is
//!   before the member appeared, or the packet carries no time (see `schemas/README.md`,
//!   Revisions);
//! - `unknown_enum_value`: a value of an open enumeration outside its known values (see
//!   `schemas/README.md`, Open enumerations).
//!
//! A warning never changes the verdict: the packet is valid (`--deny-warnings` makes the CLI
//! count it as invalid).

use serde::Serialize;
use trtc_live_types::findings::Findings;
use trtc_live_types::open_enum::UnknownValue;
use trtc_live_types::revision::OlderRevision;
use trtc_live_types::Webhook;

use crate::{semantic_warnings, Issue, IssueKind, SemanticWarning};

/// One warning about a valid packet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What kind of warning: [`IssueKind::Semantic`], [`IssueKind::OlderRevision`] or
    /// [`IssueKind::UnknownEnumValue`].
    pub kind: IssueKind,
    /// For a semantic warning, the name of the check ([`crate::SemanticCheck::name`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<&'static str>,
    /// JSON pointer to the member concerned (`/EndTime`; for a missing member, where it would
    /// stand, `/MsgId`).
    pub instance_path: String,
    /// What was found.
    pub message: String,
}

impl Warning {
    /// The warning as an [`Issue`], for reports; the line and column are left for the caller,
    /// who has the text.
    pub fn to_issue(&self) -> Issue {
        Issue {
            kind: self.kind,
            check: self.check,
            instance_path: self.instance_path.clone(),
            schema_path: String::new(),
            keyword_location: None,
            message: self.message.clone(),
            line: None,
            column: None,
            span: None,
        }
    }
}

impl From<SemanticWarning> for Warning {
    fn from(warning: SemanticWarning) -> Self {
        Self {
            kind: IssueKind::Semantic,
            check: Some(warning.check),
            instance_path: warning.instance_path,
            message: warning.message,
        }
    }
}

impl From<OlderRevision> for Warning {
    fn from(older: OlderRevision) -> Self {
        Self {
            kind: IssueKind::OlderRevision,
            check: None,
            instance_path: pointer_to(older.member),
            message: older.to_string(),
        }
    }
}

impl From<UnknownValue> for Warning {
    fn from(unknown: UnknownValue) -> Self {
        Self {
            kind: IssueKind::UnknownEnumValue,
            check: None,
            message: unknown.to_string(),
            instance_path: unknown.pointer,
        }
    }
}

/// The JSON pointer of a top-level member.
fn pointer_to(member: &str) -> String {
    format!("/{}", member.replace('~', "~0").replace('/', "~1"))
}

/// Every warning of a valid, typed packet: its semantic warnings (in the order of
/// [`crate::SEMANTIC_CHECKS`]), then the members it lacks as an older revision, then its unknown
/// values of open enumerations (both in member order).
pub fn warnings(webhook: &Webhook) -> Vec<Warning> {
    let semantic = semantic_warnings(webhook);
    combine(semantic, webhook.findings())
}

/// Semantic warnings and findings, in the order of [`warnings`].
pub(crate) fn combine(semantic: Vec<SemanticWarning>, findings: Findings) -> Vec<Warning> {
    if semantic.is_empty() && findings.is_empty() {
        return Vec::new();
    }
    semantic
        .into_iter()
        .map(Warning::from)
        .chain(findings.older_revisions.into_iter().map(Warning::from))
        .chain(findings.unknown_values.into_iter().map(Warning::from))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_become_warnings_of_their_kind_in_order() {
        let findings = Findings {
            older_revisions: vec![OlderRevision {
                member: "MsgId",
                since: "2024-09-29T03:24:56Z",
                clock: None,
            }],
            unknown_values: vec![UnknownValue {
                pointer: "/EventCause".into(),
                definition: "MemberStateChangedEventCause",
                value: "\"Banned\"".into(),
                known: &["\"Enter\""],
            }],
        };
        let warnings = combine(Vec::new(), findings);
        assert_eq!(warnings[0].kind, IssueKind::OlderRevision);
        assert_eq!(warnings[0].instance_path, "/MsgId");
        assert_eq!(warnings[1].kind, IssueKind::UnknownEnumValue);
        assert_eq!(warnings[1].instance_path, "/EventCause");
        let issue = serde_json::to_value(warnings[1].to_issue()).unwrap();
        assert_eq!(issue["kind"], "unknown_enum_value");
        assert!(issue.get("check").is_none());
    }
}

//! What a rejected packet gets: the reason, and every problem with its location.

use std::fmt;

use serde::Serialize;
use trtc_live_types::Command;

use crate::locate::{line_and_column, Span};

/// Why a packet was rejected. Each reason is its own variant, so callers can match on it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The bytes are not JSON (or, for documentation samples, JSON with comments).
    #[error("malformed JSON: {0}")]
    Syntax(SyntaxError),
    /// `CallbackCommand` is missing, not a string, or not a known command word.
    #[error("{0}")]
    UnknownCommand(UnknownCommand),
    /// The packet breaks the schema of its command; every violation is listed.
    #[error("not a valid {command} packet: {}", ViolationList(.violations))]
    Schema {
        /// The command the packet was checked as.
        command: Command,
        /// Every violation, sorted by instance path then schema path.
        violations: Vec<Violation>,
    },
    /// The packet passes the schema, but a number in it is written in a form the typed model
    /// cannot hold exactly (an integer written with a fraction or an exponent, such as
    /// `30000.0`, which draft-07 counts as an integer).
    #[error("not a valid {command} packet: at {instance_path:?}: {message}")]
    Decode {
        /// The command the packet was decoded as.
        command: Command,
        /// JSON pointer to the value.
        instance_path: String,
        /// What the decoder reported.
        message: String,
        /// Where the value stands in the source text, when the packet was given as text.
        span: Option<Span>,
    },
}

/// A JSON syntax error, located in the original text (comments included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyntaxError {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, counted in bytes; 0 when the error is found right after a line break
    /// (an input that ends after a newline), as serde_json reports it.
    pub column: usize,
    /// What is wrong, without the position.
    pub message: String,
}

/// Why a packet's `CallbackCommand` cannot be routed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnknownCommand {
    /// The packet is not a JSON object.
    NotAnObject,
    /// The packet has no `CallbackCommand`.
    Missing,
    /// `CallbackCommand` is not a string.
    NotAString,
    /// `CallbackCommand` is not a known command word; the word found.
    Unknown(String),
}

/// One schema violation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// JSON pointer to the offending value in the packet (`""` for the packet itself).
    pub instance_path: String,
    /// JSON pointer to the failing keyword, from the root of the command's schema through any
    /// `$ref` (`/properties/FromRoomInfo/$ref/properties/Owner_Account/minimum`).
    pub schema_path: String,
    /// The failing keyword as an absolute URI: the `$id` of the schema file that holds it, and a
    /// pointer inside that file.
    pub keyword_location: String,
    /// What is wrong. When the packet was given as text, the offending value is printed as
    /// the text writes it: a number serde_json reads as a float (`18446744073709551616`,
    /// `-0`, `1e2`) is not printed as that float.
    pub message: String,
    /// Where the offending value stands in the source text, when the packet was given as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// The kind of an [`Issue`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    /// Malformed JSON.
    Syntax,
    /// A schema violation.
    Schema,
    /// A `CallbackCommand` that cannot be routed.
    UnknownCommand,
    /// A value the schema accepts but the typed model cannot hold exactly.
    Decode,
    /// A packet over a size limit, refused without being read.
    TooLarge,
    /// A semantic warning: the packet passes its schema but breaks a rule of the documentation
    /// (see [`crate::SEMANTIC_CHECKS`]). A warning, not an error.
    Semantic,
    /// A warning: the packet lacks a member that Tencent added later, and its own time (its
    /// clock: `EventTime`, `MsgTime`...) is before the member appeared, or it carries no time at
    /// all: an older revision of the packet, valid.
    OlderRevision,
    /// A warning: a value of an open enumeration (such as an `OptPlatform` of a new client
    /// platform) outside the known values; accepted, as Tencent may have added it.
    UnknownEnumValue,
}

/// One problem of a rejected packet, flattened for reports (the CLI's `--format json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// What kind of problem.
    pub kind: IssueKind,
    /// For a semantic warning, the name of the check ([`crate::SemanticCheck::name`]).
    /// Absent for the other kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<&'static str>,
    /// JSON pointer to the offending value (`""` for the packet itself or a syntax error).
    pub instance_path: String,
    /// JSON pointer to the failing schema keyword (`""` when no keyword is involved).
    pub schema_path: String,
    /// The failing keyword as an absolute URI (`$id` of its schema file and a pointer), for
    /// schema violations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword_location: Option<String>,
    /// What is wrong.
    pub message: String,
    /// Line of the error, from 1: where a syntax error was found, or where the offending value
    /// starts (absent when the packet was not given as text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Column of the error, from 1, counted in bytes (see [`Issue::line`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Where the offending value stands in the source text, byte range included, when the
    /// validator located it (schema and decode errors of a packet given as text). Not
    /// serialized: `line` and `column` say the same for reports.
    #[serde(skip)]
    pub span: Option<Span>,
}

impl IssueKind {
    /// Its name in reports, as it serializes (`unknown_command`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Syntax => "syntax",
            Self::Schema => "schema",
            Self::UnknownCommand => "unknown_command",
            Self::Decode => "decode",
            Self::TooLarge => "too_large",
            Self::Semantic => "semantic",
            Self::OlderRevision => "older_revision",
            Self::UnknownEnumValue => "unknown_enum_value",
        }
    }

    /// Whether issues of this kind are warnings (the packet is valid) rather than errors.
    pub const fn is_warning(self) -> bool {
        matches!(
            self,
            Self::Semantic | Self::OlderRevision | Self::UnknownEnumValue
        )
    }
}

impl Rejection {
    /// The command the packet was routed to, if it got that far.
    pub fn command(&self) -> Option<Command> {
        match self {
            Self::Schema { command, .. } | Self::Decode { command, .. } => Some(*command),
            Self::Syntax(_) | Self::UnknownCommand(_) => None,
        }
    }

    /// Every problem, flattened.
    pub fn issues(&self) -> Vec<Issue> {
        let issue = |kind, instance_path: &str, schema_path: &str, message: String| Issue {
            kind,
            check: None,
            instance_path: instance_path.to_owned(),
            schema_path: schema_path.to_owned(),
            keyword_location: None,
            message,
            line: None,
            column: None,
            span: None,
        };
        match self {
            Self::Syntax(error) => vec![Issue {
                line: Some(error.line),
                column: Some(error.column),
                ..issue(IssueKind::Syntax, "", "", error.message.clone())
            }],
            Self::UnknownCommand(unknown) => {
                let path = match unknown {
                    UnknownCommand::NotAnObject | UnknownCommand::Missing => "",
                    UnknownCommand::NotAString | UnknownCommand::Unknown(_) => "/CallbackCommand",
                };
                vec![issue(
                    IssueKind::UnknownCommand,
                    path,
                    "",
                    unknown.to_string(),
                )]
            }
            Self::Schema { violations, .. } => violations
                .iter()
                .map(|v| Issue {
                    keyword_location: Some(v.keyword_location.clone()).filter(|k| !k.is_empty()),
                    line: v.span.map(|s| s.line),
                    column: v.span.map(|s| s.column),
                    span: v.span,
                    ..issue(
                        IssueKind::Schema,
                        &v.instance_path,
                        &v.schema_path,
                        v.message.clone(),
                    )
                })
                .collect(),
            Self::Decode {
                instance_path,
                message,
                span,
                ..
            } => vec![Issue {
                line: span.map(|s| s.line),
                column: span.map(|s| s.column),
                span: *span,
                ..issue(IssueKind::Decode, instance_path, "", message.clone())
            }],
        }
    }
}

/// Violations for a message: how many, then one per line, indented (as in the message of
/// [`Rejection::Schema`]).
#[derive(Clone, Copy, Debug)]
pub struct ViolationList<'a>(pub &'a [Violation]);

impl fmt::Display for ViolationList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} violation(s)", self.0.len())?;
        for violation in self.0 {
            write!(f, "\n  {violation}")?;
        }
        Ok(())
    }
}

impl SyntaxError {
    /// The error serde_json reported, its position split from its message.
    pub(crate) fn from_serde(error: &serde_json::Error) -> Self {
        let message = error.to_string();
        let suffix = format!(" at line {} column {}", error.line(), error.column());
        Self {
            line: error.line(),
            column: error.column(),
            message: message.strip_suffix(&suffix).unwrap_or(&message).to_owned(),
        }
    }

    /// An error at byte `offset` of `text`.
    pub(crate) fn at_offset(text: &[u8], offset: usize, message: &str) -> Self {
        let (line, column) = line_and_column(text, offset);
        Self {
            line,
            column,
            message: message.to_owned(),
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl fmt::Display for UnknownCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = Command::ALL.iter().map(|c| c.as_str()).collect();
        match self {
            Self::NotAnObject => {
                f.write_str("the packet is not a JSON object, so it has no CallbackCommand")?
            }
            Self::Missing => f.write_str("the packet has no CallbackCommand")?,
            Self::NotAString => f.write_str("CallbackCommand is not a string")?,
            Self::Unknown(word) => match Command::CONFIGURATION_WORDS
                .iter()
                .find(|(configuration, _)| configuration == word)
            {
                Some((_, what)) => write!(
                    f,
                    "CallbackCommand {word:?} is a configuration word that Tencent never sends ({})",
                    what.split(". ").next().unwrap_or(what)
                )?,
                None => write!(f, "unknown CallbackCommand {word:?}")?,
            },
        }
        write!(f, "; known commands: {}", known.join(", "))
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.instance_path.is_empty() {
            "(packet)"
        } else {
            &self.instance_path
        };
        write!(f, "{at}: {} (schema: {})", self.message, self.schema_path)
    }
}

#[cfg(test)]
mod tests {
    use super::IssueKind;

    #[test]
    fn kind_names_are_the_serialized_names() {
        for kind in [
            IssueKind::Syntax,
            IssueKind::Schema,
            IssueKind::UnknownCommand,
            IssueKind::Decode,
            IssueKind::TooLarge,
            IssueKind::Semantic,
            IssueKind::OlderRevision,
            IssueKind::UnknownEnumValue,
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}

//! Checking one packet: the validator's verdict, the semantic warnings, and every finding
//! placed in the text.

use std::ops::Range;

use serde::Serialize;
use trtc_live_validate::{
    locate, parse_jsonc, warnings, Command, Issue, IssueKind, Rejection, UnknownCommand, Validator,
    Warning,
};

use crate::packets::{Packet, TooLarge, Window};

/// What the packet is judged to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// It passes (warnings allowed, unless denied).
    Valid,
    /// It is JSON but not a valid packet (or has a warning, with `--deny-warnings`).
    Invalid,
    /// It is not JSON, or too large to be read.
    Malformed,
}

/// One error or warning about a packet, as reported: the validator's [`Issue`], placed in the
/// input, with what people are shown besides.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// The problem; its `line` and `column` are in the input (for NDJSON, the packet's line).
    #[serde(flatten)]
    pub issue: Issue,
    /// Byte range of the offending value (or of the error position) in the packet's text.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// A hint for people, such as the command word closest to a misspelt one.
    #[serde(skip)]
    pub help: Option<String>,
}

impl From<Issue> for Finding {
    fn from(issue: Issue) -> Self {
        Self {
            issue,
            span: None,
            help: None,
        }
    }
}

/// Everything reported about one packet.
pub struct PacketReport<'w> {
    /// The input's name.
    pub source: &'w str,
    /// Line of the packet in an NDJSON input.
    pub line: Option<usize>,
    /// The verdict.
    pub verdict: Verdict,
    /// The command the packet was checked as, once known.
    pub command: Option<Command>,
    /// Errors (none when valid).
    pub errors: Vec<Finding>,
    /// Warnings (of valid packets): semantic, older revisions, unknown enumeration values.
    pub warnings: Vec<Finding>,
    /// The packet's text, kept for diagnostics when something is reported.
    pub text: Option<&'w [u8]>,
    /// Whether plain JSON failed only because of comments (worth a hint).
    pub comments_would_parse: bool,
    /// Whether a whole input failed because more JSON followed its first value (worth a hint).
    pub several_values: bool,
}

impl<'w> PacketReport<'w> {
    /// The report of a line of a journal that is not a record: malformed, with the reason.
    pub fn bad_record(source: &'w str, line: usize, message: &str, too_long: bool) -> Self {
        let kind = if too_long {
            IssueKind::TooLarge
        } else {
            IssueKind::Syntax
        };
        let error = Finding::from(Issue {
            kind,
            check: None,
            instance_path: String::new(),
            schema_path: String::new(),
            keyword_location: None,
            message: message.to_owned(),
            line: Some(line),
            column: None,
            span: None,
        });
        Self {
            source,
            line: Some(line),
            verdict: Verdict::Malformed,
            command: None,
            errors: vec![error],
            warnings: Vec::new(),
            text: None,
            comments_would_parse: false,
            several_values: false,
        }
    }
}

/// Checks packets with one validator and the options of the command line.
pub struct Checker<'a> {
    /// The validator (strict or not).
    pub validator: &'a Validator,
    /// `--response COMMAND`: packets are responses to it.
    pub response: Option<Command>,
    /// `--deny-warnings`.
    pub deny_warnings: bool,
}

impl Checker<'_> {
    /// Checks `packet`, read in `window`.
    pub fn check<'w>(&self, window: &'w Window, packet: &Packet) -> PacketReport<'w> {
        let mut report = PacketReport {
            source: window.source(packet),
            line: packet.line,
            verdict: Verdict::Valid,
            command: None,
            errors: Vec::new(),
            warnings: Vec::new(),
            text: None,
            comments_would_parse: false,
            several_values: false,
        };
        let text = match window.text(packet) {
            Ok(text) => text,
            Err(too_large) => {
                report.verdict = Verdict::Malformed;
                report
                    .errors
                    .push(too_large_finding(too_large, packet.line));
                return report;
            }
        };
        let outcome = self.validate(text, packet.comments);
        match outcome {
            Ok((command, warnings)) => {
                report.command = Some(command);
                report.warnings = warnings.iter().map(|w| w.to_issue().into()).collect();
                if self.deny_warnings && !report.warnings.is_empty() {
                    report.verdict = Verdict::Invalid;
                }
            }
            Err(rejection) => {
                report.command = rejection.command();
                report.verdict = match rejection {
                    Rejection::Syntax(_) => Verdict::Malformed,
                    _ => Verdict::Invalid,
                };
                report.comments_would_parse = matches!(rejection, Rejection::Syntax(_))
                    && !packet.comments
                    && parse_jsonc(text).is_ok();
                report.several_values = packet.line.is_none()
                    && matches!(&rejection, Rejection::Syntax(error)
                        if error.message.starts_with("trailing characters"));
                report.errors = rejection.issues().into_iter().map(Finding::from).collect();
                if let Rejection::UnknownCommand(UnknownCommand::Unknown(word)) = &rejection {
                    if let (Some(error), Some(closest)) = (
                        report.errors.first_mut(),
                        crate::command_word::closest(word),
                    ) {
                        error.help = Some(format!("did you mean {closest}?"));
                    }
                }
            }
        }
        if !report.errors.is_empty() || !report.warnings.is_empty() {
            place(&mut report.errors, text, packet.line);
            place(&mut report.warnings, text, packet.line);
            report.text = Some(text);
        }
        report
    }

    /// The command of a valid packet and its warnings, or the rejection.
    fn validate(&self, text: &[u8], comments: bool) -> Result<(Command, Vec<Warning>), Rejection> {
        let validator = self.validator;
        match (self.response, comments) {
            // Nothing is typed: the verdict and the warnings come from the bytes.
            (None, false) => validator
                .check(text)
                .map(|checked| (checked.command, checked.warnings)),
            (None, true) => validator
                .validate_jsonc(text)
                .map(|webhook| (webhook.command(), warnings(&webhook))),
            (Some(command), false) => validator
                .validate_response(command, text)
                .map(|response| (response.command(), Vec::new())),
            (Some(command), true) => validator
                .validate_response_jsonc(command, text)
                .map(|response| (response.command(), Vec::new())),
        }
    }
}

fn too_large_finding(too_large: TooLarge, line: Option<usize>) -> Finding {
    Finding::from(Issue {
        kind: IssueKind::TooLarge,
        check: None,
        instance_path: String::new(),
        schema_path: String::new(),
        keyword_location: None,
        message: format!(
            "the packet is {} bytes, over the limit of {} bytes (--max-packet-bytes); it was skipped",
            too_large.size, too_large.limit
        ),
        line,
        column: None,
        span: None,
    })
}

/// Places every finding in `text`: the byte span of its value (or of the syntax error), and
/// its line and column in the input (an NDJSON packet starts at `packet_line`).
fn place(findings: &mut [Finding], text: &[u8], packet_line: Option<usize>) {
    for finding in findings {
        let issue = &mut finding.issue;
        let span = if issue.kind == IssueKind::Syntax {
            match (issue.line, issue.column) {
                (Some(line), Some(column)) => Some(syntax_span(text, line, column)),
                _ => None,
            }
        } else {
            // The validator has located schema and decode errors already; the others (an
            // unknown command, a warning) are located here. A member that is missing (an older
            // revision's) is shown at the object that lacks it.
            let located = issue
                .span
                .or_else(|| locate(text, &issue.instance_path))
                .or_else(|| {
                    let parent = issue
                        .instance_path
                        .rsplit_once('/')
                        .map(|(parent, _)| parent)?;
                    (issue.kind == IssueKind::OlderRevision)
                        .then(|| locate(text, parent))
                        .flatten()
                });
            located.map(|span| {
                issue.line = Some(span.line);
                issue.column = Some(span.column);
                // An object or array is marked by its opening bracket: the error is about it
                // as a whole (a missing property, an unknown one), not about every line of it.
                match text.get(span.start) {
                    Some(b'{' | b'[') => span.start..span.start + 1,
                    _ => span.start..span.end,
                }
            })
        };
        if let (Some(first), Some(line)) = (packet_line, issue.line) {
            issue.line = Some(first + line - 1);
        }
        finding.span = span;
    }
}

/// The byte span one character wide at `line`:`column` (serde_json's column 0 means the start
/// of the line).
fn syntax_span(text: &[u8], line: usize, column: usize) -> Range<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let start = (line_start + column.saturating_sub(1)).min(text.len());
    start..(start + 1).min(text.len())
}

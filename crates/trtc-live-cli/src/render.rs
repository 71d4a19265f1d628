//! Reporting outcomes, for people or as JSON lines.

use std::io::Write;

use serde::Serialize;
use trtc_live_validate::{Command, Issue, IssueKind, Rejection, Webhook, WebhookResponse};

use crate::args::Format;

/// A valid packet.
pub enum Valid {
    /// A request packet.
    Request(Box<Webhook>),
    /// A response packet.
    Response(Box<WebhookResponse>),
}

impl Valid {
    fn command(&self) -> Command {
        match self {
            Self::Request(webhook) => webhook.command(),
            Self::Response(response) => response.command(),
        }
    }
}

/// What became of one input.
pub enum Outcome {
    /// The input could not be read.
    Unreadable(String),
    /// The input was checked.
    Checked(Result<Valid, Rejection>),
}

/// Counts of outcomes, and the exit status they make.
#[derive(Default)]
pub struct Tally {
    valid: usize,
    invalid: usize,
    malformed: usize,
    unreadable: usize,
}

impl Tally {
    /// Counts one outcome.
    pub fn count(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Unreadable(_) => self.unreadable += 1,
            Outcome::Checked(Ok(_)) => self.valid += 1,
            Outcome::Checked(Err(Rejection::Syntax(_))) => self.malformed += 1,
            Outcome::Checked(Err(_)) => self.invalid += 1,
        }
    }

    /// 2 if an input was unreadable, else 1 if a packet was invalid or malformed, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.unreadable > 0 {
            2
        } else if self.invalid + self.malformed > 0 {
            1
        } else {
            0
        }
    }
}

/// Writes reports to standard output (and unreadable inputs to standard error).
pub struct Reporter {
    format: Format,
    out: std::io::StdoutLock<'static>,
}

/// One line of `--format json`.
#[derive(Serialize)]
struct JsonReport<'a> {
    source: &'a str,
    valid: bool,
    command: Option<&'a str>,
    errors: Vec<Issue>,
}

impl Reporter {
    /// A reporter in `format`.
    pub fn new(format: Format) -> Self {
        Self {
            format,
            out: std::io::stdout().lock(),
        }
    }

    /// Reports the outcome of the input named `source`.
    pub fn report(&mut self, source: &str, outcome: &Outcome) {
        let checked = match outcome {
            Outcome::Unreadable(message) => {
                eprintln!("{source}: {message}");
                return;
            }
            Outcome::Checked(checked) => checked,
        };
        // A closed pipe (`| head`) is not an error worth a panic: stop writing quietly.
        let _ = match self.format {
            Format::Json => self.write_json(source, checked),
            Format::Human => self.write_human(source, checked),
        };
    }

    /// Ends the report: a summary line for people.
    pub fn finish(&mut self, tally: &Tally) {
        if self.format == Format::Human {
            let _ = writeln!(
                self.out,
                "{} valid, {} invalid, {} malformed, {} unreadable",
                tally.valid, tally.invalid, tally.malformed, tally.unreadable
            );
        }
        let _ = self.out.flush();
    }

    fn write_json(
        &mut self,
        source: &str,
        checked: &Result<Valid, Rejection>,
    ) -> std::io::Result<()> {
        let report = match checked {
            Ok(valid) => JsonReport {
                source,
                valid: true,
                command: Some(valid.command().as_str()),
                errors: Vec::new(),
            },
            Err(rejection) => JsonReport {
                source,
                valid: false,
                command: rejection.command().map(|c| c.as_str()),
                errors: rejection.issues(),
            },
        };
        let line = serde_json::to_string(&report).map_err(std::io::Error::other)?;
        writeln!(self.out, "{line}")
    }

    fn write_human(
        &mut self,
        source: &str,
        checked: &Result<Valid, Rejection>,
    ) -> std::io::Result<()> {
        let rejection = match checked {
            Ok(valid) => return writeln!(self.out, "{source}: valid {}", valid.command()),
            Err(rejection) => rejection,
        };
        let issues = rejection.issues();
        let count = match issues.len() {
            1 => "1 error".to_owned(),
            n => format!("{n} errors"),
        };
        match rejection.command() {
            Some(command) => writeln!(self.out, "{source}: invalid {command} ({count})")?,
            None => writeln!(self.out, "{source}: invalid ({count})")?,
        }
        for issue in issues {
            // `file:line:column:` first where the error is located: editors and terminals
            // open it at that place.
            let place = match (issue.line, issue.column) {
                (Some(line), Some(column)) => format!("{source}:{line}:{column}: "),
                _ => String::new(),
            };
            let kind = kind_name(issue.kind);
            match (issue.kind, issue.instance_path.as_str()) {
                (IssueKind::Syntax, _) => {
                    writeln!(self.out, "  {place}{kind} error: {}", issue.message)?
                }
                (_, "") => writeln!(
                    self.out,
                    "  {place}{kind} error in the packet: {}",
                    issue.message
                )?,
                (_, pointer) => writeln!(
                    self.out,
                    "  {place}{kind} error at {pointer}: {}",
                    issue.message
                )?,
            }
            if !issue.schema_path.is_empty() {
                writeln!(self.out, "    schema path: {}", issue.schema_path)?;
            }
        }
        Ok(())
    }
}

fn kind_name(kind: IssueKind) -> &'static str {
    match kind {
        IssueKind::Syntax => "syntax",
        IssueKind::Schema => "schema",
        IssueKind::UnknownCommand => "unknown command",
        IssueKind::Decode => "decode",
    }
}

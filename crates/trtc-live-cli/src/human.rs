//! The report for people: one line per packet, and each error or warning as a diagnostic that
//! shows the source line with a marker under the offending value.

use std::fmt::Write as _;
use std::ops::Range;

use annotate_snippets::renderer::{AnsiColor, Style};
use annotate_snippets::{Level, Renderer, Snippet};

use trtc_live_validate::IssueKind;

use crate::check::{Finding, PacketReport, Verdict};

/// Where to find the known command words.
const LIST_HINT: &str = "`trtc-live list` lists the known command words";

/// Renders reports as text, with or without colors.
pub struct HumanRenderer {
    renderer: Renderer,
    colored: bool,
    quiet: bool,
}

impl HumanRenderer {
    /// A renderer; `colored` adds ANSI colors, `quiet` leaves out packets with nothing to say.
    pub fn new(colored: bool, quiet: bool) -> Self {
        let renderer = if colored {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        Self {
            renderer,
            colored,
            quiet,
        }
    }

    /// The report of one packet (empty when quiet and there is nothing to say).
    pub fn packet(&self, report: &PacketReport) -> String {
        let mut out = String::new();
        let nothing_to_say = report.errors.is_empty() && report.warnings.is_empty();
        if self.quiet && nothing_to_say {
            return out;
        }
        let place = match report.line {
            Some(line) => format!("{}:{line}", report.source),
            None => report.source.to_string(),
        };
        let command = report.command.map(|c| format!(" {c}")).unwrap_or_default();
        let counts = counts(report);
        let (word, color) = match report.verdict {
            Verdict::Valid => ("valid", AnsiColor::Green),
            Verdict::Invalid => ("invalid", AnsiColor::Red),
            Verdict::Malformed => ("malformed", AnsiColor::Red),
        };
        let _ = writeln!(
            out,
            "{place}: {}{command}{counts}",
            self.paint(word, color.on_default().bold())
        );
        let text = report.text.and_then(|t| std::str::from_utf8(t).ok());
        let origin = report.source;
        for finding in &report.errors {
            self.diagnostic(&mut out, Level::Error, finding, text, origin, report.line);
        }
        for finding in &report.warnings {
            self.diagnostic(&mut out, Level::Warning, finding, text, origin, report.line);
        }
        let help = self.paint("help", AnsiColor::Cyan.on_default().bold());
        if report.comments_would_parse {
            let _ = writeln!(
                out,
                "{help}: the text is valid JSON with comments; pass --jsonc (or name the file *.jsonc)\n",
            );
        }
        if report.several_values {
            let _ = writeln!(
                out,
                "{help}: the input holds several JSON values one after another and is read as one \
                 packet; to check each, put one per line (`jq -c .` does) or pass --ndjson if \
                 they are one per line already\n",
            );
        }
        out
    }

    /// One finding as a diagnostic, followed by a blank line.
    fn diagnostic(
        &self,
        out: &mut String,
        level: Level,
        finding: &Finding,
        text: Option<&str>,
        origin: &str,
        packet_line: Option<usize>,
    ) {
        let issue = &finding.issue;
        let id = issue.check.unwrap_or(issue.kind.as_str());
        let label = if issue.kind == IssueKind::Syntax {
            "here".to_owned()
        } else if issue.instance_path.is_empty() {
            "the packet".to_owned()
        } else {
            issue.instance_path.clone()
        };
        let schema_path = format!("schema path: {}", issue.schema_path);
        // The validator's message names every known command; people get a pointer instead.
        let (title, lists_commands) = match issue.message.split_once("; known commands: ") {
            Some((title, _)) => (title, true),
            None => (issue.message.as_str(), false),
        };
        let mut message = level.title(title).id(id);
        let excerpt = text
            .zip(finding.span.clone())
            .map(|(text, span)| source_line(text, span, packet_line.unwrap_or(1), issue.line))
            .filter(|excerpt| !excerpt.line.trim().is_empty());
        let position = match (issue.line, issue.column) {
            (Some(line), Some(column)) => format!("at {origin}:{line}:{column}"),
            _ => String::new(),
        };
        match &excerpt {
            Some(excerpt) => {
                message = message.snippet(
                    Snippet::source(&excerpt.line)
                        .line_start(excerpt.number)
                        .origin(origin)
                        .annotation(level.span(excerpt.span.clone()).label(&label)),
                )
            }
            None if !position.is_empty() => message = message.footer(Level::Note.title(&position)),
            None => {}
        }
        if !issue.schema_path.is_empty() {
            message = message.footer(Level::Note.title(&schema_path));
        }
        if let Some(help) = &finding.help {
            message = message.footer(Level::Help.title(help));
        }
        if lists_commands {
            message = message.footer(Level::Note.title(LIST_HINT));
        }
        let _ = writeln!(out, "{}\n", self.renderer.render(message));
    }

    fn paint(&self, text: &str, style: Style) -> String {
        if self.colored {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }
}

/// ` (2 errors, 1 warning)`, or nothing.
fn counts(report: &PacketReport) -> String {
    let plural = |n: usize, word: &str| match n {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    };
    let mut parts = Vec::new();
    if !report.errors.is_empty() {
        parts.push(plural(report.errors.len(), "error"));
    }
    if !report.warnings.is_empty() {
        parts.push(plural(report.warnings.len(), "warning"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// The line of the text a span starts on, cut to that line, with its number in the input.
struct SourceLine {
    line: String,
    number: usize,
    span: Range<usize>,
}

/// The source line holding `span.start` (the span cut at the end of that line and kept on
/// character boundaries), numbered from `first_line` or as `finding_line` says.
fn source_line(
    text: &str,
    span: Range<usize>,
    first_line: usize,
    finding_line: Option<usize>,
) -> SourceLine {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let mut end = span.end.clamp(start, line_start + line.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end == start {
        // A marker needs a width: one character, or the place just past the line's end.
        end = text[start..]
            .chars()
            .next()
            .filter(|c| *c != '\n' && *c != '\r')
            .map_or(start, |c| start + c.len_utf8());
    }
    let number =
        finding_line.unwrap_or_else(|| first_line + text[..line_start].matches('\n').count());
    SourceLine {
        line: line.to_owned(),
        number,
        span: (start - line_start)..(end - line_start),
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

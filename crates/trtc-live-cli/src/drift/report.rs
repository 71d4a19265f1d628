//! The drift report: for people, findings grouped per command word; in JSON, one object per
//! finding (shape in docs/drift.md); a summary line either way.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use serde::Serialize;

use super::findings::{Finding, Findings, TypeSeen};
use super::kind::{JsonType, Kind, Part};
use super::observe::Key;

/// How the values seen are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Values {
    /// Types, lengths and digit counts only.
    Redacted,
    /// The values themselves too.
    Shown,
}

/// Counts of what happened to the packets and inputs of a run, besides the findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Packets that are not JSON, or over the size limit.
    pub malformed: u64,
    /// Inputs that could not be read (or named nothing to read).
    pub unreadable: u64,
}

impl Tally {
    /// 2 when an input or a packet could not be read, or no packet was found; else 1 when a
    /// packet drifts; else 0.
    pub fn exit_code(&self, findings: &Findings) -> u8 {
        let total = findings.total();
        if self.unreadable > 0 || self.malformed > 0 || total.packets + self.malformed == 0 {
            2
        } else if !findings.findings.is_empty() || findings.dropped > 0 {
            1
        } else {
            0
        }
    }

    /// `7 match the schemas, 4 drift, 1 malformed, 0 unreadable (5 findings)`.
    pub fn summary(&self, findings: &Findings) -> String {
        let total = findings.total();
        let mut line = format!(
            "{} match the schemas, {} drift, {} malformed, {} unreadable",
            total.packets - total.drifting,
            total.drifting,
            self.malformed,
            self.unreadable
        );
        match findings.findings.len() {
            0 => {}
            1 => line.push_str(" (1 finding)"),
            n => line.push_str(&format!(" ({n} findings)")),
        }
        if findings.dropped > 0 {
            line.push_str(&format!(
                "; {} more observations not kept (too many findings)",
                findings.dropped
            ));
        }
        if total.packets + self.malformed == 0 {
            line.push_str("; no packet found");
        }
        line
    }
}

/// The report for people: per command word, its packets and its findings.
pub fn human(findings: &Findings, values: Values) -> String {
    let mut out = String::new();
    let counts = findings.packets_by_command();
    for (word, group) in findings.by_command() {
        let count = counts
            .iter()
            .find(|(counted, _)| *counted == word)
            .map(|(_, count)| *count)
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}: {} of {} {} drift{}",
            word.unwrap_or("(no command word)"),
            count.drifting,
            count.packets,
            plural(count.packets, "packet"),
            if count.drifting == 1 { "s" } else { "" },
        );
        for (key, finding) in group {
            finding_in_words(&mut out, key, finding, values);
        }
        out.push('\n');
    }
    out
}

fn finding_in_words(out: &mut String, key: &Key, finding: &Finding, values: Values) {
    let place = match (key.part, key.path.as_str()) {
        (Part::Body, "") => "(the packet)".to_owned(),
        (Part::Body, path) => path.to_owned(),
        (Part::Query, path) => format!("?{}", path.trim_start_matches('/')),
    };
    let _ = writeln!(
        out,
        "  {} {place}: {} {}",
        key.kind.as_str(),
        finding.count,
        plural(finding.count, "packet")
    );
    if let Some(expected) = &finding.expected {
        let _ = writeln!(out, "    expected: {expected}");
    }
    if !finding.types.is_empty() {
        let types: Vec<String> = finding
            .types
            .iter()
            .map(|(json_type, seen)| type_in_words(*json_type, seen))
            .collect();
        let _ = writeln!(out, "    seen: {}", types.join(", "));
    }
    if values == Values::Shown && !finding.values.is_empty() {
        let shown: Vec<&str> = finding
            .values
            .iter()
            .take(3)
            .map(|value| value.text.as_str())
            .collect();
        let more = if finding.values.len() > 3 || finding.more_values {
            ", ..."
        } else {
            ""
        };
        let _ = writeln!(out, "    values: {}{more}", shown.join(", "));
    }
    match (finding.first_ms, finding.last_ms) {
        (Some(first), Some(last)) if first != last => {
            let _ = writeln!(out, "    packet times: {} to {}", time(first), time(last));
        }
        (Some(first), _) => {
            let _ = writeln!(out, "    packet time: {}", time(first));
        }
        _ => {}
    }
    let _ = writeln!(out, "    in: {}", finding.examples.join(", "));
}

/// `integer (18 to 19 digits)`, `string (36 characters)`, `boolean`.
fn type_in_words(json_type: JsonType, seen: &TypeSeen) -> String {
    let Some(unit) = json_type.size_unit() else {
        return json_type.as_str().to_owned();
    };
    let negative = if seen.negative { ", negative" } else { "" };
    if seen.min_size == seen.max_size {
        let unit = if seen.min_size == 1 {
            unit.trim_end_matches('s')
        } else {
            unit
        };
        format!(
            "{} ({} {unit}{negative})",
            json_type.as_str(),
            seen.min_size
        )
    } else {
        format!(
            "{} ({} to {} {unit}{negative})",
            json_type.as_str(),
            seen.min_size,
            seen.max_size
        )
    }
}

/// One line of `--format json`.
#[derive(Serialize)]
struct JsonFinding<'a> {
    command: Option<&'a str>,
    kind: Kind,
    #[serde(rename = "in")]
    part: Part,
    path: &'a str,
    count: u64,
    types: Vec<JsonType>,
    sizes: Vec<JsonSizes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    values: Option<Vec<&'a str>>,
    first_seen: Option<String>,
    last_seen: Option<String>,
    examples: &'a [String],
    expected: Option<&'a str>,
    keyword_location: Option<String>,
}

/// The sizes of the values of one type.
#[derive(Serialize)]
struct JsonSizes {
    #[serde(rename = "type")]
    json_type: JsonType,
    count: u64,
    /// What is counted: characters, digits, items or members.
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    negative: bool,
}

/// The findings as JSON, one object per line.
pub fn json(findings: &Findings, values: Values) -> String {
    let mut out = String::new();
    for (_, group) in findings.by_command() {
        for (key, finding) in group {
            let unit = |json_type: JsonType| json_type.size_unit();
            let line = JsonFinding {
                command: key.command.as_deref(),
                kind: key.kind,
                part: key.part,
                path: &key.path,
                count: finding.count,
                types: finding.types.keys().copied().collect(),
                sizes: finding
                    .types
                    .iter()
                    .map(|(&json_type, seen)| JsonSizes {
                        json_type,
                        count: seen.count,
                        unit: unit(json_type),
                        min: unit(json_type).map(|_| seen.min_size),
                        max: unit(json_type).map(|_| seen.max_size),
                        negative: seen.negative,
                    })
                    .collect(),
                values: (values == Values::Shown).then(|| {
                    let kept = finding.values.iter().take(3);
                    kept.map(|value| value.text.as_str()).collect()
                }),
                first_seen: finding.first_ms.map(time),
                last_seen: finding.last_ms.map(time),
                examples: &finding.examples,
                expected: finding.expected.as_deref(),
                keyword_location: finding.location.as_ref().map(|l| l.uri()),
            };
            if let Ok(text) = serde_json::to_string(&line) {
                out.push_str(&text);
                out.push('\n');
            }
        }
    }
    out
}

/// A time in Unix milliseconds, in RFC 3339 (UTC, milliseconds).
pub fn time(milliseconds: u64) -> String {
    SystemTime::UNIX_EPOCH
        .checked_add(Duration::from_millis(milliseconds))
        .map(|time| humantime::format_rfc3339_millis(time).to_string())
        .unwrap_or_else(|| format!("{milliseconds} ms"))
}

fn plural(count: u64, word: &str) -> String {
    if count == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_in_rfc_3339() {
        assert_eq!(time(1739956145123), "2025-02-19T09:09:05.123Z");
        assert_eq!(time(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn sizes_are_said_with_their_unit() {
        let seen = |min_size, max_size, negative| TypeSeen {
            count: 1,
            min_size,
            max_size,
            negative,
        };
        assert_eq!(
            type_in_words(JsonType::Integer, &seen(1, 1, false)),
            "integer (1 digit)"
        );
        assert_eq!(
            type_in_words(JsonType::String, &seen(0, 36, false)),
            "string (0 to 36 characters)"
        );
        assert_eq!(
            type_in_words(JsonType::Integer, &seen(2, 2, true)),
            "integer (2 digits, negative)"
        );
        assert_eq!(type_in_words(JsonType::Null, &seen(0, 0, false)), "null");
    }
}

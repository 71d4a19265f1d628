//! `--format json`: one JSON object per packet, one per line.

use serde::Serialize;

use crate::check::{Finding, PacketReport, Verdict};

/// One line of `--format json`.
#[derive(Serialize)]
struct JsonReport<'a> {
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    valid: bool,
    command: Option<&'a str>,
    errors: &'a [Finding],
    warnings: &'a [Finding],
}

/// The JSON line (with its `\n`) reporting `report`.
pub fn packet(report: &PacketReport) -> String {
    let json = JsonReport {
        source: report.source,
        line: report.line,
        valid: report.verdict == Verdict::Valid,
        command: report.command.map(|c| c.as_str()),
        errors: &report.errors,
        warnings: &report.warnings,
    };
    let mut line = serde_json::to_string(&json).unwrap_or_else(|error| {
        // Strings and numbers only: serializing cannot fail. Say so in JSON if it ever does.
        serde_json::json!({ "source": report.source, "valid": false, "error": error.to_string() })
            .to_string()
    });
    line.push('\n');
    line
}

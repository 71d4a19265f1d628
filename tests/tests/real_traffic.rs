//! The corpus of real-shaped packets, `tests/real-traffic/` (its README says what each file is,
//! where it was published and when): every packet's verdict and findings, lenient and strict,
//! and those of the URL parameters captured with it, are snapshotted; the verdicts are those the
//! README's table states, and the table lists exactly the corpus' files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use trtc_live_tests::repo_root;
use trtc_live_validate::{Command, Issue, Options, Rejection, Validator, Webhook};

/// The corpus' folder.
fn corpus_dir() -> PathBuf {
    repo_root().join("tests").join("real-traffic")
}

/// One packet of the corpus: `<folder>/<stem>.json` (or `.jsonc`, a documentation sample with
/// comments), and the query string captured with it, `<folder>/<stem>.query`, if any.
struct Packet {
    /// `<folder>/<file name>`.
    name: String,
    path: PathBuf,
    query: Option<String>,
}

fn packets() -> Vec<Packet> {
    let mut packets = Vec::new();
    for folder in sorted(&corpus_dir()).into_iter().filter(|p| p.is_dir()) {
        for path in sorted(&folder) {
            let extension = path.extension().and_then(|e| e.to_str());
            if !matches!(extension, Some("json" | "jsonc")) {
                continue;
            }
            let query = std::fs::read_to_string(path.with_extension("query"))
                .ok()
                .map(|q| q.trim_end().to_owned());
            packets.push(Packet {
                name: relative(&path),
                path,
                query,
            });
        }
    }
    packets
}

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    paths
}

/// `<folder>/<file name>`.
fn relative(path: &Path) -> String {
    let relative = path.strip_prefix(corpus_dir()).unwrap();
    relative.to_string_lossy().replace('\\', "/")
}

/// What one validator says of one packet.
#[derive(Serialize)]
struct Judgement {
    verdict: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<&'static str>,
    errors: Vec<Issue>,
    warnings: Vec<Issue>,
}

impl Judgement {
    fn of(result: Result<(Webhook, Vec<Issue>), Rejection>) -> Self {
        match result {
            Ok((webhook, warnings)) => Self {
                verdict: "valid",
                command: Some(webhook.command().as_str()),
                errors: Vec::new(),
                warnings,
            },
            Err(rejection) => Self {
                verdict: match rejection {
                    Rejection::Syntax(_) => "malformed",
                    _ => "invalid",
                },
                command: rejection.command().map(Command::as_str),
                errors: rejection.issues(),
                warnings: Vec::new(),
            },
        }
    }
}

/// The verdicts and findings of a packet, as snapshotted.
#[derive(Serialize)]
struct Report {
    lenient: Judgement,
    strict: Judgement,
    #[serde(skip_serializing_if = "Option::is_none")]
    url_parameters: Option<UrlJudgement>,
}

/// What the URL parameter schema says of a captured query string, lenient and strict.
#[derive(Serialize)]
struct UrlJudgement {
    query: String,
    lenient: Value,
    strict: Value,
}

fn judge(validator: &Validator, packet: &Packet) -> Judgement {
    let bytes = std::fs::read(&packet.path).unwrap();
    let typed = if packet.name.ends_with(".jsonc") {
        validator.validate_jsonc(&bytes)
    } else {
        validator.validate(&bytes)
    };
    Judgement::of(typed.map(|webhook| {
        let warnings = trtc_live_validate::warnings(&webhook)
            .iter()
            .map(|w| w.to_issue())
            .collect();
        (webhook, warnings)
    }))
}

fn judge_query(validator: &Validator, query: &str) -> Value {
    let parameters: serde_json::Map<String, Value> = query
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.to_owned(), Value::from(value))
        })
        .collect();
    match validator.check_url_parameters(&Value::Object(parameters)) {
        Ok((_, warnings)) => serde_json::json!({"verdict": "valid", "warnings": warnings}),
        Err(violations) => serde_json::json!({"verdict": "invalid", "errors": violations}),
    }
}

/// The rows of the README's table: file name, lenient verdict, strict verdict.
fn readme_rows() -> BTreeMap<String, (String, String)> {
    let readme = std::fs::read_to_string(corpus_dir().join("README.md")).unwrap();
    readme
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let file = cells[1].trim_matches('`').to_owned();
            let verdict = |cell: &str| cell.split_whitespace().next().unwrap_or("").to_owned();
            (file, (verdict(cells[5]), verdict(cells[6])))
        })
        .collect()
}

#[test]
fn every_packet_gets_the_verdict_the_readme_states() {
    let lenient = Validator::new().unwrap();
    let strict = Validator::with_options(Options { strict: true }).unwrap();
    let rows = readme_rows();
    let packets = packets();
    assert!(packets.len() >= 13, "the corpus is missing");
    let listed: Vec<&String> = rows.keys().collect();
    let files: Vec<&String> = packets.iter().map(|p| &p.name).collect();
    assert_eq!(
        listed, files,
        "the README's table must list exactly the corpus' packets"
    );
    for packet in &packets {
        let report = Report {
            lenient: judge(&lenient, packet),
            strict: judge(&strict, packet),
            url_parameters: packet.query.as_ref().map(|query| UrlJudgement {
                query: query.clone(),
                lenient: judge_query(&lenient, query),
                strict: judge_query(&strict, query),
            }),
        };
        let (lenient_verdict, strict_verdict) = &rows[&packet.name];
        assert_eq!(report.lenient.verdict, lenient_verdict, "{}", packet.name);
        assert_eq!(report.strict.verdict, strict_verdict, "{}", packet.name);
        // The one pass that types nothing agrees (JSON files; the `.jsonc` samples need comments
        // removed first).
        if packet.name.ends_with(".json") {
            let bytes = std::fs::read(&packet.path).unwrap();
            let checked = lenient.check(&bytes);
            assert_eq!(
                checked.is_ok(),
                report.lenient.verdict == "valid",
                "{}",
                packet.name
            );
            if let Ok(checked) = checked {
                let issues: Vec<Issue> = checked.warnings.iter().map(|w| w.to_issue()).collect();
                assert_eq!(issues, report.lenient.warnings, "{}", packet.name);
            }
        }
        let snapshot = packet.name.replace('/', "__");
        let mut report = serde_json::to_value(&report).expect("a report serializes");
        trtc_live_tests::redact_known_commands_in(&mut report);
        insta::assert_json_snapshot!(snapshot, report);
    }
}

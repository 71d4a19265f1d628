//! `serve`'s journals as inputs: `validate` and `drift` read the body inside each record (with
//! the record's line, and for `drift` the URL parameters of its query), recognised without a
//! flag; `journal export` prints the bodies as NDJSON, byte for byte.
//!
//! The fixture (`tests/fixtures/journal/`) is a journal directory as `serve` writes it: three
//! accepted deliveries (one with a member the schemas do not name, two with a URL parameter the
//! schemas do not list, one from a platform they do not know) and one quarantined (a negative
//! `Duration`), also with that parameter.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{json_lines, run, run_in};

const JOURNAL: &str = "crates/trtc-live-cli/tests/fixtures/journal";

fn accepted() -> Vec<u8> {
    std::fs::read(common::repo_root().join(JOURNAL).join("accepted.ndjson")).unwrap()
}

/// A journal record, as `serve` writes it, of `body` (text) or `body_hex`.
fn record(received_at_ms: u64, body: Result<&str, &[u8]>) -> Vec<u8> {
    let mut record = serde_json::json!({
        "received_at_ms": received_at_ms,
        "remote": "127.0.0.1:50412",
        "query": "SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterEndBattle",
    });
    match body {
        Ok(text) => record["body"] = text.into(),
        Err(bytes) => {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            record["body_hex"] = hex.into();
        }
    }
    let mut line = serde_json::to_vec(&record).unwrap();
    line.push(b'\n');
    line
}

#[test]
fn validate_reports_the_body_of_each_record_at_the_record_s_line() {
    let human = run(&["validate", JOURNAL], b"");
    assert_eq!(human.code, 1, "{}", human.transcript);
    insta::assert_snapshot!(human.transcript);
    let json = run(&["validate", "--format", "json", JOURNAL], b"");
    let places: Vec<(String, u64, bool)> = json_lines(&json.stdout)
        .iter()
        .map(|report| {
            (
                report["source"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                report["line"].as_u64().unwrap(),
                report["valid"].as_bool().unwrap(),
            )
        })
        .collect();
    let place = |name: &str, line, valid| (name.to_owned(), line, valid);
    assert_eq!(
        places,
        [
            place("accepted.ndjson", 1, true),
            place("accepted.ndjson", 2, true),
            place("accepted.ndjson", 3, true),
            place("quarantine.ndjson", 1, false),
        ]
    );
}

#[test]
fn drift_reads_the_body_and_the_url_parameters_of_each_record() {
    let human = run(&["drift", JOURNAL], b"");
    assert_eq!(human.code, 1, "{}", human.transcript);
    insta::assert_snapshot!(human.transcript);
    let json = run(&["drift", "--format", "json", JOURNAL], b"");
    let in_query: Vec<(String, String, String)> = json_lines(&json.stdout)
        .iter()
        .filter(|finding| finding["in"] == "query")
        .map(|finding| {
            let text = |key: &str| finding[key].as_str().unwrap().to_owned();
            (text("command"), text("kind"), text("path"))
        })
        .collect();
    let finding = |command: &str, kind: &str, path: &str| {
        (command.to_owned(), kind.to_owned(), path.to_owned())
    };
    assert_eq!(
        in_query,
        [
            finding(
                "Group.CallbackAfterSendMsg",
                "unknown_url_parameter",
                "/TraceId"
            ),
            finding(
                "Live.CallbackAfterEndBattle",
                "unknown_enum_value",
                "/OptPlatform"
            ),
            finding(
                "Live.CallbackAfterEndBattle",
                "unknown_url_parameter",
                "/TraceId"
            ),
        ]
    );
}

#[test]
fn a_line_that_is_not_a_record_gets_one_message_and_the_run_goes_on() {
    let valid = String::from_utf8(accepted()).unwrap();
    let valid_body: serde_json::Value =
        serde_json::from_str(valid.lines().next().unwrap()).unwrap();
    let body = valid_body["body"].as_str().unwrap();
    let mut journal = record(1785076200037, Ok(body));
    journal.extend(b"{\"received_at_ms\": \"not a number\"}\n");
    // A body that is not UTF-8, kept in hexadecimal: the packet is malformed.
    journal.extend(record(1785076200038, Err(b"{\"a\": \"\xe9\"}")));
    journal.extend(record(1785076200039, Ok(body)));
    // Cut short by a crash: no line break.
    let torn = record(1785076200040, Ok(body));
    journal.extend(&torn[..torn.len() / 2]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("accepted.ndjson"), &journal).unwrap();

    let validate = run_in(dir.path(), &["validate", "--quiet", "accepted.ndjson"], b"");
    assert_eq!(validate.code, 1, "{}", validate.transcript);
    insta::assert_snapshot!("validate_bad_records", validate.transcript);
    let drift = run_in(dir.path(), &["drift", "accepted.ndjson"], b"");
    assert_eq!(drift.code, 2, "{}", drift.transcript);
    insta::assert_snapshot!("drift_bad_records", drift.transcript);
    let export = run_in(dir.path(), &["journal", "export", "accepted.ndjson"], b"");
    assert_eq!(export.code, 1, "{}", export.transcript);
    insta::assert_snapshot!("export_bad_records", export.transcript);
}

#[test]
fn export_prints_each_body_byte_for_byte() {
    let journal = [
        accepted(),
        std::fs::read(common::repo_root().join(JOURNAL).join("quarantine.ndjson")).unwrap(),
    ]
    .concat();
    let bodies: String = String::from_utf8(journal)
        .unwrap()
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            format!("{}\n", record["body"].as_str().unwrap())
        })
        .collect();
    let export = run(&["journal", "export", JOURNAL], b"");
    assert_eq!(export.code, 0, "{}", export.transcript);
    assert_eq!(export.stdout, bodies);
    assert!(export
        .stdout
        .contains("\"From_Account\":144115245442327522,"));
    // What the exported NDJSON is good for: validate reads it as the journal.
    let again = run(&["validate", "--quiet", "-"], export.stdout.as_bytes());
    assert_eq!(again.code, 1, "{}", again.transcript);
    assert!(again
        .stdout
        .ends_with("3 valid, 1 invalid, 0 malformed, 0 unreadable\n"));
}

/// `jq`, the tool people reach for, reads numbers as doubles: the account id 144115245442327522
/// comes out as 144115245442327520 (jq 1.6, Debian 12's). The export keeps it.
#[test]
fn jq_rounds_the_account_id_and_the_export_does_not() {
    let version = Command::new("jq")
        .arg("--version")
        .output()
        .expect("jq is needed for this test (.ci/run installs Debian's)");
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    let mut jq = Command::new("jq")
        .args(["-c", ".body | fromjson"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let input = accepted();
    let mut stdin = jq.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let output = jq.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    let by_jq = String::from_utf8(output.stdout).unwrap();
    let export = run(
        &["journal", "export", &format!("{JOURNAL}/accepted.ndjson")],
        b"",
    );
    assert!(export.stdout.contains("144115245442327522"));
    assert!(!export.stdout.contains("144115245442327520"));
    // jq 1.7 and later keep a literal's digits when they do not compute with it.
    if version == "jq-1.6" {
        assert!(
            by_jq.contains("\"From_Account\":144115245442327520,"),
            "{by_jq}"
        );
        assert!(!by_jq.contains("144115245442327522"), "{by_jq}");
    } else {
        eprintln!("{version}: {}", by_jq.lines().nth(1).unwrap_or_default());
    }
}

#[test]
fn a_body_on_several_lines_is_exported_on_one() {
    let body =
        "{\n  \"CallbackCommand\": \"Live.CallbackAfterEndBattle\",\n  \"BattleId\": \"a b\"\n}";
    let journal = record(1, Ok(body));
    let export = run(&["journal", "export", "-"], &journal);
    assert_eq!(export.code, 0, "{}", export.transcript);
    assert_eq!(
        export.stdout,
        "{\"CallbackCommand\":\"Live.CallbackAfterEndBattle\",\"BattleId\":\"a b\"}\n"
    );
    assert!(
        export
            .stderr
            .contains("1 of 1 bodies spanned several lines"),
        "{}",
        export.transcript
    );
}

#[test]
fn compressed_journals_from_standard_input_are_read_the_same() {
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(&accepted()).unwrap();
    let gzip = gzip.finish().unwrap();
    let plain = run(
        &["journal", "export", &format!("{JOURNAL}/accepted.ndjson")],
        b"",
    );
    let piped = run(&["journal", "export", "-"], &gzip);
    assert_eq!(piped.stdout, plain.stdout);
    let drift_plain = run(&["drift", "--format", "json", "-"], &accepted());
    let drift_piped = run(&["drift", "--format", "json", "-"], &gzip);
    assert_eq!(drift_piped.stdout, drift_plain.stdout);
    assert!(drift_piped
        .stdout
        .contains("\"kind\":\"unknown_url_parameter\""));
}

#[test]
fn export_refuses_what_is_not_a_journal() {
    let export = run(
        &[
            "journal",
            "export",
            "crates/trtc-live-cli/tests/fixtures/readme/battles.ndjson",
        ],
        b"",
    );
    assert_eq!(export.code, 2, "{}", export.transcript);
    assert_eq!(export.stdout, "");
    assert_eq!(
        export.stderr,
        "crates/trtc-live-cli/tests/fixtures/readme/battles.ndjson: not a journal (its first line is not a record)\n"
    );
}

//! `trtc-live drift`: every kind of finding, summed up per command word, in both formats;
//! values redacted unless asked; the exit status; standard input and archives; bad input.
//!
//! The fixtures (`tests/fixtures/drift/`) are examples of `trtc-live example` changed the way
//! real traffic drifts: `patchable/` holds what a patch of the schemas accepts (new members,
//! enumeration values, members no longer sent, values of another type), `not-patched/` what it
//! does not (values out of range, unknown command words, an integer written with a fraction).

mod common;

use std::collections::BTreeMap;
use std::io::Write;

use common::{json_lines, run, run_in};

const DRIFT: &str = "crates/trtc-live-cli/tests/fixtures/drift";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(common::repo_root().join(DRIFT).join(name)).unwrap()
}

#[test]
fn every_kind_is_summed_up_per_command_word() {
    let run = run(&["drift", DRIFT], b"");
    assert_eq!(run.code, 1, "{}", run.transcript);
    insta::assert_snapshot!(run.transcript);
}

#[test]
fn json_format_prints_one_object_per_finding() {
    let run = run(&["drift", "--format", "json", DRIFT], b"");
    assert_eq!(run.code, 1, "{}", run.transcript);
    let findings = json_lines(&run.stdout);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for finding in &findings {
        *kinds
            .entry(finding["kind"].as_str().unwrap().to_owned())
            .or_default() += 1;
        assert!(finding["command"].is_string() || finding["command"].is_null());
        assert!(
            finding["path"].as_str().unwrap().is_empty()
                || finding["path"].as_str().unwrap().starts_with('/')
        );
        assert!(finding["count"].as_u64().unwrap() >= 1);
        assert!(finding["types"].is_array() && finding["sizes"].is_array());
        let examples = finding["examples"].as_array().unwrap();
        assert!((1..=3).contains(&examples.len()), "{finding}");
        assert!(
            finding.get("values").is_none(),
            "values are not shown: {finding}"
        );
        for key in ["first_seen", "last_seen", "expected", "keyword_location"] {
            assert!(finding.get(key).is_some(), "{key}: {finding}");
        }
    }
    // Each kind the fixtures hold, at least twice.
    for kind in [
        "unknown_command",
        "unknown_member",
        "missing_required",
        "older_revision",
        "type_mismatch",
        "unknown_enum_value",
        "out_of_range",
    ] {
        assert!(
            kinds.get(kind).copied().unwrap_or(0) >= 2,
            "{kind}: {kinds:?}"
        );
    }
    assert!(
        run.stderr
            .ends_with(&format!("({} findings)\n", findings.len())),
        "the summary goes to standard error: {}",
        run.transcript
    );
    insta::assert_snapshot!(run.transcript);
}

#[test]
fn values_are_shown_only_when_asked() {
    // Personal data in the fixtures: a gift's name with a person's name in it, a message key
    // with an account in it, an account id out of range.
    let secrets = ["Ferrari for Alice", "3960545421_12345678_1785075311", "-7"];
    for format in ["human", "json"] {
        let redacted = run(&["drift", "--format", format, DRIFT], b"");
        for secret in secrets {
            assert!(
                !redacted.stdout.contains(secret),
                "{secret} in {}",
                redacted.transcript
            );
        }
        assert!(
            redacted.stdout.contains("17 characters") || redacted.stdout.contains("\"max\":17")
        );
        let shown = run(&["drift", "--show-values", "--format", format, DRIFT], b"");
        for secret in secrets {
            assert!(
                shown.stdout.contains(secret),
                "{secret} not in {}",
                shown.transcript
            );
        }
    }
    let shown = run(
        &["drift", "--show-values", &format!("{DRIFT}/patchable")],
        b"",
    );
    insta::assert_snapshot!(shown.transcript);
}

#[test]
fn traffic_that_matches_the_schemas_exits_0() {
    let mut traffic = Vec::new();
    let list = run(&["list", "--format", "json"], b"");
    for command in json_lines(&list.stdout) {
        let word = command["command"].as_str().unwrap();
        let examples = run(&["example", word, "--count", "20", "--seed", "3"], b"");
        traffic.extend(examples.stdout.into_bytes());
    }
    let run = run(&["drift", "-"], &traffic);
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert_eq!(
        run.stdout,
        "360 match the schemas, 0 drift, 0 malformed, 0 unreadable\n"
    );
}

#[test]
fn bad_input_gets_one_message_per_packet_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut traffic = fixture("patchable/traffic.ndjson");
    traffic.extend(b"{\"CallbackCommand\": \"Live.CallbackAfterEndBattle\",\n");
    traffic.extend(format!("{{\"x\": \"{}\"}}\n", "y".repeat(3000)).into_bytes());
    traffic.extend(b"[1, 2\n");
    traffic.extend(fixture("not-patched/traffic.ndjson"));
    std::fs::write(dir.path().join("traffic.ndjson"), &traffic).unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let run = run_in(
        dir.path(),
        &[
            "drift",
            "--max-packet-bytes",
            "1000",
            "traffic.ndjson",
            "missing.ndjson",
            "empty",
        ],
        b"",
    );
    assert_eq!(run.code, 2, "{}", run.transcript);
    insta::assert_snapshot!(run.transcript);
}

#[test]
fn standard_input_and_archives_are_read_like_files() {
    let traffic = fixture("patchable/traffic.ndjson");
    let from_stdin = run(&["drift", "--format", "json", "-"], &traffic);
    assert_eq!(from_stdin.code, 1, "{}", from_stdin.transcript);
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(&traffic).unwrap();
    let gzip = gzip.finish().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("traffic.ndjson.gz"), &gzip).unwrap();
    let archive = run_in(
        dir.path(),
        &["drift", "--format", "json", "traffic.ndjson.gz"],
        b"",
    );
    assert_eq!(
        archive.stdout.replace("traffic.ndjson.gz", "-"),
        from_stdin.stdout
    );
    let piped_archive = run(&["drift", "--format", "json", "-"], &gzip);
    assert_eq!(piped_archive.stdout, from_stdin.stdout);
    let zstd = zstd::encode_all(&traffic[..], 3).unwrap();
    let piped_zstd = run(&["drift", "--format", "json", "-"], &zstd);
    assert_eq!(piped_zstd.stdout, from_stdin.stdout);
}

/// The corpus of real-shaped packets (`tests/real-traffic/`: captures of real deliveries,
/// earlier documentation samples and mocks, each with its provenance in its README): what
/// drift makes of it, as read, the older revisions included.
#[test]
fn the_findings_of_the_real_traffic_corpus() {
    let run = run(&["drift", "tests/real-traffic"], b"");
    assert_eq!(run.code, 1, "{}", run.transcript);
    insta::assert_snapshot!(run.transcript);
    let json = run_json(&["drift", "--format", "json", "tests/real-traffic"]);
    let older: u64 = json
        .iter()
        .filter(|finding| finding["kind"] == "older_revision")
        .map(|finding| finding["count"].as_u64().unwrap())
        .sum();
    assert!(older >= 10, "{older} older revisions");
}

fn run_json(args: &[&str]) -> Vec<serde_json::Value> {
    json_lines(&run(args, b"").stdout)
}

#[test]
fn no_packet_or_no_path_exits_2() {
    let empty = run(&["drift", "--ndjson", "-"], b"\n\n");
    assert_eq!(empty.code, 2, "{}", empty.transcript);
    assert!(
        empty.stdout.ends_with("; no packet found\n"),
        "{}",
        empty.transcript
    );
    let usage = run(&["drift"], b"");
    assert_eq!(usage.code, 2, "{}", usage.transcript);
}

//! The real `trtc-live` binary, driven like a user would, with snapshots of what it prints.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use trtc_live_tests::Role;

const SAMPLES: &str = "schemas/Live.CallbackAfterEndBattle/samples";
const CASES: &str = "tests/cases/Live.CallbackAfterEndBattle";

/// Runs `trtc-live ARGS` from the repository root, feeding `stdin`; returns a transcript.
fn run(args: &[&str], stdin: &[u8]) -> (i32, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_trtc-live"))
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let output = child.wait_with_output().unwrap();
    let code = output.status.code().expect("exited normally");
    let transcript = format!(
        "$ trtc-live {}\nexit status: {code}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    (code, transcript)
}

#[test]
fn the_reference_samples_are_valid() {
    let request = format!("{SAMPLES}/request.jsonc");
    let seed = format!("{SAMPLES}/request.seed-page.jsonc");
    let (code, transcript) = run(&["validate", &request, &seed], b"");
    assert_eq!(code, 0, "{transcript}");
    insta::assert_snapshot!(transcript);
}

#[test]
fn response_samples_are_valid_with_response() {
    let response = format!("{SAMPLES}/response.jsonc");
    let (code, transcript) = run(
        &[
            "validate",
            "--response",
            "Live.CallbackAfterEndBattle",
            &response,
        ],
        b"",
    );
    assert_eq!(code, 0, "{transcript}");
    insta::assert_snapshot!(transcript);
}

#[test]
fn invalid_and_malformed_packets_are_all_reported_in_human_form() {
    let paths: Vec<String> = [
        "optype-7",
        "several-errors",
        "malformed-missing-comma",
        "callbackcommand-wrong",
    ]
    .iter()
    .map(|name| format!("{CASES}/invalid/{name}.json"))
    .collect();
    let mut args = vec!["validate"];
    args.extend(paths.iter().map(String::as_str));
    let (code, transcript) = run(&args, b"");
    assert_eq!(code, 1, "{transcript}");
    insta::assert_snapshot!(transcript);
}

#[test]
fn json_format_prints_one_object_per_packet() {
    let valid = format!("{SAMPLES}/request.jsonc");
    let optype = format!("{CASES}/invalid/optype-7.json");
    let malformed = format!("{CASES}/invalid/malformed-missing-comma.json");
    let (code, transcript) = run(
        &["validate", "--format", "json", &valid, &optype, &malformed],
        b"",
    );
    assert_eq!(code, 1, "{transcript}");
    let stdout = transcript
        .split("--- stdout\n")
        .nth(1)
        .unwrap()
        .split("--- stderr")
        .next()
        .unwrap();
    for line in stdout.lines() {
        let report: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(
            report["valid"].is_boolean() && report["errors"].is_array(),
            "{line}"
        );
    }
    insta::assert_snapshot!(transcript);
}

#[test]
fn strict_mode_reports_unknown_fields() {
    let path = format!("{CASES}/strict-invalid/unknown-fields.json");
    let (lenient, _) = run(&["validate", &path], b"");
    assert_eq!(lenient, 0);
    let (code, transcript) = run(&["validate", "--strict", &path], b"");
    assert_eq!(code, 1, "{transcript}");
    insta::assert_snapshot!(transcript);
}

#[test]
fn stdin_is_read_with_a_dash_and_comments_need_jsonc() {
    let sample = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(SAMPLES)
            .join("request.jsonc"),
    )
    .unwrap();
    let (code, plain) = run(&["validate", "-"], &sample);
    assert_eq!(
        code, 1,
        "comments are a syntax error in plain JSON: {plain}"
    );
    let (code, transcript) = run(&["validate", "--jsonc", "-"], &sample);
    assert_eq!(code, 0, "{transcript}");
    insta::assert_snapshot!(format!("{plain}\n{transcript}"));
}

#[test]
fn unreadable_inputs_exit_2_and_the_others_are_still_checked() {
    let valid = format!("{SAMPLES}/request.jsonc");
    let optype = format!("{CASES}/invalid/optype-7.json");
    let (code, transcript) = run(
        &["validate", "no/such/file.json", &valid, "schemas", &optype],
        b"",
    );
    assert_eq!(code, 2, "{transcript}");
    insta::assert_snapshot!(transcript);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["validate"][..],
        &["validate", "--format", "xml", "x.json"],
        &["validate", "--response", "Live.Nope", "x"],
    ] {
        let (code, transcript) = run(args, b"");
        assert_eq!(code, 2, "{transcript}");
    }
}

/// The documentation samples with `role`, grouped by command word: each sample as printed, or
/// its corrected copy when it has one (paths relative to the repository root).
fn documentation_samples(role: Role) -> Vec<(String, Vec<String>)> {
    let mut grouped: Vec<(String, Vec<String>)> = Vec::new();
    for sample in trtc_live_tests::documentation_samples() {
        if sample.role != role {
            continue;
        }
        let command = sample.command.as_str().to_owned();
        match grouped.last_mut() {
            Some((last, paths)) if *last == command => paths.push(sample.relative_path()),
            _ => grouped.push((command, vec![sample.relative_path()])),
        }
    }
    grouped
}

#[test]
fn every_request_sample_of_the_18_webhooks_is_valid() {
    let samples = documentation_samples(Role::Request);
    assert_eq!(samples.len(), 18);
    let mut args = vec!["validate"];
    for (_, paths) in &samples {
        assert!(!paths.is_empty());
        args.extend(paths.iter().map(String::as_str));
    }
    let (code, transcript) = run(&args, b"");
    assert_eq!(code, 0, "{transcript}");
    insta::assert_snapshot!(transcript);
}

#[test]
fn every_response_sample_is_valid_with_response() {
    let mut transcripts = String::new();
    for (command, paths) in documentation_samples(Role::Response) {
        let mut args = vec!["validate", "--response", command.as_str()];
        args.extend(paths.iter().map(String::as_str));
        let (code, transcript) = run(&args, b"");
        assert_eq!(code, 0, "{transcript}");
        transcripts.push_str(&transcript);
    }
    insta::assert_snapshot!(transcripts);
}

#[test]
fn samples_unreadable_as_printed_are_reported_where_they_break() {
    let (code, transcript) = run(
        &[
            "validate",
            "schemas/Live.CallbackAfterUpdateRoomInfo/samples/request.jsonc",
            "schemas/Mic.CallbackAfterSeatInfoChanged/samples/request.jsonc",
            "schemas/Live.CallbackAfterStartBattle/samples/request.jsonc",
            "schemas/Live.CallbackAfterDestroyRoom/samples/request.older-revision.jsonc",
        ],
        b"",
    );
    assert_eq!(code, 1, "{transcript}");
    insta::assert_snapshot!(transcript);
}

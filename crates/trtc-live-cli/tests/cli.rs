//! The real `trtc-live` binary, driven like a user would, with snapshots of what it prints.

mod common;

use common::{json_lines, run, FIXTURES};
use trtc_live_tests::Role;

const SAMPLES: &str = "schemas/Live.CallbackAfterEndBattle/samples";
const CASES: &str = "tests/cases/Live.CallbackAfterEndBattle";

#[test]
fn the_reference_samples_are_valid() {
    let request = format!("{SAMPLES}/request.jsonc");
    let seed = format!("{SAMPLES}/request.seed-page.jsonc");
    let common::Run {
        code, transcript, ..
    } = run(&["validate", &request, &seed], b"");
    assert_eq!(code, 0, "{transcript}");
    insta::assert_snapshot!(transcript);
}

#[test]
fn response_samples_are_valid_with_response() {
    let response = format!("{SAMPLES}/response.jsonc");
    let common::Run {
        code, transcript, ..
    } = run(
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
        "optype-negative",
        "several-errors",
        "malformed-missing-comma",
        "callbackcommand-wrong",
    ]
    .iter()
    .map(|name| format!("{CASES}/invalid/{name}.json"))
    .collect();
    let mut args = vec!["validate"];
    args.extend(paths.iter().map(String::as_str));
    let common::Run {
        code, transcript, ..
    } = run(&args, b"");
    assert_eq!(code, 1, "{transcript}");
    insta::assert_snapshot!(transcript);
}

#[test]
fn json_format_prints_one_object_per_packet() {
    let valid = format!("{SAMPLES}/request.jsonc");
    let optype = format!("{CASES}/invalid/optype-negative.json");
    let malformed = format!("{CASES}/invalid/malformed-missing-comma.json");
    let common::Run {
        code,
        stdout,
        transcript,
        ..
    } = run(
        &["validate", "--format", "json", &valid, &optype, &malformed],
        b"",
    );
    assert_eq!(code, 1, "{transcript}");
    for report in json_lines(&stdout) {
        assert!(
            report["valid"].is_boolean()
                && report["errors"].is_array()
                && report["warnings"].is_array(),
            "{report}"
        );
        assert!(
            report.get("line").is_none(),
            "only NDJSON packets have a line: {report}"
        );
    }
    insta::assert_snapshot!(transcript);
}

#[test]
fn strict_mode_reports_unknown_fields() {
    let path = format!("{CASES}/strict-invalid/unknown-fields.json");
    let lenient = run(&["validate", &path], b"").code;
    assert_eq!(lenient, 0);
    let common::Run {
        code, transcript, ..
    } = run(&["validate", "--strict", &path], b"");
    assert_eq!(code, 1, "{transcript}");
    insta::assert_snapshot!(transcript);
}

#[test]
fn stdin_is_read_with_a_dash_and_comments_need_jsonc() {
    let sample = std::fs::read(common::repo_root().join(SAMPLES).join("request.jsonc")).unwrap();
    let common::Run {
        code,
        transcript: plain,
        ..
    } = run(&["validate", "-"], &sample);
    assert_eq!(
        code, 1,
        "comments are a syntax error in plain JSON: {plain}"
    );
    let common::Run {
        code, transcript, ..
    } = run(&["validate", "--jsonc", "-"], &sample);
    assert_eq!(code, 0, "{transcript}");
    insta::assert_snapshot!(format!("{plain}\n{transcript}"));
}

#[test]
fn unreadable_inputs_exit_2_and_the_others_are_still_checked() {
    let valid = format!("{SAMPLES}/request.jsonc");
    let optype = format!("{CASES}/invalid/optype-negative.json");
    let common::Run {
        code, transcript, ..
    } = run(
        &[
            "validate",
            "no/such/file.json",
            &valid,
            "crates/trtc-live-cli/src",
            &optype,
        ],
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
        let common::Run {
            code, transcript, ..
        } = run(args, b"");
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
    let common::Run {
        code, transcript, ..
    } = run(&args, b"");
    assert_eq!(code, 0, "{transcript}");
    insta::assert_snapshot!(transcript);
}

#[test]
fn every_response_sample_is_valid_with_response() {
    let mut transcripts = String::new();
    for (command, paths) in documentation_samples(Role::Response) {
        let mut args = vec!["validate", "--response", command.as_str()];
        args.extend(paths.iter().map(String::as_str));
        let common::Run {
            code, transcript, ..
        } = run(&args, b"");
        assert_eq!(code, 0, "{transcript}");
        transcripts.push_str(&transcript);
    }
    insta::assert_snapshot!(transcripts);
}

#[test]
fn samples_unreadable_as_printed_are_reported_where_they_break() {
    let common::Run {
        code, transcript, ..
    } = run(
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

#[test]
fn directories_are_searched_recursively_for_packet_files() {
    let archive = format!("{FIXTURES}/archive");
    let common::Run {
        code, transcript, ..
    } = run(&["validate", &archive], b"");
    assert_eq!(code, 1, "{transcript}");
    // Name order, *.txt skipped, NDJSON files one packet per line (blank lines skipped), *.jsonc
    // read with comments.
    let places: Vec<&str> = transcript
        .lines()
        .filter_map(|line| line.split_once(": ").map(|(place, _)| place))
        .filter(|place| place.starts_with(FIXTURES))
        .collect();
    let archive_file = |name: &str| format!("{archive}/{name}");
    assert_eq!(
        places,
        [
            archive_file("2026-11-24/battles.ndjson:1"),
            archive_file("2026-11-24/battles.ndjson:3"),
            archive_file("2026-11-24/battles.ndjson:4"),
            archive_file("2026-11-24/battles.ndjson:5"),
            archive_file("2026-11-24/battles.ndjson:6"),
            archive_file("2026-11-24/battles.ndjson:7"),
            archive_file("2026-11-24/end-battle.json"),
            archive_file("nested/deeper/gifts.jsonl:1"),
            archive_file("nested/deeper/gifts.jsonl:2"),
            archive_file("samples/end-battle.jsonc"),
        ]
    );
    insta::assert_snapshot!(transcript);
}

#[test]
fn ndjson_reports_in_json_carry_the_line_of_each_packet() {
    let battles = format!("{FIXTURES}/archive/2026-11-24/battles.ndjson");
    let common::Run {
        code,
        stdout,
        stderr,
        transcript,
    } = run(&["validate", "--format", "json", &battles], b"");
    assert_eq!(code, 1, "{transcript}");
    let reports = json_lines(&stdout);
    let lines: Vec<u64> = reports
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 3, 4, 5, 6, 7]);
    for report in &reports {
        for error in report["errors"].as_array().unwrap() {
            assert_eq!(
                error["line"], report["line"],
                "errors are placed on the packet's line"
            );
        }
    }
    assert_eq!(
        stderr, "3 valid, 2 invalid, 1 malformed, 0 unreadable (2 warnings)\n",
        "the summary goes to stderr, so stdout stays JSON lines"
    );
    insta::assert_snapshot!(transcript);
}

#[test]
fn semantic_warnings_keep_the_verdict_unless_denied() {
    let cases = "tests/cases/Live.CallbackAfterEndBattle/semantic-warning";
    let order = format!("{cases}/battle-time-order.time-up-ended-before-started.json");
    let window =
        format!("{cases}/battle-duration-window.one-millisecond-beyond-the-tolerance.json");
    let allowed = run(&["validate", &order, &window], b"");
    assert_eq!(allowed.code, 0, "{}", allowed.transcript);
    let denied = run(
        &[
            "validate",
            "--deny-warnings",
            "--format",
            "json",
            &order,
            &window,
        ],
        b"",
    );
    assert_eq!(denied.code, 1, "{}", denied.transcript);
    for report in json_lines(&denied.stdout) {
        assert_eq!(report["valid"], false, "{report}");
        assert_eq!(report["warnings"][0]["kind"], "semantic", "{report}");
    }
    insta::assert_snapshot!(format!("{}\n{}", allowed.transcript, denied.transcript));
}

#[test]
fn help_names_every_semantic_check() {
    let help = run(&["validate", "--help"], b"");
    assert_eq!(help.code, 0, "{}", help.transcript);
    for check in trtc_live_validate::SEMANTIC_CHECKS {
        assert!(
            help.stdout.contains(check.name),
            "{} missing from:\n{}",
            check.name,
            help.stdout
        );
    }
    insta::assert_snapshot!(help.stdout);
}

#[test]
fn colors_are_used_only_when_asked_or_on_a_terminal() {
    let optype = format!("{CASES}/invalid/optype-negative.json");
    let plain = run(&["validate", &optype], b"");
    assert!(
        !plain.stdout.contains('\u{1b}'),
        "piped output is plain: {}",
        plain.stdout
    );
    let colored = run(&["validate", "--color", "always", &optype], b"");
    assert!(colored.stdout.contains("\u{1b}["), "{}", colored.stdout);
    let stripped = strip_ansi(&colored.stdout);
    assert_eq!(stripped, plain.stdout, "colors change nothing else");
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn a_long_ndjson_stream_is_reported_in_input_order() {
    let valid = std::fs::read_to_string(
        common::repo_root()
            .join(CASES)
            .join("valid/owner-account-u64-max.json"),
    )
    .unwrap();
    let valid: serde_json::Value = serde_json::from_str(&valid).unwrap();
    let valid = serde_json::to_string(&valid).unwrap();
    let invalid = valid.replace("\"OpType\":0", "\"OpType\":\"0\"");
    assert_ne!(valid, invalid);
    // Every 7th packet is invalid: enough packets for several windows spread over threads.
    let count = 20_000;
    let mut input = String::new();
    for i in 0..count {
        input.push_str(if i % 7 == 3 { &invalid } else { &valid });
        input.push('\n');
    }
    let out = run(
        &["validate", "--ndjson", "--format", "json", "-"],
        input.as_bytes(),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let reports = json_lines(&out.stdout);
    assert_eq!(reports.len(), count);
    for (i, report) in reports.iter().enumerate() {
        assert_eq!(report["line"], i + 1);
        assert_eq!(report["valid"], i % 7 != 3, "line {}", i + 1);
    }
    let invalid_count = (0..count).filter(|i| i % 7 == 3).count();
    assert_eq!(
        out.stderr,
        format!(
            "{} valid, {invalid_count} invalid, 0 malformed, 0 unreadable\n",
            count - invalid_count
        )
    );
}

//! Adversarial JSON through `trtc-live validate`: a file, `--jsonc`, `--ndjson` and standard
//! input. Each packet gets one error of the right kind at the right line and column, the run
//! goes on, and nothing panics or overflows the stack (the library's tests, in
//! `tests/tests/adversarial/`, take every input class through every library entry point).

mod common;

use std::path::Path;

use common::{json_lines, run, run_in};

/// A valid `Live.CallbackBeforeSendGift` packet on one line.
const GIFT: &str = r#"{"CallbackCommand": "Live.CallbackBeforeSendGift", "Operator_Account": "brennanli", "RoomId": "room_id", "GiftWater": {"From_Account": "from", "To_Account": ["to1"], "Time": 1703589922, "GiftId": "gift1", "Count": 1, "Coins": 1000}}"#;

const DEPTH: usize = 100_000;

fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn write(directory: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(directory.join(name), bytes).unwrap();
}

/// The first error of each reported packet: (line of the packet, kind, message, line, column).
fn first_errors(stdout: &str) -> Vec<(u64, String, String, u64, u64)> {
    json_lines(stdout)
        .iter()
        .map(|packet| {
            let error = &packet["errors"][0];
            let text = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_owned();
            (
                packet["line"].as_u64().unwrap_or(0),
                text(&error["kind"]),
                text(&error["message"]),
                error["line"].as_u64().unwrap_or(0),
                error["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn nesting_100000_deep_is_a_located_syntax_error_in_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    let deep = nested_arrays(DEPTH);
    write(dir.path(), "deep.json", deep.as_bytes());
    write(
        dir.path(),
        "deep.jsonc",
        format!("// a comment\n{deep}").as_bytes(),
    );
    let expected = |line| {
        vec![(
            0,
            "syntax".to_owned(),
            "recursion limit exceeded".to_owned(),
            line,
            128,
        )]
    };
    let file = run_in(
        dir.path(),
        &["validate", "--format", "json", "deep.json"],
        b"",
    );
    assert_eq!(file.code, 1, "{}", file.transcript);
    assert_eq!(first_errors(&file.stdout), expected(1));
    let jsonc = run_in(
        dir.path(),
        &["validate", "--jsonc", "--format", "json", "deep.jsonc"],
        b"",
    );
    assert_eq!(first_errors(&jsonc.stdout), expected(2));
    let stdin = run(&["validate", "--format", "json", "-"], deep.as_bytes());
    assert_eq!(first_errors(&stdin.stdout), expected(1));
    // The human report shows the place, on one line cut around it.
    let human = run_in(dir.path(), &["validate", "deep.json"], b"");
    assert!(
        human
            .stdout
            .contains("error[syntax]: recursion limit exceeded\n --> deep.json:1:128\n"),
        "{}",
        human.transcript
    );
    assert!(
        human.stdout.lines().all(|line| line.len() < 200),
        "{}",
        human.transcript
    );
}

#[test]
fn every_input_class_on_its_own_ndjson_line() {
    let surrogate = GIFT.replace("brennanli", r"\ud800");
    let lines: Vec<Vec<u8>> = vec![
        GIFT.into(),
        nested_arrays(DEPTH).into(),
        "{\"a\":".repeat(DEPTH).into(),
        GIFT.replace("brennanli", "bren\u{1}nanli")
            .bytes()
            .map(|b| if b == 1 { 0xFF } else { b })
            .collect(),
        surrogate.into(),
        GIFT.replace("brennanli", "bren\0nanli").into(),
        GIFT.replace("brennanli", r"bren\u0000nanli").into(),
        format!("\u{feff}{GIFT}").into(),
        format!("{GIFT}x").into(),
        format!("{GIFT} {{}}").into(),
        GIFT.replace("\"Count\": 1", "\"Count\": 1e400").into(),
        GIFT.replace("\"Count\": 1", "\"Count\": -0").into(),
        GIFT.replace("\"brennanli\"", "18446744073709551616").into(),
        GIFT.replace("\"brennanli\"", "18446744073709551615").into(),
        GIFT.replace(
            "\"RoomId\"",
            "\"CallbackCommand\": \"Live.CallbackAfterEndBattle\", \"RoomId\"",
        )
        .into(),
        format!("{GIFT} \t\r").into(),
    ];
    let input = lines.join(&b'\n');
    let output = run(&["validate", "--ndjson", "--format", "json", "-"], &input);
    assert_eq!(output.code, 1, "{}", output.transcript);
    let account = GIFT.find("brennanli").unwrap() as u64;
    let end = GIFT.len() as u64;
    let row = |line, kind: &str, message: &str, column| {
        (line, kind.to_owned(), message.to_owned(), line, column)
    };
    let valid = |line| (line, String::new(), String::new(), 0, 0);
    let expected = vec![
        valid(1),
        row(2, "syntax", "recursion limit exceeded", 128),
        row(3, "syntax", "recursion limit exceeded", 636),
        row(
            4,
            "syntax",
            "byte 0xFF is not UTF-8 (JSON text must be UTF-8)",
            account + 5,
        ),
        row(5, "syntax", "unexpected end of hex escape", account + 7),
        row(
            6,
            "syntax",
            "control character (\\u0000-\\u001F) found while parsing a string",
            account + 5,
        ),
        valid(7),
        row(
            8,
            "syntax",
            "the text starts with a byte order mark, which JSON does not allow (RFC 8259, section 8.1)",
            1,
        ),
        row(9, "syntax", "trailing characters", end + 1),
        row(10, "syntax", "trailing characters", end + 2),
        row(11, "syntax", "number out of range", 219),
        row(
            12,
            "decode",
            "invalid type: floating point `-0`, expected u64",
            215,
        ),
        row(
            13,
            "schema",
            "18446744073709551616 is greater than the maximum of 18446744073709551615",
            account,
        ),
        valid(14),
        row(15, "schema", "\"BattleId\" is a required property", 1),
        valid(16),
    ];
    assert_eq!(first_errors(&output.stdout), expected, "{}", output.stdout);
    let commands: Vec<String> = json_lines(&output.stdout)
        .iter()
        .map(|packet| packet["command"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(commands[14], "Live.CallbackAfterEndBattle", "the last one");
}

#[test]
fn a_packet_over_the_limit_is_skipped_without_being_read_into_memory() {
    // 9 MB, over the default 8 MiB limit: reported as too large, whole file or NDJSON line.
    let dir = tempfile::tempdir().unwrap();
    let huge = GIFT.replace(
        "\"RoomId\"",
        &format!("\"X\": \"{}\", \"RoomId\"", "a".repeat(9_000_000)),
    );
    write(dir.path(), "huge.json", huge.as_bytes());
    write(
        dir.path(),
        "huge.ndjson",
        format!("{huge}\n{GIFT}\n").as_bytes(),
    );
    let message = format!(
        "the packet is {} bytes, over the limit of 8388608 bytes (--max-packet-bytes); it was skipped",
        huge.len()
    );
    let output = run_in(
        dir.path(),
        &["validate", "--format", "json", "huge.json"],
        b"",
    );
    assert_eq!(
        first_errors(&output.stdout),
        [(0, "too_large".to_owned(), message.clone(), 0, 0)]
    );
    let output = run_in(
        dir.path(),
        &["validate", "--ndjson", "--format", "json", "huge.ndjson"],
        b"",
    );
    assert_eq!(
        first_errors(&output.stdout),
        [
            (1, "too_large".to_owned(), message, 1, 0),
            (2, String::new(), String::new(), 0, 0)
        ]
    );
}

#[test]
fn numbers_are_reported_as_the_packet_writes_them_in_both_reports() {
    // Numbers serde_json reads as floats (beyond 64 bits, -0, exponents, many digits), alone
    // and inside an array and an object, in a file with comments.
    let dir = tempfile::tempdir().unwrap();
    let packet = r#"{
  "CallbackCommand": "Live.CallbackBeforeSendGift",
  "Operator_Account": 18446744073709551616, // 2^64
  "RoomId": [-0, 1.50, /* a comment */ {"a": 1e2}],
  "GiftWater": {"From_Account": "from", "To_Account": ["to1"], "Time": 1703589922,
    "GiftId": "gift1", "Count": -9223372036854775809, "Coins": 0.1000000000000000055511151231257827}
}
"#;
    write(dir.path(), "numbers.jsonc", packet.as_bytes());
    let human = run_in(dir.path(), &["validate", "numbers.jsonc"], b"");
    assert_eq!(human.code, 1, "{}", human.transcript);
    let json = run_in(
        dir.path(),
        &["validate", "--format", "json", "numbers.jsonc"],
        b"",
    );
    let messages: Vec<String> = json_lines(&json.stdout)[0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        messages,
        [
            "0.1000000000000000055511151231257827 is not of type \"integer\"",
            "-9223372036854775809 is less than the minimum of 0",
            "18446744073709551616 is greater than the maximum of 18446744073709551615",
            "[-0,1.50,{\"a\":1e2}] is not of type \"string\"",
        ],
        "{}",
        json.stdout
    );
    for message in &messages {
        assert!(human.stdout.contains(message.as_str()), "{}", human.stdout);
    }
    insta::assert_snapshot!(human.transcript);
}

//! Inputs that are not packets: each gets one clear message and the right exit status, never a
//! panic, and the inputs after it are still checked.

mod common;

use std::path::Path;

use common::{json_lines, run_in};

/// A valid End Battle packet on one line.
fn valid_packet() -> String {
    let path = common::repo_root()
        .join("tests/cases/Live.CallbackAfterEndBattle/valid/owner-account-u64-max.json");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    serde_json::to_string(&value).unwrap()
}

fn write(directory: &Path, name: &str, bytes: &[u8]) {
    let path = directory.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn each_bad_input_gets_one_message_and_the_others_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let valid = valid_packet();
    write(root, "valid.json", valid.as_bytes());
    write(root, "empty.json", b"");
    write(root, "blank.ndjson", b"\n  \n");
    // "pk-é" written in Latin-1: the byte 0xE9 alone is not UTF-8.
    let latin1: Vec<u8> = valid
        .replace("pk-3", "pk-\u{1}")
        .bytes()
        .map(|b| if b == 1 { 0xE9 } else { b })
        .collect();
    write(root, "latin1.json", &latin1);
    write(root, "bom.json", format!("\u{feff}{valid}").as_bytes());
    std::fs::create_dir(root.join("nothing-here")).unwrap();
    write(root, "no-packets/README.txt", b"text");
    let run = run_in(
        root,
        &[
            "validate",
            "missing.json",
            "empty.json",
            "blank.ndjson",
            "latin1.json",
            "bom.json",
            "nothing-here",
            "no-packets",
            "valid.json",
        ],
        b"",
    );
    assert_eq!(
        run.code, 2,
        "unreadable inputs make status 2: {}",
        run.transcript
    );
    assert!(
        run.stdout.contains("valid.json: valid"),
        "{}",
        run.transcript
    );
    insta::assert_snapshot!(run.transcript);
}

#[test]
fn a_100_mb_line_is_skipped_without_being_held_and_the_next_lines_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let valid = valid_packet();
    let mut input = Vec::with_capacity(101 << 20);
    input.extend_from_slice(valid.as_bytes());
    input.extend_from_slice(b"\n{\"CallbackCommand\": \"");
    input.resize(input.len() + (100 << 20), b'a');
    input.extend_from_slice(b"\"}\n");
    input.extend_from_slice(valid.as_bytes());
    input.push(b'\n');
    write(dir.path(), "huge.ndjson", &input);
    write(dir.path(), "huge.json", &input[valid.len() + 1..]);
    let run = run_in(
        dir.path(),
        &["validate", "--format", "json", "huge.ndjson", "huge.json"],
        b"",
    );
    assert_eq!(run.code, 1, "{}", run.transcript);
    let reports = json_lines(&run.stdout);
    assert_eq!(reports.len(), 4, "{}", run.transcript);
    assert_eq!(reports[1]["errors"][0]["kind"], "too_large");
    assert_eq!(reports[3]["errors"][0]["kind"], "too_large");
    insta::assert_snapshot!(run.transcript);
}

#[test]
fn a_packet_that_is_not_an_object_or_has_no_command_is_invalid_not_a_crash() {
    let inputs = "[]\n\"text\"\n12345678901234567890123\n{}\n{\"CallbackCommand\": 7}\nnull\n";
    let run = common::run(&["validate", "--ndjson", "-"], inputs.as_bytes());
    assert_eq!(run.code, 1, "{}", run.transcript);
    insta::assert_snapshot!(run.transcript);
}

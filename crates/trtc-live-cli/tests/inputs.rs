//! How inputs are read, whatever shape they come in: NDJSON without `--ndjson`, several JSON
//! values in one input, gzip and zstd archives (recognised by their bytes, not their names).

mod common;

use std::io::Write;
use std::path::Path;

use common::{run, run_in, FIXTURES};

/// The battles of the archive fixture: NDJSON, with one packet of each outcome.
fn battles() -> Vec<u8> {
    std::fs::read(
        common::repo_root()
            .join(FIXTURES)
            .join("archive/2026-11-24/battles.ndjson"),
    )
    .unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

fn write(directory: &Path, name: &str, bytes: &[u8]) {
    let path = directory.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// What a run printed, with the source name `-` where `name` stood.
fn as_from_stdin(output: &str, name: &str) -> String {
    output.replace(name, "-")
}

#[test]
fn ndjson_from_standard_input_is_read_per_line_without_the_flag() {
    let battles = battles();
    let flagged = run(&["validate", "--ndjson", "--quiet", "-"], &battles);
    let detected = run(&["validate", "--quiet", "-"], &battles);
    assert_eq!(detected.code, 1, "{}", detected.transcript);
    assert_eq!(detected.stdout, flagged.stdout);
    assert!(
        detected.stdout.contains("-:4: malformed"),
        "{}",
        detected.stdout
    );
    insta::assert_snapshot!(detected.transcript);
}

#[test]
fn a_file_holding_ndjson_is_read_per_line_whatever_its_name() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "battles.json", &battles());
    write(dir.path(), "battles.log", &battles());
    for name in ["battles.json", "battles.log"] {
        let run = run_in(dir.path(), &["validate", "--quiet", name], b"");
        let from_stdin = common::run(&["validate", "--quiet", "-"], &battles());
        assert_eq!(
            as_from_stdin(&run.stdout, name),
            from_stdin.stdout,
            "{name}"
        );
    }
}

#[test]
fn one_packet_however_laid_out_stays_one_packet() {
    let packet = std::fs::read(
        common::repo_root()
            .join("tests/cases/Live.CallbackAfterEndBattle/valid/owner-account-u64-max.json"),
    )
    .unwrap();
    let one_line: serde_json::Value = serde_json::from_slice(&packet).unwrap();
    let one_line = format!("{one_line}\n\n");
    for text in [&packet[..], one_line.as_bytes()] {
        let run = run(&["validate", "-"], text);
        assert_eq!(run.code, 0, "{}", run.transcript);
        assert!(run.stdout.starts_with("-: valid"), "{}", run.transcript);
    }
}

#[test]
fn several_indented_values_in_one_input_get_a_hint() {
    // What `jq . archive.ndjson` prints: indented objects one after another.
    let stream = b"{\n  \"CallbackCommand\": \"Live.CallbackAfterEndBattle\"\n}\n{\n  \"CallbackCommand\": \"Live.CallbackAfterEndBattle\"\n}\n";
    let run = run(&["validate", "-"], stream);
    assert_eq!(run.code, 1, "{}", run.transcript);
    insta::assert_snapshot!(run.transcript);
}

#[test]
fn gzip_and_zstd_archives_are_read_as_their_text() {
    let battles = battles();
    let plain = run(&["validate", "--quiet", "-"], &battles).stdout;
    let dir = tempfile::tempdir().unwrap();
    let archives = [
        ("battles.ndjson.gz", gzip(&battles)),
        ("battles.ndjson.zst", zstd(&battles)),
        // Recognised by their bytes: a name without the suffix, or with a wrong one.
        ("battles-gzip.ndjson", gzip(&battles)),
        ("battles-zstd.json", zstd(&battles)),
        ("battles.ndjson.zst.gz", zstd(&battles)),
    ];
    for (name, bytes) in &archives {
        write(dir.path(), name, bytes);
        let run = run_in(dir.path(), &["validate", "--quiet", name], b"");
        assert_eq!(run.code, 1, "{}", run.transcript);
        assert_eq!(as_from_stdin(&run.stdout, name), plain, "{name}");
    }
    // From standard input too.
    let gzip_stdin = run(&["validate", "--quiet", "-"], &gzip(&battles));
    assert_eq!(gzip_stdin.stdout, plain);
    let zstd_stdin = run(&["validate", "--quiet", "-"], &zstd(&battles));
    assert_eq!(zstd_stdin.stdout, plain);
    // A file that only has the name of an archive is read as the text it is.
    write(dir.path(), "plain.ndjson.gz", &battles);
    let named = run_in(dir.path(), &["validate", "--quiet", "plain.ndjson.gz"], b"");
    assert_eq!(as_from_stdin(&named.stdout, "plain.ndjson.gz"), plain);
}

#[test]
fn a_compressed_single_packet_is_one_packet() {
    let packet = std::fs::read(
        common::repo_root().join("schemas/Live.CallbackAfterEndBattle/samples/request.jsonc"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sample.jsonc.gz", &gzip(&packet));
    let run = run_in(dir.path(), &["validate", "sample.jsonc.gz"], b"");
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert_eq!(
        run.stdout,
        "sample.jsonc.gz: valid Live.CallbackAfterEndBattle\n1 valid, 0 invalid, 0 malformed, 0 unreadable\n"
    );
}

#[test]
fn directories_are_searched_for_compressed_packet_files() {
    let battles = battles();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "archive/a/battles.ndjson.gz", &gzip(&battles));
    write(dir.path(), "archive/b/battles.jsonl.ZST", &zstd(&battles));
    write(dir.path(), "archive/c/notes.txt.gz", &gzip(b"not a packet"));
    let run = run_in(dir.path(), &["validate", "--quiet", "archive"], b"");
    assert_eq!(run.code, 1, "{}", run.transcript);
    let places: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|line| line.split_once(": ").map(|(place, _)| place))
        .filter(|place| place.starts_with("archive/"))
        .collect();
    assert_eq!(
        places,
        [
            "archive/a/battles.ndjson.gz:3",
            "archive/a/battles.ndjson.gz:4",
            "archive/a/battles.ndjson.gz:5",
            "archive/a/battles.ndjson.gz:6",
            "archive/a/battles.ndjson.gz:7",
            "archive/b/battles.jsonl.ZST:3",
            "archive/b/battles.jsonl.ZST:4",
            "archive/b/battles.jsonl.ZST:5",
            "archive/b/battles.jsonl.ZST:6",
            "archive/b/battles.jsonl.ZST:7",
        ],
        "{}",
        run.transcript
    );
}

#[test]
fn a_truncated_archive_is_reported_after_its_last_whole_line_and_the_run_goes_on() {
    let battles = battles();
    let dir = tempfile::tempdir().unwrap();
    let mut cut_gzip = gzip(&battles.repeat(2000));
    cut_gzip.truncate(cut_gzip.len() * 2 / 3);
    let mut cut_zstd = zstd(&battles.repeat(2000));
    cut_zstd.truncate(cut_zstd.len() * 2 / 3);
    write(dir.path(), "cut.ndjson.gz", &cut_gzip);
    write(dir.path(), "cut.ndjson.zst", &cut_zstd);
    write(dir.path(), "whole.ndjson.gz", &gzip(&battles));
    let run = run_in(
        dir.path(),
        &[
            "validate",
            "--quiet",
            "--format",
            "json",
            "cut.ndjson.gz",
            "cut.ndjson.zst",
            "whole.ndjson.gz",
        ],
        b"",
    );
    assert_eq!(run.code, 2, "{}", run.transcript);
    let unreadable: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.contains("cannot read"))
        .collect();
    assert_eq!(unreadable.len(), 2, "{}", run.transcript);
    for (line, name) in unreadable.iter().zip(["cut.ndjson.gz", "cut.ndjson.zst"]) {
        assert!(
            line.starts_with(&format!("{name}: cannot read after line ")),
            "{}",
            run.transcript
        );
    }
    // The archive after them is read whole.
    assert!(
        run.stdout
            .contains("\"source\":\"whole.ndjson.gz\",\"line\":7"),
        "{}",
        run.transcript
    );
}

#[test]
fn a_packet_on_a_pipe_is_reported_while_the_writer_keeps_it_open() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::time::Duration;

    let battles = battles();
    let mut lines = battles.split_inclusive(|byte| *byte == b'\n').enumerate();
    let mut child = Command::new(env!("CARGO_BIN_EXE_trtc-live"))
        .args(["validate", "--ndjson", "-"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let (said, hear) = std::sync::mpsc::channel();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let listener = std::thread::spawn(move || {
        for line in stdout.lines() {
            if said.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    // Each line is answered before the next is written, the pipe still open: nothing waits
    // for more input (or for the end) to report what was read.
    let mut reported = 0;
    while reported < 3 {
        let (index, line) = lines.next().unwrap();
        input.write_all(line).unwrap();
        input.flush().unwrap();
        if line.trim_ascii().is_empty() {
            continue; // counted, not reported
        }
        let heading = format!("-:{}: ", index + 1);
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let said = hear.recv_timeout(left).unwrap_or_else(|_| {
                panic!("line {} not reported while the pipe is open", index + 1)
            });
            if said.starts_with(&heading) {
                break;
            }
        }
        reported += 1;
    }
    drop(input);
    let status = child.wait().unwrap();
    listener.join().unwrap();
    // 1: the fixture's outcomes include invalid packets; not 2, a failure to read.
    assert!(matches!(status.code(), Some(0 | 1)), "{status}");
}

#[test]
fn a_large_input_gets_the_same_verdicts_from_a_pipe_as_from_a_file() {
    // Enough lines for many windows, with the invalid and malformed lines of the fixture among
    // them: read from a pipe a writer keeps full, and from a file.
    let battles = battles();
    let mut archive = Vec::new();
    while archive.len() < 8 << 20 {
        archive.extend_from_slice(&battles);
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "battles.ndjson", &archive);
    let from_file = run_in(
        dir.path(),
        &["validate", "--ndjson", "--format", "json", "battles.ndjson"],
        b"",
    );
    let from_pipe = run(&["validate", "--ndjson", "--format", "json", "-"], &archive);
    assert_eq!(from_pipe.code, from_file.code);
    assert_eq!(
        from_pipe.stdout,
        as_from_stdin(&from_file.stdout, "battles.ndjson")
    );
}

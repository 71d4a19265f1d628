//! Running the real `trtc-live` binary like a user would, and recording what it prints.

#![allow(dead_code)] // Each test binary uses its own part of these helpers.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub mod app;
pub mod certificates;
pub mod serve;

/// The repository root (tests run the binary from there, so paths in reports are short).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Fixtures of the CLI tests, relative to the repository root.
pub const FIXTURES: &str = "crates/trtc-live-cli/tests/fixtures";

/// What one run printed.
pub struct Run {
    /// Exit status.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// `$ trtc-live ARGS`, the status and both streams, for snapshots.
    pub transcript: String,
}

/// Runs `trtc-live ARGS` from the repository root with `NO_COLOR` set, feeding `stdin`.
pub fn run(args: &[&str], stdin: &[u8]) -> Run {
    run_in(&repo_root(), args, stdin)
}

/// Runs `trtc-live ARGS` from `directory` with `NO_COLOR` set, feeding `stdin`.
pub fn run_in(directory: &Path, args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trtc-live"))
        .args(args)
        .current_dir(directory)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    // Fed from a thread: a large input must not block while the binary fills its stdout.
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    let code = output.status.code().expect("exited normally");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let transcript = format!(
        "$ trtc-live {}\nexit status: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        args.join(" "),
    );
    Run {
        code,
        stdout,
        stderr,
        transcript,
    }
}

/// Each line of `--format json` output, parsed.
pub fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

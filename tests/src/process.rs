//! Running the tools of the cross-language tests (npm, Node, Python, cargo): a command to its
//! end with what it printed, and a program given its standard input.

use std::process::{Command, Output, Stdio};

/// Runs `command` (no standard input) to its end: its output, or what failed, with everything
/// it printed.
pub fn checked(command: &mut Command) -> Result<Output, String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{command:?}: {e}"))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(format!(
            "{command:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Runs `command` with `stdin` as its input and collects what it prints.
pub fn run_with_input(command: &mut Command, stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    let mut input = child.stdin.take().expect("piped");
    let stdin = stdin.to_vec();
    // Written from a thread: a program may print before it has read everything.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().expect("the program ends");
    writer.join().expect("the writer ends");
    output
}

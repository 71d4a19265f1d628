//! A real `trtc-live serve` process on a free loopback port, for the tests that talk to it.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

/// The application id every serve test uses.
pub const SDK_APP_ID: &str = "1400000000";

/// What a server prints, first, on standard error: `... listening on http://ADDRESS` (in the
/// JSON log format, inside the message of a JSON line).
const LISTENING: &str = "listening on http://";

/// `trtc-live serve --sdkappid SDK_APP_ID --listen 127.0.0.1:0 --token-file TOKEN_FILE`, without
/// colors and logging at `log_level`; add the test's own options, then [`ServeProcess::spawn`].
pub fn serve_command(token_file: &Path, log_level: &str) -> Command {
    let mut command = unauthenticated_serve_command(log_level);
    command.arg("--token-file").arg(token_file);
    command
}

/// `trtc-live serve --sdkappid SDK_APP_ID --listen 127.0.0.1:0`, without a token, colors, and
/// logging at `log_level`.
pub fn unauthenticated_serve_command(log_level: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trtc-live"));
    command
        .args(["serve", "--sdkappid", SDK_APP_ID, "--listen", "127.0.0.1:0"])
        .env("NO_COLOR", "1")
        .env("RUST_LOG", log_level);
    command
}

/// A running server that has said where it listens. Dropping it does not stop it: the tests
/// decide how (`Child::kill`, [`ServeProcess::terminate`]).
pub struct ServeProcess {
    /// The process.
    pub child: Child,
    /// Where it listens.
    pub address: SocketAddr,
    /// Its standard error up to and including the line that says where it listens.
    pub startup_log: String,
    /// Its whole standard error so far, appended to by a thread that drains the pipe (so that
    /// the server never blocks on a full one).
    logs: Arc<Mutex<String>>,
}

impl ServeProcess {
    /// Starts `command` (from [`serve_command`]) and waits for the line that says where it
    /// listens; panics with what it printed if it stops before.
    pub fn spawn(mut command: Command) -> Self {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let mut stderr = BufReader::new(child.stderr.take().expect("standard error is piped"));
        let mut startup_log = String::new();
        let mut line = String::new();
        let address = loop {
            line.clear();
            if stderr.read_line(&mut line).unwrap() == 0 {
                panic!("the server stopped before listening:\n{startup_log}");
            }
            startup_log.push_str(&line);
            if let Some(at) = line.find(LISTENING) {
                let rest = &line[at + LISTENING.len()..];
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '"')
                    .unwrap_or(rest.len());
                break rest[..end].parse().expect("the server prints its address");
            }
        };
        let logs = Arc::new(Mutex::new(startup_log.clone()));
        let sink = Arc::clone(&logs);
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        Self {
            child,
            address,
            startup_log,
            logs,
        }
    }

    /// `http://ADDRESS/webhook`.
    pub fn webhook_url(&self) -> String {
        format!("http://{}/webhook", self.address)
    }

    /// Everything the server printed on standard error so far.
    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    /// Sends SIGTERM (a graceful stop).
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

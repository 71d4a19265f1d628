//! The application behind the gateway in the tests: tests/gateway/app.py (a Python HTTP server
//! that checks every request's Standard Webhooks signature with the `standardwebhooks` package
//! from PyPI, pinned in tests/gateway/requirements.txt), started on loopback, killed when
//! dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::repo_root;

/// The forwarding secret every test application checks signatures with.
pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYo=";

/// The pinned Python tools, installed once per run.
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let folder = repo_root().join("crates/trtc-live-cli/tests/gateway");
            trtc_live_tests::python_tools::venv(
                &folder.join(".venv"),
                &folder.join("requirements.txt"),
                trtc_live_tests::python_tools::Dependencies::None,
            )
        })
        .as_ref()
        .unwrap_or_else(|error| panic!("the Python tools of the gateway tests: {error}"))
}

/// The application: tests/gateway/app.py, killed when dropped.
pub struct App {
    child: Child,
    /// Its URL (`http://127.0.0.1:PORT/hooks`).
    pub url: String,
    record: PathBuf,
}

impl App {
    pub fn start(dir: &Path, name: &str, port: u16, options: &[&str]) -> Self {
        let record = dir.join(format!("{name}.ndjson"));
        let mut child = Command::new(python())
            .arg(repo_root().join("crates/trtc-live-cli/tests/gateway/app.py"))
            .args(["--port", &port.to_string(), "--secret", SECRET, "--record"])
            .arg(&record)
            .args(options)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the application starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("the application said {line:?}"));
        Self {
            child,
            url: format!("{address}/hooks"),
            record,
        }
    }

    /// Every request received so far: the complete lines of the application's record (a line
    /// it is still writing, without its line break yet, is left for the next read).
    pub fn requests(&self) -> Vec<Value> {
        match std::fs::read_to_string(&self.record) {
            Ok(text) => text
                .split_inclusive('\n')
                .filter(|line| line.ends_with('\n'))
                .map(|line| serde_json::from_str(line).unwrap())
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Waits until `count` requests came (20 s at most), and returns them.
    pub fn wait_for(&self, count: usize) -> Vec<Value> {
        let started = Instant::now();
        loop {
            let requests = self.requests();
            if requests.len() >= count {
                return requests;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{} requests of {count} after 20 s",
                requests.len()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The body of a recorded request.
pub fn body(request: &Value) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(request["body"].as_str().unwrap())
        .unwrap()
}

/// A header of a recorded request.
pub fn header<'a>(request: &'a Value, name: &str) -> &'a str {
    request["headers"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name}: {request}"))
}

/// Asserts that `requests` arrived after delays of `first` seconds, then doubled each time, each
/// ±20 % (ranges that do not overlap, so each delay is longer than the one before).
pub fn assert_backoff(requests: &[Value], first: f64) {
    let arrivals: Vec<f64> = requests
        .iter()
        .map(|r| r["monotonic"].as_f64().unwrap())
        .collect();
    let gaps: Vec<f64> = arrivals.windows(2).map(|w| w[1] - w[0]).collect();
    let mut nominal = first;
    for gap in &gaps {
        assert!(*gap >= nominal * 0.8, "{gaps:?}");
        nominal *= 2.0;
    }
    assert!(gaps.windows(2).all(|w| w[0] < w[1]), "{gaps:?}");
}

//! `trtc-live send` against the Python package over loopback: the package is built and its
//! wheel installed into a new virtual environment outside the repository
//! (`trtc_live_tests::python_package`), then the README's WSGI example
//! (`packages/python/examples/wsgi_app.py`, served by the standard library's wsgiref) and the
//! ASGI application under uvicorn (pinned) receive deliveries signed by `send`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use trtc_live_tests::python_package::{build_and_install, PythonPackage};
use trtc_live_tests::repo_root;

const TOKEN: &str = "xxxxyyyy";

fn package() -> &'static PythonPackage {
    static PACKAGE: OnceLock<Result<PythonPackage, String>> = OnceLock::new();
    PACKAGE
        .get_or_init(|| build_and_install("cli"))
        .as_ref()
        .unwrap_or_else(|error| panic!("the Python package: {error}"))
}

/// A Python server on a loopback port, stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    /// Starts `script` (in the repository) with `args`; it prints `listening on URL` first.
    fn start(script: &str, args: &[&str]) -> Self {
        let mut child = package()
            .command()
            .arg(repo_root().join(script))
            .args(args)
            .env("TRTC_WEBHOOK_TOKEN", TOKEN)
            .env("PYTHONUNBUFFERED", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut first)
            .unwrap();
        let url = first
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("{script} printed {first:?}"))
            .to_owned();
        Self { child, url }
    }

    /// Stops the server and returns what it printed after its first line.
    fn stop(mut self) -> String {
        self.child.kill().unwrap();
        let mut rest = String::new();
        std::io::Read::read_to_string(self.child.stdout.as_mut().unwrap(), &mut rest).unwrap();
        self.child.wait().unwrap();
        rest
    }
}

fn send(url: &str, token: &str, what: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trtc-live"))
        .args(["send", "--url", &format!("{url}/webhook")])
        .args(["--sdkappid", "1400000000", "--token", token])
        .args(what)
        .output()
        .unwrap()
}

fn assert_sent(output: &Output, answer: &str) {
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(printed.contains(answer), "{printed}");
}

#[test]
fn the_readme_wsgi_example_receives_deliveries_signed_by_send() {
    let server = Server::start("packages/python/examples/wsgi_app.py", &["0"]);
    let sample = repo_root()
        .join("tests/cases/Live.CallbackAfterEndBattle/valid/owner-account-u64-max.json");
    let ok = r#"answer: HTTP 200 {"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
    assert_sent(&send(&server.url, TOKEN, &[sample.to_str().unwrap()]), ok);
    assert_sent(
        &send(
            &server.url,
            TOKEN,
            &["--count", "3", "Group.CallbackBeforeSendMsg"],
        ),
        ok,
    );
    let refused = send(&server.url, "wrong", &["Live.CallbackAfterEndBattle"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stdout).contains(
            r#"answer: HTTP 401 {"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"Sign does not match"}"#
        ),
        "{}",
        String::from_utf8_lossy(&refused.stdout)
    );
    let printed = server.stop();
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 4, "{printed}");
    // The file's owner, u64::MAX, exact; the refused delivery never reached the handler.
    assert!(
        lines[0].starts_with("Live.CallbackAfterEndBattle ")
            && lines[0].contains(r#""Owner_Account":18446744073709551615"#),
        "{}",
        lines[0]
    );
    assert!(lines[1..]
        .iter()
        .all(|l| l.starts_with("Group.CallbackBeforeSendMsg ")));
}

#[test]
fn the_asgi_application_under_uvicorn_answers_gift_decisions() {
    let server = Server::start("packages/python/tests/drivers/serve_asgi.py", &[]);
    // The driver rejects every gift with code 102150.
    let output = send(
        &server.url,
        TOKEN,
        &["--count", "2", "Live.CallbackBeforeSendGift"],
    );
    assert_sent(
        &output,
        r#"answer: HTTP 200 {"ActionStatus":"OK","ErrorCode":102150,"ErrorInfo":"no gifts today"}"#,
    );
    let unsigned = Command::new(env!("CARGO_BIN_EXE_trtc-live"))
        .args(["send", "--url", &format!("{}/webhook", server.url)])
        .args(["--sdkappid", "1400000001", "Live.CallbackBeforeSendGift"])
        .output()
        .unwrap();
    assert_eq!(unsigned.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unsigned.stdout).contains("HTTP 403"));
    let printed = server.stop();
    assert_eq!(printed.lines().count(), 2, "{printed}");
    assert!(Path::new(&package().wheel).exists());
}

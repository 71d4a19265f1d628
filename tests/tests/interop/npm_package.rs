//! The npm package as a user gets it (installed from its tarball into a project outside the
//! repository, `npm.rs`): its public API from ESM and from CommonJS, compiled strictly and run;
//! deliveries signed by `trtc-live send` over loopback, received by the consumer's servers built
//! on `receive` (Node's http module), on the Express adapter and on the Fastify adapter; and the
//! adapters' answers at their edges (methods, body limits, failing handlers).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output};
use std::sync::mpsc;
use std::time::Duration;

use crate::npm::trtc_live;
use crate::{consumer, scratch};

#[test]
fn the_public_api_works_from_esm() {
    let output = consumer().node("api", &[], b"");
    assert_success(&output);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "the public API (ESM) works as documented\n"
    );
}

#[test]
fn the_installed_package_carries_both_licence_texts() {
    let installed = consumer().dir.join("node_modules/trtc-live-webhooks");
    for name in ["LICENSE-MIT", "LICENSE-APACHE"] {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name);
        let shipped = std::fs::read_to_string(installed.join(name))
            .unwrap_or_else(|e| panic!("{name} not in the installed package: {e}"));
        assert_eq!(shipped, std::fs::read_to_string(root).unwrap(), "{name}");
    }
}

#[test]
fn the_public_api_works_from_commonjs() {
    let consumer = consumer();
    let output = crate::run_with_input(
        Command::new("node")
            .arg(consumer.dir.join("build/require.cjs"))
            .current_dir(&consumer.dir),
        b"",
    );
    assert_success(&output);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "the public API (CommonJS) works as documented\n"
    );
}

#[test]
fn the_adapters_answer_methods_limits_and_failing_handlers_as_the_table_says() {
    let output = consumer().node("adapters", &[], b"");
    assert_success(&output);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "the adapters answer every case as the receiver's table says\n"
    );
}

/// Our application and its token.
const SDK_APP_ID: &str = "1400000000";
const TOKEN: &str = "a token set with Tencent";

#[test]
fn receive_on_node_http_answers_deliveries_signed_by_trtc_live_send() {
    deliveries_are_received_and_answered("node-http.js");
}

#[test]
fn the_express_adapter_answers_deliveries_signed_by_trtc_live_send() {
    deliveries_are_received_and_answered("express.js");
}

#[test]
fn the_fastify_adapter_answers_deliveries_signed_by_trtc_live_send() {
    deliveries_are_received_and_answered("fastify.js");
}

/// A consumer's server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    lines: mpsc::Receiver<String>,
}

impl Server {
    /// Starts `program` on a free port of loopback, and waits until it listens.
    fn start(program: &str) -> Self {
        let mut child = consumer().spawn(program, &[("PORT", "0"), ("TRTC_WEBHOOK_TOKEN", TOKEN)]);
        let stdout = child.stdout.take().expect("piped");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let first = lines
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("{program} did not say where it listens"));
        // `listening on { address: '127.0.0.1', family: 'IPv4', port: 1234 }` (Node) or
        // `listening on http://127.0.0.1:1234` (Fastify).
        let port = first
            .rsplit(|c: char| !c.is_ascii_digit())
            .find(|digits| !digits.is_empty())
            .and_then(|digits| digits.parse().ok())
            .unwrap_or_else(|| panic!("{program}: no port in {first:?}"));
        Self { child, port, lines }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/webhook", self.port)
    }

    /// The next line the server printed.
    fn next_line(&self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(30))
            .expect("the server printed a line")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One delivery by `trtc-live send --format json`: its report (`status`, `answer`, `valid`,
/// `verdict`) and the exit status.
fn send(server: &Server, args: &[&str], token_file: &Path) -> (serde_json::Value, Option<i32>) {
    let output = Command::new(trtc_live())
        .args(["send", "--format", "json", "--url", &server.url()])
        .args(["--sdkappid", SDK_APP_ID, "--token-file"])
        .arg(token_file)
        .args(args)
        .output()
        .expect("trtc-live send runs");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "trtc-live send {args:?}: {e}\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (report, output.status.code())
}

fn deliveries_are_received_and_answered(program: &str) {
    let token_file = scratch(&format!("npm-token-{program}"), TOKEN);
    let wrong_token_file = scratch(&format!("npm-wrong-token-{program}"), "not the token");
    let end_battle = scratch(
        &format!("npm-end-battle-{program}.json"),
        &String::from_utf8(crate::end_battle_sample()).unwrap(),
    );
    let gift = |coins: u64| {
        let text = format!(
            r#"{{"CallbackCommand": "Live.CallbackBeforeSendGift", "Operator_Account": 144115245442327522,
                "RoomId": "room-1", "GiftWater": {{"From_Account": "viewer", "To_Account": ["anchor"],
                "Time": 1703589922, "GiftId": "rose", "Count": 2, "Coins": {coins}}}}}"#
        );
        scratch(&format!("npm-gift-{coins}-{program}.json"), &text)
    };
    let server = Server::start(program);

    // Tencent's sample, its account ids beyond 2^53: received exactly.
    let (report, status) = send(&server, &[path(&end_battle)], &token_file);
    assert_eq!(
        (report["status"].as_u64(), status),
        (Some(200), Some(0)),
        "{report}"
    );
    assert_eq!(
        report["answer"],
        r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
    );
    let received = server.next_line();
    assert!(
        received.contains(r#""Owner_Account":144115245353757792"#)
            && received.contains(r#""Owner_Account":144115245442327522"#),
        "{received}"
    );

    // The gift webhook: the handler's decision, a valid answer either way.
    let (report, status) = send(&server, &[path(&gift(5000))], &token_file);
    assert_eq!(status, Some(0), "{report}");
    assert_eq!(
        report["answer"],
        r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"gift too expensive"}"#
    );
    assert!(server
        .next_line()
        .contains(r#""Operator_Account":144115245442327522"#));
    let (report, status) = send(&server, &[path(&gift(10))], &token_file);
    assert_eq!(status, Some(0), "{report}");
    assert_eq!(
        report["answer"],
        r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
    );
    server.next_line();

    // Example packets of every other kind of answer: a message, a notification.
    for command in [
        "Group.CallbackBeforeSendMsg",
        "Mic.CallbackAfterSeatInfoChanged",
    ] {
        let (report, status) = send(&server, &[command, "--seed", "7"], &token_file);
        assert_eq!(
            (report["valid"].as_bool(), status),
            (Some(true), Some(0)),
            "{report}"
        );
        assert!(server.next_line().contains(command));
    }

    // Refusals, answered as the Rust receiver answers them; the handler is not called.
    let (report, status) = send(&server, &[path(&end_battle)], &wrong_token_file);
    assert_eq!(status, Some(1));
    assert_eq!(report["status"], 401, "{report}");
    assert_eq!(
        report["answer"],
        r#"{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"Sign does not match"}"#
    );
    let (report, _) = send(
        &server,
        &["--request-time", "1669872112", path(&end_battle)],
        &token_file,
    );
    assert_eq!(report["status"], 401, "{report}");
    assert_eq!(
        report["answer"],
        r#"{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"RequestTime too old"}"#
    );
    let (report, _) = send(
        &server,
        &[
            "--callback-command",
            "Live.CallbackAfterStartBattle",
            path(&end_battle),
        ],
        &token_file,
    );
    assert_eq!(report["status"], 400, "{report}");
    assert_eq!(
        report["answer"],
        r#"{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"CallbackCommand differs between URL and body"}"#
    );
    // Nothing more was delivered to the handler.
    assert!(server.lines.try_recv().is_err());
}

fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

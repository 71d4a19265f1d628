//! `trtc-live send` against `trtc-live serve`, over real HTTP on loopback: every command
//! accepted and journaled byte for byte, every rejection answered as documented, nothing
//! acknowledged ever missing from the journal.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use common::serve::{serve_command, ServeProcess, SDK_APP_ID};
use common::{json_lines, run};
use trtc_live_examples::ExampleGenerator;
use trtc_live_receiver::axum::webhook_router;
use trtc_live_receiver::{Answer, Delivery, Receiver, ReceiverConfig, Token, Webhook};
use trtc_live_validate::Command;

const TOKEN: &str = "xxxxyyyy-test-token";

/// A running `trtc-live serve`, killed when dropped.
struct Server {
    process: ServeProcess,
    url: String,
    dir: tempfile::TempDir,
}

impl Server {
    /// Starts a server with a token, on a free loopback port, journaling into a fresh directory
    /// (unless `extra` has `--no-journal`).
    fn start(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let token_file = dir.path().join("token");
        std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
        let mut command = serve_command(&token_file, "info");
        if !extra.contains(&"--no-journal") {
            command.arg("--journal").arg(dir.path().join("journal"));
        }
        command.args(extra);
        let process = ServeProcess::spawn(command);
        Self {
            url: process.webhook_url(),
            process,
            dir,
        }
    }

    fn journal(&self, name: &str) -> PathBuf {
        self.dir.path().join("journal").join(name)
    }

    /// Every record of a journal file, parsed.
    fn records(&self, name: &str) -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(self.journal(name)).unwrap();
        text.lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    /// Stops the server with SIGTERM and returns its exit status and logs.
    fn stop(mut self) -> (i32, String) {
        self.process.terminate();
        let status = self.process.child.wait().unwrap();
        // The drain thread ends with the pipe; give it a moment to copy the last lines.
        std::thread::sleep(std::time::Duration::from_millis(100));
        (status.code().unwrap_or(-1), self.process.logs())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.child.kill();
        let _ = self.process.child.wait();
    }
}

/// `trtc-live send --url URL --format json ARGS`: exit status, the reports, the transcript.
fn send(url: &str, args: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let mut all = vec!["send", "--url", url, "--format", "json"];
    all.extend(args);
    let out = run(&all, b"");
    (out.code, json_lines(&out.stdout), out.transcript)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[test]
fn every_command_is_accepted_and_journaled_byte_for_byte() {
    let server = Server::start(&[]);
    let mut expected = Vec::new();
    for &command in Command::ALL {
        let (code, reports, transcript) = send(
            &server.url,
            &[
                "--sdkappid",
                SDK_APP_ID,
                "--token",
                TOKEN,
                "--count",
                "2",
                "--seed",
                "5",
                command.as_str(),
            ],
        );
        assert_eq!(code, 0, "{transcript}");
        assert_eq!(reports.len(), 2);
        for report in &reports {
            assert_eq!(report["status"], 200, "{report}");
            assert_eq!(report["valid"], true, "{report}");
        }
        // The same seed makes the same examples: what was sent, byte for byte.
        let mut generator = ExampleGenerator::new(5);
        for _ in 0..2 {
            let body = serde_json::to_string(&generator.request(command)).unwrap();
            expected.push((command.as_str().to_owned(), body));
        }
    }
    let journaled: Vec<(String, String)> = server
        .records("accepted.ndjson")
        .iter()
        .map(|r| {
            (
                r["command"].as_str().unwrap().to_owned(),
                r["body"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(journaled, expected);
    let first = &server.records("accepted.ndjson")[0];
    let query = first["query"].as_str().unwrap();
    assert!(
        query.contains("Sign=") && query.contains("RequestTime="),
        "{query}"
    );
    assert!(first["received_at_ms"].as_u64().unwrap() > 1_700_000_000_000);
    assert_eq!(server.records("quarantine.ndjson").len(), 0);
}

#[test]
fn each_rejection_gets_its_documented_answer_and_only_genuine_packets_are_kept() {
    let server = Server::start(&["--max-body-bytes", "2000"]);
    let dir = server.dir.path().to_path_buf();
    let end_battle = "Live.CallbackAfterEndBattle";
    let big = format!(
        "{{\"CallbackCommand\": \"{end_battle}\", \"Padding\": \"{}\"}}",
        "x".repeat(3000)
    );
    let big = write_file(&dir, "big.json", big.as_bytes());
    let malformed = write_file(
        &dir,
        "malformed.json",
        b"{\"CallbackCommand\": \"Live.CallbackAfterEndBattle\",",
    );
    let unknown = write_file(
        &dir,
        "unknown.json",
        b"{\"CallbackCommand\": \"Live.CallbackAfterNothing\"}",
    );
    let invalid = write_file(
        &dir,
        "invalid.json",
        b"{\"CallbackCommand\": \"Live.CallbackAfterEndBattle\", \"OpType\": 7}",
    );
    let stale = (now() - 120).to_string();
    let future = (now() + 120).to_string();
    let cases: Vec<(&str, Vec<&str>, u64, bool)> = vec![
        // (what, arguments, expected status, kept in quarantine)
        (
            "wrong SdkAppid",
            vec!["--sdkappid", "1400000001", "--token", TOKEN, end_battle],
            403,
            false,
        ),
        (
            "bad signature",
            vec![
                "--sdkappid",
                SDK_APP_ID,
                "--token",
                "not-the-token",
                end_battle,
            ],
            401,
            false,
        ),
        (
            "no Sign while a token is configured",
            vec!["--sdkappid", SDK_APP_ID, end_battle],
            401,
            false,
        ),
        (
            "stale RequestTime",
            vec![
                "--sdkappid",
                SDK_APP_ID,
                "--token",
                TOKEN,
                "--request-time",
                &stale,
                end_battle,
            ],
            401,
            false,
        ),
        (
            "future RequestTime",
            vec![
                "--sdkappid",
                SDK_APP_ID,
                "--token",
                TOKEN,
                "--request-time",
                &future,
                end_battle,
            ],
            401,
            false,
        ),
        (
            "oversized body",
            vec!["--sdkappid", SDK_APP_ID, "--token", TOKEN, &big],
            413,
            false,
        ),
        (
            "URL and body commands differ",
            vec![
                "--sdkappid",
                SDK_APP_ID,
                "--token",
                TOKEN,
                "--callback-command",
                "Live.CallbackAfterStartBattle",
                end_battle,
            ],
            400,
            true,
        ),
        (
            "malformed JSON",
            vec![
                "--sdkappid",
                SDK_APP_ID,
                "--token",
                TOKEN,
                "--callback-command",
                end_battle,
                &malformed,
            ],
            400,
            true,
        ),
        (
            "unknown command",
            vec!["--sdkappid", SDK_APP_ID, "--token", TOKEN, &unknown],
            400,
            true,
        ),
    ];
    let mut quarantined = 0;
    let mut answers = String::new();
    for (what, args, status, kept) in &cases {
        let (code, reports, transcript) = send(&server.url, args);
        assert_eq!(
            code, 1,
            "{what}: the receiver refuses, so send reports a failure\n{transcript}"
        );
        let report = &reports[0];
        assert_eq!(report["status"], *status, "{what}: {report}");
        let answer: serde_json::Value = serde_json::from_str(report["answer"].as_str().unwrap())
            .unwrap_or_else(|_| panic!("{what}: the answer is JSON: {report}"));
        assert_eq!(answer["ActionStatus"], "FAIL", "{what}: {answer}");
        answers.push_str(&format!("{what}: HTTP {status} {answer}\n"));
        if *kept {
            quarantined += 1;
        }
        assert_eq!(
            server.records("quarantine.ndjson").len(),
            quarantined,
            "{what}"
        );
        assert_eq!(server.records("accepted.ndjson").len(), 0, "{what}");
    }
    // An authenticated packet that fails its schema: quarantined, answered per the table.
    let (_, reports, transcript) = send(
        &server.url,
        &["--sdkappid", SDK_APP_ID, "--token", TOKEN, &invalid],
    );
    let report = &reports[0];
    answers.push_str(&format!(
        "schema violation: HTTP {} {}\n",
        report["status"],
        report["answer"].as_str().unwrap()
    ));
    assert_eq!(
        server.records("quarantine.ndjson").len(),
        quarantined + 1,
        "{transcript}"
    );
    let kept = server.records("quarantine.ndjson");
    assert!(kept.iter().all(|r| r["reason"].is_string()));
    insta::assert_snapshot!(answers);
}

#[test]
fn before_webhooks_are_let_through() {
    let server = Server::start(&[]);
    for command in ["Live.CallbackBeforeSendGift", "Group.CallbackBeforeSendMsg"] {
        let (code, reports, transcript) = send(
            &server.url,
            &["--sdkappid", SDK_APP_ID, "--token", TOKEN, command],
        );
        assert_eq!(code, 0, "{transcript}");
        let answer: serde_json::Value =
            serde_json::from_str(reports[0]["answer"].as_str().unwrap()).unwrap();
        assert_eq!(answer["ErrorCode"], 0, "{command} is let through: {answer}");
    }
}

#[test]
fn parallel_senders_every_acknowledged_delivery_is_journaled_exactly_once() {
    let server = Server::start(&[]);
    let senders = 8;
    let per_sender = 25;
    let handles: Vec<_> = (0..senders)
        .map(|i| {
            let url = server.url.clone();
            std::thread::spawn(move || {
                let seed = (100 + i).to_string();
                let count = per_sender.to_string();
                let command = Command::ALL[i % Command::ALL.len()].as_str();
                send(
                    &url,
                    &[
                        "--sdkappid",
                        SDK_APP_ID,
                        "--token",
                        TOKEN,
                        "--count",
                        &count,
                        "--seed",
                        &seed,
                        command,
                    ],
                )
            })
        })
        .collect();
    let mut sent: HashMap<String, usize> = HashMap::new();
    for (i, handle) in handles.into_iter().enumerate() {
        let (code, reports, transcript) = handle.join().unwrap();
        assert_eq!(code, 0, "{transcript}");
        assert_eq!(reports.len(), per_sender);
        let command = Command::ALL[i % Command::ALL.len()];
        let mut generator = ExampleGenerator::new(100 + i as u64);
        for _ in 0..per_sender {
            let body = serde_json::to_string(&generator.request(command)).unwrap();
            *sent.entry(body).or_default() += 1;
        }
    }
    let mut journaled: HashMap<String, usize> = HashMap::new();
    for record in server.records("accepted.ndjson") {
        *journaled
            .entry(record["body"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert_eq!(journaled.values().sum::<usize>(), senders * per_sender);
    assert_eq!(
        journaled, sent,
        "every acknowledged delivery exactly once, nothing else"
    );
    // At shutdown, the server says how many records its fsyncs covered.
    let (status, logs) = server.stop();
    assert_eq!(status, 0, "{logs}");
    let (durable, fsyncs) = journal_stats(&logs, "accepted.ndjson");
    assert_eq!(durable, (senders * per_sender) as u64, "{logs}");
    assert!(fsyncs >= 1 && fsyncs <= durable, "{logs}");
    assert_eq!(journal_stats(&logs, "quarantine.ndjson"), (0, 0), "{logs}");
}

/// The records and fsyncs of the journal `name`, from the line the server writes at shutdown:
/// `trtc-live serve: journal PATH: N records durable in M fsyncs (...), K refused`.
fn journal_stats(logs: &str, name: &str) -> (u64, u64) {
    let line = logs
        .lines()
        .find(|line| line.starts_with("trtc-live serve: journal ") && line.contains(name))
        .unwrap_or_else(|| panic!("no statistics for {name}:\n{logs}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words
        .iter()
        .position(|&w| w == "records")
        .unwrap_or_else(|| panic!("{line}"));
    assert_eq!(words[at + 1..at + 3], ["durable", "in"], "{line}");
    assert_eq!(words[at + 4], "fsyncs", "{line}");
    (
        words[at - 1].parse().unwrap(),
        words[at + 3].parse().unwrap(),
    )
}

#[test]
fn with_no_journal_deliveries_are_checked_and_answered_but_nothing_is_kept() {
    let server = Server::start(&["--no-journal"]);
    let (code, reports, transcript) = send(
        &server.url,
        &[
            "--sdkappid",
            SDK_APP_ID,
            "--token",
            TOKEN,
            "--count",
            "3",
            "Live.CallbackAfterEndBattle",
        ],
    );
    assert_eq!(code, 0, "{transcript}");
    assert!(reports.iter().all(|r| r["status"] == 200), "{transcript}");
    // The checks are the same: a wrong signature, an invalid packet are refused as usual.
    let (_, reports, _) = send(
        &server.url,
        &[
            "--sdkappid",
            SDK_APP_ID,
            "--token",
            "wrong",
            "Live.CallbackAfterEndBattle",
        ],
    );
    assert_eq!(reports[0]["status"], 401);
    let invalid = write_file(
        server.dir.path(),
        "invalid.json",
        b"{\"CallbackCommand\": \"Live.CallbackAfterEndBattle\", \"OpType\": 7}",
    );
    let (_, reports, _) = send(
        &server.url,
        &["--sdkappid", SDK_APP_ID, "--token", TOKEN, &invalid],
    );
    assert_eq!(reports[0]["status"], 422);
    assert!(
        !server.dir.path().join("journal").exists(),
        "no journal directory"
    );
    let (status, logs) = server.stop();
    assert_eq!(status, 0, "{logs}");
    assert!(logs.contains("journal off"), "{logs}");
    assert!(!logs.contains("records durable"), "{logs}");
}

#[test]
fn no_journal_and_a_journal_directory_conflict() {
    let out = run(
        &[
            "serve",
            "--sdkappid",
            SDK_APP_ID,
            "--no-journal",
            "--journal",
            "somewhere",
        ],
        b"",
    );
    assert_eq!(out.code, 2, "{}", out.transcript);
    assert!(
        out.transcript.contains("--no-journal"),
        "{}",
        out.transcript
    );
}

#[test]
fn sigterm_stops_the_server_cleanly_and_the_token_is_never_logged() {
    let server = Server::start(&[]);
    let (code, _, transcript) = send(
        &server.url,
        &[
            "--sdkappid",
            SDK_APP_ID,
            "--token",
            TOKEN,
            "Live.CallbackAfterCreateRoom",
        ],
    );
    assert_eq!(code, 0, "{transcript}");
    let (_, _, _) = send(
        &server.url,
        &[
            "--sdkappid",
            SDK_APP_ID,
            "--token",
            "wrong",
            "Live.CallbackAfterCreateRoom",
        ],
    );
    let (status, logs) = server.stop();
    assert_eq!(status, 0, "{logs}");
    assert!(logs.contains("accepted"), "{logs}");
    assert!(logs.contains("stopped"), "{logs}");
    assert!(
        !logs.contains(TOKEN),
        "the token must never be logged:\n{logs}"
    );
}

/// The decision a test app makes, read from the packet: a gift's `GiftId`, a message's
/// `CloudCustomData`.
async fn decide(delivery: Delivery) -> Answer {
    use trtc_live_types::{
        GiftPassThroughCode, GroupCallbackBeforeSendMsgResponse as Msg,
        LiveCallbackBeforeSendGiftResponse as Gift, MsgPassThroughCode,
    };
    match &delivery.webhook {
        Webhook::LiveCallbackBeforeSendGift(gift) => {
            let decision = match gift.gift_water.gift_id.as_str() {
                "reject" => Gift::reject("not now"),
                "pass-through" => Gift::reject_with_code(
                    GiftPassThroughCode::new(102_150).unwrap(),
                    "balance too low",
                ),
                _ => Gift::allow(),
            };
            Answer::gift(gift, decision)
        }
        Webhook::GroupCallbackBeforeSendMsg(message) => {
            let decision = match message.cloud_custom_data.as_deref() {
                Some("rewrite") => Msg::send_rewritten(None, Some("rewritten".into())),
                Some("forbid") => Msg::forbid("spam"),
                Some("drop") => Msg::drop_silently(),
                Some("pass-through") => Msg::forbid_with_code(
                    MsgPassThroughCode::new(10_150).unwrap(),
                    "muted for an hour",
                ),
                _ => Msg::send(),
            };
            Answer::message(message, decision)
        }
        _ => Answer::ok(),
    }
}

#[test]
fn before_webhook_decisions_round_trip_over_http() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let config = ReceiverConfig::new(SDK_APP_ID).with_token(Token::new(TOKEN));
    let app = webhook_router::<_, _, ()>(Arc::new(Receiver::new(config).unwrap()), decide);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}/webhook", listener.local_addr().unwrap());
    runtime.spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().unwrap();
    let mut generator = ExampleGenerator::new(9);
    let mut answers = String::new();
    let cases = [
        (
            Command::LiveCallbackBeforeSendGift,
            "/GiftWater/GiftId",
            ["allow", "reject", "pass-through"].as_slice(),
        ),
        (
            Command::GroupCallbackBeforeSendMsg,
            "/CloudCustomData",
            ["send", "rewrite", "forbid", "drop", "pass-through"].as_slice(),
        ),
    ];
    for (command, pointer, decisions) in cases {
        for decision in decisions {
            let mut packet = generator.request(command);
            set(&mut packet, pointer, decision);
            let file = write_file(dir.path(), "packet.json", packet.to_string().as_bytes());
            let (code, reports, transcript) =
                send(&url, &["--sdkappid", SDK_APP_ID, "--token", TOKEN, &file]);
            assert_eq!(code, 0, "{transcript}");
            let report = &reports[0];
            answers.push_str(&format!(
                "{command} {decision}: {}\n",
                report["verdict"].as_str().unwrap()
            ));
        }
    }
    insta::assert_snapshot!(answers);
}

/// Sets the string at `pointer` (its parent object exists) to `value`.
fn set(packet: &mut serde_json::Value, pointer: &str, value: &str) {
    let (parent, name) = pointer.rsplit_once('/').unwrap();
    let parent = if parent.is_empty() {
        packet
    } else {
        packet.pointer_mut(parent).unwrap()
    };
    parent[name] = serde_json::Value::from(value);
}

#[test]
fn a_request_in_flight_at_sigterm_is_still_journaled_and_answered() {
    use std::io::{Read, Write};
    let mut server = Server::start(&[]);
    let body = serde_json::to_string(
        &ExampleGenerator::new(3).request(Command::LiveCallbackAfterEndBattle),
    )
    .unwrap();
    let request_time = now().to_string();
    let query = format!(
        "SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&contenttype=json&Sign={}&RequestTime={request_time}",
        trtc_live_receiver::sign(&Token::new(TOKEN), &request_time)
    );
    let address = server.process.address;
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let (first, second) = body.split_at(body.len() / 2);
    write!(
        stream,
        "POST /webhook?{query} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    // The request is in flight (half its body sent) when the server is told to stop.
    std::thread::sleep(std::time::Duration::from_millis(300));
    server.process.terminate();
    std::thread::sleep(std::time::Duration::from_millis(300));
    stream.write_all(second.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let status = server.process.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let records = server.records("accepted.ndjson");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["body"], body.as_str());
}

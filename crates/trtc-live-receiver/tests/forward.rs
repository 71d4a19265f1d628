//! The forwarding gateway through its public API, against an application on loopback: the
//! journal's notifications forwarded in order, byte for byte, signed; retries with growing
//! delays (the waits injected, so nothing sleeps on wall time); dead letters; a restart that
//! resumes at the saved position; the application down, then up; before-webhooks relayed or
//! answered by the fallback within the budget.

#![cfg(all(feature = "forward", feature = "server"))]

mod common;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use common::*;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use trtc_live_receiver::axum::Reply;
use trtc_live_receiver::forward::{
    Backoff, DeliveryId, ForwardSecret, ForwardTarget, Forwarder, ForwarderConfig, Gateway,
    PositionFile, Routes, Sleeper, Start,
};
use trtc_live_receiver::journal::{Journal, JournalReader, Position, Record};
use trtc_live_receiver::{Answer, InvalidBeforeWebhookPolicy};

/// One request the application received.
#[derive(Clone, Debug)]
struct Received {
    path: String,
    headers: HeaderMap,
    body: Bytes,
}

/// What the application does with the next request.
#[derive(Clone, Debug)]
enum Behaviour {
    /// Answers this status and body.
    Answer(u16, &'static str),
    /// Waits, then answers 200.
    Slow(Duration),
}

/// An application on loopback that records every request and answers per its script (200
/// once the script is spent).
struct App {
    address: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Option<oneshot::Sender<()>>,
}

impl App {
    async fn start(script: Vec<Behaviour>) -> Self {
        Self::start_on(TcpListener::bind("127.0.0.1:0").await.unwrap(), script)
    }

    fn start_on(listener: TcpListener, script: Vec<Behaviour>) -> Self {
        let address = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let (stop, stopped) = oneshot::channel::<()>();
        let (log, plan) = (Arc::clone(&received), Arc::clone(&script));
        let app = axum::Router::new().fallback(
            move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
                let (log, plan) = (Arc::clone(&log), Arc::clone(&plan));
                async move {
                    log.lock().unwrap().push(Received {
                        path: uri.path().to_owned(),
                        headers,
                        body,
                    });
                    let next = plan.lock().unwrap().pop_front();
                    match next {
                        Some(Behaviour::Answer(status, body)) => {
                            (StatusCode::from_u16(status).unwrap(), body)
                        }
                        Some(Behaviour::Slow(delay)) => {
                            tokio::time::sleep(delay).await;
                            (
                                StatusCode::OK,
                                r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#,
                            )
                        }
                        None => (
                            StatusCode::OK,
                            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#,
                        ),
                    }
                }
            },
        );
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        Self {
            address,
            received,
            stop: Some(stop),
        }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    fn url(&self) -> String {
        format!("http://{}/hooks", self.address)
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn secret() -> ForwardSecret {
    ForwardSecret::from_bytes(b"a secret of thirty-two bytes....".to_vec()).unwrap()
}

fn target(url: &str, routes: &[&str]) -> Arc<ForwardTarget> {
    let routes = Routes::new(
        url.parse().unwrap(),
        routes.iter().map(|r| r.parse().unwrap()).collect(),
    );
    Arc::new(ForwardTarget::new(routes, secret()).unwrap())
}

/// A journaled delivery of `command` whose body carries `n`.
fn record(n: u64, command: &str) -> Record {
    let body = format!("{{\"CallbackCommand\":\"{command}\",\"BattleId\":\"b-{n}\",\"Owner_Account\":144115245442327522}}");
    Record::new(
        1_764_135_600_000 + n,
        "127.0.0.1:1",
        format!("SdkAppid={SDK_APP_ID}&CallbackCommand={command}&Sign=abc&RequestTime=1764135600&ClientIP=10.1.2.3"),
        body.as_bytes(),
    )
    .with_command(command)
}

const END_BATTLE_WORD: &str = "Live.CallbackAfterEndBattle";

/// A journal directory: the accepted journal, the dead letters, the position file.
struct Files {
    dir: tempfile::TempDir,
    journal: Arc<Journal>,
    dead_letters: Arc<Journal>,
}

impl Files {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::open(dir)
    }

    fn open(dir: tempfile::TempDir) -> Self {
        let journal = Arc::new(Journal::open(&dir.path().join("accepted.ndjson")).unwrap());
        let dead_letters = Arc::new(Journal::open(&dir.path().join("dead-letter.ndjson")).unwrap());
        Self {
            dir,
            journal,
            dead_letters,
        }
    }

    fn position_file(&self) -> PositionFile {
        PositionFile::new(
            self.dir.path().join("forward.position"),
            self.journal.path(),
        )
    }

    fn forwarder(&self, target: Arc<ForwardTarget>, config: ForwarderConfig) -> (Forwarder, Start) {
        Forwarder::open(
            &self.journal,
            Arc::clone(&self.dead_letters),
            self.position_file(),
            target,
            config,
        )
        .unwrap()
    }

    async fn append(&self, records: &[Record]) {
        for record in records {
            self.journal.append(record).await.unwrap();
        }
    }
}

/// A sleeper that records each delay and waits `real` instead.
fn recording_sleeper(real: Duration) -> (Sleeper, Arc<Mutex<Vec<Duration>>>) {
    let delays = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&delays);
    let sleeper: Sleeper = Arc::new(move |delay| {
        seen.lock().unwrap().push(delay);
        Box::pin(tokio::time::sleep(real))
    });
    (sleeper, delays)
}

/// Runs `forwarder` until `done` says so (checked every 5 ms, at most 20 s), then stops it.
async fn run_until(forwarder: Forwarder, done: impl Fn() -> bool) {
    let (stop, stopped) = oneshot::channel::<()>();
    let running = tokio::spawn(forwarder.run(async {
        let _ = stopped.await;
    }));
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(20), "timed out");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let _ = stop.send(());
    running.await.unwrap().unwrap();
}

fn config() -> ForwarderConfig {
    ForwarderConfig {
        backoff: Backoff {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(60),
            jitter: 0.0,
        },
        ..ForwarderConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_are_forwarded_in_order_byte_for_byte_and_signed() {
    let app = App::start(vec![]).await;
    let files = Files::new();
    let (forwarder, start) = files.forwarder(
        target(&app.url(), &["Live.CallbackAfterCreateRoom=/rooms"]),
        config(),
    );
    assert_eq!(start, Start::New(Position::START));
    let mut records: Vec<Record> = (0..20).map(|n| record(n, END_BATTLE_WORD)).collect();
    // A before-webhook is journaled too, but forwarded while Tencent waits: passed over.
    records.insert(5, record(99, "Live.CallbackBeforeSendGift"));
    records.push(record(100, "Live.CallbackAfterCreateRoom"));
    files.append(&records).await;
    let stats = forwarder.stats();
    run_until(forwarder, || stats.snapshot().forwarded == 21).await;
    let snapshot = stats.snapshot();
    assert_eq!(
        (snapshot.forwarded, snapshot.skipped, snapshot.queued),
        (21, 1, 0)
    );
    let received = app.received();
    let forwarded: Vec<&Record> = records
        .iter()
        .filter(|r| r.command() != Some("Live.CallbackBeforeSendGift"))
        .collect();
    let now = SystemTime::now();
    for (got, sent) in received.iter().zip(&forwarded) {
        assert_eq!(
            &got.body[..],
            &*sent.body_bytes(),
            "byte for byte, in order"
        );
        let header = |name: &str| got.headers[name].to_str().unwrap().to_owned();
        let id = DeliveryId::of_record(sent);
        assert_eq!(header("webhook-id"), id.as_str());
        assert_eq!(header("trtc-command"), sent.command().unwrap());
        assert_eq!(header("trtc-attempt"), "1");
        assert_eq!(
            header("trtc-received-at"),
            sent.received_at_ms().to_string()
        );
        assert_eq!(
            header("trtc-url-parameters"),
            format!(
                "SdkAppid={SDK_APP_ID}&CallbackCommand={}&RequestTime=1764135600&ClientIP=10.1.2.3",
                sent.command().unwrap()
            )
        );
        assert_eq!(header("content-type"), "application/json");
        secret()
            .verify(
                &header("webhook-id"),
                &header("webhook-timestamp"),
                &header("webhook-signature"),
                &got.body,
                now,
                Duration::from_secs(300),
            )
            .unwrap();
    }
    assert!(received[..20].iter().all(|r| r.path == "/hooks"));
    assert_eq!(received[20].path, "/rooms", "routed");
    // The position is saved at the end of the journal.
    let saved = files.position_file().load().unwrap().unwrap();
    assert_eq!(saved.offset, files.journal.durable_length());
    assert_eq!(saved.line, 23);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_retried_with_growing_delays_then_the_delivery_is_taken() {
    let app = App::start(vec![
        Behaviour::Answer(500, "down for a moment"),
        Behaviour::Answer(503, ""),
        Behaviour::Answer(404, "no such path"),
    ])
    .await;
    let files = Files::new();
    let (forwarder, _) = files.forwarder(target(&app.url(), &[]), config());
    let (sleeper, delays) = recording_sleeper(Duration::ZERO);
    let forwarder = forwarder.sleeper(sleeper);
    let stats = forwarder.stats();
    files
        .append(&[record(1, END_BATTLE_WORD), record(2, END_BATTLE_WORD)])
        .await;
    run_until(forwarder, || stats.snapshot().forwarded == 2).await;
    assert_eq!(
        *delays.lock().unwrap(),
        vec![
            Duration::from_millis(100),
            Duration::from_millis(200),
            Duration::from_millis(400)
        ]
    );
    let received = app.received();
    let attempts: Vec<&str> = received
        .iter()
        .map(|r| r.headers["trtc-attempt"].to_str().unwrap())
        .collect();
    assert_eq!(attempts, vec!["1", "2", "3", "4", "1"]);
    // The same id every time, and the second delivery only after the first was taken.
    let ids: Vec<&str> = received
        .iter()
        .map(|r| r.headers["webhook-id"].to_str().unwrap())
        .collect();
    assert!(ids[..4].iter().all(|id| *id == ids[0]));
    assert_ne!(ids[4], ids[0]);
    let snapshot = stats.snapshot();
    assert_eq!(
        (
            snapshot.attempts,
            snapshot.failed_attempts,
            snapshot.retries,
            snapshot.forwarded
        ),
        (5, 3, 3, 2)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_that_fails_too_often_is_dead_lettered_and_the_next_goes_on() {
    let app = App::start(vec![Behaviour::Answer(500, "no"); 3]).await;
    let files = Files::new();
    let config = ForwarderConfig {
        max_attempts: 3,
        ..config()
    };
    let (forwarder, _) = files.forwarder(target(&app.url(), &[]), config);
    let (sleeper, delays) = recording_sleeper(Duration::ZERO);
    let forwarder = forwarder.sleeper(sleeper);
    let stats = forwarder.stats();
    let records = [record(1, END_BATTLE_WORD), record(2, END_BATTLE_WORD)];
    files.append(&records).await;
    run_until(forwarder, || {
        let snapshot = stats.snapshot();
        (snapshot.dead_lettered, snapshot.forwarded) == (1, 1)
    })
    .await;
    assert_eq!(
        delays.lock().unwrap().len(),
        2,
        "no wait after the last attempt"
    );
    let letters: Vec<Record> = JournalReader::open(files.dead_letters.path())
        .unwrap()
        .map(|(_, r)| r.unwrap())
        .collect();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].body_bytes(), records[0].body_bytes());
    assert_eq!(letters[0].query(), records[0].query());
    assert_eq!(
        letters[0].reason(),
        Some("not forwarded: 3 attempts failed, the last: HTTP 500 Internal Server Error: no")
    );
    assert_eq!(
        DeliveryId::of_record(&letters[0]),
        DeliveryId::of_record(&records[0])
    );
    let snapshot = stats.snapshot();
    assert_eq!(
        (snapshot.dead_lettered, snapshot.forwarded, snapshot.queued),
        (1, 1, 0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_resumes_at_the_saved_position() {
    let app = App::start(vec![]).await;
    let files = Files::new();
    let (forwarder, _) = files.forwarder(target(&app.url(), &[]), config());
    let stats = forwarder.stats();
    let first: Vec<Record> = (0..5).map(|n| record(n, END_BATTLE_WORD)).collect();
    files.append(&first).await;
    run_until(forwarder, || stats.snapshot().forwarded == 5).await;
    // Stopped; more deliveries are journaled meanwhile, then the journal is opened again, as
    // by a new process.
    let later: Vec<Record> = (5..9).map(|n| record(n, END_BATTLE_WORD)).collect();
    files.append(&later).await;
    let Files {
        dir,
        journal,
        dead_letters,
    } = files;
    drop((journal, dead_letters));
    let files = Files::open(dir);
    let (forwarder, start) = files.forwarder(target(&app.url(), &[]), config());
    assert!(
        matches!(start, Start::Resumed(p) if p.line == 6),
        "{start:?}"
    );
    let stats = forwarder.stats();
    assert_eq!(
        stats.snapshot().queued,
        4,
        "the backlog is counted at start"
    );
    run_until(forwarder, || stats.snapshot().forwarded == 4).await;
    let bodies: Vec<Bytes> = app.received().into_iter().map(|r| r.body).collect();
    let expected: Vec<Bytes> = first
        .iter()
        .chain(&later)
        .map(|r| Bytes::copy_from_slice(&r.body_bytes()))
        .collect();
    assert_eq!(bodies, expected, "each once, in order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_wait_while_the_application_is_down_then_all_arrive_in_order() {
    // A free port where nothing listens yet.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let files = Files::new();
    let config = ForwarderConfig {
        max_attempts: 1000,
        ..config()
    };
    let (forwarder, _) = files.forwarder(target(&format!("http://{address}/hooks"), &[]), config);
    let (sleeper, _) = recording_sleeper(Duration::from_millis(5));
    let forwarder = forwarder.sleeper(sleeper);
    let stats = forwarder.stats();
    let records: Vec<Record> = (0..30).map(|n| record(n, END_BATTLE_WORD)).collect();
    files.append(&records).await;
    let (stop, stopped) = oneshot::channel::<()>();
    let running = tokio::spawn(forwarder.run(async {
        let _ = stopped.await;
    }));
    while stats.snapshot().failed_attempts < 5 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(stats.snapshot().queued, 30);
    let app = App::start_on(TcpListener::bind(address).await.unwrap(), vec![]);
    let started = Instant::now();
    while stats.snapshot().forwarded < 30 {
        assert!(started.elapsed() < Duration::from_secs(20));
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let _ = stop.send(());
    running.await.unwrap().unwrap();
    let bodies: Vec<Bytes> = app.received().into_iter().map(|r| r.body).collect();
    let expected: Vec<Bytes> = records
        .iter()
        .map(|r| Bytes::copy_from_slice(&r.body_bytes()))
        .collect();
    assert_eq!(bodies, expected);
    assert_eq!(stats.snapshot().dead_lettered, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_several_in_flight_every_delivery_arrives_once() {
    let app = App::start(vec![]).await;
    let files = Files::new();
    let config = ForwarderConfig {
        concurrency: 8,
        ..config()
    };
    let (forwarder, _) = files.forwarder(target(&app.url(), &[]), config);
    let stats = forwarder.stats();
    let records: Vec<Record> = (0..200).map(|n| record(n, END_BATTLE_WORD)).collect();
    files.append(&records).await;
    run_until(forwarder, || stats.snapshot().forwarded == 200).await;
    let mut bodies: Vec<Bytes> = app.received().into_iter().map(|r| r.body).collect();
    let mut expected: Vec<Bytes> = records
        .iter()
        .map(|r| Bytes::copy_from_slice(&r.body_bytes()))
        .collect();
    bodies.sort();
    expected.sort();
    assert_eq!(bodies, expected);
    let saved = files.position_file().load().unwrap().unwrap();
    assert_eq!(saved.offset, files.journal.durable_length());
}

/// A delivery of `body` through the receiver (signed now).
fn delivery(command: &str, body: &str) -> trtc_live_receiver::Delivery {
    let now = SystemTime::now();
    let seconds = now.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    post(&receiver(), &signed_query(command, seconds), body, now).unwrap()
}

fn gateway(app: &App, budget: Duration, fallback: InvalidBeforeWebhookPolicy) -> Gateway {
    Gateway::new(target(&app.url(), &[]), Arc::clone(receiver().validator()))
        .budget(budget)
        .fallback(fallback)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_before_webhook_gets_the_applications_decision_checked() {
    let refusal = r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"too expensive"}"#;
    let app = App::start(vec![Behaviour::Answer(200, refusal)]).await;
    let gateway = gateway(
        &app,
        Duration::from_secs(1),
        InvalidBeforeWebhookPolicy::FailDelivery,
    );
    let gift = delivery("Live.CallbackBeforeSendGift", GIFT);
    let Reply::Answer(answer) = gateway.answer(&gift).await else {
        panic!("relayed")
    };
    assert!(!answer.lets_through());
    let sent: serde_json::Value = serde_json::from_slice(&answer.to_json()).unwrap();
    assert_eq!(
        sent,
        serde_json::from_str::<serde_json::Value>(refusal).unwrap()
    );
    let received = app.received();
    assert_eq!(&received[0].body[..], GIFT.as_bytes());
    assert_eq!(
        received[0].headers["webhook-id"].to_str().unwrap(),
        DeliveryId::new(SDK_APP_ID, "Live.CallbackBeforeSendGift", GIFT.as_bytes()).as_str()
    );
    // A notification is acknowledged at once and not sent (the forwarder sends it).
    let battle = delivery(END_BATTLE_WORD, END_BATTLE);
    assert_eq!(gateway.answer(&battle).await, Reply::Answer(Answer::ok()));
    assert_eq!(app.received().len(), 1);
    assert_eq!(gateway.before_webhook_counts().relayed, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_or_wrong_application_gets_the_fallbacks_answer_within_the_budget() {
    let budget = Duration::from_millis(300);
    let slow = Behaviour::Slow(Duration::from_secs(3));
    let not_an_answer = Behaviour::Answer(200, r#"{"ActionStatus":"OK","ErrorCode":"zero"}"#);
    let message = delivery("Group.CallbackBeforeSendMsg", MESSAGE);
    for (fallback, behaviour, expected) in [
        (
            InvalidBeforeWebhookPolicy::FailDelivery,
            slow.clone(),
            Some((504, "app_timeout")),
        ),
        (
            InvalidBeforeWebhookPolicy::FailDelivery,
            not_an_answer.clone(),
            Some((502, "app_invalid_answer")),
        ),
        (
            InvalidBeforeWebhookPolicy::FailDelivery,
            Behaviour::Answer(500, ""),
            Some((502, "app_error")),
        ),
        (InvalidBeforeWebhookPolicy::Allow, slow.clone(), None),
        (InvalidBeforeWebhookPolicy::Refuse, not_an_answer, None),
    ] {
        let app = App::start(vec![behaviour]).await;
        let gateway = gateway(&app, budget, fallback);
        let started = Instant::now();
        let reply = gateway.answer(&message).await;
        let elapsed = started.elapsed();
        assert!(elapsed < budget + Duration::from_millis(500), "{elapsed:?}");
        match (reply, expected) {
            (Reply::Fail { status, code, .. }, Some((want_status, want_code))) => {
                assert_eq!((status.as_u16(), code), (want_status, want_code));
            }
            (Reply::Answer(answer), None) => {
                assert_eq!(
                    answer.lets_through(),
                    fallback == InvalidBeforeWebhookPolicy::Allow,
                    "{fallback:?}"
                );
            }
            (reply, expected) => panic!("{fallback:?}: {reply:?}, expected {expected:?}"),
        }
    }
}

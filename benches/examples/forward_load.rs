//! The forwarding overhead of `trtc-live serve --forward-to`, measured side by side in one run
//! (benches/scripts/forward.sh builds and runs it; see there for the settings).
//!
//! This program is both ends: Tencent (sender threads posting signed, unique End Battle
//! deliveries over keep-alive connections) and the application (an axum server on loopback
//! that notes when each delivery first arrives and answers after sleeping 1 ms, on a blocking
//! thread so that the sleep is 1 ms and not a timer tick). For each round it starts `serve`
//! (the binary given) in each mode, on a fresh journal, in turn:
//!
//! - `off`: `serve --journal DIR` (the journal, no forwarding);
//! - `on, 1 in flight` and `on, N in flight`: the same with `--forward-to` the application;
//!
//! and measures, per mode: (1) saturation: SENDERS senders as fast as answers come, for
//! SECONDS: Tencent's requests answered per second, their p50 and p99, and (forwarding on) the
//! deliveries the application received per second meanwhile; (2) latency: one delivery every
//! 1/RATE s for LATENCY_SECONDS, on a fresh journal: from the start of Tencent's request to
//! the application's receipt, p50, p99 and max; (3) forwarding alone: a journal filled by a
//! saturation without forwarding, then `serve` with forwarding started on it from its first
//! record, nothing else running: the deliveries the application receives per second until it
//! has them all, against the application's own bound (deliveries in flight divided by its time
//! per request).
//!
//! Usage: forward_load BINARY ROUNDS SENDERS SECONDS RATE LATENCY_SECONDS CONCURRENCY

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use trtc_live_receiver::{sign, Token};

const SDK_APP_ID: &str = "1400000000";
const TOKEN: &str = "forward-bench-token";
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYo=";

/// When each delivery first reached the application, by BattleId.
type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

/// The application: notes arrivals, answers after 1 ms.
struct App {
    port: u16,
    arrivals: Arrivals,
    requests: Arc<AtomicU64>,
    busy_nanos: Arc<AtomicU64>,
}

impl App {
    fn start() -> Self {
        let arrivals: Arrivals = Arc::default();
        let requests = Arc::new(AtomicU64::new(0));
        let busy_nanos = Arc::new(AtomicU64::new(0));
        let (log, count, busy) = (arrivals.clone(), requests.clone(), busy_nanos.clone());
        let (ready, port) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                ready.send(listener.local_addr().unwrap().port()).unwrap();
                let app = axum::Router::new().fallback(move |body: axum::body::Bytes| {
                    let (log, count, busy) = (log.clone(), count.clone(), busy.clone());
                    async move {
                        let arrived = Instant::now();
                        count.fetch_add(1, Ordering::Relaxed);
                        if let Some(id) = battle_id(&body) {
                            log.lock().unwrap().entry(id).or_insert(arrived);
                        }
                        let _ = tokio::task::spawn_blocking(|| {
                            std::thread::sleep(Duration::from_millis(1));
                        })
                        .await;
                        busy.fetch_add(arrived.elapsed().as_nanos() as u64, Ordering::Relaxed);
                        r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
                    }
                });
                axum::serve(listener, app).await.unwrap();
            });
        });
        Self {
            port: port.recv().unwrap(),
            arrivals,
            requests,
            busy_nanos,
        }
    }
}

/// The BattleId of an End Battle body.
fn battle_id(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("\"BattleId\":\"")? + 12;
    let end = start + text[start..].find('"')?;
    Some(text[start..end].to_owned())
}

fn packet(id: &str) -> String {
    format!(
        "{{\"CallbackCommand\":\"Live.CallbackAfterEndBattle\",\"BattleId\":\"{id}\",\
         \"Duration\":30000,\"CreateTime\":1739956115,\"StartTime\":1739956115,\
         \"EndTime\":1739956145,\"OpType\":0,\"FromRoomInfo\":{{\"RoomId\":\"pk-3\",\"Score\":0,\
         \"Owner_Account\":144115245353757792}},\"ToRoomList\":[{{\"RoomId\":\"pk-5\",\
         \"Score\":0,\"Owner_Account\":144115245442327522}}],\"EventTime\":1739956146119}}"
    )
}

/// A `serve` process in one mode.
struct Serve {
    child: Child,
    url: String,
    dir: Arc<tempfile::TempDir>,
}

fn journal_dir() -> Arc<tempfile::TempDir> {
    Arc::new(tempfile::tempdir_in(std::env::var("JOURNAL_PARENT").unwrap_or(".".into())).unwrap())
}

impl Serve {
    fn start(binary: &str, forward: Option<(u16, usize)>) -> Self {
        Self::start_in(binary, journal_dir(), forward)
    }

    fn start_in(binary: &str, dir: Arc<tempfile::TempDir>, forward: Option<(u16, usize)>) -> Self {
        std::fs::write(dir.path().join("token"), TOKEN).unwrap();
        std::fs::write(dir.path().join("secret"), SECRET).unwrap();
        let mut command = Command::new(binary);
        command
            .args(["serve", "--sdkappid", SDK_APP_ID, "--listen", "127.0.0.1:0"])
            .arg("--token-file")
            .arg(dir.path().join("token"))
            .arg("--journal")
            .arg(dir.path().join("journal"))
            .env("RUST_LOG", "error")
            .env("NO_COLOR", "1");
        if let Some((port, concurrency)) = forward {
            command
                .args(["--forward-to", &format!("http://127.0.0.1:{port}/hooks")])
                .arg("--forward-secret-file")
                .arg(dir.path().join("secret"))
                .args(["--forward-concurrency", &concurrency.to_string()]);
        }
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let url = loop {
            line.clear();
            assert!(stderr.read_line(&mut line).unwrap() > 0, "serve stopped");
            if let Some(at) = line.find("listening on http://") {
                break format!("{}/webhook", line[at + 13..].trim());
            }
        };
        std::thread::spawn(move || for _ in stderr.lines() {});
        Self { child, url, dir }
    }

    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn signed_url(base: &str) -> String {
    let time = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    format!(
        "{base}?SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle\
         &contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={}&RequestTime={time}",
        sign(&Token::new(TOKEN), &time)
    )
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// One POST; its latency, and whether it was answered 200.
fn post(agent: &ureq::Agent, url: &str, body: &str) -> (Duration, bool) {
    let started = Instant::now();
    let ok = match agent.post(url).send(body.as_bytes()) {
        Ok(mut response) => {
            let _ = response.body_mut().read_to_vec();
            response.status() == 200
        }
        Err(_) => false,
    };
    (started.elapsed(), ok)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

/// Saturation: requests/s, p50, p99, failures; and the application's receipts meanwhile.
fn saturate(url: &str, senders: usize, seconds: f64, tag: &str, app: &App) -> [f64; 5] {
    let stop = Arc::new(AtomicBool::new(false));
    let url = signed_url(url);
    let received_before = app.requests.load(Ordering::SeqCst);
    let started = Instant::now();
    let threads: Vec<_> = (0..senders)
        .map(|n| {
            let (stop, url, tag) = (stop.clone(), url.clone(), tag.to_owned());
            std::thread::spawn(move || {
                let agent = agent();
                let mut latencies = Vec::new();
                let mut failed = 0u64;
                let mut sequence = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    sequence += 1;
                    let (latency, ok) =
                        post(&agent, &url, &packet(&format!("{tag}-{n}-{sequence}")));
                    latencies.push(latency);
                    failed += u64::from(!ok);
                }
                (latencies, failed)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::SeqCst);
    let received = app.requests.load(Ordering::SeqCst) - received_before;
    let mut latencies = Vec::new();
    let mut failed = 0;
    for thread in threads {
        let (mine, fails) = thread.join().unwrap();
        latencies.extend(mine);
        failed += fails;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    [
        latencies.len() as f64 / elapsed,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        failed as f64,
        received as f64 / seconds,
    ]
}

/// Latency: one delivery every 1/rate s; from the request's start to the application's receipt.
fn latency(url: &str, rate: f64, seconds: f64, tag: &str, app: &App) -> [f64; 4] {
    let agent = agent();
    let url = signed_url(url);
    let mut sent = Vec::new();
    let began = Instant::now();
    let count = (rate * seconds) as u64;
    for sequence in 0..count {
        let due = began + Duration::from_secs_f64(sequence as f64 / rate);
        std::thread::sleep(due.saturating_duration_since(Instant::now()));
        let id = format!("{tag}-latency-{sequence}");
        let at = Instant::now();
        let (_, ok) = post(&agent, &url, &packet(&id));
        assert!(ok, "a delivery was refused");
        sent.push((id, at));
    }
    // Every delivery must arrive (at least once); wait for the last ones.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut delays = Vec::new();
    for (id, at) in &sent {
        loop {
            if let Some(arrived) = app.arrivals.lock().unwrap().get(id) {
                delays.push(arrived.saturating_duration_since(*at));
                break;
            }
            assert!(Instant::now() < deadline, "{id} never arrived");
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    delays.sort();
    [
        percentile(&delays, 0.5),
        percentile(&delays, 0.99),
        delays.last().map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0),
        delays.len() as f64,
    ]
}

/// Forwarding alone: a journal of deliveries made without forwarding (`fill_seconds` of
/// saturation), then `serve` with forwarding on it from its first record; the deliveries the
/// application receives per second until it has them all.
fn drain(
    binary: &str,
    app: &App,
    senders: usize,
    fill_seconds: f64,
    concurrency: usize,
    tag: &str,
) -> f64 {
    let serve = Serve::start(binary, None);
    saturate(
        &serve.url,
        senders,
        fill_seconds,
        &format!("{tag}-fill"),
        app,
    );
    let dir = Arc::clone(&serve.dir);
    serve.stop();
    let journal = dir.path().join("journal");
    let records = std::fs::read(journal.join("accepted.ndjson"))
        .unwrap()
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64;
    std::fs::write(
        journal.join("forward.position"),
        r#"{"journal":"accepted.ndjson","offset":0,"line":1}"#,
    )
    .unwrap();
    let before = app.requests.load(Ordering::SeqCst);
    let serve = Serve::start_in(binary, dir, Some((app.port, concurrency)));
    let started = Instant::now();
    while app.requests.load(Ordering::SeqCst) - before < records {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "the backlog never drained"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let rate = records as f64 / started.elapsed().as_secs_f64();
    serve.stop();
    rate
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, binary, rounds, senders, seconds, rate, latency_seconds, concurrency] = &args[..]
    else {
        panic!(
            "usage: forward_load BINARY ROUNDS SENDERS SECONDS RATE LATENCY_SECONDS CONCURRENCY"
        );
    };
    let rounds: usize = rounds.parse().unwrap();
    let senders: usize = senders.parse().unwrap();
    let seconds: f64 = seconds.parse().unwrap();
    let rate: f64 = rate.parse().unwrap();
    let latency_seconds: f64 = latency_seconds.parse().unwrap();
    let concurrency: usize = concurrency.parse().unwrap();
    let app = App::start();
    let modes: Vec<(String, Option<usize>)> = vec![
        ("off (journal only)".into(), None),
        ("on, 1 in flight".into(), Some(1)),
        (format!("on, {concurrency} in flight"), Some(concurrency)),
    ];
    let mut results: Vec<Vec<[f64; 5]>> = vec![Vec::new(); modes.len()];
    let mut delays: Vec<Vec<[f64; 4]>> = vec![Vec::new(); modes.len()];
    let mut drains: Vec<Vec<f64>> = vec![Vec::new(); modes.len()];
    for round in 0..rounds {
        for (index, (label, forward)) in modes.iter().enumerate() {
            let serve = Serve::start(binary, forward.map(|c| (app.port, c)));
            let tag = format!("r{round}m{index}");
            let row = saturate(&serve.url, senders, seconds, &tag, &app);
            eprintln!(
                "round {round} {label}: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, {} failed, app {:.0}/s",
                row[0], row[1], row[2], row[3], row[4]
            );
            results[index].push(row);
            serve.stop();
            if forward.is_some() {
                // A fresh journal, without the saturation's backlog, for the latency.
                let serve = Serve::start(binary, forward.map(|c| (app.port, c)));
                let row = latency(&serve.url, rate, latency_seconds, &tag, &app);
                eprintln!(
                    "round {round} {label}: to the application p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} deliveries)",
                    row[0], row[1], row[2], row[3]
                );
                delays[index].push(row);
                serve.stop();
                let fill = if forward == &Some(1) { 1.0 } else { 3.0 };
                let rate = drain(binary, &app, senders, fill, forward.unwrap(), &tag);
                eprintln!("round {round} {label}: forwarding alone {rate:.0} deliveries/s");
                drains[index].push(rate);
            }
        }
    }
    let served = app.requests.load(Ordering::SeqCst).max(1);
    println!(
        "application: {} requests, mean time in the handler {:.3} ms (1 ms sleep on a blocking thread)",
        served,
        app.busy_nanos.load(Ordering::SeqCst) as f64 / served as f64 / 1e6
    );
    println!(
        "saturation: {senders} senders, {seconds} s a mode, {rounds} rounds (medians; each mode's rounds alternate with the others)"
    );
    println!(
        "{:<22} {:>12} {:>9} {:>9} {:>8} {:>16}",
        "forwarding", "requests/s", "p50 ms", "p99 ms", "failed", "app receipts/s"
    );
    for (index, (label, _)) in modes.iter().enumerate() {
        let column =
            |i: usize| median(&mut results[index].iter().map(|r| r[i]).collect::<Vec<_>>());
        // Each round's ratio to the same round's "off", then their median.
        let mut ratios: Vec<f64> = results[index]
            .iter()
            .zip(&results[0])
            .map(|(on, off)| on[0] / off[0])
            .collect();
        let low = ratios.iter().copied().fold(f64::INFINITY, f64::min);
        let high = ratios.iter().copied().fold(0.0, f64::max);
        println!(
            "{:<22} {:>12.0} {:>9.2} {:>9.2} {:>8.0} {:>16.0}   {:.2}x off ({low:.2}-{high:.2})",
            label,
            column(0),
            column(1),
            column(2),
            results[index].iter().map(|r| r[3]).sum::<f64>(),
            column(4),
            median(&mut ratios),
        );
    }
    println!(
        "latency: one delivery every {:.1} ms for {latency_seconds} s; from Tencent's request to the application's receipt (medians of the rounds)",
        1000.0 / rate
    );
    println!(
        "{:<22} {:>9} {:>9} {:>9}",
        "forwarding", "p50 ms", "p99 ms", "max ms"
    );
    for (index, (label, forward)) in modes.iter().enumerate() {
        if forward.is_none() {
            continue;
        }
        let column = |i: usize| median(&mut delays[index].iter().map(|r| r[i]).collect::<Vec<_>>());
        let worst = delays[index].iter().map(|r| r[2]).fold(0.0, f64::max);
        println!(
            "{:<22} {:>9.2} {:>9.2} {:>9.2}",
            label,
            column(0),
            column(1),
            worst
        );
    }
    println!(
        "forwarding alone: a journal filled without forwarding, then forwarded from its first record with nothing else running (deliveries the application receives per second; bound: in flight / the application's time per request)"
    );
    let per_request = app.busy_nanos.load(Ordering::SeqCst) as f64 / served as f64 / 1e9;
    for (index, (label, forward)) in modes.iter().enumerate() {
        if let Some(concurrency) = forward {
            let rates = &mut drains[index];
            let low = rates.iter().copied().fold(f64::INFINITY, f64::min);
            let high = rates.iter().copied().fold(0.0, f64::max);
            println!(
                "{:<22} {:>9.0} deliveries/s ({low:.0}-{high:.0}), bound {:.0}",
                label,
                median(rates),
                *concurrency as f64 / per_request
            );
        }
    }
}

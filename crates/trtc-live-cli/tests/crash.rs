//! `trtc-live serve` killed with SIGKILL under load, three times, and restarted on the same
//! journal: every delivery answered 200 is in the journal, whole; a torn last record is reported
//! and cut off by the restart. (benches/scripts/crash.sh does the same at length, for the figures.)
#![cfg(unix)]

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::serve::{serve_command, ServeProcess, SDK_APP_ID};
use trtc_live_receiver::{sign, Token};

const TOKEN: &str = "crash-test-token";
const COMMAND: &str = "Live.CallbackAfterEndBattle";
const SENDERS: usize = 4;
const KILLS: usize = 3;

/// A `trtc-live serve` process on the test's journal directory.
fn start_server(dir: &Path) -> ServeProcess {
    let mut command = serve_command(&dir.join("token"), "warn");
    command.arg("--journal").arg(dir.join("journal"));
    ServeProcess::spawn(command)
}

/// What one sender saw of one delivery.
struct Sent {
    body: String,
    attempts: usize,
    answered_200: bool,
}

/// The End Battle packet, with `id` as its BattleId.
fn packet(id: &str) -> String {
    format!(
        "{{\"CallbackCommand\":\"{COMMAND}\",\"BattleId\":\"{id}\",\"Duration\":30000,\
         \"CreateTime\":1739956115,\"StartTime\":1739956115,\"EndTime\":1739956145,\"OpType\":0,\
         \"FromRoomInfo\":{{\"RoomId\":\"{id}\",\"Score\":0,\"Owner_Account\":144115245353757792}},\
         \"ToRoomList\":[{{\"RoomId\":\"pk-5\",\"Score\":0,\"Owner_Account\":144115245442327522}}],\
         \"EventTime\":1739956146119}}"
    )
}

/// Sends unique deliveries until `stop`, each until it is answered (at most 50 attempts), to
/// whatever URL `url` holds at the time.
fn sender(number: usize, url: &Mutex<String>, stop: &AtomicBool) -> HashMap<String, Sent> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let token = Token::new(TOKEN);
    let mut sent = HashMap::new();
    let mut sequence = 0;
    while !stop.load(Ordering::SeqCst) {
        sequence += 1;
        let id = format!("crash-{number}-{sequence}");
        let body = packet(&id);
        let mut delivery = Sent {
            body: body.clone(),
            attempts: 0,
            answered_200: false,
        };
        while delivery.attempts < 50 && !delivery.answered_200 {
            delivery.attempts += 1;
            let request_time = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs()
                .to_string();
            let target = format!(
                "{}?SdkAppid={SDK_APP_ID}&CallbackCommand={COMMAND}&contenttype=json\
                 &ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={}&RequestTime={request_time}",
                url.lock().unwrap(),
                sign(&token, &request_time),
            );
            match agent
                .post(&target)
                .header("Content-Type", "application/json")
                .send(body.as_bytes())
            {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    // Only a whole answer counts: the connection may die while it is read.
                    if response.body_mut().read_to_vec().is_ok() && status == 200 {
                        delivery.answered_200 = true;
                    }
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
        sent.insert(id, delivery);
    }
    sent
}

/// Every line of the journal file at `path`, parsed: the test fails on any that does not parse.
fn journal_records(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.is_empty() || text.ends_with('\n'), "a torn last line");
    text.lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{e}: a line that does not parse: {line}"))
        })
        .collect()
}

#[test]
fn every_delivery_answered_200_survives_sigkill_and_a_torn_record_is_cut_off_on_restart() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("token"), format!("{TOKEN}\n")).unwrap();
    let accepted: PathBuf = dir.path().join("journal").join("accepted.ndjson");
    let mut server = start_server(dir.path());
    let url = Arc::new(Mutex::new(server.webhook_url()));
    let stop = Arc::new(AtomicBool::new(false));
    let senders: Vec<_> = (0..SENDERS)
        .map(|number| {
            let (url, stop) = (Arc::clone(&url), Arc::clone(&stop));
            std::thread::spawn(move || sender(number, &url, &stop))
        })
        .collect();
    let torn = b"{\"received_at_ms\":1,\"remote\":\"127.0.0.1:1\",\"query\":\"Sdk";
    let mut torn_offset = None;
    for kill in 1..=KILLS {
        std::thread::sleep(Duration::from_millis(400));
        server.child.kill().unwrap(); // SIGKILL
        server.child.wait().unwrap();
        // After the second kill, the crash leaves a torn record (as one during a longer write,
        // or a power loss, would): the restart must report it and cut it off.
        if kill == 2 {
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(&accepted)
                .unwrap();
            let text = std::fs::read(&accepted).unwrap();
            // SIGKILL itself may have torn a line already: the torn record is all after the
            // last line break.
            let offset = text
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |at| at + 1);
            file.write_all(torn).unwrap();
            torn_offset = Some((offset, text.len() - offset + torn.len()));
        }
        server = start_server(dir.path());
        if kill == 2 {
            let (offset, length) = torn_offset.unwrap();
            let report = format!(
                "accepted.ndjson: torn last record cut off at byte {offset} ({length} bytes"
            );
            assert!(
                server.startup_log.contains(&report),
                "{report}\n{}",
                server.startup_log
            );
        }
        *url.lock().unwrap() = server.webhook_url();
    }
    // Some more deliveries after the last restart, then the end.
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::SeqCst);
    let sent: HashMap<String, Sent> = senders
        .into_iter()
        .flat_map(|handle| handle.join().unwrap())
        .collect();
    server.terminate();
    assert!(server.child.wait().unwrap().success());

    let mut found: HashMap<String, Vec<serde_json::Value>> = HashMap::new();
    for record in journal_records(&accepted) {
        let body: serde_json::Value =
            serde_json::from_str(record["body"].as_str().unwrap()).unwrap();
        let id = body["BattleId"].as_str().unwrap().to_owned();
        found.entry(id).or_default().push(record);
    }
    let answered = sent.values().filter(|s| s.answered_200).count();
    assert!(
        answered >= 20,
        "too little load to mean anything: {answered}"
    );
    for (id, delivery) in &sent {
        let records = found.get(id).map_or(&[][..], Vec::as_slice);
        if delivery.answered_200 {
            assert!(
                !records.is_empty(),
                "{id} was answered 200 but is not in the journal"
            );
        }
        // At least once, and a copy at most per attempt.
        assert!(records.len() <= delivery.attempts, "{id}: {records:?}");
        for record in records {
            assert_eq!(
                record["body"].as_str(),
                Some(delivery.body.as_str()),
                "{id}"
            );
            assert_eq!(record["command"].as_str(), Some(COMMAND), "{id}");
        }
    }
    assert!(
        found.keys().all(|id| sent.contains_key(id)),
        "a record of a delivery that was never sent"
    );
    // The torn record was moved, whole, to the side file.
    let mut side = Vec::new();
    std::fs::File::open(accepted.with_file_name("accepted.ndjson.torn"))
        .unwrap()
        .read_to_end(&mut side)
        .unwrap();
    let line = [&torn[..], b"\n"].concat();
    assert!(
        side.windows(line.len()).any(|window| window == line),
        "{}",
        String::from_utf8_lossy(&side)
    );
}

//! `trtc-live serve` under hostile traffic, on loopback, each test bounded in time: slow and
//! silent clients, idle connections beyond the limit, bodies that never end, replays. The
//! timeouts are set to 1 second so that every case ends in a few seconds; the figures are
//! printed (`cargo test -p trtc-live-cli --test hostile -- --nocapture`).

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::serve::{serve_command, ServeProcess, SDK_APP_ID};
use trtc_live_receiver::{sign, Token};

const TOKEN: &str = "hostile-test-token";
/// A valid `Live.CallbackAfterEndBattle` packet (Tencent's sample).
const PACKET: &str = r#"{"CallbackCommand": "Live.CallbackAfterEndBattle", "BattleId": "b-1", "Duration": 30000, "CreateTime": 1739956115, "StartTime": 1739956115, "EndTime": 1739956145, "OpType": 0, "FromRoomInfo": {"RoomId": "pk-3", "Score": 0, "Owner_Account": 144115245353757792}, "ToRoomList": [{"RoomId": "pk-5", "Score": 0, "Owner_Account": 144115245442327522}], "EventTime": 1739956146119}"#;
/// The longest any test waits for one answer or one close: well over every timeout used.
const PATIENCE: Duration = Duration::from_secs(10);

/// A running `trtc-live serve` with a token and short timeouts, killed when dropped.
struct Server {
    process: ServeProcess,
    dir: tempfile::TempDir,
}

impl Server {
    /// Starts a server on a free loopback port, journaling into a fresh directory, with 1 s
    /// header and body timeouts unless `extra` says otherwise.
    fn start(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let token_file = dir.path().join("token");
        std::fs::write(&token_file, TOKEN).unwrap();
        let mut command = serve_command(&token_file, "info");
        for (option, value) in [("--header-timeout-secs", "1"), ("--body-timeout-secs", "1")] {
            if !extra.contains(&option) {
                command.args([option, value]);
            }
        }
        command.arg("--journal").arg(dir.path().join("journal"));
        command.args(extra);
        Self {
            process: ServeProcess::spawn(command),
            dir,
        }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.process.address).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
    }

    /// Bodies of the accepted deliveries, in journal order.
    fn journaled_bodies(&self) -> Vec<String> {
        let path = self.dir.path().join("journal/accepted.ndjson");
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|line| {
                let record: serde_json::Value = serde_json::from_str(line).unwrap();
                record["body"].as_str().unwrap().to_owned()
            })
            .collect()
    }

    /// The server's open file descriptors (Linux), or `None` where /proc is not there.
    fn open_files(&self) -> Option<usize> {
        let dir = format!("/proc/{}/fd", self.process.child.id());
        std::fs::read_dir(dir).ok().map(Iterator::count)
    }

    /// The server's resident memory in KiB (Linux), or `None` where /proc is not there.
    fn resident_kib(&self) -> Option<u64> {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.process.child.id())).ok()?;
        let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Sends SIGTERM; the exit status and the time it took to exit.
    fn terminate(&mut self) -> (Option<i32>, Duration) {
        let started = Instant::now();
        self.process.terminate();
        while started.elapsed() < PATIENCE {
            if let Some(status) = self.process.child.try_wait().unwrap() {
                return (status.code(), started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the server did not stop within {PATIENCE:?}");
    }

    fn logs(&self) -> String {
        self.process.logs()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.child.kill();
        let _ = self.process.child.wait();
    }
}

/// The URL parameters Tencent sends, signed now with the test token.
fn signed_query() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    format!(
        "SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&contenttype=json\
         &ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={}&RequestTime={now}",
        sign(&Token::new(TOKEN), &now)
    )
}

/// A whole POST of `body` with `query`, on a connection that closes after the answer.
fn post_request(query: &str, body: &str) -> String {
    format!(
        "POST /webhook?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Everything the server sends until it closes, and how long that took; a read error (a reset)
/// ends it too.
fn read_until_closed(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("still open after {PATIENCE:?}")
            }
            Err(_) => break,
        }
    }
    (
        String::from_utf8_lossy(&received).into_owned(),
        started.elapsed(),
    )
}

/// The status of an HTTP answer.
fn status(answer: &str) -> Option<u16> {
    answer.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

/// Delivers the test packet, signed now: the answer's status and how long it took.
fn deliver(server: &Server, body: &str) -> (Option<u16>, Duration) {
    let started = Instant::now();
    let mut stream = server.connect();
    stream
        .write_all(post_request(&signed_query(), body).as_bytes())
        .unwrap();
    let (answer, _) = read_until_closed(&mut stream);
    (status(&answer), started.elapsed())
}

fn assert_between(what: &str, elapsed: Duration, low: f64, high: f64) {
    let seconds = elapsed.as_secs_f64();
    assert!(
        (low..=high).contains(&seconds),
        "{what}: {seconds:.3} s, expected {low} to {high} s"
    );
}

#[test]
fn a_client_sending_its_headers_a_byte_at_a_time_is_cut_at_the_header_timeout() {
    let server = Server::start(&[]);
    let mut stream = server.connect();
    let mut writer = stream.try_clone().unwrap();
    let request = post_request(&signed_query(), PACKET);
    let started = Instant::now();
    let dripping = std::thread::spawn(move || {
        let mut sent = 0;
        for byte in request.as_bytes() {
            if writer.write_all(&[*byte]).is_err() {
                break;
            }
            sent += 1;
            std::thread::sleep(Duration::from_millis(200));
        }
        sent
    });
    let (answer, _) = read_until_closed(&mut stream);
    let cut_after = started.elapsed();
    eprintln!("slow headers (1 byte / 200 ms): closed after {cut_after:.3?}, no answer");
    assert_eq!(answer, "", "closed without an answer");
    assert_between("cut", cut_after, 0.9, 2.5);
    drop(stream);
    let sent = dripping.join().unwrap();
    assert!(
        sent < 20,
        "the drip stopped when the connection closed ({sent} bytes)"
    );
    // Others were served all along.
    assert_eq!(deliver(&server, PACKET).0, Some(200));
}

#[test]
fn a_silent_connection_is_closed_at_the_header_timeout() {
    let server = Server::start(&[]);
    let mut stream = server.connect();
    let (answer, closed_after) = read_until_closed(&mut stream);
    eprintln!("silent connection: closed after {closed_after:.3?}");
    assert_eq!(answer, "");
    assert_between("closed", closed_after, 0.9, 2.5);
}

#[test]
fn a_kept_alive_connection_is_closed_when_idle_for_the_header_timeout() {
    let server = Server::start(&[]);
    let mut stream = server.connect();
    let request = post_request(&signed_query(), PACKET)
        .replace("Connection: close", "Connection: keep-alive");
    stream.write_all(request.as_bytes()).unwrap();
    let mut first = [0; 12];
    stream.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    let (_, closed_after) = read_until_closed(&mut stream);
    eprintln!("idle kept-alive connection: closed {closed_after:.3?} after its answer");
    assert_between("closed", closed_after, 0.8, 2.5);
}

#[test]
fn two_hundred_idle_connections_do_not_delay_a_delivery() {
    let server = Server::start(&["--header-timeout-secs", "10"]);
    let (files_before, memory_before) = (server.open_files(), server.resident_kib());
    let idle: Vec<TcpStream> = (0..200).map(|_| server.connect()).collect();
    // Give the server time to accept them all.
    std::thread::sleep(Duration::from_millis(300));
    let (files_during, memory_during) = (server.open_files(), server.resident_kib());
    let (answer, took) = deliver(&server, PACKET);
    eprintln!(
        "200 idle connections held (server file descriptors {files_before:?} before, \
         {files_during:?} with them; resident memory {memory_before:?} KiB before, \
         {memory_during:?} KiB with them): a delivery answered {answer:?} in {took:.3?}"
    );
    assert_eq!(answer, Some(200));
    assert!(took < Duration::from_secs(1), "{took:?}");
    if let (Some(before), Some(during)) = (files_before, files_during) {
        assert!(
            during >= before + 200,
            "{before} -> {during}: all held open"
        );
    }
    drop(idle);
}

#[test]
fn at_the_connection_limit_a_delivery_waits_for_a_slot_and_is_answered() {
    let server = Server::start(&["--max-connections", "20"]);
    let idle: Vec<TcpStream> = (0..20).map(|_| server.connect()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let files_full = server.open_files();
    // 20 more beyond the limit: not accepted, so they cost the server nothing.
    let queued: Vec<TcpStream> = (0..20).map(|_| server.connect()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let files_queued = server.open_files();
    if let (Some(full), Some(queued)) = (files_full, files_queued) {
        assert_eq!(
            full, queued,
            "connections beyond the limit are not accepted"
        );
    }
    // Our delivery queues behind the first 40; the idle ones are cut after 1 s, in two
    // rounds (the 20 that held the slots, then the 20 queued before ours).
    let (answer, took) = deliver(&server, PACKET);
    eprintln!(
        "--max-connections 20, 20 idle connections holding them and 20 queued: file \
         descriptors {files_full:?} -> {files_queued:?}; a delivery answered {answer:?} after \
         {took:.3?}"
    );
    assert_eq!(answer, Some(200));
    assert_between("answered", took, 0.7, 3.5);
    drop((idle, queued));
}

/// A connection on which a signed delivery's head is sent, announcing a chunked body, and
/// nothing more.
fn start_chunked_delivery(server: &Server) -> TcpStream {
    let mut stream = server.connect();
    stream
        .write_all(
            format!(
                "POST /webhook?{} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                signed_query()
            )
            .as_bytes(),
        )
        .unwrap();
    stream
}

#[test]
fn a_body_that_never_ends_is_answered_408_at_the_body_deadline() {
    let server = Server::start(&[]);
    let mut stream = start_chunked_delivery(&server);
    let mut writer = stream.try_clone().unwrap();
    let started = Instant::now();
    // A chunk every 100 ms, forever: the client is never slow enough to trip a read timeout.
    let trickle = std::thread::spawn(move || {
        while writer.write_all(b"1\r\n \r\n").is_ok() {
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    // Meanwhile, others are served.
    let (other, other_took) = deliver(&server, PACKET);
    assert_eq!(other, Some(200));
    let (answer, _) = read_until_closed(&mut stream);
    let cut_after = started.elapsed();
    eprintln!(
        "endless chunked body: {:?} after {cut_after:.3?}, connection closed; a delivery \
         meanwhile answered {other:?} in {other_took:.3?}",
        status(&answer)
    );
    assert_eq!(status(&answer), Some(408), "{answer}");
    assert!(
        answer.contains("the body was not received in time"),
        "{answer}"
    );
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
    assert_between("answered", cut_after, 0.9, 2.5);
    drop(stream);
    trickle.join().unwrap();
    let logs = server.logs();
    let logged = logs
        .lines()
        .find(|line| line.contains("reason=\"body_timeout\""))
        .unwrap_or_else(|| panic!("the rejection is logged with its reason:\n{logs}"));
    assert!(logged.contains("status=408"), "{logged}");
}

#[test]
fn a_streamed_body_over_the_limit_is_refused_413_as_soon_as_the_limit_is_passed() {
    let server = Server::start(&["--max-body-bytes", "4096", "--body-timeout-secs", "5"]);
    let mut stream = start_chunked_delivery(&server);
    // 1 KiB chunks every 50 ms, looking for the answer in between.
    stream
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let chunk = format!("400\r\n{}\r\n", "x".repeat(1024));
    let started = Instant::now();
    let mut sent = 0;
    let mut answer = Vec::new();
    let mut buffer = [0; 4096];
    while answer.is_empty() && started.elapsed() < PATIENCE {
        if stream.write_all(chunk.as_bytes()).is_ok() {
            sent += 1024;
        }
        match stream.read(&mut buffer) {
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(error) => panic!("{error} after {sent} bytes"),
        }
    }
    let took = started.elapsed();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    eprintln!(
        "chunked body over --max-body-bytes 4096: {:?} after {sent} bytes sent, {took:.3?}",
        status(&answer)
    );
    assert_eq!(status(&answer), Some(413), "{answer}");
    assert!(
        (4096..=6144).contains(&sent),
        "refused once past the limit: {sent} bytes"
    );
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[test]
fn sigterm_stops_the_server_even_while_a_slow_client_holds_a_connection() {
    let mut server = Server::start(&[]);
    let mut stream = server.connect();
    // Half a request head, then nothing.
    stream
        .write_all(b"POST /webhook HTTP/1.1\r\nHost: 1")
        .unwrap();
    let idle = server.connect();
    std::thread::sleep(Duration::from_millis(100));
    let (code, took) = server.terminate();
    eprintln!(
        "SIGTERM with a half-sent head and an idle connection open: exit {code:?} after {took:.3?}"
    );
    assert_eq!(code, Some(0), "{}", server.logs());
    assert!(took < Duration::from_millis(2500), "{took:?}");
    drop(idle);
}

#[test]
fn a_verbatim_replay_inside_the_window_is_accepted_and_journaled_again() {
    let server = Server::start(&[]);
    let query = signed_query();
    let mut answers = Vec::new();
    for _ in 0..2 {
        let mut stream = server.connect();
        stream
            .write_all(post_request(&query, PACKET).as_bytes())
            .unwrap();
        answers.push(status(&read_until_closed(&mut stream).0));
    }
    // The same Sign and RequestTime carry another body just as well: the signature covers
    // the token and the time only (Tencent's scheme).
    let forged = PACKET.replace("\"b-1\"", "\"forged\"");
    let mut stream = server.connect();
    stream
        .write_all(post_request(&query, &forged).as_bytes())
        .unwrap();
    answers.push(status(&read_until_closed(&mut stream).0));
    assert_eq!(answers, [Some(200); 3]);
    assert_eq!(server.journaled_bodies(), [PACKET, PACKET, forged.as_str()]);
}

#[test]
fn a_client_that_never_reads_its_answers_is_cut_at_the_write_timeout() {
    let server = Server::start(&["--write-timeout-secs", "1"]);
    let mut stream = server.connect();
    stream
        .set_write_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    // Pipelined requests, each answered 405, none of the answers read: the answers fill the
    // socket buffers, then the server cannot write, then it stops reading.
    let requests = "GET /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(100);
    let started = Instant::now();
    let mut sent = 0_u64;
    let mut blocked_at = None;
    let closed_after = loop {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "never closed ({sent} requests)"
        );
        match stream.write(requests.as_bytes()) {
            Ok(n) if n == requests.len() => sent += 100,
            Ok(_) => {}
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                blocked_at.get_or_insert_with(Instant::now);
            }
            Err(_) => break blocked_at.map(|at| at.elapsed()),
        }
    };
    let closed_after = closed_after.expect("blocked before being closed");
    eprintln!(
        "a client pipelining requests and reading nothing: {sent} requests sent in {:.3?} before \
         its writes blocked; the server closed the connection {closed_after:.3?} later",
        started.elapsed() - closed_after
    );
    // Without the write timeout it is never closed; with it, after the stall and the time the
    // server takes to answer what it had already read.
    assert!(closed_after < Duration::from_secs(12), "{closed_after:?}");
    // Others were served.
    assert_eq!(deliver(&server, PACKET).0, Some(200));
}

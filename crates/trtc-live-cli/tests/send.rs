//! `trtc-live send` with what users have at hand: Tencent's `.jsonc` samples, NDJSON archives,
//! `--set` to change a member (numbers exact), a URL without its scheme, and the receiver's
//! answer shown whatever it is. Against a real `trtc-live serve` on loopback, whose journal
//! shows what arrived, byte for byte.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;

use common::serve::{serve_command, ServeProcess, SDK_APP_ID};
use common::{json_lines, repo_root, run, FIXTURES};
use trtc_live_receiver::journal::{JournalReader, Journals, Record};

const TOKEN: &str = "send-test-token";

/// A `trtc-live serve` with a token, journaling into a fresh directory; killed when dropped.
struct Server {
    process: ServeProcess,
    dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let token_file = dir.path().join("token");
        std::fs::write(&token_file, TOKEN).unwrap();
        let mut command = serve_command(&token_file, "warn");
        command.arg("--journal").arg(dir.path().join("journal"));
        Self {
            process: ServeProcess::spawn(command),
            dir,
        }
    }

    fn url(&self) -> String {
        self.process.webhook_url()
    }

    fn records(&self, file: &str) -> Vec<Record> {
        let path: PathBuf = self.dir.path().join("journal").join(file);
        JournalReader::open(path)
            .unwrap()
            .map(|(_, record)| record.unwrap())
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.child.kill();
        let _ = self.process.child.wait();
    }
}

/// `trtc-live send --url URL --sdkappid SDK_APP_ID --token TOKEN ARGS`, from the repository root.
fn send(url: &str, args: &[&str]) -> common::Run {
    let mut all = vec![
        "send",
        "--url",
        url,
        "--sdkappid",
        SDK_APP_ID,
        "--token",
        TOKEN,
    ];
    all.extend(args);
    run(&all, b"")
}

#[test]
fn a_jsonc_sample_of_tencent_is_sent_without_its_comments_every_other_byte_kept() {
    let server = Server::start();
    let sample = "schemas/Live.CallbackAfterEndBattle/samples/request.jsonc";
    let out = send(&server.url(), &["--format", "json", sample]);
    assert_eq!(out.code, 0, "{}", out.transcript);
    let report = &json_lines(&out.stdout)[0];
    assert_eq!(report["status"], 200);
    assert_eq!(report["source"], sample);
    let accepted = server.records(Journals::ACCEPTED_FILE);
    assert_eq!(accepted.len(), 1);
    let original = std::fs::read(repo_root().join(sample)).unwrap();
    let expected = trtc_live_validate::strip_comments(&original).unwrap();
    assert_eq!(*accepted[0].body_bytes(), expected[..]);
    let body = accepted[0].body_text().unwrap();
    assert!(!body.contains("//"), "the comments are gone");
    assert!(
        body.contains("144115245442327522"),
        "the account id as written"
    );
}

#[test]
fn an_ndjson_archive_is_one_delivery_per_packet() {
    let server = Server::start();
    let archive = format!("{FIXTURES}/archive/2026-11-24/battles.ndjson");
    let out = send(&server.url(), &["--format", "json", &archive]);
    // Some packets of the archive are invalid: refused, so send reports a failure.
    assert_eq!(out.code, 1, "{}", out.transcript);
    let reports = json_lines(&out.stdout);
    let seen: Vec<(String, u64)> = reports
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap().to_owned(),
                r["status"].as_u64().unwrap(),
            )
        })
        .collect();
    let at = |line: u32| format!("{archive}:{line}");
    // Line 2 is blank; line 4 is cut short (no command word to put in the URL): skipped, said.
    // Line 3's OpType 7 is a value the schema does not know yet: accepted, with a warning.
    assert_eq!(
        seen,
        vec![
            (at(1), 200),
            (at(3), 200),
            (at(5), 200),
            (at(6), 400),
            (at(7), 422)
        ]
    );
    assert!(
        out.stderr.contains(&format!(
            "{archive}:4 has no CallbackCommand to put in the URL"
        )),
        "{}",
        out.transcript
    );
    let text = std::fs::read_to_string(repo_root().join(&archive)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let accepted: Vec<String> = server
        .records(Journals::ACCEPTED_FILE)
        .iter()
        .map(|r| r.body_text().unwrap().to_owned())
        .collect();
    assert_eq!(
        accepted,
        vec![lines[0], lines[2], lines[4]],
        "byte for byte"
    );
    assert_eq!(server.records(Journals::QUARANTINE_FILE).len(), 2);
}

#[test]
fn set_changes_a_member_of_an_example_or_a_file_with_numbers_exact() {
    let server = Server::start();
    let out = send(
        &server.url(),
        &[
            "--format",
            "json",
            "--seed",
            "3",
            "--set",
            "/FromRoomInfo/Owner_Account=18446744073709551615",
            "--set",
            "/BattleId=\"battle-set-by-test\"",
            "--set",
            "/AddedByTest={\"n\": 144115245442327522}",
            "Live.CallbackAfterEndBattle",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript);
    let sample = "schemas/Live.CallbackAfterEndBattle/samples/request.jsonc";
    let out = send(
        &server.url(),
        &[
            "--set",
            "/ToRoomList/0/Score=7",
            "--set",
            "/OpType=1",
            sample,
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript);
    let accepted = server.records(Journals::ACCEPTED_FILE);
    let example = accepted[0].body_text().unwrap();
    assert!(
        example.contains(r#""Owner_Account":18446744073709551615"#),
        "{example}"
    );
    assert!(
        example.contains(r#""BattleId":"battle-set-by-test""#),
        "{example}"
    );
    assert!(
        example.ends_with(r#","AddedByTest":{"n": 144115245442327522}}"#),
        "{example}"
    );
    let from_file = accepted[1].body_text().unwrap();
    assert!(from_file.contains("\"Score\": 7"), "{from_file}");
    assert!(from_file.contains("\"OpType\": 1,"), "{from_file}");
    // A --set that cannot apply stops before anything is sent.
    let out = send(&server.url(), &["--set", "/Nope/X=1", sample]);
    assert_eq!(out.code, 2, "{}", out.transcript);
    assert!(
        out.stderr.contains("no value at /Nope"),
        "{}",
        out.transcript
    );
    let out = send(&server.url(), &["--set", "/OpType=one", sample]);
    assert_eq!(out.code, 2, "{}", out.transcript);
    assert!(out.stderr.contains("is not JSON"), "{}", out.transcript);
    assert_eq!(server.records(Journals::ACCEPTED_FILE).len(), 2);
}

#[test]
fn a_url_without_its_scheme_is_refused_saying_so() {
    let out = send("127.0.0.1:8099", &["Live.CallbackAfterEndBattle"]);
    assert_eq!(out.code, 2, "{}", out.transcript);
    assert!(
        out.stderr
            .contains("the URL has no scheme: write http://127.0.0.1:8099"),
        "{}",
        out.transcript
    );
    let out = send("ftp://127.0.0.1:8099/", &["Live.CallbackAfterEndBattle"]);
    assert_eq!(out.code, 2, "{}", out.transcript);
    assert!(
        out.stderr.contains("\"ftp\" is not supported"),
        "{}",
        out.transcript
    );
}

/// A receiver that answers every request with `answer` (a whole HTTP response), once.
fn fixed_receiver(answer: String) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/webhook", listener.local_addr().unwrap());
    let thread = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut buffer = [0; 4096];
        // Headers, then the body announced by Content-Length.
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buffer).unwrap();
            request.extend_from_slice(&buffer[..n]);
        }
        let text = String::from_utf8_lossy(&request).to_ascii_lowercase();
        let length: usize = text
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let head = text.find("\r\n\r\n").unwrap() + 4;
        while request.len() < head + length {
            let n = stream.read(&mut buffer).unwrap();
            request.extend_from_slice(&buffer[..n]);
        }
        stream.write_all(answer.as_bytes()).unwrap();
    });
    (url, thread)
}

#[test]
fn the_receivers_answer_is_shown_whatever_it_is() {
    // A proxy's error page: several lines of HTML.
    let page = "<html>\n<body>\n<h1>502 Bad Gateway</h1>\n</body>\n</html>\n";
    let (url, receiver) = fixed_receiver(format!(
        "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{page}",
        page.len()
    ));
    let out = send(&url, &["Live.CallbackAfterEndBattle"]);
    receiver.join().unwrap();
    assert_eq!(out.code, 1, "{}", out.transcript);
    assert!(
        out.stdout
            .contains("  answer: HTTP 502 (text/html, 55 bytes):\n    | <html>\n    | <body>\n    | <h1>502 Bad Gateway</h1>"),
        "{}",
        out.transcript
    );
    // A short JSON answer stays on the answer's line; JSON reports carry it whole.
    let body = r#"{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"no"}"#;
    let (url, receiver) = fixed_receiver(format!(
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    let out = send(&url, &["--format", "json", "Live.CallbackAfterEndBattle"]);
    receiver.join().unwrap();
    let report = &json_lines(&out.stdout)[0];
    assert_eq!(report["status"], 500);
    assert_eq!(report["answer"], body);
    assert_eq!(report["content_type"], "application/json");
}

//! Running `trtc-live serve` in operations: JSON logs (one object per line, every rejection with
//! its reason), a server without a token (a loud warning; refused on an address other machines
//! can reach unless told), `--listen` with a host name, token files with whitespace around the
//! token.

mod common;

use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::serve::{serve_command, unauthenticated_serve_command, ServeProcess, SDK_APP_ID};
use common::{json_lines, run};

const TOKEN: &str = "operations-test-token";

/// `trtc-live send --url URL --format json --sdkappid SDK_APP_ID ARGS`: the exit status and the
/// reports.
fn send(url: &str, args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    send_as(SDK_APP_ID, url, args)
}

/// [`send`] for the application `sdk_app_id`.
fn send_as(sdk_app_id: &str, url: &str, args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut all = vec![
        "send",
        "--url",
        url,
        "--format",
        "json",
        "--sdkappid",
        sdk_app_id,
    ];
    all.extend(args);
    let out = run(&all, b"");
    (out.code, json_lines(&out.stdout))
}

/// Stops `server` with SIGTERM and returns its whole standard error once it has exited.
fn stop(mut server: ServeProcess) -> String {
    server.terminate();
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
    std::thread::sleep(Duration::from_millis(100));
    server.logs()
}

fn write_token(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("token");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn json_logs_are_one_object_per_line_and_every_rejection_has_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = write_token(dir.path(), TOKEN);
    let mut command = serve_command(&token_file, "info");
    command
        .args(["--log-format", "json", "--journal"])
        .arg(dir.path().join("journal"));
    let server = ServeProcess::spawn(command);
    let url = server.webhook_url();
    let invalid = dir.path().join("invalid.json");
    std::fs::write(
        &invalid,
        r#"{"CallbackCommand": "Live.CallbackAfterEndBattle", "OpType": 7}"#,
    )
    .unwrap();
    let invalid = invalid.to_str().unwrap();
    let battle = "Live.CallbackAfterEndBattle";
    assert_eq!(send(&url, &["--token", TOKEN, battle]).0, 0);
    assert_eq!(send(&url, &["--token", "wrong", battle]).0, 1);
    assert_eq!(send(&url, &["--token", TOKEN, invalid]).0, 1);
    assert_eq!(send_as("1", &url, &["--token", TOKEN, battle]).0, 1);
    // Valid, with a semantic warning (the battle ends before it starts) and two values of open
    // enumerations the schemas do not know yet (a new platform, a new way for a battle to end).
    let sample = "schemas/Live.CallbackAfterEndBattle/samples/request.jsonc";
    let early_end = [
        "--token",
        TOKEN,
        "--platform",
        "HarmonyOS",
        "--set",
        "/EndTime=1739956105",
        "--set",
        "/OpType=7",
        sample,
    ];
    assert_eq!(send(&url, &early_end).0, 0);
    let logs = stop(server);

    let events: Vec<serde_json::Value> = logs
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|_| panic!("not a JSON line: {line:?}\n{logs}"))
        })
        .collect();
    let with = |message: &str| -> Vec<&serde_json::Value> {
        events
            .iter()
            .filter(|event| event["message"] == message)
            .collect()
    };
    let accepted = with("accepted");
    assert_eq!(accepted.len(), 2, "{logs}");
    assert_eq!(accepted[0]["command"], battle);
    assert!(accepted[0].get("warnings").is_none(), "{logs}");
    assert_eq!(
        accepted[1]["warnings"],
        "unknown_enum_value \"/OptPlatform\"; semantic/battle-time-order \"/EndTime\"; \
         unknown_enum_value \"/OpType\"",
        "the validator's warnings are logged with the delivery, by kind"
    );
    let rejected: Vec<(&str, u64)> = with("rejected")
        .iter()
        .map(|e| (e["reason"].as_str().unwrap(), e["status"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        rejected,
        vec![("sign_mismatch", 401), ("sdk_app_id_mismatch", 403)]
    );
    let quarantined = with("quarantined");
    assert_eq!(quarantined.len(), 1, "{logs}");
    assert_eq!(quarantined[0]["reason"], "schema");
    assert_eq!(quarantined[0]["status"], 422);
    assert!(events.iter().any(|e| e["message"] == "journal statistics"));
    assert!(!logs.contains(TOKEN), "the token is never logged");
}

#[test]
fn without_a_token_serve_warns_loudly_and_still_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = unauthenticated_serve_command("info");
    command.arg("--journal").arg(dir.path().join("journal"));
    let server = ServeProcess::spawn(command);
    assert!(
        server
            .startup_log
            .contains("WARNING: no --token-file: requests are NOT authenticated"),
        "{}",
        server.startup_log
    );
    let (code, reports) = send(&server.webhook_url(), &["Live.CallbackAfterEndBattle"]);
    assert_eq!(code, 0, "{reports:?}");
    let logs = stop(server);
    assert!(
        logs.contains("no token: requests are not authenticated"),
        "{logs}"
    );
}

#[test]
fn without_a_token_a_non_loopback_address_is_refused_unless_told() {
    for address in ["0.0.0.0:0", "[::]:0"] {
        let out = run(
            &[
                "serve",
                "--sdkappid",
                SDK_APP_ID,
                "--no-journal",
                "--listen",
                address,
            ],
            b"",
        );
        assert_eq!(out.code, 2, "{}", out.transcript);
        assert!(
            out.stderr.contains("refusing to listen on")
                && out.stderr.contains("without a token")
                && out.stderr.contains("--insecure-no-auth"),
            "{}",
            out.transcript
        );
    }
    // Told: the check is passed (an address of the documentation range, which no machine has,
    // so nothing is opened to the network by this test: the bind fails after the check).
    let out = run(
        &[
            "serve",
            "--sdkappid",
            SDK_APP_ID,
            "--no-journal",
            "--insecure-no-auth",
            "--listen",
            "192.0.2.1:0",
        ],
        b"",
    );
    assert_eq!(out.code, 2, "{}", out.transcript);
    assert!(
        out.stderr.contains("cannot listen on 192.0.2.1:0"),
        "{}",
        out.transcript
    );
    assert!(
        out.stderr.contains("WARNING: no --token-file"),
        "{}",
        out.transcript
    );
    // With a token, any address is allowed (the same documentation address: only the bind
    // fails).
    let dir = tempfile::tempdir().unwrap();
    let token_file = write_token(dir.path(), TOKEN);
    let out = run(
        &[
            "serve",
            "--sdkappid",
            SDK_APP_ID,
            "--no-journal",
            "--token-file",
            token_file.to_str().unwrap(),
            "--listen",
            "192.0.2.1:0",
        ],
        b"",
    );
    assert!(
        out.stderr.contains("cannot listen on 192.0.2.1:0"),
        "{}",
        out.transcript
    );
}

#[test]
fn listen_accepts_a_host_name() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = write_token(dir.path(), TOKEN);
    let mut command = Command::new(env!("CARGO_BIN_EXE_trtc-live"));
    command
        .args(["serve", "--sdkappid", SDK_APP_ID, "--no-journal"])
        .args(["--listen", "localhost:0", "--token-file"])
        .arg(&token_file)
        .env("NO_COLOR", "1");
    let server = ServeProcess::spawn(command);
    assert!(server.address.ip().is_loopback(), "{}", server.address);
    assert!(server.address.is_ipv4(), "IPv4 first: {}", server.address);
    let url = format!("http://localhost:{}/webhook", server.address.port());
    let (code, reports) = send(&url, &["--token", TOKEN, "Live.CallbackAfterEndBattle"]);
    assert_eq!(code, 0, "{reports:?}");
    stop(server);
    let out = run(
        &["serve", "--sdkappid", SDK_APP_ID, "--listen", "localhost"],
        b"",
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("has no port"), "{}", out.transcript);
}

#[test]
fn a_token_file_with_whitespace_around_the_token_works_and_one_without_a_token_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Written by an editor on Windows, with a space pasted before it.
    let token_file = write_token(dir.path(), &format!(" {TOKEN}\r\n"));
    let mut command = Command::new(env!("CARGO_BIN_EXE_trtc-live"));
    command
        .args(["serve", "--sdkappid", SDK_APP_ID, "--no-journal"])
        .args(["--listen", "127.0.0.1:0", "--token-file"])
        .arg(&token_file)
        .env("NO_COLOR", "1");
    let server = ServeProcess::spawn(command);
    let url = server.webhook_url();
    // The library's rule on both sides: the token as typed, or the same file.
    let (code, _) = send(&url, &["--token", TOKEN, "Live.CallbackAfterEndBattle"]);
    assert_eq!(code, 0);
    let (code, _) = send(
        &url,
        &[
            "--token-file",
            token_file.to_str().unwrap(),
            "Live.CallbackAfterEndBattle",
        ],
    );
    assert_eq!(code, 0);
    // And a receiver built with the library from the file's text agrees with serve.
    let text = std::fs::read_to_string(&token_file).unwrap();
    let time = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let signed = trtc_live_receiver::sign(&trtc_live_receiver::Token::new(text), &time);
    assert_eq!(
        signed,
        trtc_live_receiver::sign(&trtc_live_receiver::Token::new(TOKEN), &time)
    );
    stop(server);

    let blank = write_token(dir.path(), " \r\n\n");
    let out = run(
        &[
            "serve",
            "--sdkappid",
            SDK_APP_ID,
            "--token-file",
            blank.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.code, 2, "{}", out.transcript);
    assert!(out.stderr.contains("holds no token"), "{}", out.transcript);
}

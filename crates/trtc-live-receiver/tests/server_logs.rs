//! Every outcome of an endpoint through `tracing`: one JSON line per request, each rejection
//! with its reason and status, never the token, nothing of the body. Alone in its test binary:
//! it installs the process's global subscriber.

#![cfg(all(feature = "axum", feature = "journal", feature = "server"))]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::server::*;
use common::*;
use trtc_live_receiver::axum::WebhookEndpoint;
use trtc_live_receiver::server::ServerLimits;
use trtc_live_receiver::{Answer, Delivery};

/// The log lines the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rejection_is_logged_on_one_line_with_its_reason_and_never_the_token_or_the_body() {
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .json()
        .flatten_event(true)
        .finish();
    let _guard = tracing::subscriber::set_global_default(subscriber);
    let endpoint = WebhookEndpoint::new(shared_receiver(), |d: Delivery| async move {
        Answer::for_delivery(&d)
    });
    let server = Running::start(endpoint, ServerLimits::default()).await;
    // A secret-looking body member and an account id that must not reach the logs.
    // The offending values themselves: the validator's messages quote them.
    let secret_body = END_BATTLE
        .replace("\"OpType\": 0", "\"OpType\": \"private-room-name\"")
        .replace("144115245353757792", "-144115245353757792");
    let good = signed_now("Live.CallbackAfterEndBattle");
    let cases = [
        (
            good.replace("Sign=", "Sign=f"),
            END_BATTLE.to_owned(),
            "sign_mismatch",
            401,
        ),
        (good.clone(), secret_body.clone(), "schema", 422),
        (
            good.clone(),
            "{\"CallbackCommand\": ".to_owned(),
            "not_json",
            400,
        ),
        (
            format!("{good}&WebhookCommand=Live.CallbackAfterStartBattle"),
            END_BATTLE.to_owned(),
            "url_command_conflict",
            400,
        ),
        (
            good.replace(SDK_APP_ID, "1400000001"),
            END_BATTLE.to_owned(),
            "sdk_app_id_mismatch",
            403,
        ),
    ];
    for (query, body, _, status_expected) in &cases {
        assert_eq!(
            status(&post_to(server.address, query, body).await),
            *status_expected
        );
    }
    server.stop().await;
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let events: Vec<serde_json::Value> = logs
        .lines()
        .filter(|line| line.contains("trtc_live_receiver::axum"))
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(events.len(), cases.len(), "{logs}");
    for ((_, _, reason, status_expected), event) in cases.iter().zip(&events) {
        assert_eq!(event["reason"], *reason, "{event}");
        assert_eq!(event["status"], *status_expected, "{event}");
        assert_eq!(event["level"], "WARN", "{event}");
        assert!(event["detail"].is_string(), "{event}");
        assert!(event["remote"].as_str().unwrap().starts_with("127.0.0.1:"));
    }
    assert!(!logs.contains(TOKEN), "the token is never logged");
    assert!(
        !logs.contains("private-room-name"),
        "nothing of the body: {logs}"
    );
    assert!(
        !logs.contains("144115245353757792"),
        "nothing of the body: {logs}"
    );
}

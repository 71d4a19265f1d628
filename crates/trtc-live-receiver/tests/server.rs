//! An axum app built on this crate with what `trtc-live serve` has, over real TCP on loopback:
//! the server's limits (headers, body, connections), the durable journal (on disk before the
//! handler runs; quarantine; 503 when it cannot be written), invalid deliveries handed to the
//! app, and every outcome reported to the hook (`server_logs.rs`: through `tracing`).

#![cfg(all(feature = "axum", feature = "journal", feature = "server"))]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::server::*;
use common::*;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use trtc_live_receiver::axum::WebhookEndpoint;
use trtc_live_receiver::journal::{Journal, Journals};
use trtc_live_receiver::server::ServerLimits;
use trtc_live_receiver::{Answer, Delivery, InvalidDelivery};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_is_on_disk_before_the_handler_sees_it_and_rejections_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let journals = Arc::new(Journals::open(dir.path()).unwrap());
    let accepted_path = journals.accepted().path().to_path_buf();
    // The handler reads the journal: the delivery it is given must already be there.
    let handler = move |delivery: Delivery| {
        let path = accepted_path.clone();
        async move {
            let on_disk = records(&path);
            assert!(
                on_disk.iter().any(|r| *r.body_bytes() == delivery.body[..]),
                "the handler runs after the record is durable"
            );
            Answer::for_delivery(&delivery)
        }
    };
    let seen = Seen::default();
    let endpoint = WebhookEndpoint::new(shared_receiver(), handler)
        .journals(Arc::clone(&journals))
        .on_outcome(hook(&seen));
    let server = Running::start(endpoint, ServerLimits::default()).await;

    let answer = post_signed(server.address, "Live.CallbackAfterEndBattle", END_BATTLE).await;
    assert_eq!(status(&answer), 200, "{answer}");
    let wrong_sign = signed_now("Live.CallbackAfterEndBattle").replace("Sign=", "Sign=0");
    assert_eq!(
        status(&post_to(server.address, &wrong_sign, END_BATTLE).await),
        401
    );
    let invalid = END_BATTLE.replace("\"OpType\": 0", "\"OpType\": -1");
    let answer = post_signed(server.address, "Live.CallbackAfterEndBattle", &invalid).await;
    assert_eq!(status(&answer), 422, "{answer}");
    server.stop().await;

    let accepted = records(journals.accepted().path());
    assert_eq!(accepted.len(), 1);
    assert_eq!(&*accepted[0].body_bytes(), END_BATTLE.as_bytes());
    assert_eq!(accepted[0].command(), Some("Live.CallbackAfterEndBattle"));
    assert!(accepted[0].remote().starts_with("127.0.0.1:"));
    let quarantined = records(journals.quarantine().path());
    assert_eq!(quarantined.len(), 1, "only the authenticated invalid one");
    assert_eq!(&*quarantined[0].body_bytes(), invalid.as_bytes());
    assert!(quarantined[0].reason().unwrap().contains("/OpType"));
    let end_battle = Some("Live.CallbackAfterEndBattle".to_owned());
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            ("accepted".to_owned(), 200, end_battle.clone()),
            ("sign_mismatch".to_owned(), 401, None),
            ("schema".to_owned(), 422, end_battle),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_deliveries_reach_the_app_that_asks_for_them_after_the_quarantine() {
    let dir = tempfile::tempdir().unwrap();
    let journals = Arc::new(Journals::open(dir.path()).unwrap());
    let got: Arc<Mutex<Vec<InvalidDelivery>>> = Arc::default();
    let keep = Arc::clone(&got);
    let on_invalid = move |invalid: InvalidDelivery| {
        let keep = Arc::clone(&keep);
        async move {
            let decision = invalid.command.filter(|c| c.response_is_a_decision());
            keep.lock().unwrap().push(invalid);
            // A notification is acknowledged; a gift is failed as if refused.
            match decision {
                Some(_) => None,
                None => Some(Answer::ok()),
            }
        }
    };
    let seen = Seen::default();
    let endpoint = WebhookEndpoint::new(shared_receiver(), |d: Delivery| async move {
        Answer::for_delivery(&d)
    })
    .journals(Arc::clone(&journals))
    .on_invalid(on_invalid)
    .on_outcome(hook(&seen));
    let server = Running::start(endpoint, ServerLimits::default()).await;

    let battle = END_BATTLE.replace("\"OpType\": 0", "\"OpType\": -1");
    let query = signed_now("Live.CallbackAfterEndBattle");
    assert_eq!(status(&post_to(server.address, &query, &battle).await), 200);
    let gift = GIFT.replace("\"Coins\": 1000", "\"Coins\": -1");
    let query = signed_now("Live.CallbackBeforeSendGift");
    assert_eq!(status(&post_to(server.address, &query, &gift).await), 422);
    let new_word = r#"{"CallbackCommand": "Live.CallbackAfterSomethingNew"}"#;
    let query = signed_now("Live.CallbackAfterSomethingNew");
    assert_eq!(
        status(&post_to(server.address, &query, new_word).await),
        200
    );
    server.stop().await;

    let got = got.lock().unwrap();
    let bodies: Vec<&[u8]> = got.iter().map(|i| &i.body[..]).collect();
    assert_eq!(
        bodies,
        vec![battle.as_bytes(), gift.as_bytes(), new_word.as_bytes()]
    );
    assert_eq!(records(journals.quarantine().path()).len(), 3);
    assert_eq!(records(journals.accepted().path()).len(), 0);
    let reasons: Vec<(String, u16)> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|(reason, status, _)| (reason.clone(), *status))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("delivered_invalid".to_owned(), 200),
            ("schema".to_owned(), 422),
            ("delivered_invalid".to_owned(), 200),
        ]
    );
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_that_cannot_be_recorded_is_answered_503_and_never_handled() {
    // /dev/full: every write fails with "no space left on device".
    let journals = Journals::from_parts(
        Journal::open(std::path::Path::new("/dev/full")).unwrap(),
        Journal::open(std::path::Path::new("/dev/full")).unwrap(),
    );
    let seen = Seen::default();
    let endpoint = WebhookEndpoint::new(shared_receiver(), |_: Delivery| async {
        panic!("a delivery that is not recorded must not be handled")
    })
    .journals(Arc::new(journals))
    .on_outcome(hook(&seen));
    let server = Running::start(endpoint, ServerLimits::default()).await;
    let answer = post_signed(server.address, "Live.CallbackAfterEndBattle", END_BATTLE).await;
    assert_eq!(status(&answer), 503, "{answer}");
    assert!(
        answer.contains("the delivery could not be recorded"),
        "{answer}"
    );
    server.stop().await;
    assert_eq!(seen.lock().unwrap()[0].0, "not_recorded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_limits_bound_headers_bodies_and_connections() {
    let limits = ServerLimits {
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        write_timeout: Duration::from_secs(1),
        max_connections: 2,
    };
    let seen = Seen::default();
    let endpoint = WebhookEndpoint::new(shared_receiver(), |d: Delivery| async move {
        Answer::for_delivery(&d)
    })
    .on_outcome(hook(&seen));
    let server = Running::start(endpoint, limits).await;

    // Headers never finished: closed without an answer at the header timeout.
    let started = Instant::now();
    let mut silent = TcpStream::connect(server.address).await.unwrap();
    silent
        .write_all(b"POST /webhook HTTP/1.1\r\n")
        .await
        .unwrap();
    let answer = read_to_close(&mut silent).await;
    let took = started.elapsed();
    assert!(!answer.contains("200"), "{answer}");
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "{took:?}"
    );

    // A body that never ends: 408 at the body deadline, and the connection closed.
    let started = Instant::now();
    let mut slow = TcpStream::connect(server.address).await.unwrap();
    let query = signed_now("Live.CallbackAfterEndBattle");
    let head = format!(
        "POST /webhook?{query} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{{",
        END_BATTLE.len()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    let answer = read_to_close(&mut slow).await;
    let took = started.elapsed();
    assert_eq!(status(&answer), 408, "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "{took:?}"
    );

    // The limit of 2 connections: two idle ones hold the slots; a third is served only once
    // one of them is closed (at the header timeout).
    let _first = TcpStream::connect(server.address).await.unwrap();
    let _second = TcpStream::connect(server.address).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let answer = post_signed(server.address, "Live.CallbackAfterEndBattle", END_BATTLE).await;
    let waited = started.elapsed();
    assert_eq!(status(&answer), 200, "{answer}");
    assert!(
        waited >= Duration::from_millis(700),
        "served after a slot freed: {waited:?}"
    );
    server.stop().await;
    let reasons: Vec<String> = seen.lock().unwrap().iter().map(|s| s.0.clone()).collect();
    assert_eq!(reasons, vec!["body_timeout", "accepted"]);
}

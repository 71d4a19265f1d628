//! The axum adapter, driven with `tower::ServiceExt::oneshot`: no socket, a fixed clock.

#![cfg(feature = "axum")]

mod common;

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::SystemTime;

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use axum::Router;
use common::*;
use http_body::Frame;
use tower::ServiceExt;
use trtc_live_receiver::axum::{webhook_route, webhook_router, WebhookEndpoint};
use trtc_live_receiver::{Answer, Delivery, Receiver};
use trtc_live_types::{LiveCallbackBeforeSendGiftResponse, Webhook};

/// The clock of these tests: 3 s after the documented request was signed.
fn fixed_now() -> SystemTime {
    now()
}

/// The application of these tests: rejects gifts of more than 500 coins, OK to the rest.
async fn handler(delivery: Delivery) -> Answer {
    match &delivery.webhook {
        Webhook::LiveCallbackBeforeSendGift(gift) if gift.gift_water.coins > 500 => Answer::gift(
            gift,
            LiveCallbackBeforeSendGiftResponse::reject("too expensive"),
        ),
        _ => Answer::for_delivery(&delivery),
    }
}

fn app() -> Router {
    let endpoint = WebhookEndpoint::new(Arc::new(receiver()), handler).clock(fixed_now);
    Router::new().route("/webhook", endpoint.into_route())
}

fn request(method: &str, query: &str, body: impl Into<Body>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(format!("/webhook?{query}"))
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap()
}

async fn call(app: Router, request: Request<Body>) -> (StatusCode, serde_json::Value) {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    assert_eq!(response.headers()["content-type"], "application/json");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).expect("a JSON answer"),
    )
}

#[tokio::test]
async fn an_accepted_webhook_reaches_the_handler_and_its_answer_is_sent() {
    let gift_query = signed_query("Live.CallbackBeforeSendGift", REQUEST_TIME);
    let (status, answer) = call(app(), request("POST", &gift_query, GIFT)).await;
    assert_eq!(status, 200);
    assert_eq!(
        answer,
        serde_json::json!({"ActionStatus": "OK", "ErrorCode": 1, "ErrorInfo": "too expensive"})
    );

    let cheap = GIFT.replace("1000", "10");
    let (status, answer) = call(app(), request("POST", &gift_query, cheap)).await;
    assert_eq!(
        (status, &answer["ErrorCode"]),
        (StatusCode::OK, &serde_json::json!(0))
    );

    let battle_query = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let (status, answer) = call(app(), request("POST", &battle_query, END_BATTLE)).await;
    assert_eq!(status, 200);
    assert_eq!(
        answer,
        serde_json::json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""})
    );
}

#[tokio::test]
async fn rejections_are_answered_per_the_table_without_calling_the_handler() {
    async fn never(_: Delivery) -> Answer {
        panic!("the handler must not be called")
    }
    let endpoint = WebhookEndpoint::new(Arc::new(receiver()), never).clock(fixed_now);
    let app = Router::new().route("/webhook", endpoint.into_route());
    let good = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let cases = [
        (request("GET", &good, Body::empty()), 405),
        (
            request("POST", &good.replace(SDK_APP_ID, "1"), END_BATTLE),
            403,
        ),
        (
            request(
                "POST",
                &good.replace(DOCUMENTED_SIGN, &"1".repeat(64)),
                END_BATTLE,
            ),
            401,
        ),
        (request("POST", &good, "{"), 400),
        (
            request(
                "POST",
                &good,
                r#"{"CallbackCommand": "Live.CallbackAfterEndBattle"}"#,
            ),
            422,
        ),
        (request("POST", &good, format!("{:4097}", END_BATTLE)), 413),
    ];
    for (request, status) in cases {
        let what = format!("{} {}", request.method(), request.uri());
        let (got, answer) = call(app.clone(), request).await;
        assert_eq!(got.as_u16(), status, "{what}: {answer}");
        assert_eq!(answer["ActionStatus"], "FAIL", "{what}");
    }
}

#[tokio::test]
async fn the_clock_is_the_endpoints() {
    // The same signed request, 61 s later by the endpoint's clock: a replay.
    fn late() -> SystemTime {
        at(REQUEST_TIME + 61, 0)
    }
    let endpoint = WebhookEndpoint::new(Arc::new(receiver()), handler).clock(late);
    let app = Router::new().route("/webhook", endpoint.into_route());
    let good = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let (status, answer) = call(app, request("POST", &good, END_BATTLE)).await;
    assert_eq!(status, 401);
    assert_eq!(answer["ErrorInfo"], "RequestTime too old");
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_reading() {
    let good = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let mut request = request("POST", &good, END_BATTLE);
    request
        .headers_mut()
        .insert("content-length", "1000000".parse().unwrap());
    let (status, answer) = call(app(), request).await;
    assert_eq!(status, 413);
    assert_eq!(answer["ErrorInfo"], "body too large");
}

#[tokio::test]
async fn a_streamed_body_over_the_limit_is_refused() {
    let good = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let body = chunked((0..10).map(|_| Ok(&[b' '; 1000][..])).collect());
    let (status, _) = call(app(), request("POST", &good, body)).await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn a_body_that_fails_while_streamed_is_body_not_read() {
    let good = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let body = chunked(vec![
        Ok(b"{"),
        Err(std::io::Error::other("connection reset")),
    ]);
    let (status, answer) = call(app(), request("POST", &good, body)).await;
    assert_eq!(status, 400);
    assert_eq!(answer["ErrorInfo"], "body could not be read");
}

#[tokio::test]
async fn an_answer_that_does_not_fit_is_a_failed_delivery() {
    // A handler that answers every webhook with a gift decision (a bug).
    let gift = match trtc_live_validate::Validator::new()
        .unwrap()
        .validate(GIFT.as_bytes())
        .unwrap()
    {
        Webhook::LiveCallbackBeforeSendGift(gift) => gift,
        _ => unreachable!(),
    };
    let answer = Answer::gift(&gift, LiveCallbackBeforeSendGiftResponse::allow());
    let buggy = move |_: Delivery| {
        let answer = answer.clone();
        async move { answer }
    };
    let endpoint = WebhookEndpoint::new(Arc::new(receiver()), buggy).clock(fixed_now);
    let app = Router::new().route("/webhook", endpoint.into_route());
    let message_query = signed_query("Group.CallbackBeforeSendMsg", REQUEST_TIME);
    let (status, answer) = call(app.clone(), request("POST", &message_query, MESSAGE)).await;
    assert_eq!(status, 500);
    assert_eq!(
        answer["ErrorInfo"],
        "a gift decision cannot answer Group.CallbackBeforeSendMsg"
    );
    // To a gift, the same answer is fine.
    let gift_query = signed_query("Live.CallbackBeforeSendGift", REQUEST_TIME);
    let (status, _) = call(app, request("POST", &gift_query, GIFT)).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_router_answers_at_every_path_and_the_route_only_at_its_own() {
    let good = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let receiver: Arc<Receiver> =
        Arc::new(Receiver::new(trtc_live_receiver::ReceiverConfig::new(SDK_APP_ID)).unwrap());
    let router: Router = webhook_router(Arc::clone(&receiver), handler);
    let request_at = |path: &str| {
        Request::builder()
            .method("POST")
            .uri(format!("{path}?{good}"))
            .body(Body::from(END_BATTLE))
            .unwrap()
    };
    for path in ["/", "/webhook", "/any/where"] {
        let response = router.clone().oneshot(request_at(path)).await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    let routed: Router = Router::new().route("/hook", webhook_route(receiver, handler));
    assert_eq!(
        routed
            .clone()
            .oneshot(request_at("/hook"))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        routed.oneshot(request_at("/other")).await.unwrap().status(),
        404
    );
}

/// A body made of `chunks`, each a piece of data or an error (a connection that fails).
struct Chunks(VecDeque<Result<Bytes, std::io::Error>>);

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(
            self.get_mut()
                .0
                .pop_front()
                .map(|chunk| chunk.map(Frame::data)),
        )
    }
}

fn chunked(chunks: Vec<Result<&'static [u8], std::io::Error>>) -> Body {
    Body::new(Chunks(
        chunks
            .into_iter()
            .map(|c| c.map(Bytes::from_static))
            .collect(),
    ))
}

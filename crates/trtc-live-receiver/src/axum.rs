//! axum 0.8 integration (feature `axum`): a typed webhook in a few lines.
//!
//! ```no_run
//! use std::sync::Arc;
//! use trtc_live_receiver::axum::webhook_route;
//! use trtc_live_receiver::{Answer, Delivery, Receiver, ReceiverConfig};
//!
//! async fn on_webhook(delivery: Delivery) -> Answer {
//!     println!("{}: {:?}", delivery.command(), delivery.webhook);
//!     Answer::for_delivery(&delivery)
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let receiver = Arc::new(Receiver::new(ReceiverConfig::new("1400000000"))?);
//! let app = axum::Router::new().route("/webhook", webhook_route(receiver, on_webhook));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await?;
//! # Ok(())
//! # }
//! ```
//!
//! The handler gets only accepted deliveries; every rejection is answered per the
//! [HTTP table](crate::ReceiveError#http-answers) with the receiver's policy, before the handler
//! is called. The body is read up to the receiver's `max_body_bytes` (a larger
//! `Content-Length` is refused without reading the body). The clock is `SystemTime::now()` when
//! the request arrives, or the function given to [`WebhookEndpoint::clock`].
//!
//! # Serving it on the network
//!
//! The endpoint bounds the body's size, not the time anything takes: that is the server's job,
//! and `axum::serve` (as in the example above) bounds nothing. With it, a client that sends its
//! headers a byte at a time, or a body that never ends, or opens connections and sends
//! nothing, holds a task and a file descriptor each for as long as it likes. An application
//! facing the network should:
//!
//! - serve connections with hyper's `http1::Builder`, setting `header_read_timeout` (which
//!   needs a `timer`, `hyper_util::rt::TokioTimer`; it also closes idle kept-alive
//!   connections), instead of `axum::serve`;
//! - limit the connections open at once (a `tokio::sync::Semaphore` taken before `accept`);
//! - bound the body's time: wrap the handler in a deadline (`tokio::time::timeout` around the
//!   whole request, or tower-http's `RequestBodyTimeoutLayer`) and answer 408;
//! - bound the time an answer may wait for a client that does not read it (a write timeout on
//!   the connection).
//!
//! `trtc-live serve` does all four (`crates/trtc-live-cli/src/serve/connections.rs` and
//! `stall.rs`, with [`read_body`] under a deadline), and its tests play each of these clients.
//!
//! An answer that does not fit the webhook (a gift decision returned for a message, see
//! [`Answer::fits`]) is a bug of the handler: the request is answered HTTP 500 with a FAIL
//! body, a failed delivery, so that Tencent applies the application's failure behaviour rather
//! than misreading the answer.

use std::future::Future;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Body;
use axum::http::{header::CONTENT_LENGTH, HeaderMap, Method, Request, StatusCode};
use axum::response::Response;
use axum::routing::{any, MethodRouter};
use axum::Router;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::http_answer::failure_response;
use crate::{Answer, Delivery, ReceiveError, Receiver};

/// The clock of an endpoint: a function giving the current time.
pub type Clock = fn() -> SystemTime;

/// A webhook endpoint: a receiver, the application's handler, and a clock.
#[derive(Clone)]
pub struct WebhookEndpoint<H> {
    receiver: Arc<Receiver>,
    handler: H,
    clock: Clock,
}

impl<H, F> WebhookEndpoint<H>
where
    H: Fn(Delivery) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Answer> + Send + 'static,
{
    /// An endpoint that checks requests with `receiver` and hands each accepted delivery to
    /// `handler`, with the system clock.
    pub fn new(receiver: Arc<Receiver>, handler: H) -> Self {
        Self {
            receiver,
            handler,
            clock: SystemTime::now,
        }
    }

    /// The same endpoint with another clock (tests fix it).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// A route for every method (a method other than POST is answered 405 per the table), to
    /// mount at the webhook's path: `Router::new().route("/webhook", endpoint.into_route())`.
    pub fn into_route<S>(self) -> MethodRouter<S>
    where
        S: Clone + Send + Sync + 'static,
    {
        any(move |request: Request<Body>| self.answer(request))
    }

    /// A router that answers at every path, to serve as the whole application or to merge.
    pub fn into_router<S>(self) -> Router<S>
    where
        S: Clone + Send + Sync + 'static,
    {
        Router::new().fallback(self.into_route())
    }

    /// Checks `request`, calls the handler if it is accepted, and answers.
    async fn answer(self, request: Request<Body>) -> Response {
        let now = (self.clock)();
        let (parts, body) = request.into_parts();
        let body = match read_body(&self.receiver, &parts.method, &parts.headers, body).await {
            Ok(body) => body,
            Err(error) => return self.reject(&error),
        };
        match self.receiver.receive(&parts.method, &parts.uri, &body, now) {
            Ok(delivery) => {
                let command = delivery.command();
                let answer = (self.handler)(delivery).await;
                match answer.http_response_to(command) {
                    Ok(response) => response.map(Body::from),
                    Err(mismatch) => {
                        failure_response(StatusCode::INTERNAL_SERVER_ERROR, &mismatch.to_string())
                            .map(Body::from)
                    }
                }
            }
            Err(error) => self.reject(&error),
        }
    }

    fn reject(&self, error: &ReceiveError) -> Response {
        self.receiver.response_for(error).map(Body::from)
    }
}

/// The body of a request to `receiver`, read up to one byte over its limit (so that
/// [`Receiver::receive`] reports the size); refused early when the method is not POST or
/// `Content-Length` is over the limit. For servers that answer with their own handler but
/// want the same limits (`trtc-live serve` does).
pub async fn read_body(
    receiver: &Receiver,
    method: &Method,
    headers: &HeaderMap,
    body: Body,
) -> Result<Vec<u8>, ReceiveError> {
    if method != Method::POST {
        return Err(ReceiveError::MethodNotAllowed {
            method: method.clone(),
        });
    }
    let limit = receiver.config().max_body_bytes;
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    let too_large = |size| ReceiveError::BodyTooLarge { size, limit };
    if let Some(size) = declared.filter(|&size| size > limit) {
        return Err(too_large(size));
    }
    let read_limit = limit.saturating_add(1);
    match Limited::new(body, read_limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes().to_vec()),
        Err(error) if error.is::<LengthLimitError>() => Err(too_large(read_limit)),
        Err(error) => Err(ReceiveError::BodyNotRead {
            reason: error.to_string(),
        }),
    }
}

/// A route answering webhooks with `handler` (see [`WebhookEndpoint::into_route`]):
/// `Router::new().route("/webhook", webhook_route(receiver, handler))`.
pub fn webhook_route<H, F, S>(receiver: Arc<Receiver>, handler: H) -> MethodRouter<S>
where
    H: Fn(Delivery) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Answer> + Send + 'static,
    S: Clone + Send + Sync + 'static,
{
    WebhookEndpoint::new(receiver, handler).into_route()
}

/// A router answering webhooks with `handler` at every path (see
/// [`WebhookEndpoint::into_router`]).
pub fn webhook_router<H, F, S>(receiver: Arc<Receiver>, handler: H) -> Router<S>
where
    H: Fn(Delivery) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Answer> + Send + 'static,
    S: Clone + Send + Sync + 'static,
{
    WebhookEndpoint::new(receiver, handler).into_router()
}

/// The answer as an axum response, for applications that call [`Receiver::receive`]
/// themselves.
impl axum::response::IntoResponse for Answer {
    fn into_response(self) -> Response {
        self.http_response().map(Body::from)
    }
}

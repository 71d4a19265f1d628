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
//! # What an endpoint can also do
//!
//! - **Journal** every delivery durably before it is handled ([`WebhookEndpoint::journals`],
//!   feature `journal`): an accepted delivery is on disk (fsync) before the handler sees it, and
//!   an authenticated request whose packet is not valid is kept in quarantine with the reason;
//!   a delivery that cannot be recorded is answered 503 and never acknowledged. This is what
//!   `trtc-live serve` does.
//! - **Receive invalid deliveries** ([`WebhookEndpoint::on_invalid`]): authenticated requests
//!   whose packet breaks its schema (or whose command is unknown, ...) go to a second handler
//!   instead of being refused. The trade-offs are in the crate documentation,
//!   [Invalid deliveries](crate#invalid-deliveries).
//! - **See every outcome** ([`WebhookEndpoint::on_outcome`]): a hook called once per request
//!   with what became of it, for alerts and counters.
//!
//! # Logs
//!
//! Every request gives one `tracing` event, on one line, with the target
//! `trtc_live_receiver::axum`: `accepted` (level INFO; with the validator's warnings, by kind,
//! check and JSON pointer), `rejected` and `quarantined` (WARN), `invalid delivery handed to
//! the application` (WARN), `not recorded` and `answer does not fit` (ERROR). Fields: `remote`
//! (when the server gives the client's address as axum's `ConnectInfo<SocketAddr>`, which the
//! [server](crate::server) of the `server` feature does), `command`, `status`, `reason` (the
//! stable [`ReceiveError::code`]) and `detail` ([`ReceiveError::log_detail`]). No event carries
//! the token, nor anything of the body but its command word.
//!
//! # Serving it on the network
//!
//! The endpoint bounds the body's size, not the time anything takes: that is the server's job,
//! and `axum::serve` (as in the example above) bounds nothing. With it, a client that sends its
//! headers a byte at a time, or a body that never ends, or opens connections and sends
//! nothing, holds a task and a file descriptor each for as long as it likes. Serve the
//! application with [`crate::server::serve`] (feature `server`) instead: it bounds the time to
//! send the headers (and idle connections), the body (answered 408 here,
//! [`ReceiveError::BodyTimeout`]), the answer's writing, and the connections open at once,
//! with `trtc-live serve`'s defaults.
//!
//! An answer that does not fit the webhook (a gift decision returned for a message, see
//! [`Answer::fits`]) is a bug of the handler: the request is answered HTTP 500 with a FAIL
//! body, a failed delivery, so that Tencent applies the application's failure behaviour rather
//! than misreading the answer.

use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header::CONTENT_LENGTH, HeaderMap, Method, Request, StatusCode};
use axum::response::Response;
use axum::routing::{any, MethodRouter};
use axum::Router;
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::http_answer::failure_response;
use crate::{
    Answer, AnswerMismatch, Command, Delivery, Genuine, InvalidDelivery, ReceiveError, Receiver,
    Warning,
};

/// The clock of an endpoint: a function giving the current time.
pub type Clock = fn() -> SystemTime;

/// A future returned by the handler of invalid deliveries.
pub type InvalidAnswerFuture = Pin<Box<dyn Future<Output = Option<Answer>> + Send>>;

/// The handler of invalid deliveries ([`WebhookEndpoint::on_invalid`]).
type InvalidHandler = Arc<dyn Fn(InvalidDelivery) -> InvalidAnswerFuture + Send + Sync>;

/// The hook called with every outcome ([`WebhookEndpoint::on_outcome`]).
type OutcomeHook = Arc<dyn Fn(&Outcome<'_>) + Send + Sync>;

/// What a handler of valid deliveries answers: an [`Answer`] (HTTP 200 and the answer's
/// packet; an `async fn` returning `Answer` is a handler), or a failure of the application's
/// own, answered with a failure status so that Tencent counts a failed delivery (and, for a
/// before-webhook, applies the application's failure setting). A gateway uses the failure when
/// the application behind it did not answer in time.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// The answer, sent with HTTP 200.
    Answer(Answer),
    /// A failed delivery: `status` (5xx) and the failure packet with `info` as its `ErrorInfo`.
    Fail {
        /// The HTTP status.
        status: StatusCode,
        /// A stable name for logs and counters (`app_timeout`, ...).
        code: &'static str,
        /// What went wrong, in words (sent as `ErrorInfo`, and logged).
        info: String,
    },
}

impl From<Answer> for Reply {
    fn from(answer: Answer) -> Self {
        Self::Answer(answer)
    }
}

/// The error a request body gives when it did not arrive in time: the server of the `server`
/// feature ends a body with it at its deadline, and [`read_body`] reports it as
/// [`ReceiveError::BodyTimeout`]. A server of the application's own can do the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the body was not received within {} s", .timeout.as_secs_f64())]
pub struct BodyTimedOut {
    /// The deadline, from the end of the request's headers.
    pub timeout: Duration,
}

/// What became of one request: given to the hook of [`WebhookEndpoint::on_outcome`], for alerts
/// and counters (deliveries by command and outcome, rejections by reason, latency).
#[derive(Debug)]
#[non_exhaustive]
pub struct Outcome<'a> {
    /// What happened.
    pub kind: OutcomeKind<'a>,
    /// The HTTP status answered.
    pub status: StatusCode,
    /// The client's address, when the server gives it (axum's `ConnectInfo<SocketAddr>`).
    pub remote: Option<SocketAddr>,
    /// The command, when it is known and trustworthy (the request was authenticated).
    pub command: Option<Command>,
    /// The time from the request's arrival (its headers read) to its answer, handler and
    /// journal included.
    pub elapsed: Duration,
}

/// What happened to a request ([`Outcome::kind`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum OutcomeKind<'a> {
    /// A valid delivery, journaled (when the endpoint has journals), handled and answered.
    Accepted {
        /// The validator's warnings on it.
        warnings: &'a [Warning],
    },
    /// An authenticated request whose packet is not valid, handed to the application's handler
    /// of invalid deliveries (and quarantined first, when the endpoint has journals).
    DeliveredInvalid {
        /// Why it is not valid.
        error: &'a ReceiveError,
    },
    /// A refused request, answered per the HTTP table and the receiver's policy.
    Rejected {
        /// Why.
        error: &'a ReceiveError,
        /// Whether it was kept in the sink's quarantine (the quarantine journal).
        quarantined: bool,
    },
    /// A delivery the sink could not keep (the journal could not be written, JetStream did not
    /// acknowledge it in time): answered 503, never acknowledged.
    NotRecorded {
        /// What the sink said (a late acknowledgement is of kind `TimedOut`).
        error: &'a std::io::Error,
    },
    /// The handler's answer does not fit the webhook (a bug of the handler): answered 500.
    AnswerDoesNotFit {
        /// What does not fit.
        mismatch: &'a AnswerMismatch,
    },
    /// A valid delivery (journaled, when the endpoint has journals) whose handler answered
    /// [`Reply::Fail`]: answered with its status.
    HandlerFailed {
        /// The handler's stable name for the failure.
        code: &'static str,
        /// What went wrong.
        info: &'a str,
    },
}

impl Outcome<'_> {
    /// A stable name for what happened, for counters: `accepted`, `delivered_invalid`, the
    /// rejection's [`ReceiveError::code`] (`sign_mismatch`, `schema`, ...), `not_recorded`,
    /// `answer_does_not_fit`, or the code of a handler's [`Reply::Fail`].
    pub fn reason(&self) -> &'static str {
        match &self.kind {
            OutcomeKind::Accepted { .. } => "accepted",
            OutcomeKind::DeliveredInvalid { .. } => "delivered_invalid",
            OutcomeKind::Rejected { error, .. } => error.code(),
            OutcomeKind::NotRecorded { .. } => "not_recorded",
            OutcomeKind::AnswerDoesNotFit { .. } => "answer_does_not_fit",
            OutcomeKind::HandlerFailed { code, .. } => code,
        }
    }

    /// Whether the request was refused (answered with anything but the application's answer).
    pub fn is_rejection(&self) -> bool {
        matches!(self.kind, OutcomeKind::Rejected { .. })
    }

    /// Reports the outcome through `tracing`, on one line (see [Logs](self#logs)).
    fn log(&self) {
        let remote = self.remote.map(tracing::field::display);
        let command = self.command.map(|c| tracing::field::display(c.as_str()));
        let status = self.status.as_u16();
        let elapsed_ms = self.elapsed.as_secs_f64() * 1000.0;
        match &self.kind {
            OutcomeKind::Accepted { warnings: [] } => {
                tracing::info!(remote, command, status, elapsed_ms, "accepted");
            }
            OutcomeKind::Accepted { warnings } => tracing::info!(
                remote,
                command,
                status,
                elapsed_ms,
                warnings = %Warnings(warnings),
                "accepted"
            ),
            OutcomeKind::DeliveredInvalid { error } => tracing::warn!(
                remote,
                command,
                status,
                reason = error.code(),
                detail = %error.log_detail(),
                "invalid delivery handed to the application"
            ),
            OutcomeKind::Rejected { error, quarantined } => {
                let message = if *quarantined {
                    "quarantined"
                } else {
                    "rejected"
                };
                tracing::warn!(
                    remote,
                    command,
                    status,
                    reason = error.code(),
                    detail = %error.log_detail(),
                    "{message}"
                );
            }
            OutcomeKind::NotRecorded { error } => tracing::error!(
                remote,
                command,
                status,
                reason = "not_recorded",
                %error,
                "not recorded: the sink could not keep it"
            ),
            OutcomeKind::AnswerDoesNotFit { mismatch } => tracing::error!(
                remote,
                command,
                status,
                reason = "answer_does_not_fit",
                detail = %mismatch,
                "answer does not fit the webhook"
            ),
            OutcomeKind::HandlerFailed { code, info } => tracing::error!(
                remote,
                command,
                status,
                reason = code,
                detail = info,
                "the application failed the delivery"
            ),
        }
    }
}

/// Warnings for a log line: `kind[/check] pointer`, separated by `; `.
struct Warnings<'a>(&'a [Warning]);

impl fmt::Display for Warnings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, warning) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(warning.kind.as_str())?;
            if let Some(check) = warning.check {
                write!(f, "/{check}")?;
            }
            write!(f, " {:?}", warning.instance_path)?;
        }
        Ok(())
    }
}

/// A webhook endpoint: a receiver, the application's handler, a clock, and optionally journals,
/// a handler of invalid deliveries and an outcome hook.
#[derive(Clone)]
pub struct WebhookEndpoint<H> {
    receiver: Arc<Receiver>,
    handler: H,
    clock: Clock,
    invalid: Option<InvalidHandler>,
    on_outcome: Option<OutcomeHook>,
    #[cfg(feature = "journal")]
    sink: Option<Arc<dyn crate::sink::Sink>>,
}

impl<H> fmt::Debug for WebhookEndpoint<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("WebhookEndpoint");
        debug
            .field("receiver", &self.receiver)
            .field("invalid_deliveries", &self.invalid.is_some())
            .field("on_outcome", &self.on_outcome.is_some());
        #[cfg(feature = "journal")]
        debug.field("sink", &self.sink);
        debug.finish_non_exhaustive()
    }
}

impl<H, F, R> WebhookEndpoint<H>
where
    H: Fn(Delivery) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = R> + Send + 'static,
    R: Into<Reply>,
{
    /// An endpoint that checks requests with `receiver` and hands each accepted delivery to
    /// `handler`, with the system clock.
    pub fn new(receiver: Arc<Receiver>, handler: H) -> Self {
        Self {
            receiver,
            handler,
            clock: SystemTime::now,
            invalid: None,
            on_outcome: None,
            #[cfg(feature = "journal")]
            sink: None,
        }
    }

    /// The same endpoint with another clock (tests fix it).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The same endpoint, handing every authenticated request whose payload is not valid to
    /// `handler` instead of refusing it (see [`crate::Receiver::receive_genuine`] for which
    /// requests, and [Invalid deliveries](crate#invalid-deliveries) for the trade-offs). The
    /// handler answers `Some(answer)` to acknowledge it (HTTP 200 with that answer, which must
    /// fit the command: [`Answer::fits`]; to an unknown command only [`Answer::ok`] fits), or
    /// `None` to have it answered as if it had been refused (the receiver's table and policy).
    ///
    /// ```
    /// use trtc_live_receiver::{Answer, InvalidDelivery};
    ///
    /// async fn on_invalid(invalid: InvalidDelivery) -> Option<Answer> {
    ///     eprintln!(
    ///         "{:?} does not match our schemas: {} issue(s)",
    ///         invalid.command_word,
    ///         invalid.issues().len()
    ///     );
    ///     // Keep `invalid.body` for later; acknowledge notifications, and let a gift or a
    ///     // message fail as if the app were down (Tencent's own setting decides).
    ///     match invalid.command {
    ///         Some(command) if command.response_is_a_decision() => None,
    ///         _ => Some(Answer::ok()),
    ///     }
    /// }
    /// # let _ = on_invalid;
    /// ```
    pub fn on_invalid<I, G>(mut self, handler: I) -> Self
    where
        I: Fn(InvalidDelivery) -> G + Send + Sync + 'static,
        G: Future<Output = Option<Answer>> + Send + 'static,
    {
        self.invalid = Some(Arc::new(move |invalid| Box::pin(handler(invalid))));
        self
    }

    /// The same endpoint, calling `hook` once per request with its [`Outcome`] (after the
    /// answer is decided, before it is sent): every rejection with its reason and status, and
    /// every other outcome, for alerts and counters. Keep it quick: it runs on the request's
    /// task.
    pub fn on_outcome(mut self, hook: impl Fn(&Outcome<'_>) + Send + Sync + 'static) -> Self {
        self.on_outcome = Some(Arc::new(hook));
        self
    }

    /// The same endpoint, journaling into `journals` (feature `journal`): every accepted
    /// delivery is appended to [`Journals::accepted`](crate::journal::Journals::accepted) and on
    /// disk before the handler is called; every authenticated request that is refused, or
    /// handed to [`WebhookEndpoint::on_invalid`], to
    /// [`Journals::quarantine`](crate::journal::Journals::quarantine) with the reason. A record
    /// that cannot be written gets HTTP 503 (Tencent retries later), and its delivery never
    /// reaches the handler.
    #[cfg(feature = "journal")]
    pub fn journals(self, journals: Arc<crate::journal::Journals>) -> Self {
        self.sink(journals)
    }

    /// The same endpoint, keeping deliveries in `sink` (feature `journal`; see
    /// [`crate::sink`]): every accepted delivery is kept in [`Lane::Accepted`] before the
    /// handler is called, and every authenticated request that is refused, or handed to
    /// [`WebhookEndpoint::on_invalid`], in [`Lane::Quarantine`] with the reason. A delivery the
    /// sink cannot keep (an error, or no acknowledgement in time) gets HTTP 503 (Tencent
    /// retries later), and never reaches the handler. [`WebhookEndpoint::journals`] is this
    /// with the local journals.
    ///
    /// [`Lane::Accepted`]: crate::sink::Lane::Accepted
    /// [`Lane::Quarantine`]: crate::sink::Lane::Quarantine
    #[cfg(feature = "journal")]
    pub fn sink(mut self, sink: Arc<dyn crate::sink::Sink>) -> Self {
        self.sink = Some(sink);
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

    /// Checks `request`, journals it, calls the right handler, answers, and reports the outcome.
    async fn answer(self, request: Request<Body>) -> Response {
        let started = Instant::now();
        let now = (self.clock)();
        let (parts, body) = request.into_parts();
        let remote = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0);
        let mut report = Report {
            hook: self.on_outcome.as_deref(),
            remote,
            command: None,
            started,
        };
        let body = match read_body(&self.receiver, &parts.method, &parts.headers, body).await {
            Ok(body) => body,
            Err(error) => return report.rejected(&self.receiver, &error, false),
        };
        let received = if self.invalid.is_some() {
            self.receiver
                .receive_genuine(&parts.method, &parts.uri, body.clone(), now)
        } else {
            self.receiver
                .receive_bytes(&parts.method, &parts.uri, body.clone(), now)
                .map(Genuine::Valid)
        };
        let record = Recording {
            now,
            remote,
            query: parts.uri.query().unwrap_or_default(),
            body: &body,
        };
        match received {
            Ok(Genuine::Valid(delivery)) => self.accept(delivery, &record, report).await,
            Ok(Genuine::Invalid(invalid)) => self.deliver_invalid(invalid, &record, report).await,
            Err(error) if error.is_authenticated() => {
                if let Err(io) = self.quarantine(&record, &error).await {
                    report.command = error.command();
                    return report.not_recorded(&io);
                }
                let quarantined = self.has_journals();
                report.command = error.command();
                report.rejected(&self.receiver, &error, quarantined)
            }
            Err(error) => report.rejected(&self.receiver, &error, false),
        }
    }

    /// A valid delivery: journaled, handled, answered.
    async fn accept(
        &self,
        delivery: Delivery,
        record: &Recording<'_>,
        mut report: Report<'_>,
    ) -> Response {
        let command = delivery.command();
        report.command = Some(command);
        if let Err(error) = self.record_accepted(record, command).await {
            return report.not_recorded(&error);
        }
        let warnings = delivery.warnings.clone();
        let answer = match (self.handler)(delivery).await.into() {
            Reply::Answer(answer) => answer,
            Reply::Fail { status, code, info } => {
                let response = failure_response(status, &info);
                return report.finish(response, OutcomeKind::HandlerFailed { code, info: &info });
            }
        };
        match answer.http_response_to(command) {
            Ok(response) => report.finish(
                response,
                OutcomeKind::Accepted {
                    warnings: &warnings,
                },
            ),
            Err(mismatch) => report.answer_does_not_fit(&mismatch),
        }
    }

    /// An invalid delivery the application asked for: quarantined, handled, answered.
    async fn deliver_invalid(
        &self,
        invalid: InvalidDelivery,
        record: &Recording<'_>,
        mut report: Report<'_>,
    ) -> Response {
        let error = invalid.error.clone();
        report.command = invalid.command;
        if let Err(io) = self.quarantine(record, &error).await {
            return report.not_recorded(&io);
        }
        let command = invalid.command;
        let Some(handler) = &self.invalid else {
            return report.rejected(&self.receiver, &error, self.has_journals());
        };
        let Some(answer) = handler(invalid).await else {
            return report.rejected(&self.receiver, &error, self.has_journals());
        };
        let response = match command {
            Some(command) => answer.http_response_to(command),
            None => answer.http_response_to_unknown(),
        };
        match response {
            Ok(response) => {
                report.finish(response, OutcomeKind::DeliveredInvalid { error: &error })
            }
            Err(mismatch) => report.answer_does_not_fit(&mismatch),
        }
    }

    fn has_journals(&self) -> bool {
        #[cfg(feature = "journal")]
        return self.sink.is_some();
        #[cfg(not(feature = "journal"))]
        false
    }

    /// Appends an accepted delivery to the accepted journal, if there is one.
    async fn record_accepted(
        &self,
        record: &Recording<'_>,
        command: Command,
    ) -> std::io::Result<()> {
        #[cfg(feature = "journal")]
        if let Some(sink) = &self.sink {
            let record = record.to_record().with_command(command.as_str());
            return sink.keep(crate::sink::Lane::Accepted, &record).await;
        }
        let _ = (record, command);
        Ok(())
    }

    /// Appends an authenticated request that is not valid to the quarantine journal, if there
    /// is one, with the reason.
    async fn quarantine(
        &self,
        record: &Recording<'_>,
        error: &ReceiveError,
    ) -> std::io::Result<()> {
        #[cfg(feature = "journal")]
        if let Some(sink) = &self.sink {
            let mut record = record.to_record().with_reason(error.to_string());
            if let Some(command) = error.command() {
                record = record.with_command(command.as_str());
            }
            return sink.keep(crate::sink::Lane::Quarantine, &record).await;
        }
        let _ = (record, error);
        Ok(())
    }
}

/// What a journal record of a request is made of.
#[cfg_attr(not(feature = "journal"), allow(dead_code))]
struct Recording<'a> {
    now: SystemTime,
    remote: Option<SocketAddr>,
    query: &'a str,
    body: &'a Bytes,
}

#[cfg(feature = "journal")]
impl Recording<'_> {
    fn to_record(&self) -> crate::journal::Record {
        let millis = self
            .now
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let remote = self.remote.map(|r| r.to_string()).unwrap_or_default();
        crate::journal::Record::new(millis, remote, self.query, self.body)
    }
}

/// The outcome of a request in the making: who asked, since when, and whom to tell.
struct Report<'a> {
    hook: Option<&'a (dyn Fn(&Outcome<'_>) + Send + Sync)>,
    remote: Option<SocketAddr>,
    command: Option<Command>,
    started: Instant,
}

impl Report<'_> {
    /// Reports `kind` with `response`'s status (through `tracing` and the hook), and returns the
    /// response.
    fn finish(self, response: http::Response<Vec<u8>>, kind: OutcomeKind<'_>) -> Response {
        let outcome = Outcome {
            kind,
            status: response.status(),
            remote: self.remote,
            command: self.command,
            elapsed: self.started.elapsed(),
        };
        outcome.log();
        if let Some(hook) = self.hook {
            hook(&outcome);
        }
        response.map(Body::from)
    }

    fn rejected(self, receiver: &Receiver, error: &ReceiveError, quarantined: bool) -> Response {
        let response = receiver.response_for(error);
        self.finish(response, OutcomeKind::Rejected { error, quarantined })
    }

    fn not_recorded(self, error: &std::io::Error) -> Response {
        let response = failure_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "the delivery could not be recorded",
        );
        self.finish(response, OutcomeKind::NotRecorded { error })
    }

    fn answer_does_not_fit(self, mismatch: &AnswerMismatch) -> Response {
        let response = failure_response(StatusCode::INTERNAL_SERVER_ERROR, &mismatch.to_string());
        self.finish(response, OutcomeKind::AnswerDoesNotFit { mismatch })
    }
}

/// The body of a request to `receiver`, read up to one byte over its limit (so that
/// [`Receiver::receive`] reports the size); refused early when the method is not POST or
/// `Content-Length` is over the limit. A body that ends with [`BodyTimedOut`] (the server's
/// deadline) is [`ReceiveError::BodyTimeout`]. For servers that answer with their own handler
/// but want the same limits.
pub async fn read_body(
    receiver: &Receiver,
    method: &Method,
    headers: &HeaderMap,
    body: Body,
) -> Result<Bytes, ReceiveError> {
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
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<LengthLimitError>() => Err(too_large(read_limit)),
        Err(error) => match timed_out(error.as_ref()) {
            Some(timed_out) => Err(ReceiveError::BodyTimeout {
                timeout: timed_out.timeout,
            }),
            None => Err(ReceiveError::BodyNotRead {
                reason: error.to_string(),
            }),
        },
    }
}

/// The [`BodyTimedOut`] in `error`'s chain of sources, if any (axum wraps a body's error).
fn timed_out<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a BodyTimedOut> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(timed_out) = error.downcast_ref::<BodyTimedOut>() {
            return Some(timed_out);
        }
        current = error.source();
    }
    None
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

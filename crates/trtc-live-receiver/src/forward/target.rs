//! The application behind the gateway: where each delivery goes, how it is signed, and one
//! attempt at sending it.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, USER_AGENT};
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use super::{DeliveryId, ForwardSecret, Routes};
use crate::axum::Clock;

/// The header carrying the command word.
pub const TRTC_COMMAND: &str = "trtc-command";
/// The header carrying the time the gateway received the delivery, in Unix milliseconds.
pub const TRTC_RECEIVED_AT: &str = "trtc-received-at";
/// The header carrying the number of this attempt, from 1 (a replay's attempts count anew).
pub const TRTC_ATTEMPT: &str = "trtc-attempt";
/// The header carrying Tencent's URL parameters (`SdkAppid`, `CallbackCommand`, `ClientIP`,
/// `OptPlatform`, ...), form-encoded, without `Sign`.
pub const TRTC_URL_PARAMETERS: &str = "trtc-url-parameters";

/// The most of an application's answer that is read: 64 KiB (a before-webhook's answer is a
/// few dozen bytes; a notification's is not read for anything but its status).
const MAX_ANSWER_BYTES: usize = 64 << 10;

/// One delivery as it is forwarded.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// Its stable id (`webhook-id`).
    pub id: DeliveryId,
    /// The command word (`trtc-command`; it also chooses the route).
    pub command: String,
    /// The body exactly as received.
    pub body: Bytes,
    /// When the gateway received it, in Unix milliseconds (`trtc-received-at`).
    pub received_at_ms: u64,
    /// Tencent's URL parameters, form-encoded, without `Sign` (`trtc-url-parameters`).
    pub url_parameters: String,
}

impl Outgoing {
    /// The delivery of a journal record (its command word, or the empty word when unknown).
    pub fn of_record(record: &crate::journal::Record) -> Self {
        Self {
            id: DeliveryId::of_record(record),
            command: record.command().unwrap_or_default().to_owned(),
            body: Bytes::copy_from_slice(&record.body_bytes()),
            received_at_ms: record.received_at_ms(),
            url_parameters: without_sign(record.query()),
        }
    }

    /// Every header of attempt `attempt` of this delivery, signed with `secret` at `now`:
    /// `content-type`, the three Standard Webhooks headers and the `trtc-` ones. (For a client
    /// of one's own, such as `trtc-live replay`'s.)
    pub fn headers(
        &self,
        secret: &ForwardSecret,
        attempt: u32,
        now: SystemTime,
    ) -> Vec<(&'static str, String)> {
        let mut headers = vec![("content-type", "application/json".to_owned())];
        headers.extend(secret.headers(&self.id, now, &self.body));
        headers.push((TRTC_COMMAND, self.command.clone()));
        headers.push((TRTC_RECEIVED_AT, self.received_at_ms.to_string()));
        headers.push((TRTC_ATTEMPT, attempt.to_string()));
        if !self.url_parameters.is_empty() {
            headers.push((TRTC_URL_PARAMETERS, self.url_parameters.clone()));
        }
        headers
    }
}

/// `query` without its `Sign` parameter, form-encoded again.
pub(crate) fn without_sign(query: &str) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if name != "Sign" {
            serializer.append_pair(&name, &value);
        }
    }
    serializer.finish()
}

/// What became of one attempt.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AttemptError {
    /// No connection (the application is down, or not listening there).
    #[error("cannot connect: {0}")]
    Connect(String),
    /// No whole answer within the time allowed.
    #[error("no answer within {} ms", .0.as_millis())]
    Timeout(Duration),
    /// An answer that is not 2xx.
    #[error("HTTP {status}{}", AfterColon(.body))]
    Status {
        /// Its status.
        status: StatusCode,
        /// The start of its body, as text.
        body: String,
    },
    /// The answer could not be read (the connection closed while it came).
    #[error("the answer could not be read: {0}")]
    Answer(String),
}

impl AttemptError {
    /// A stable name: `connect`, `timeout`, `status`, `answer`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Connect(_) => "connect",
            Self::Timeout(_) => "timeout",
            Self::Status { .. } => "status",
            Self::Answer(_) => "answer",
        }
    }
}

/// `: text`, or nothing for an empty text.
struct AfterColon<'a>(&'a str);

impl fmt::Display for AfterColon<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, ": {}", self.0)
        }
    }
}

/// A 2xx answer of the application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppAnswer {
    /// Its status.
    pub status: StatusCode,
    /// Its body (up to 64 KiB).
    pub body: Bytes,
}

/// What kind of delivery an attempt was for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeliveryKind {
    /// A notification, forwarded from the journal (retried).
    Notification,
    /// A before-webhook, forwarded while Tencent waits (not retried).
    BeforeWebhook,
}

impl DeliveryKind {
    /// `notification` or `before_webhook`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Notification => "notification",
            Self::BeforeWebhook => "before_webhook",
        }
    }
}

/// One attempt, as the observer of [`ForwardTarget::on_attempt`] sees it.
#[derive(Debug)]
#[non_exhaustive]
pub struct AttemptReport<'a> {
    /// What kind of delivery.
    pub kind: DeliveryKind,
    /// The command word.
    pub command: &'a str,
    /// The attempt's number, from 1.
    pub attempt: u32,
    /// What it gave.
    pub result: Result<StatusCode, &'a AttemptError>,
    /// From sending the request to the whole answer (or the failure).
    pub elapsed: Duration,
}

/// A function told of every attempt.
type AttemptObserver = Arc<dyn Fn(&AttemptReport<'_>) + Send + Sync>;

/// The application behind the gateway: its URL and routes, the secret that signs each request,
/// and an HTTP/1 client that keeps connections open between requests.
///
/// Every request is a `POST` of the body exactly as received, with `content-type:
/// application/json`, the Standard Webhooks headers (`webhook-id`: the [`DeliveryId`],
/// `webhook-timestamp`, `webhook-signature`), `trtc-command`, `trtc-received-at`,
/// `trtc-attempt` and `trtc-url-parameters` ([`Outgoing::headers`]).
///
/// `http://` URLs always; `https://` URLs with the `https` feature: TLS by rustls (with
/// *ring*), the server's certificate checked against Mozilla's root certificates
/// (`webpki-roots`, built in: no system store needed) and those added with
/// [`ForwardTarget::trust_certificates`] (a private CA, a self-signed application).
#[derive(Clone)]
pub struct ForwardTarget {
    routes: Routes,
    secret: ForwardSecret,
    client: Client<Connector, Full<Bytes>>,
    clock: Clock,
    observer: Option<AttemptObserver>,
    user_agent: HeaderValue,
}

impl fmt::Debug for ForwardTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ForwardTarget")
            .field("routes", &self.routes)
            .field("secret", &self.secret)
            .finish_non_exhaustive()
    }
}

/// How the client connects: plain TCP, and TLS for `https://` with the `https` feature.
#[cfg(feature = "https")]
type Connector = hyper_rustls::HttpsConnector<HttpConnector>;
/// How the client connects: plain TCP.
#[cfg(not(feature = "https"))]
type Connector = HttpConnector;

/// Why a forwarding URL cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TargetError(String);

impl ForwardTarget {
    /// Forwards to `routes` (an `http://` URL and its routes), signing with `secret`, with the
    /// system clock. Needs a tokio runtime when used (not when built).
    pub fn new(routes: Routes, secret: ForwardSecret) -> Result<Self, TargetError> {
        let urls = std::iter::once(routes.base().clone()).chain(
            routes
                .routes()
                .iter()
                .map(|route| route.target_url(&routes)),
        );
        for url in urls {
            match url.scheme_str() {
                Some("http") if url.host().is_some() => {}
                Some("https") if url.host().is_some() && cfg!(feature = "https") => {}
                Some("https") => {
                    return Err(TargetError(format!(
                        "{url}: forwarding over https needs the `https` feature of \
                         trtc-live-receiver"
                    )))
                }
                _ => {
                    return Err(TargetError(format!(
                        "{url}: not an http:// or https:// URL with a host"
                    )))
                }
            }
        }
        #[cfg(feature = "https")]
        let connector = tls_connector(&[])?;
        #[cfg(not(feature = "https"))]
        let connector = http_connector();
        Ok(Self {
            routes,
            secret,
            client: build_client(connector),
            clock: SystemTime::now,
            observer: None,
            user_agent: HeaderValue::from_static(concat!("trtc-live/", env!("CARGO_PKG_VERSION"))),
        })
    }

    /// The same target, trusting the certificates of the PEM file at `path` too (a private
    /// CA's, or a self-signed application's) for `https://` URLs, besides Mozilla's roots.
    #[cfg(feature = "https")]
    pub fn trust_certificates(mut self, path: &std::path::Path) -> Result<Self, TargetError> {
        use rustls_pki_types::pem::PemObject;
        let certificates = rustls_pki_types::CertificateDer::pem_file_iter(path)
            .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
            .map_err(|error| {
                TargetError(format!(
                    "{}: not a file of PEM certificates: {error}",
                    path.display()
                ))
            })?;
        if certificates.is_empty() {
            return Err(TargetError(format!(
                "{}: no certificate in the file",
                path.display()
            )));
        }
        self.client = build_client(tls_connector(&certificates)?);
        Ok(self)
    }

    /// The same target with another clock (for `webhook-timestamp`; tests fix it).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The same target, calling `observer` after every attempt (for metrics: the
    /// application's latency, its failures by kind).
    pub fn on_attempt(
        mut self,
        observer: impl Fn(&AttemptReport<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// The routes.
    pub fn routes(&self) -> &Routes {
        &self.routes
    }

    /// Sends attempt `attempt` of `outgoing`, waiting at most `timeout` for the whole answer;
    /// a 2xx answer is a success.
    pub async fn send(
        &self,
        outgoing: &Outgoing,
        attempt: u32,
        kind: DeliveryKind,
        timeout: Duration,
    ) -> Result<AppAnswer, AttemptError> {
        let started = Instant::now();
        let result = match tokio::time::timeout(timeout, self.exchange(outgoing, attempt)).await {
            Ok(result) => result,
            Err(_) => Err(AttemptError::Timeout(timeout)),
        };
        if let Some(observer) = &self.observer {
            observer(&AttemptReport {
                kind,
                command: &outgoing.command,
                attempt,
                result: result.as_ref().map(|answer| answer.status),
                elapsed: started.elapsed(),
            });
        }
        result
    }

    /// The request and its answer, without a deadline.
    async fn exchange(&self, outgoing: &Outgoing, attempt: u32) -> Result<AppAnswer, AttemptError> {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(self.routes.url_for(&outgoing.command))
            .header(USER_AGENT, self.user_agent.clone());
        for (name, value) in outgoing.headers(&self.secret, attempt, (self.clock)()) {
            // A value that cannot be a header (a URL parameter with a line break) is left out.
            if let Ok(value) = HeaderValue::from_str(&value) {
                request = request.header(HeaderName::from_static(name), value);
            }
        }
        let request = request
            .body(Full::new(outgoing.body.clone()))
            .map_err(|error| AttemptError::Connect(error.to_string()))?;
        let response = self.client.request(request).await.map_err(|error| {
            if error.is_connect() {
                AttemptError::Connect(chain(&error))
            } else {
                AttemptError::Answer(chain(&error))
            }
        })?;
        let status = response.status();
        let body = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
            .collect()
            .await
            .map_err(|error| AttemptError::Answer(error.to_string()))?
            .to_bytes();
        if status.is_success() {
            Ok(AppAnswer { status, body })
        } else {
            let mut text = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
            text.retain(|c| !c.is_control());
            Err(AttemptError::Status { status, body: text })
        }
    }
}

/// The TCP connector: 5 s to connect, no Nagle.
fn http_connector() -> HttpConnector {
    let mut http = HttpConnector::new();
    http.set_nodelay(true);
    http.set_connect_timeout(Some(Duration::from_secs(5)));
    http
}

/// The connector for `http://` and `https://` URLs: TLS by rustls with *ring*, trusting
/// Mozilla's roots and `extra`.
#[cfg(feature = "https")]
fn tls_connector(
    extra: &[rustls_pki_types::CertificateDer<'static>],
) -> Result<Connector, TargetError> {
    let mut http = http_connector();
    http.enforce_http(false);
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for certificate in extra {
        roots
            .add(certificate.clone())
            .map_err(|error| TargetError(format!("a certificate cannot be trusted: {error}")))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| TargetError(error.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http))
}

/// The HTTP/1 client over `connector`, keeping connections 30 s.
fn build_client(connector: Connector) -> Client<Connector, Full<Bytes>> {
    Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .build(connector)
}

/// An error and its sources, in one line.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(next) = source {
        text.push_str(": ");
        text.push_str(&next.to_string());
        source = next.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_is_left_out_of_the_url_parameters() {
        assert_eq!(
            without_sign(
                "SdkAppid=1&CallbackCommand=Live.X&Sign=abc&RequestTime=2&ClientIP=1.2.3.4"
            ),
            "SdkAppid=1&CallbackCommand=Live.X&RequestTime=2&ClientIP=1.2.3.4"
        );
        assert_eq!(without_sign(""), "");
    }

    #[test]
    fn https_needs_its_feature_and_bad_urls_are_refused() {
        let secret = ForwardSecret::from_bytes(vec![1; 32]).unwrap();
        let https = Routes::new("https://app/".parse().unwrap(), vec![]);
        let target = ForwardTarget::new(https, secret.clone());
        if cfg!(feature = "https") {
            assert!(target.is_ok());
        } else {
            assert!(target
                .unwrap_err()
                .to_string()
                .contains("needs the `https` feature"));
        }
        let ftp = Routes::new("ftp://app/".parse().unwrap(), vec![]);
        assert!(ForwardTarget::new(ftp, secret.clone()).is_err());
        let route = Routes::new(
            "http://app/".parse().unwrap(),
            vec!["Live.*=/live".parse().unwrap()],
        );
        assert!(ForwardTarget::new(route, secret).is_ok());
    }
}

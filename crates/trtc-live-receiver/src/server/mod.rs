//! The HTTP/1 server of `trtc-live serve`, for any axum app (feature `server`): accepts TCP
//! connections and drives each one with hyper, so that nothing a client controls can hold the
//! server forever.
//!
//! `axum::serve` has no header read timeout, no body deadline and no connection limit: a client
//! sending its headers a byte at a time, a body that never ends, or connections that send
//! nothing, would each keep a task and a file descriptor for as long as the client liked.
//! [`serve`] bounds every wait ([`ServerLimits`]):
//!
//! - **Headers** must arrive within [`ServerLimits::header_timeout`], counted from the moment
//!   the server waits for them: from the connection's opening, or from the end of the previous
//!   answer on a kept-alive connection. So it is also the idle keep-alive timeout. Past it, the
//!   connection is closed without an answer (hyper's `header_read_timeout`).
//! - **Bodies** must arrive within [`ServerLimits::body_timeout`] of the end of the headers.
//!   Past it, reading the body fails with [`BodyTimedOut`]; the webhook endpoint answers 408
//!   ([`crate::ReceiveError::BodyTimeout`]) and closes the connection.
//! - **Answers** must be taken by the client: a write blocked for
//!   [`ServerLimits::write_timeout`] in a row (a client that pipelines requests and never reads
//!   the answers) fails, and the connection is closed.
//! - **Connections** are at most [`ServerLimits::max_connections`] at a time. At the limit, the
//!   loop stops accepting until one closes: the next clients wait in the kernel's listen
//!   backlog, costing this process nothing, and are served in turn. Since every connection's
//!   waits are bounded, a slot frees within those bounds.
//!
//! Each request carries the client's address as axum's `ConnectInfo<SocketAddr>` extension
//! (the webhook endpoint logs and journals it). At shutdown the loop stops accepting, asks
//! every connection to close once its request in flight is answered (an idle one closes at
//! once), and returns when all are closed: bounded, too, by the same timeouts.
//!
//! ```no_run
//! use std::sync::Arc;
//! use trtc_live_receiver::axum::WebhookEndpoint;
//! use trtc_live_receiver::server::{serve, ServerLimits};
//! use trtc_live_receiver::{Answer, Delivery, Receiver, ReceiverConfig};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let receiver = Arc::new(Receiver::new(ReceiverConfig::new("1400000000"))?);
//! let endpoint = WebhookEndpoint::new(receiver, |delivery: Delivery| async move {
//!     Answer::for_delivery(&delivery)
//! });
//! let app = axum::Router::new().route("/webhook", endpoint.into_route());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! serve(listener, app, ServerLimits::default(), async {
//!     let _ = tokio::signal::ctrl_c().await;
//! })
//! .await;
//! # Ok(())
//! # }
//! ```

mod deadline;
mod stall;

use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::response::Response;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::{Service, ServiceExt};

pub use crate::axum::BodyTimedOut;
use deadline::DeadlineBody;
use stall::StallGuard;

/// How long to wait before accepting again after `accept` failed (out of file descriptors,
/// for instance), so that a persistent failure does not spin.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// The bounds of every connection; the defaults are `trtc-live serve`'s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerLimits {
    /// The time a client has to send a request's headers, from the moment the server waits for
    /// them (the connection's opening, or the end of the previous answer). Default 10 s.
    pub header_timeout: Duration,
    /// The time a client has to send a request's whole body, from the end of its headers.
    /// Default 10 s.
    pub body_timeout: Duration,
    /// The longest a write may stay blocked because the client reads nothing. Default 10 s.
    pub write_timeout: Duration,
    /// The most connections open at once; at the limit, no connection is accepted until one
    /// closes. Keep it under the process's file descriptor limit. Default 512.
    pub max_connections: u32,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            max_connections: 512,
        }
    }
}

/// Serves every connection of `listener` with `app` (an axum `Router`, or any service of axum
/// requests) within `limits`, until `shutdown` resolves and every connection is closed.
pub async fn serve<S>(
    listener: TcpListener,
    app: S,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()>,
) where
    S: Service<Request<Body>, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    let max_connections = limits.max_connections.max(1);
    let slots = Arc::new(Semaphore::new(max_connections as usize));
    let (stop, stopping) = watch::channel(());
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let mut shutdown = pin!(shutdown);
    loop {
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                // The semaphore is never closed.
                Err(_) => break,
            },
        };
        let (stream, remote) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(ACCEPT_RETRY).await;
                    continue;
                }
            },
        };
        let app = app.clone();
        let body_timeout = limits.body_timeout;
        let service = service_fn(move |request: Request<Incoming>| {
            let mut request = request.map(|body| Body::new(DeadlineBody::new(body, body_timeout)));
            request.extensions_mut().insert(ConnectInfo(remote));
            app.clone().oneshot(request)
        });
        let connection = http.serve_connection(
            TokioIo::new(StallGuard::new(stream, limits.write_timeout)),
            service,
        );
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            let mut connection = pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = result {
                // Timeouts and clients that went away: routine, and a flood of them must not
                // flood the logs.
                tracing::debug!(%remote, %error, "connection closed");
            }
            drop(slot);
        });
    }
    drop(listener);
    let _ = stop.send(());
    // Every connection holds a slot until it is closed: all slots back, all closed.
    let _ = slots.acquire_many(max_connections).await;
}

//! The connection loop of `serve`: accepts TCP connections and drives each one with hyper's
//! HTTP/1 server, so that nothing a client controls can hold the server forever.
//!
//! `axum::serve` has no header read timeout and no connection limit: a client sending its
//! headers a byte at a time, or opening connections and sending nothing, would keep a task and
//! a file descriptor each, for as long as it liked. Here:
//!
//! - **Headers** must arrive within [`ConnectionLimits::header_timeout`], counted from the moment
//!   the server waits for them: from the connection's opening, or from the end of the previous
//!   answer on a kept-alive connection. So it is also the idle keep-alive timeout. Past it, the
//!   connection is closed without an answer (hyper's `header_read_timeout`).
//! - **Connections** are at most [`ConnectionLimits::max_connections`] at a time. At the limit,
//!   the loop stops accepting until one closes: the next clients wait in the kernel's listen
//!   backlog, costing this process nothing, and are served in turn. Since every connection's
//!   waits are bounded (headers here, the body in the handler), a slot frees within those
//!   bounds.
//! - **Answers** must be taken by the client: a write blocked for
//!   [`ConnectionLimits::write_timeout`] in a row (a client that pipelines requests and never
//!   reads the answers) fails, and the connection is closed ([`StallGuard`]).
//! - **Bodies** are bounded by the handler (a deadline around reading the body), not here.
//!
//! At shutdown the loop stops accepting, asks every connection to close once its request in
//! flight is answered (an idle one closes at once), and returns when all are closed: bounded,
//! too, by the same timeouts.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use axum::response::Response;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use super::stall::StallGuard;

/// How long to wait before accepting again after `accept` failed (out of file descriptors,
/// for instance), so that a persistent failure does not spin.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// The bounds of every connection.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// The time a client has to send a request's headers, from the moment the server waits for
    /// them (the connection's opening, or the end of the previous answer).
    pub header_timeout: Duration,
    /// The longest a write may stay blocked because the client reads nothing.
    pub write_timeout: Duration,
    /// The most connections open at once; at the limit, no connection is accepted until one
    /// closes.
    pub max_connections: u32,
}

/// Serves every connection of `listener` with `handler` (given the client's address and the
/// request) within `limits`, until `shutdown` resolves and every connection is closed.
pub async fn serve_connections<H, F>(
    listener: TcpListener,
    limits: ConnectionLimits,
    handler: H,
    shutdown: impl Future<Output = ()>,
) where
    H: Fn(SocketAddr, Request<Body>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Response> + Send + 'static,
{
    let slots = Arc::new(Semaphore::new(limits.max_connections as usize));
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
        let handler = handler.clone();
        let service = service_fn(move |request: Request<Incoming>| {
            let answer = handler(remote, request.map(Body::new));
            async move { Ok::<_, Infallible>(answer.await) }
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
    let _ = slots.acquire_many(limits.max_connections).await;
}

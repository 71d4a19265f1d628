//! `trtc-live serve`: receive webhooks, verify them, journal every accepted delivery durably
//! before answering (concurrent deliveries share their fsyncs: group commit, see [`journal`]),
//! quarantine authenticated packets that fail their schema, answer as Tencent expects. With
//! `--no-journal`, nothing is kept: the checks and the answers only.
//!
//! Every wait a client controls is bounded (see [`connections`]): its headers, its body
//! (answered 408 past `--body-timeout-secs`), an idle kept-alive connection, answers it does not
//! read, and the number of connections open at once.

mod connections;
mod journal;
mod stall;

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::header::{HeaderValue, CONNECTION};
use axum::http::{Request, StatusCode};
use axum::response::Response;
use trtc_live_receiver::axum::read_body;
use trtc_live_receiver::{failure_response, Answer, Command, Receiver, ReceiverConfig};

use crate::args::ServeArgs;
use crate::environment::{colors_wanted, read_token_file};
use connections::{serve_connections, ConnectionLimits};
pub use journal::{Journal, Record};

/// File of accepted deliveries, in the journal directory.
pub const ACCEPTED_FILE: &str = "accepted.ndjson";
/// File of quarantined deliveries (authenticated, but not valid packets), in the journal
/// directory.
pub const QUARANTINE_FILE: &str = "quarantine.ndjson";

/// What every request handler shares.
struct ServeState {
    receiver: Receiver,
    /// Accepted deliveries; `None` with `--no-journal`.
    accepted: Option<Journal>,
    /// Authenticated deliveries that are not valid packets; `None` with `--no-journal`.
    quarantine: Option<Journal>,
    /// How long a request's body may take to arrive, from the end of its headers.
    body_timeout: Duration,
}

/// Runs the server until SIGINT or SIGTERM; returns the exit status.
pub fn run(args: &ServeArgs) -> ExitCode {
    let state = match build_state(args) {
        Ok(state) => Arc::new(state),
        Err(message) => {
            eprintln!("trtc-live serve: {message}");
            return ExitCode::from(2);
        }
    };
    init_logging();
    for journal in [&state.accepted, &state.quarantine].into_iter().flatten() {
        report_torn_tail(journal);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("trtc-live serve: cannot start: {error}");
            return ExitCode::from(2);
        }
    };
    let limits = ConnectionLimits {
        header_timeout: Duration::from_secs(args.header_timeout_secs),
        write_timeout: Duration::from_secs(args.write_timeout_secs),
        max_connections: args.max_connections,
    };
    let served = runtime.block_on(serve(args.listen, limits, Arc::clone(&state)));
    if served.is_ok() {
        // Every request is answered now: the counts are final.
        for journal in [&state.accepted, &state.quarantine].into_iter().flatten() {
            report_stats(journal);
        }
    }
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("trtc-live serve: {message}");
            ExitCode::from(2)
        }
    }
}

/// What a journal did, in plain words on standard error (scripts read this line) and as a log
/// event.
fn report_stats(journal: &Journal) {
    let stats = journal.stats();
    let mean_sync_ms = stats.mean_sync_time().as_secs_f64() * 1000.0;
    eprintln!(
        "trtc-live serve: journal {}: {} records durable in {} fsyncs ({:.2} records per fsync, \
         largest batch {}, mean fsync {mean_sync_ms:.3} ms), {} refused",
        journal.path().display(),
        stats.durable,
        stats.batches,
        stats.records_per_sync(),
        stats.largest_batch,
        stats.failed,
    );
    tracing::info!(
        journal = %journal.path().display(),
        durable = stats.durable,
        fsyncs = stats.batches,
        records_per_fsync = stats.records_per_sync(),
        largest_batch = stats.largest_batch,
        mean_fsync_ms = mean_sync_ms,
        refused = stats.failed,
        "journal statistics"
    );
}

/// The torn last record that opening a journal cut off, if there was one, in plain words on
/// standard error (scripts read this line) and as a warning.
fn report_torn_tail(journal: &Journal) {
    let Some(torn) = journal.torn_tail() else {
        return;
    };
    eprintln!(
        "trtc-live serve: journal {}: torn last record cut off at byte {} ({} bytes, never \
         acknowledged), kept in {}",
        journal.path().display(),
        torn.offset,
        torn.length,
        torn.kept_in.display(),
    );
    tracing::warn!(
        journal = %journal.path().display(),
        offset = torn.offset,
        length = torn.length,
        kept_in = %torn.kept_in.display(),
        "torn last record cut off (a crash during an append; it was never acknowledged)"
    );
}

fn build_state(args: &ServeArgs) -> Result<ServeState, String> {
    let mut config = ReceiverConfig::new(args.sdkappid.clone());
    if let Some(path) = &args.token_file {
        config.token = Some(read_token_file(path)?);
    }
    config.tolerance = Duration::from_secs(args.tolerance_secs);
    config.max_body_bytes = args.max_body_bytes;
    let receiver = Receiver::new(config).map_err(|error| error.to_string())?;
    let body_timeout = Duration::from_secs(args.body_timeout_secs);
    if args.no_journal {
        return Ok(ServeState {
            receiver,
            accepted: None,
            quarantine: None,
            body_timeout,
        });
    }
    std::fs::create_dir_all(&args.journal)
        .map_err(|error| format!("cannot create {}: {error}", args.journal.display()))?;
    let open = |name: &str| {
        let path = args.journal.join(name);
        Journal::open(&path).map_err(|error| format!("cannot open {}: {error}", path.display()))
    };
    Ok(ServeState {
        receiver,
        accepted: Some(open(ACCEPTED_FILE)?),
        quarantine: Some(open(QUARANTINE_FILE)?),
        body_timeout,
    })
}

/// Structured logs on standard error; `RUST_LOG` filters them (default `info`).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let colored = colors_wanted(std::io::stderr().is_terminal());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colored)
        .try_init();
}

async fn serve(
    listen: SocketAddr,
    limits: ConnectionLimits,
    state: Arc<ServeState>,
) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|error| format!("cannot listen on {listen}: {error}"))?;
    let address = listener
        .local_addr()
        .map_err(|error| format!("cannot read the bound address: {error}"))?;
    // First, in plain words: scripts and tests read the address from this line.
    eprintln!("trtc-live serve: listening on http://{address}");
    match (&state.accepted, &state.quarantine) {
        (Some(accepted), Some(quarantine)) => tracing::info!(
            %address,
            accepted = %accepted.path().display(),
            quarantine = %quarantine.path().display(),
            "listening"
        ),
        _ => tracing::warn!(
            %address,
            "listening with the journal off: accepted deliveries are answered but not kept"
        ),
    }
    tracing::info!(
        header_timeout_secs = limits.header_timeout.as_secs(),
        body_timeout_secs = state.body_timeout.as_secs(),
        write_timeout_secs = limits.write_timeout.as_secs(),
        max_connections = limits.max_connections,
        "limits"
    );
    let handler = move |remote, request| handle(Arc::clone(&state), remote, request);
    serve_connections(listener, limits, handler, shutdown_signal()).await;
    tracing::info!("stopped: every request in flight was answered");
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// Every request, whatever its path.
async fn handle(state: Arc<ServeState>, remote: SocketAddr, request: Request<Body>) -> Response {
    let now = SystemTime::now();
    let (parts, body) = request.into_parts();
    let receiver = &state.receiver;
    let reading = read_body(receiver, &parts.method, &parts.headers, body);
    let body = match tokio::time::timeout(state.body_timeout, reading).await {
        Ok(Ok(body)) => body,
        Ok(Err(rejection)) => {
            tracing::warn!(%remote, reason = %rejection, "rejected");
            return receiver.response_for(&rejection).map(Body::from);
        }
        Err(_elapsed) => {
            tracing::warn!(%remote, timeout_secs = state.body_timeout.as_secs(), "body not received in time");
            return body_timeout_answer();
        }
    };
    // Built only for the deliveries that are journaled: a refused request costs no copy.
    let record = |command: Option<Command>| Record {
        command: command.map(|c| c.as_str().to_owned()),
        ..Record::new(
            millis(now),
            remote.to_string(),
            parts.uri.query().unwrap_or_default().to_owned(),
            &body,
        )
    };
    match receiver.receive(&parts.method, &parts.uri, &body, now) {
        Ok(delivery) => {
            let command = delivery.command();
            if let Some(journal) = &state.accepted {
                if let Err(error) = journal.append(&record(Some(command))).await {
                    // Not on disk: do not acknowledge. Tencent sees a failed delivery.
                    tracing::error!(%remote, %command, %error, "journal append failed");
                    return journal_failure();
                }
            }
            tracing::info!(%remote, %command, "accepted");
            for warning in &delivery.warnings {
                let (kind, at) = (warning.kind.as_str(), warning.instance_path.as_str());
                tracing::warn!(%remote, %command, kind, at, message = %warning.message, "accepted with a warning");
            }
            Answer::for_delivery(&delivery)
                .http_response()
                .map(Body::from)
        }
        Err(rejection) if rejection.is_authenticated() => {
            if let Some(journal) = &state.quarantine {
                let record = Record {
                    reason: Some(rejection.to_string()),
                    ..record(rejection.command())
                };
                if let Err(error) = journal.append(&record).await {
                    tracing::error!(%remote, %error, "quarantine append failed");
                    return journal_failure();
                }
                tracing::warn!(%remote, reason = %rejection, "quarantined");
            } else {
                tracing::warn!(%remote, reason = %rejection, "rejected (journal off: not kept)");
            }
            receiver.response_for(&rejection).map(Body::from)
        }
        Err(rejection) => {
            tracing::warn!(%remote, reason = %rejection, "rejected");
            receiver.response_for(&rejection).map(Body::from)
        }
    }
}

/// The answer when the body did not arrive within the deadline: 408, and the connection is
/// closed (what is left of the body is never read).
fn body_timeout_answer() -> Response {
    let mut response = failure_response(
        StatusCode::REQUEST_TIMEOUT,
        "the body was not received in time",
    )
    .map(Body::from);
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The answer when a delivery could not be journaled: a failure, so that nothing unrecorded is
/// acknowledged.
fn journal_failure() -> Response {
    failure_response(
        StatusCode::SERVICE_UNAVAILABLE,
        "the delivery could not be recorded",
    )
    .map(Body::from)
}

fn millis(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

//! `trtc-live serve`: glue around `trtc-live-receiver`. The webhook endpoint checks each
//! request, journals it durably before answering (group commit, torn-record repair: the
//! receiver's `journal` feature) and reports every outcome through `tracing`; the receiver's
//! `server` feature bounds every wait a client controls. This module reads the options, opens
//! the journals, picks the address, sets up the logs and says what it does in plain words.

mod listen;
mod logging;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use trtc_live_receiver::axum::WebhookEndpoint;
use trtc_live_receiver::journal::{Journal, Journals};
use trtc_live_receiver::server::{serve, ServerLimits};
use trtc_live_receiver::{Answer, Delivery, Receiver, ReceiverConfig};

use crate::args::{LogFormat, ServeArgs};
use crate::environment::read_token_file;
use logging::Say;

/// Runs the server until SIGINT or SIGTERM; returns the exit status.
pub fn run(args: &ServeArgs) -> ExitCode {
    // First: opening the journals may log (a torn record cut off).
    logging::init(args.log_format);
    let say = Say(args.log_format);
    match start(args, say) {
        Ok(code) => code,
        Err(message) => {
            say.error(&message);
            ExitCode::from(2)
        }
    }
}

/// Everything `run` does, an error being a message for the user.
fn start(args: &ServeArgs, say: Say) -> Result<ExitCode, String> {
    let receiver = receiver(args)?;
    let address = listen::choose(&args.listen)?;
    let authenticated = receiver.config().token.is_some();
    if !authenticated {
        refuse_unless_safe(address, args.insecure_no_auth)?;
        say.no_token_warning(address);
    }
    let journals = if args.no_journal {
        None
    } else {
        let journals = Journals::open(&args.journal).map_err(|error| {
            format!(
                "cannot open the journal {}: {error}",
                args.journal.display()
            )
        })?;
        for journal in journals.both() {
            report_torn_tail(say, journal);
        }
        Some(Arc::new(journals))
    };
    let limits = ServerLimits {
        header_timeout: Duration::from_secs(args.header_timeout_secs),
        body_timeout: Duration::from_secs(args.body_timeout_secs),
        write_timeout: Duration::from_secs(args.write_timeout_secs),
        max_connections: args.max_connections,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start: {error}"))?;
    let mut endpoint = WebhookEndpoint::new(Arc::new(receiver), acknowledge);
    if let Some(journals) = &journals {
        endpoint = endpoint.journals(Arc::clone(journals));
    }
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|error| format!("cannot listen on {address}: {error}"))?;
        let address = listener
            .local_addr()
            .map_err(|error| format!("cannot read the bound address: {error}"))?;
        say.listening(address, journals.as_deref(), &limits);
        serve(listener, endpoint.into_router(), limits, shutdown_signal()).await;
        tracing::info!("stopped: every request in flight was answered");
        Ok::<(), String>(())
    })?;
    // Every request is answered now: the counts are final.
    for journal in journals.iter().flat_map(|journals| journals.both()) {
        say.journal_stats(journal);
    }
    Ok(ExitCode::SUCCESS)
}

/// The answer of `serve` to every accepted delivery: OK to the notifications, the gift allowed
/// and the message sent unchanged.
async fn acknowledge(delivery: Delivery) -> Answer {
    Answer::for_delivery(&delivery)
}

fn receiver(args: &ServeArgs) -> Result<Receiver, String> {
    let mut config = ReceiverConfig::new(args.sdkappid.clone());
    if let Some(path) = &args.token_file {
        config.token = Some(read_token_file(path)?);
    }
    config.tolerance = Duration::from_secs(args.tolerance_secs);
    config.max_body_bytes = args.max_body_bytes;
    Receiver::new(config).map_err(|error| error.to_string())
}

/// Without a token every request is taken as Tencent's: refused on an address other machines
/// can reach, unless the user said `--insecure-no-auth`.
fn refuse_unless_safe(address: SocketAddr, insecure_no_auth: bool) -> Result<(), String> {
    if address.ip().is_loopback() || insecure_no_auth {
        return Ok(());
    }
    Err(format!(
        "refusing to listen on {address} without a token: anyone who can reach it could deliver \
         webhooks (without a token, Sign and RequestTime are not checked). Pass --token-file \
         FILE (the token set with set_callback_token), listen on a loopback address, or pass \
         --insecure-no-auth to accept unauthenticated requests from the network"
    ))
}

/// The torn last record that opening a journal cut off, if there was one, in plain words (the
/// journal also logged it as a warning).
fn report_torn_tail(say: Say, journal: &Journal) {
    if let Some(torn) = journal.torn_tail() {
        say.torn_tail(journal, torn);
    }
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

impl LogFormat {
    /// Whether lines in plain words are printed besides the log events (human format only:
    /// in JSON, standard error is one JSON object per line).
    fn plain_lines(self) -> bool {
        self == LogFormat::Human
    }
}

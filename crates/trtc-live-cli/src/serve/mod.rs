//! `trtc-live serve`: glue around `trtc-live-receiver`. The webhook endpoint checks each
//! request, journals it durably before answering (group commit, torn-record repair: the
//! receiver's `journal` feature) and reports every outcome through `tracing`; the receiver's
//! `server` feature bounds every wait a client controls. This module reads the options, opens
//! the journals, picks the address, sets up the logs and says what it does in plain words.

mod gateway;
mod listen;
mod logging;
mod nats;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use trtc_live_receiver::axum::{Reply, WebhookEndpoint};
use trtc_live_receiver::forward::Gateway;
use trtc_live_receiver::journal::{Journal, Journals};
use trtc_live_receiver::metrics::Metrics;
use trtc_live_receiver::nats::NatsSink;
use trtc_live_receiver::server::{serve, ServerLimits};
use trtc_live_receiver::sink::Sink;
use trtc_live_receiver::{Answer, Delivery, Receiver, ReceiverConfig};

use crate::args::{LogFormat, ServeArgs};
use crate::environment::read_token_file;
use gateway::Runner;
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

/// Where `serve` keeps the deliveries.
enum Store {
    /// The local journals.
    Journals(Arc<Journals>),
    /// A JetStream stream.
    Nats(Arc<NatsSink>),
    /// Nowhere (`--no-journal`).
    Nothing,
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start: {error}"))?;
    let store = if let Some(servers) = &args.sink {
        let (sink, state) = runtime.block_on(nats::open(args, servers))?;
        say.nats_sink(args, servers, &state);
        Store::Nats(Arc::new(sink))
    } else if args.no_journal {
        crate::nats::refuse_unused(&args.nats, "--sink")?;
        Store::Nothing
    } else {
        crate::nats::refuse_unused(&args.nats, "--sink")?;
        let journals = Journals::open(&args.journal).map_err(|error| {
            format!(
                "cannot open the journal {}: {error}",
                args.journal.display()
            )
        })?;
        for journal in journals.both() {
            report_torn_tail(say, journal);
        }
        Store::Journals(Arc::new(journals))
    };
    let limits = ServerLimits {
        header_timeout: Duration::from_secs(args.header_timeout_secs),
        body_timeout: Duration::from_secs(args.body_timeout_secs),
        write_timeout: Duration::from_secs(args.write_timeout_secs),
        max_connections: args.max_connections,
    };
    let metrics_address = args
        .metrics_listen
        .as_deref()
        .map(listen::choose)
        .transpose()?;
    let metrics = metrics_address.map(|_| Metrics::new());
    match (&metrics, &store) {
        (Some(metrics), Store::Journals(journals)) => {
            metrics.watch_journals(journals);
        }
        (Some(metrics), Store::Nats(sink)) => {
            metrics.watch_nats_sink(sink);
        }
        _ => {}
    }
    let forwarding = match (&args.forward_to, &store) {
        (Some(url), Store::Journals(journals)) => Some(gateway::set_up(
            args,
            url,
            &receiver,
            journals,
            metrics.as_ref(),
        )?),
        (Some(url), Store::Nats(sink)) => Some(runtime.block_on(gateway::set_up_nats(
            args,
            url,
            &receiver,
            sink,
            metrics.as_ref(),
        ))?),
        _ => None,
    };
    let gateway = forwarding.as_ref().map(|f| f.gateway.clone());
    let mut endpoint = WebhookEndpoint::new(Arc::new(receiver), move |delivery| {
        answer(gateway.clone(), delivery)
    });
    match &store {
        Store::Journals(journals) => endpoint = endpoint.journals(Arc::clone(journals)),
        Store::Nats(sink) => endpoint = endpoint.sink(Arc::clone(sink) as Arc<dyn Sink>),
        Store::Nothing => {}
    }
    if let Some(metrics) = &metrics {
        endpoint = endpoint.on_outcome(metrics.outcome_hook());
    }
    let (stop, stopping) = watch::channel(false);
    let forwarder_stats = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|error| format!("cannot listen on {address}: {error}"))?;
        let address = listener
            .local_addr()
            .map_err(|error| format!("cannot read the bound address: {error}"))?;
        let metrics_server = match (&metrics, metrics_address) {
            (Some(metrics), Some(metrics_address)) => {
                let listener = tokio::net::TcpListener::bind(metrics_address)
                    .await
                    .map_err(|error| format!("cannot listen on {metrics_address}: {error}"))?;
                let bound = listener
                    .local_addr()
                    .map_err(|error| format!("cannot read the bound address: {error}"))?;
                say.metrics(bound);
                let router = match &store {
                    Store::Journals(journals) => {
                        metrics.router_with_readiness(Arc::clone(journals) as Arc<dyn Sink>)
                    }
                    Store::Nats(sink) => {
                        metrics.router_with_readiness(Arc::clone(sink) as Arc<dyn Sink>)
                    }
                    Store::Nothing => metrics.router(),
                };
                Some(tokio::spawn(serve(
                    listener,
                    router,
                    ServerLimits::default(),
                    stopped(stopping.clone()),
                )))
            }
            _ => None,
        };
        let mut forwarder_stats = None;
        let forwarder = forwarding.map(|forwarding| {
            if let Some(metrics) = &metrics {
                metrics.watch_gateway(forwarding.gateway.clone());
            }
            match forwarding.runner {
                Runner::Journal {
                    forwarder,
                    start,
                    dead_letters,
                } => {
                    if let Some(metrics) = &metrics {
                        metrics.watch_journal("dead_letter", &dead_letters);
                        metrics.watch_forwarder(forwarder.stats());
                    }
                    say.forwarding(args, &start, &forwarder.stats().snapshot());
                    forwarder_stats = Some((forwarder.stats(), true));
                    let run = forwarder.run(stopped(stopping.clone()));
                    tokio::spawn(async move {
                        run.await
                            .map_err(|error| format!("the forwarder's position: {error}"))
                    })
                }
                Runner::Nats { forwarder, start } => {
                    if let Some(metrics) = &metrics {
                        metrics.watch_forwarder(forwarder.stats());
                    }
                    say.nats_forwarding(args, &start);
                    forwarder_stats = Some((forwarder.stats(), false));
                    let run = forwarder.run(stopped(stopping.clone()));
                    tokio::spawn(async move {
                        run.await.map_err(|error| format!("the forwarder: {error}"))
                    })
                }
            }
        });
        let (journals, stream) = match &store {
            Store::Journals(journals) => (Some(&**journals), None),
            Store::Nats(sink) => (None, Some(sink.settings().name.as_str())),
            Store::Nothing => (None, None),
        };
        say.listening(address, journals, stream, &limits);
        serve(listener, endpoint.into_router(), limits, shutdown_signal()).await;
        tracing::info!("stopped: every request in flight was answered");
        // The forwarder and the metrics stop once every request is answered: what was
        // journaled until then is in the position the forwarder saves.
        let _ = stop.send(true);
        if let Some(forwarder) = forwarder {
            match forwarder.await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => return Err(error),
                Err(error) => return Err(format!("the forwarder stopped: {error}")),
            }
        }
        if let Some(metrics_server) = metrics_server {
            let _ = metrics_server.await;
        }
        Ok::<_, String>(forwarder_stats)
    })?;
    // Every request is answered now: the counts are final.
    match &store {
        Store::Journals(journals) => {
            for journal in journals.both() {
                say.journal_stats(journal);
            }
        }
        Store::Nats(sink) => say.sink_stats(&sink.settings().name, &sink.stats().snapshot()),
        Store::Nothing => {}
    }
    if let Some((stats, of_journal)) = forwarder_stats {
        say.forwarder_stats(&stats.snapshot(), of_journal);
    }
    Ok(ExitCode::SUCCESS)
}

/// Resolves once `stopping` says so.
async fn stopped(mut stopping: watch::Receiver<bool>) {
    let _ = stopping.wait_for(|stop| *stop).await;
}

/// The answer of `serve` to an accepted delivery: the gateway's when forwarding (OK to a
/// notification, the application's decision to a before-webhook), else
/// [`acknowledge`]'s.
async fn answer(gateway: Option<Gateway>, delivery: Delivery) -> Reply {
    match gateway {
        Some(gateway) => gateway.answer(&delivery).await,
        None => Reply::Answer(acknowledge(delivery).await),
    }
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

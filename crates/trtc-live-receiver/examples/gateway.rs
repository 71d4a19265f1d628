//! The gateway of `trtc-live serve --forward-to` in an axum app of one's own: deliveries
//! checked and journaled, notifications forwarded from the journal to the application (in
//! order, retried, dead-lettered), before-webhooks forwarded while Tencent waits, every request
//! signed with Standard Webhooks headers, and Prometheus metrics on a second address.
//!
//! ```sh
//! echo "whsec_$(head -c 32 /dev/urandom | base64)" > secret
//! TRTC_SDKAPPID=1400000000 TRTC_WEBHOOK_TOKEN=xxxxyyyy TRTC_JOURNAL=journal \
//!     TRTC_FORWARD_TO=http://127.0.0.1:3000/webhooks TRTC_FORWARD_SECRET_FILE=secret \
//!     cargo run -p trtc-live-receiver --example gateway --features axum,journal,server,forward,metrics
//! ```
//!
//! Listens on 127.0.0.1:8080 (`TRTC_LISTEN`), metrics on 127.0.0.1:9090/metrics
//! (`TRTC_METRICS_LISTEN`); Ctrl-C stops it once the requests in flight are answered, and the
//! forwarder saves its position.

use std::error::Error;
use std::sync::Arc;

use tokio::sync::watch;
use trtc_live_receiver::axum::WebhookEndpoint;
use trtc_live_receiver::forward::{
    ForwardSecret, ForwardTarget, Forwarder, ForwarderConfig, Gateway, PositionFile, Routes,
};
use trtc_live_receiver::journal::{Journal, Journals};
use trtc_live_receiver::metrics::Metrics;
use trtc_live_receiver::server::{serve, ServerLimits};
use trtc_live_receiver::{Receiver, ReceiverConfig, Token};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let env = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    let mut config = ReceiverConfig::new(env("TRTC_SDKAPPID", "1400000000"));
    if let Ok(token) = std::env::var("TRTC_WEBHOOK_TOKEN") {
        config.token = Some(Token::new(token));
    }
    let receiver = Arc::new(Receiver::new(config)?);
    let directory = env("TRTC_JOURNAL", "journal");
    let journals = Arc::new(Journals::open(&directory)?);
    let metrics = Metrics::new();
    metrics.watch_journals(&journals);

    // The application, its routes and the secret it verifies requests with.
    let secret = ForwardSecret::parse(&std::fs::read_to_string(env(
        "TRTC_FORWARD_SECRET_FILE",
        "secret",
    ))?)?;
    let routes = Routes::new(
        env("TRTC_FORWARD_TO", "http://127.0.0.1:3000/webhooks").parse()?,
        vec!["Live.*=/live".parse()?],
    );
    let target = Arc::new(ForwardTarget::new(routes, secret)?.on_attempt(metrics.attempt_hook()));

    // Before-webhooks: forwarded at once, within the default budget of 1.5 s.
    let gateway = Gateway::new(Arc::clone(&target), Arc::clone(receiver.validator()));
    metrics.watch_gateway(gateway.clone());
    // Notifications: forwarded from the journal, its position and dead letters beside it.
    let dead_letters = Arc::new(Journal::open(
        &journals.directory().join("dead-letter.ndjson"),
    )?);
    metrics.watch_journal("dead_letter", &dead_letters);
    let (forwarder, start) = Forwarder::open(
        journals.accepted(),
        dead_letters,
        PositionFile::new(
            journals.directory().join("forward.position"),
            journals.accepted().path(),
        ),
        target,
        ForwarderConfig::default(),
    )?;
    println!("forwarding from {start:?}");
    metrics.watch_forwarder(forwarder.stats());

    let handler = gateway.handler();
    let endpoint = WebhookEndpoint::new(receiver, move |delivery| handler(delivery))
        .journals(Arc::clone(&journals))
        .on_outcome(metrics.outcome_hook());
    let app = axum::Router::new().route("/webhook", endpoint.into_route());

    let (stop, stopping) = watch::channel(false);
    let stopped = move || {
        let mut stopping = stopping.clone();
        async move {
            let _ = stopping.wait_for(|stop| *stop).await;
        }
    };
    let forwarding = tokio::spawn(forwarder.run(stopped()));
    let metrics_listener =
        tokio::net::TcpListener::bind(env("TRTC_METRICS_LISTEN", "127.0.0.1:9090")).await?;
    let metrics_server = tokio::spawn(serve(
        metrics_listener,
        metrics.router(),
        ServerLimits::default(),
        stopped(),
    ));
    let listener = tokio::net::TcpListener::bind(env("TRTC_LISTEN", "127.0.0.1:8080")).await?;
    println!("listening on http://{}/webhook", listener.local_addr()?);
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    serve(listener, app, ServerLimits::default(), ctrl_c).await;
    let _ = stop.send(true);
    forwarding.await??;
    metrics_server.await?;
    Ok(())
}

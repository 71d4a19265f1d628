//! An axum app with everything `trtc-live serve` has: every wait a client controls bounded
//! (the `server` feature), every accepted delivery on disk before the app handles it and every
//! authenticated invalid one quarantined (the `journal` feature), every outcome logged through
//! `tracing` and counted by a hook; it also receives the invalid deliveries itself.
//!
//! ```sh
//! TRTC_SDKAPPID=1400000000 TRTC_WEBHOOK_TOKEN=xxxxyyyy TRTC_JOURNAL=journal \
//!     cargo run -p trtc-live-receiver --example durable_app --features axum,journal,server
//! ```
//!
//! Listens on 127.0.0.1:8080 (or `TRTC_LISTEN`); Ctrl-C stops it once the requests in flight
//! are answered, and it prints what it counted.

use std::collections::BTreeMap;
use std::error::Error;
use std::sync::{Arc, Mutex};

use trtc_live_receiver::axum::{Outcome, WebhookEndpoint};
use trtc_live_receiver::journal::Journals;
use trtc_live_receiver::server::{serve, ServerLimits};
use trtc_live_receiver::{
    Answer, Delivery, InvalidDelivery, Receiver, ReceiverConfig, Token, Webhook,
};

/// The application's handler of valid deliveries: the journal already holds them.
async fn on_webhook(delivery: Delivery) -> Answer {
    if let Webhook::LiveCallbackAfterEndBattle(battle) = &delivery.webhook {
        println!("battle {} ended", battle.battle_id);
    }
    Answer::for_delivery(&delivery)
}

/// Authenticated deliveries that do not match the schemas (Tencent changed something): the
/// quarantine journal holds them; notifications are acknowledged, and a gift or a message is
/// failed so that Tencent's own failure setting decides.
async fn on_invalid(invalid: InvalidDelivery) -> Option<Answer> {
    eprintln!(
        "{} does not match the schemas: {}",
        invalid.command_word.as_deref().unwrap_or("(no command)"),
        invalid.error.log_detail()
    );
    match invalid.command {
        Some(command) if command.response_is_a_decision() => None,
        _ => Some(Answer::ok()),
    }
}

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
    let journals = Arc::new(Journals::open(env("TRTC_JOURNAL", "journal"))?);

    let counts: Arc<Mutex<BTreeMap<&'static str, u64>>> = Arc::default();
    let counter = Arc::clone(&counts);
    let endpoint = WebhookEndpoint::new(receiver, on_webhook)
        .journals(Arc::clone(&journals))
        .on_invalid(on_invalid)
        .on_outcome(move |outcome: &Outcome<'_>| {
            *counter.lock().unwrap().entry(outcome.reason()).or_default() += 1;
        });
    let app = axum::Router::new().route("/webhook", endpoint.into_route());

    let listener = tokio::net::TcpListener::bind(env("TRTC_LISTEN", "127.0.0.1:8080")).await?;
    println!("listening on http://{}/webhook", listener.local_addr()?);
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    serve(listener, app, ServerLimits::default(), stop).await;
    println!("outcomes: {:?}", counts.lock().unwrap());
    println!("accepted journal: {:?}", journals.accepted().stats());
    Ok(())
}

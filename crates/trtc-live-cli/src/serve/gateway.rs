//! `serve --forward-to`: the gateway of `trtc-live-receiver`'s `forward` feature, set up from
//! the options: the application's URL, routes and trusted certificates, the signing secret, the
//! forwarder (of the accepted journal, its position file and dead letters beside the journal;
//! or with `--sink`, the durable JetStream consumer the replicas share) and the
//! before-webhooks' budget and fallback.

use std::sync::Arc;
use std::time::Duration;

use trtc_live_receiver::forward::{
    Backoff, ForwardTarget, Forwarder, ForwarderConfig, Gateway, PositionFile, Routes, Start,
};
use trtc_live_receiver::journal::{Journal, Journals};
use trtc_live_receiver::metrics::Metrics;
use trtc_live_receiver::nats::{ConsumerStart, NatsForwarder, NatsSink};
use trtc_live_receiver::{InvalidBeforeWebhookPolicy, Receiver};

use crate::args::{Fallback, ServeArgs};
use crate::environment::read_forward_secret;

/// The forwarder's position, in the journal's directory.
pub const POSITION_FILE: &str = "forward.position";
/// The dead letters, in the journal's directory.
pub const DEAD_LETTER_FILE: &str = "dead-letter.ndjson";

/// What forwarding needs while serving.
pub struct Forwarding {
    /// The endpoint's handler.
    pub gateway: Gateway,
    /// The forwarder, to run.
    pub runner: Runner,
}

/// The forwarder of notifications: a journal's, or a JetStream consumer.
pub enum Runner {
    /// The forwarder of the accepted journal.
    Journal {
        /// The forwarder.
        forwarder: Forwarder,
        /// Where it starts.
        start: Start,
        /// The dead-letter journal.
        dead_letters: Arc<Journal>,
    },
    /// The durable consumer shared by the replicas.
    Nats {
        /// The forwarder (boxed: its consumer's configuration is large).
        forwarder: Box<NatsForwarder>,
        /// Where it starts.
        start: ConsumerStart,
    },
}

/// The application (URL, routes, secret, trusted certificates) and the before-webhooks'
/// gateway, from the options.
fn target_and_gateway(
    args: &ServeArgs,
    url: &str,
    receiver: &Receiver,
    metrics: Option<&Metrics>,
) -> Result<(Arc<ForwardTarget>, Gateway), String> {
    let secret = read_forward_secret(
        args.forward_secret_file
            .as_deref()
            .ok_or("--forward-to needs --forward-secret-file")?,
    )?;
    let base = url
        .parse()
        .map_err(|error| format!("--forward-to {url:?}: {error}"))?;
    let routes = Routes::new(base, args.route.clone());
    for route in routes.matching_no_known_command() {
        tracing::warn!(
            route = %route,
            "the route's pattern matches none of the command words this version knows"
        );
    }
    let mut target = ForwardTarget::new(routes, secret).map_err(|error| error.to_string())?;
    if let Some(path) = &args.forward_ca_file {
        target = target
            .trust_certificates(path)
            .map_err(|error| format!("--forward-ca-file: {error}"))?;
    }
    if let Some(metrics) = metrics {
        target = target.on_attempt(metrics.attempt_hook());
    }
    let target = Arc::new(target);
    let gateway = Gateway::new(Arc::clone(&target), Arc::clone(receiver.validator()))
        .budget(Duration::from_millis(args.before_webhook_budget_ms))
        .fallback(match args.before_webhook_fallback {
            Fallback::Fail => InvalidBeforeWebhookPolicy::FailDelivery,
            Fallback::Allow => InvalidBeforeWebhookPolicy::Allow,
            Fallback::Refuse => InvalidBeforeWebhookPolicy::Refuse,
        });
    Ok((target, gateway))
}

/// The forwarder's attempts, backoff, timeout and concurrency, from the options.
fn forwarder_config(args: &ServeArgs) -> ForwarderConfig {
    ForwarderConfig {
        max_attempts: args.forward_max_attempts,
        backoff: Backoff {
            initial: Duration::from_millis(args.forward_backoff_ms),
            max: Duration::from_secs(args.forward_backoff_max_secs),
            ..Backoff::default()
        },
        attempt_timeout: Duration::from_millis(args.forward_timeout_ms),
        concurrency: usize::from(args.forward_concurrency),
        ..ForwarderConfig::default()
    }
}

/// Sets forwarding from the journal up from the options, or says why it cannot be.
pub fn set_up(
    args: &ServeArgs,
    url: &str,
    receiver: &Receiver,
    journals: &Journals,
    metrics: Option<&Metrics>,
) -> Result<Forwarding, String> {
    let (target, gateway) = target_and_gateway(args, url, receiver, metrics)?;
    let directory = journals.directory();
    let dead_letters = Journal::open(&directory.join(DEAD_LETTER_FILE))
        .map(Arc::new)
        .map_err(|error| format!("cannot open {}: {error}", DEAD_LETTER_FILE))?;
    let position_file =
        PositionFile::new(directory.join(POSITION_FILE), journals.accepted().path());
    let (forwarder, start) = Forwarder::open(
        journals.accepted(),
        Arc::clone(&dead_letters),
        position_file,
        target,
        forwarder_config(args),
    )
    .map_err(|error| format!("cannot start forwarding: {error}"))?;
    Ok(Forwarding {
        gateway,
        runner: Runner::Journal {
            forwarder,
            start,
            dead_letters,
        },
    })
}

/// Sets forwarding from the JetStream stream up (the durable consumer shared by the
/// replicas), or says why it cannot be.
pub async fn set_up_nats(
    args: &ServeArgs,
    url: &str,
    receiver: &Receiver,
    sink: &NatsSink,
    metrics: Option<&Metrics>,
) -> Result<Forwarding, String> {
    let (target, gateway) = target_and_gateway(args, url, receiver, metrics)?;
    let (forwarder, start) =
        NatsForwarder::open(sink, &args.nats_consumer, target, forwarder_config(args))
            .await
            .map_err(|error| format!("cannot start forwarding: {error}"))?;
    Ok(Forwarding {
        gateway,
        runner: Runner::Nats {
            forwarder: Box::new(forwarder),
            start,
        },
    })
}

//! `serve --forward-to`: the gateway of `trtc-live-receiver`'s `forward` feature, set up from
//! the options: the application's URL and routes, the signing secret, the forwarder of the
//! accepted journal (its position file and dead letters beside the journal) and the
//! before-webhooks' budget and fallback.

use std::sync::Arc;
use std::time::Duration;

use trtc_live_receiver::forward::{
    Backoff, ForwardTarget, Forwarder, ForwarderConfig, Gateway, PositionFile, Routes, Start,
};
use trtc_live_receiver::journal::{Journal, Journals};
use trtc_live_receiver::metrics::Metrics;
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
    /// The forwarder of the accepted journal, to run.
    pub forwarder: Forwarder,
    /// Where it starts.
    pub start: Start,
    /// The dead-letter journal.
    pub dead_letters: Arc<Journal>,
}

/// Sets forwarding up from the options, or says why it cannot be.
pub fn set_up(
    args: &ServeArgs,
    url: &str,
    receiver: &Receiver,
    journals: &Journals,
    metrics: Option<&Metrics>,
) -> Result<Forwarding, String> {
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
    let directory = journals.directory();
    let dead_letters = Journal::open(&directory.join(DEAD_LETTER_FILE))
        .map(Arc::new)
        .map_err(|error| format!("cannot open {}: {error}", DEAD_LETTER_FILE))?;
    let config = ForwarderConfig {
        max_attempts: args.forward_max_attempts,
        backoff: Backoff {
            initial: Duration::from_millis(args.forward_backoff_ms),
            max: Duration::from_secs(args.forward_backoff_max_secs),
            ..Backoff::default()
        },
        attempt_timeout: Duration::from_millis(args.forward_timeout_ms),
        concurrency: usize::from(args.forward_concurrency),
        ..ForwarderConfig::default()
    };
    let position_file =
        PositionFile::new(directory.join(POSITION_FILE), journals.accepted().path());
    let (forwarder, start) = Forwarder::open(
        journals.accepted(),
        Arc::clone(&dead_letters),
        position_file,
        target,
        config,
    )
    .map_err(|error| format!("cannot start forwarding: {error}"))?;
    Ok(Forwarding {
        gateway,
        forwarder,
        start,
        dead_letters,
    })
}

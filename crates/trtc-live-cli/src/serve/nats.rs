//! `serve --sink nats://...`: the JetStream sink of `trtc-live-receiver`'s `nats` feature, set
//! up from the options: the connection (see [`crate::nats`]) and the stream's settings.

use std::time::Duration;

use trtc_live_receiver::nats::{NatsServers, NatsSink, StreamSettings, StreamState};

use crate::args::ServeArgs;

/// Connects to NATS and opens the sink (the stream created, or checked), or says why not.
pub async fn open(
    args: &ServeArgs,
    servers: &NatsServers,
) -> Result<(NatsSink, StreamState), String> {
    let client = crate::nats::connect(&args.nats, servers, "trtc-live serve").await?;
    let settings = StreamSettings {
        name: args.nats.nats_stream.clone(),
        subjects: crate::nats::subjects(&args.nats)?,
        replicas: usize::from(args.nats_replicas),
        duplicate_window: Duration::from_secs(args.nats_duplicate_window_secs),
        max_age: Duration::from_secs(args.nats_max_age_hours.saturating_mul(3600)),
        max_bytes: 0,
    };
    NatsSink::open(
        client,
        settings,
        Duration::from_millis(args.nats_ack_timeout_ms),
    )
    .await
    .map_err(|error| error.to_string())
}

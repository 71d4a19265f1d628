//! `serve --sink nats://...`: the JetStream sink of `trtc-live-receiver`'s `nats` feature, set
//! up from the options: the servers, the credentials (a `.creds` file, a user and a password
//! file, or a token file), TLS, and the stream's settings.

use std::path::Path;
use std::time::Duration;

use trtc_live_receiver::nats::{
    NatsAuth, NatsConnection, NatsServers, NatsSink, StreamSettings, StreamState, Subjects,
};

use crate::args::ServeArgs;

/// Connects to NATS and opens the sink (the stream created, or checked), or says why not.
pub async fn open(
    args: &ServeArgs,
    servers: &NatsServers,
) -> Result<(NatsSink, StreamState), String> {
    let mut connection = NatsConnection::new(servers.clone());
    connection.name = format!("trtc-live serve {}", env!("CARGO_PKG_VERSION"));
    connection.auth = auth(args)?;
    connection.ca_file = args.nats_ca_file.clone();
    let client = connection
        .connect()
        .await
        .map_err(|error| error.to_string())?;
    let settings = StreamSettings {
        name: args.nats_stream.clone(),
        subjects: Subjects::new(args.nats_subject_prefix.clone())
            .map_err(|error| format!("--nats-subject-prefix: {error}"))?,
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

/// The credentials the options name.
fn auth(args: &ServeArgs) -> Result<NatsAuth, String> {
    if let Some(path) = &args.nats_creds {
        return Ok(NatsAuth::CredentialsFile(path.clone()));
    }
    if let (Some(user), Some(path)) = (&args.nats_user, &args.nats_password_file) {
        return Ok(NatsAuth::UserPassword {
            user: user.clone(),
            password: read_secret(path, "--nats-password-file")?,
        });
    }
    if let Some(path) = &args.nats_token_file {
        return Ok(NatsAuth::Token(read_secret(path, "--nats-token-file")?));
    }
    Ok(NatsAuth::None)
}

/// The secret in the file at `path`, without the whitespace around it.
fn read_secret(path: &Path, option: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("{option} {}: {error}", path.display()))?;
    let secret = text.trim();
    if secret.is_empty() {
        return Err(format!("{option} {}: the file is empty", path.display()));
    }
    Ok(secret.to_owned())
}

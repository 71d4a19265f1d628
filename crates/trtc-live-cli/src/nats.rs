//! Reaching NATS from the options shared by `serve --sink` and `replay --from`: the servers,
//! the credentials (a `.creds` file, a user and a password file, or a token file), TLS and the
//! stream's subjects.

use std::path::Path;
use std::time::Duration;

use trtc_live_receiver::journal::Record;
use trtc_live_receiver::nats::{
    async_nats, jetstream, NatsAuth, NatsConnection, NatsServers, StoredLane, StreamReader,
    Subjects,
};

use crate::args::{NatsAccess, StreamLane, StreamSource};

/// One message read from a stream by [`read_stream`].
pub struct StreamItem {
    /// Where it is: `STREAM#SEQUENCE`.
    pub source: String,
    /// The delivery, or why the message is not one.
    pub record: Result<Record, String>,
}

/// Reads the stream of `source` from `servers` as `name`, in stream order, from its first
/// message to the last one it held when the reading started, handing each message of the lanes
/// asked (accepted ones by default) to `each` until it returns `false`. The reading waits
/// between messages as long as `each` takes (a client thread keeps the connection alive).
/// Errors: the connection, the stream, or a read that failed midway.
pub fn read_stream(
    source: &StreamSource,
    servers: &NatsServers,
    name: &str,
    mut each: impl FnMut(StreamItem) -> bool,
) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start: {error}"))?;
    let access = &source.nats;
    let stream = &access.nats_stream;
    let subjects = subjects(access)?;
    let lanes: Vec<StoredLane> = if source.lane.is_empty() {
        vec![StoredLane::Accepted]
    } else {
        source.lane.iter().map(|&lane| stored_lane(lane)).collect()
    };
    let mut reader = runtime.block_on(async {
        let client = connect(access, servers, name).await?;
        let context = jetstream(client, Duration::from_secs(10));
        StreamReader::open(&context, stream, &subjects, &lanes)
            .await
            .map_err(|error| error.to_string())
    })?;
    while let Some(stored) = runtime.block_on(reader.next()) {
        let stored = stored.map_err(|error| format!("{stream} at {servers}: {error}"))?;
        let item = StreamItem {
            source: format!("{stream}#{}", stored.sequence),
            record: stored.record.map_err(|error| error.to_string()),
        };
        if !each(item) {
            break;
        }
    }
    Ok(())
}

fn stored_lane(lane: StreamLane) -> StoredLane {
    match lane {
        StreamLane::Accepted => StoredLane::Accepted,
        StreamLane::Quarantine => StoredLane::Quarantine,
        StreamLane::DeadLetter => StoredLane::DeadLetter,
    }
}

/// Connects to `servers` as `name` (how the server lists the client), or says why not.
pub async fn connect(
    access: &NatsAccess,
    servers: &NatsServers,
    name: &str,
) -> Result<async_nats::Client, String> {
    let mut connection = NatsConnection::new(servers.clone());
    connection.name = format!("{name} {}", env!("CARGO_PKG_VERSION"));
    connection.auth = auth(access)?;
    connection.ca_file = access.nats_ca_file.clone();
    connection
        .connect()
        .await
        .map_err(|error| error.to_string())
}

/// The subjects under `--nats-subject-prefix`.
pub fn subjects(access: &NatsAccess) -> Result<Subjects, String> {
    Subjects::new(access.nats_subject_prefix.clone())
        .map_err(|error| format!("--nats-subject-prefix: {error}"))
}

/// Refuses credentials given without the option that connects (`--sink`, `--from`): they would
/// be silently ignored.
pub fn refuse_unused(access: &NatsAccess, connecting_option: &str) -> Result<(), String> {
    let given = [
        ("--nats-creds", access.nats_creds.is_some()),
        ("--nats-user", access.nats_user.is_some()),
        ("--nats-token-file", access.nats_token_file.is_some()),
        ("--nats-ca-file", access.nats_ca_file.is_some()),
    ];
    match given.iter().find(|(_, given)| *given) {
        Some((option, _)) => Err(format!(
            "{option} is for NATS: it needs {connecting_option} nats://HOST:PORT"
        )),
        None => Ok(()),
    }
}

/// The credentials the options name.
fn auth(access: &NatsAccess) -> Result<NatsAuth, String> {
    if let Some(path) = &access.nats_creds {
        return Ok(NatsAuth::CredentialsFile(path.clone()));
    }
    if let (Some(user), Some(path)) = (&access.nats_user, &access.nats_password_file) {
        return Ok(NatsAuth::UserPassword {
            user: user.clone(),
            password: read_secret(path, "--nats-password-file")?,
        });
    }
    if let Some(path) = &access.nats_token_file {
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

/// `journal export --from nats://...`: the bodies of the stream's deliveries (of the lanes asked,
/// accepted ones by default), one a line, byte for byte (a body on several lines put on one, as
/// for journals); returns the exit status: 0 when every message was a delivery, 1 when one was
/// not, 2 when the stream cannot be read or holds none.
pub fn export_stream(source: &StreamSource, servers: &NatsServers) -> std::process::ExitCode {
    use std::io::Write;
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut records, mut joined, mut not_deliveries, mut closed) = (0u64, 0u64, 0u64, false);
    let read = read_stream(source, servers, "trtc-live journal export", |item| {
        match item.record {
            Ok(record) => {
                let body = record.body_bytes();
                let on_one = body.contains(&b'\n') || body.contains(&b'\r');
                let written = if on_one {
                    joined += 1;
                    stdout.write_all(&crate::one_line::on_one_line(&body))
                } else {
                    stdout.write_all(&body)
                }
                .and_then(|()| stdout.write_all(b"\n"));
                if written.is_err() {
                    // Standard output closed (`| head`): nothing more can be printed.
                    closed = true;
                    return false;
                }
                records += 1;
            }
            Err(error) => {
                eprintln!("{}: {error}", item.source);
                not_deliveries += 1;
            }
        }
        true
    });
    if closed || stdout.flush().is_err() {
        return std::process::ExitCode::SUCCESS;
    }
    if let Err(error) = read {
        eprintln!("trtc-live journal export: {error}");
        return std::process::ExitCode::from(2);
    }
    if joined > 0 {
        eprintln!(
            "trtc-live journal export: {joined} of {records} bodies spanned several lines and \
             were put on one line (the whitespace between their tokens removed)"
        );
    }
    std::process::ExitCode::from(if records == 0 {
        2
    } else if not_deliveries > 0 {
        1
    } else {
        0
    })
}

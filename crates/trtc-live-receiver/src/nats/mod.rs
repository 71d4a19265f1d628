//! NATS JetStream (feature `nats`): deliveries kept in a replicated stream before they are
//! acknowledged, deduplicated across replicas, forwarded by a durable consumer that every
//! replica shares, and read back for `replay`.
//!
//! ```text
//! Tencent ──▶ load balancer ──▶ serve replicas ──publish, wait for the ack──▶ JetStream stream
//!                                (NatsSink)          Nats-Msg-Id: the delivery id   (R3, file)
//!                                                                                    │
//!                          the application ◀── NatsForwarder (one durable consumer, │
//!                                              shared by every replica) ◀───────────┘
//! ```
//!
//! - [`NatsSink`] is a [`crate::sink::Sink`]: each accepted delivery is published on
//!   `PREFIX.live.<CommandWord>` (`trtc.live.Live.CallbackAfterEndBattle`), each quarantined one
//!   on `PREFIX.quarantine.<CommandWord>` (`unknown` for a word no schema knows), the body byte
//!   for byte as the payload and the rest of the [`Record`](crate::journal::Record) in headers
//!   ([`message`]); the endpoint answers 200 only after JetStream's publish acknowledgement
//!   (the message stored by a quorum of the stream's replicas), 503 when it fails or comes too
//!   late.
//! - **Deduplication.** The `Nats-Msg-Id` of an accepted delivery is its
//!   [`DeliveryId`](crate::forward::DeliveryId) (a hash of `SdkAppid`, the command word and the
//!   body): the same event received twice, by one replica or by two, within the stream's
//!   duplicate window, is stored once (the second publish is acknowledged as a duplicate, and
//!   answered 200 too). Its limits are the delivery id's.
//! - [`ensure_stream`] creates the stream with the documented settings ([`StreamSettings`]:
//!   file storage, the replicas, the duplicate window, the subjects), or checks that an
//!   existing one has them, naming every difference.
//! - [`NatsForwarder`] forwards from a durable pull consumer: any replica may take any
//!   delivery; a delivery is acknowledged to JetStream only after the application's 2xx,
//!   redelivered with backoff on failure (a negative acknowledgement with a delay), and
//!   published on `PREFIX.dead.<CommandWord>` after the last attempt.
//! - [`StreamReader`] reads the stream back as records, for `trtc-live replay --from`.

mod consumer;
pub mod message;
mod reader;
mod sink;
mod stream;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use async_nats::{ConnectOptions, ServerAddr};

/// NATS's client crate, whose types this module's API takes and returns (a `Client`, a
/// JetStream `Context`).
pub use async_nats;

pub use consumer::{ConsumerStart, NatsForwarder, DEFAULT_CONSUMER};
pub use reader::{StoredRecord, StreamReader};
pub use sink::{NatsSink, PublishReport, PublishResult, SinkSnapshot, SinkStats};
pub use stream::{ensure_stream, StreamSettings, StreamState, DEFAULT_STREAM, STARTUP_PATIENCE};

/// Why NATS cannot be used as asked: a message for the user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NatsError(pub(crate) String);

impl NatsError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// The subjects of a stream's deliveries, under a prefix (`trtc` by default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subjects {
    prefix: String,
}

/// Which kind of delivery a stored message is, from its subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StoredLane {
    /// `PREFIX.live.<CommandWord>`: an accepted delivery.
    Accepted,
    /// `PREFIX.quarantine.<CommandWord>`: an authenticated request that was refused.
    Quarantine,
    /// `PREFIX.dead.<CommandWord>`: a delivery the forwarder gave up on.
    DeadLetter,
}

impl StoredLane {
    /// `accepted`, `quarantine` or `dead_letter`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Quarantine => "quarantine",
            Self::DeadLetter => "dead_letter",
        }
    }
}

impl Subjects {
    /// The default prefix.
    pub const DEFAULT_PREFIX: &'static str = "trtc";

    /// The subjects under `prefix` (one or more tokens of letters, digits, `-` and `_`,
    /// separated by dots).
    pub fn new(prefix: impl Into<String>) -> Result<Self, NatsError> {
        let prefix = prefix.into();
        let valid = !prefix.is_empty()
            && prefix.split('.').all(|token| {
                !token.is_empty()
                    && token
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            });
        if !valid {
            return Err(NatsError::new(format!(
                "{prefix:?} is not a subject prefix: tokens of letters, digits, - and _, \
                 separated by dots (such as trtc or acme.trtc)"
            )));
        }
        Ok(Self { prefix })
    }

    /// The prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Where a delivery of `lane` with the command word `command` goes.
    pub fn of(&self, lane: StoredLane, command: Option<&str>) -> String {
        let token = match lane {
            StoredLane::Accepted => "live",
            StoredLane::Quarantine => "quarantine",
            StoredLane::DeadLetter => "dead",
        };
        format!("{}.{token}.{}", self.prefix, subject_word(command))
    }

    /// Every subject of `lane` (`PREFIX.live.>`).
    pub fn all(&self, lane: StoredLane) -> String {
        let token = match lane {
            StoredLane::Accepted => "live",
            StoredLane::Quarantine => "quarantine",
            StoredLane::DeadLetter => "dead",
        };
        format!("{}.{token}.>", self.prefix)
    }

    /// The subjects of the stream: those of the three lanes.
    pub fn stream_subjects(&self) -> Vec<String> {
        [
            StoredLane::Accepted,
            StoredLane::Quarantine,
            StoredLane::DeadLetter,
        ]
        .into_iter()
        .map(|lane| self.all(lane))
        .collect()
    }

    /// The lane of a message published on `subject`, if it is one of ours.
    pub fn lane_of(&self, subject: &str) -> Option<StoredLane> {
        let rest = subject.strip_prefix(&self.prefix)?.strip_prefix('.')?;
        let (token, _) = rest.split_once('.')?;
        match token {
            "live" => Some(StoredLane::Accepted),
            "quarantine" => Some(StoredLane::Quarantine),
            "dead" => Some(StoredLane::DeadLetter),
            _ => None,
        }
    }
}

/// A command word as subject tokens: the word itself when it is made of letters, digits, `_`,
/// `-` and single dots (every word Tencent uses), else `unknown`.
fn subject_word(command: Option<&str>) -> &str {
    match command {
        Some(word)
            if !word.is_empty()
                && word.split('.').all(|token| {
                    !token.is_empty()
                        && token
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                }) =>
        {
            word
        }
        _ => "unknown",
    }
}

/// How to authenticate to NATS. Secrets never appear in `Debug` output.
#[derive(Clone, Default)]
pub enum NatsAuth {
    /// No credentials.
    #[default]
    None,
    /// A token (the server's `authorization { token: ... }`).
    Token(String),
    /// A user name and its password.
    UserPassword {
        /// The user.
        user: String,
        /// Its password.
        password: String,
    },
    /// A `.creds` file (a user JWT and its nkey seed, as `nsc` and NATS's operator mode make).
    CredentialsFile(PathBuf),
}

impl fmt::Debug for NatsAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Token(_) => f.write_str("Token(***)"),
            Self::UserPassword { user, .. } => write!(f, "UserPassword({user}, ***)"),
            Self::CredentialsFile(path) => write!(f, "CredentialsFile({})", path.display()),
        }
    }
}

/// The servers of a NATS cluster, as `serve --sink` takes them: `nats://HOST:PORT` or
/// `tls://HOST:PORT` (TLS required), several separated by commas
/// (`nats://n1:4222,n2:4222,n3:4222`; an address without a scheme takes the first one's).
/// Credentials do not go in the URL: they would show in process listings and logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NatsServers {
    addresses: Vec<ServerAddr>,
    tls: bool,
}

impl FromStr for NatsServers {
    type Err = NatsError;

    fn from_str(text: &str) -> Result<Self, NatsError> {
        let mut scheme = None;
        let mut addresses = Vec::new();
        for part in text.split(',').map(str::trim) {
            if part.is_empty() {
                return Err(NatsError::new(format!(
                    "{text:?}: an empty server address (write nats://HOST:PORT,HOST:PORT)"
                )));
            }
            let with_scheme = match (part.split_once("://"), &scheme) {
                (Some((given, _)), _) => {
                    scheme.get_or_insert_with(|| given.to_owned());
                    part.to_owned()
                }
                (None, Some(first)) => format!("{first}://{part}"),
                (None, None) => {
                    return Err(NatsError::new(format!(
                        "{text:?}: give the scheme: nats://HOST:PORT (or tls://HOST:PORT for TLS)"
                    )))
                }
            };
            let address: ServerAddr = with_scheme
                .parse()
                .map_err(|error| NatsError::new(format!("{part:?}: {error}")))?;
            if !matches!(address.scheme(), "nats" | "tls") {
                return Err(NatsError::new(format!(
                    "{part:?}: the scheme must be nats:// or tls://"
                )));
            }
            if address.has_user_pass() || address.username().is_some() {
                return Err(NatsError::new(
                    "a NATS URL holds credentials: they do not go in the URL (process listings \
                     and logs would show them); use a credentials, token or password file",
                ));
            }
            addresses.push(address);
        }
        let tls = addresses.iter().any(ServerAddr::tls_required);
        Ok(Self { addresses, tls })
    }
}

impl fmt::Display for NatsServers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, address) in self.addresses.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(
                f,
                "{}://{}:{}",
                address.scheme(),
                address.host(),
                address.port()
            )?;
        }
        Ok(())
    }
}

impl NatsServers {
    /// Whether TLS is required (a `tls://` address).
    pub fn tls(&self) -> bool {
        self.tls
    }

    /// The addresses.
    pub fn addresses(&self) -> &[ServerAddr] {
        &self.addresses
    }
}

/// How to connect to NATS.
#[derive(Clone, Debug)]
pub struct NatsConnection {
    /// The servers (the client learns the rest of the cluster from them).
    pub servers: NatsServers,
    /// The credentials.
    pub auth: NatsAuth,
    /// A file of PEM certificates to trust for TLS besides the system's (a private CA).
    pub ca_file: Option<PathBuf>,
    /// The client's name, as the server shows it (`trtc-live serve`).
    pub name: String,
    /// How long the first connection may take.
    pub connect_timeout: Duration,
}

impl NatsConnection {
    /// A connection to `servers` without credentials, named `trtc-live`, with 5 s to connect.
    pub fn new(servers: NatsServers) -> Self {
        Self {
            servers,
            auth: NatsAuth::None,
            ca_file: None,
            name: "trtc-live".into(),
            connect_timeout: Duration::from_secs(5),
        }
    }

    /// Connects, or says why it cannot. The client then reconnects by itself, forever, to any
    /// server of the cluster, and logs each change of its connection through `tracing`.
    pub async fn connect(&self) -> Result<async_nats::Client, NatsError> {
        let mut options = match &self.auth {
            NatsAuth::None => ConnectOptions::new(),
            NatsAuth::Token(token) => ConnectOptions::with_token(token.clone()),
            NatsAuth::UserPassword { user, password } => {
                ConnectOptions::with_user_and_password(user.clone(), password.clone())
            }
            NatsAuth::CredentialsFile(path) => ConnectOptions::with_credentials_file(path)
                .await
                .map_err(|error| {
                    NatsError::new(format!(
                        "the NATS credentials file {}: {error}",
                        path.display()
                    ))
                })?,
        };
        options = options
            .name(&self.name)
            .connection_timeout(self.connect_timeout)
            .max_reconnects(None)
            .reconnect_delay_callback(|attempts| {
                // 0, 100 ms, 200 ms, ... up to 2 s: a server that comes back is found soon.
                Duration::from_millis(100 * attempts.min(20) as u64)
            })
            .event_callback(|event| async move {
                match event {
                    async_nats::Event::Connected => tracing::info!("NATS: connected"),
                    async_nats::Event::Disconnected => {
                        tracing::warn!("NATS: disconnected; reconnecting")
                    }
                    other => tracing::warn!(event = %other, "NATS"),
                }
            });
        if self.servers.tls() {
            options = options.require_tls(true);
        }
        if let Some(path) = &self.ca_file {
            if !path.is_file() {
                return Err(NatsError::new(format!(
                    "the CA file {} cannot be read",
                    path.display()
                )));
            }
            options = options.add_root_certificates(path.clone());
        }
        options
            .connect(self.servers.addresses().to_vec())
            .await
            .map_err(|error| {
                NatsError::new(format!(
                    "cannot connect to NATS at {}: {error}",
                    self.servers
                ))
            })
    }
}

/// The JetStream context of `client`: every request and publish acknowledgement bounded by
/// `timeout`, publishes waiting (not failing) when many are in flight.
pub fn jetstream(client: async_nats::Client, timeout: Duration) -> async_nats::jetstream::Context {
    async_nats::jetstream::ContextBuilder::new()
        .timeout(timeout)
        .backpressure_on_inflight(true)
        .build(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_are_a_list_of_nats_or_tls_urls() {
        let servers: NatsServers = "nats://127.0.0.1:4222,127.0.0.2:4223".parse().unwrap();
        assert_eq!(
            servers.to_string(),
            "nats://127.0.0.1:4222,nats://127.0.0.2:4223"
        );
        assert!(!servers.tls());
        let tls: NatsServers = "tls://nats.example:4222".parse().unwrap();
        assert!(tls.tls());
        for bad in [
            "127.0.0.1:4222",
            "http://h:1",
            "nats://h:1,,h:2",
            "nats://user:secret@h:4222",
        ] {
            assert!(bad.parse::<NatsServers>().is_err(), "{bad}");
        }
        let secret = "nats://user:secret@h:4222"
            .parse::<NatsServers>()
            .unwrap_err();
        assert!(!secret.to_string().contains("secret"), "{secret}");
    }

    #[test]
    fn subjects_per_lane_and_command_word() {
        let subjects = Subjects::new("trtc").unwrap();
        assert_eq!(
            subjects.of(StoredLane::Accepted, Some("Live.CallbackAfterEndBattle")),
            "trtc.live.Live.CallbackAfterEndBattle"
        );
        assert_eq!(
            subjects.of(StoredLane::Quarantine, None),
            "trtc.quarantine.unknown"
        );
        assert_eq!(
            subjects.of(StoredLane::DeadLetter, Some("bad word>")),
            "trtc.dead.unknown"
        );
        assert_eq!(
            subjects.stream_subjects(),
            vec!["trtc.live.>", "trtc.quarantine.>", "trtc.dead.>"]
        );
        assert_eq!(
            subjects.lane_of("trtc.dead.Live.X"),
            Some(StoredLane::DeadLetter)
        );
        assert_eq!(subjects.lane_of("other.live.X"), None);
        assert!(Subjects::new("a..b").is_err());
        assert!(Subjects::new("acme.trtc").is_ok());
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let auth = NatsAuth::UserPassword {
            user: "gateway".into(),
            password: "hunter2".into(),
        };
        assert_eq!(format!("{auth:?}"), "UserPassword(gateway, ***)");
        assert_eq!(format!("{:?}", NatsAuth::Token("t0k".into())), "Token(***)");
    }
}

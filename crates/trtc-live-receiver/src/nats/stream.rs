//! The stream: its settings, created when missing, checked when present.

use std::future::Future;
use std::time::Duration;

use async_nats::jetstream::context::{CreateStreamErrorKind, GetStreamErrorKind};
use async_nats::jetstream::stream::{Config, DiscardPolicy, RetentionPolicy, StorageType};
use async_nats::jetstream::Context;
use async_nats::jetstream::ErrorCode;

use super::{NatsError, Subjects};

/// The default stream name.
pub const DEFAULT_STREAM: &str = "TRTC_LIVE_WEBHOOKS";

/// The settings of the stream that `serve --sink nats://...` creates, or checks on an existing
/// stream.
///
/// | setting | value |
/// |---|---|
/// | name | `name` (`TRTC_LIVE_WEBHOOKS` by default) |
/// | subjects | `PREFIX.live.>`, `PREFIX.quarantine.>`, `PREFIX.dead.>` |
/// | storage | file (every replica writes each message to its file store before the acknowledgement; nats-server syncs the files to disk every `sync_interval`, 2 minutes by default, or per message with `sync_interval: always`) |
/// | replicas | `replicas` (3 in production: the stream survives the loss of one node; at most 5) |
/// | duplicate window | `duplicate_window` (2 minutes by default): a message whose `Nats-Msg-Id` was stored within it is acknowledged as a duplicate and not stored again |
/// | retention | limits: messages are kept until `max_age` (0: forever) or `max_bytes` (0: no limit), the oldest discarded first; consuming does not remove them (the stream is the record, as the journal is) |
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamSettings {
    /// The stream's name.
    pub name: String,
    /// The subjects' prefix.
    pub subjects: Subjects,
    /// Replicas (1 to 5).
    pub replicas: usize,
    /// The duplicate window.
    pub duplicate_window: Duration,
    /// How long messages are kept (zero: forever).
    pub max_age: Duration,
    /// The most bytes kept (zero: no limit).
    pub max_bytes: u64,
}

impl Default for StreamSettings {
    /// `TRTC_LIVE_WEBHOOKS`, prefix `trtc`, one replica, a 2-minute duplicate window, kept
    /// forever.
    fn default() -> Self {
        Self {
            name: DEFAULT_STREAM.into(),
            subjects: Subjects {
                prefix: Subjects::DEFAULT_PREFIX.into(),
            },
            replicas: 1,
            duplicate_window: Duration::from_secs(120),
            max_age: Duration::ZERO,
            max_bytes: 0,
        }
    }
}

impl StreamSettings {
    /// The stream's configuration.
    pub fn config(&self) -> Config {
        Config {
            name: self.name.clone(),
            description: Some(
                "TRTC Live webhooks received by trtc-live serve (payload: the body as received)"
                    .into(),
            ),
            subjects: self.subjects.stream_subjects(),
            storage: StorageType::File,
            num_replicas: self.replicas,
            duplicate_window: self.duplicate_window,
            max_age: self.max_age,
            max_bytes: if self.max_bytes == 0 {
                -1
            } else {
                i64::try_from(self.max_bytes).unwrap_or(i64::MAX)
            },
            retention: RetentionPolicy::Limits,
            discard: DiscardPolicy::Old,
            ..Config::default()
        }
    }

    /// The differences between `existing` and these settings, in words (empty: none).
    pub fn differences(&self, existing: &Config) -> Vec<String> {
        let wanted = self.config();
        let mut differences = Vec::new();
        let missing: Vec<&String> = wanted
            .subjects
            .iter()
            .filter(|subject| !existing.subjects.contains(subject))
            .collect();
        if !missing.is_empty() {
            differences.push(format!(
                "subjects {:?} (these are missing: {missing:?})",
                existing.subjects
            ));
        }
        if existing.storage != StorageType::File {
            differences.push("memory storage (file storage is needed: durable)".into());
        }
        if existing.num_replicas != wanted.num_replicas {
            differences.push(format!(
                "{} replicas (asked: {})",
                existing.num_replicas, wanted.num_replicas
            ));
        }
        if existing.duplicate_window != wanted.duplicate_window {
            differences.push(format!(
                "a duplicate window of {} s (asked: {} s)",
                existing.duplicate_window.as_secs_f64(),
                wanted.duplicate_window.as_secs_f64()
            ));
        }
        if existing.max_age != wanted.max_age {
            differences.push(format!(
                "a maximum age of {} (asked: {})",
                age(existing.max_age),
                age(wanted.max_age)
            ));
        }
        if existing.max_bytes.max(-1) != wanted.max_bytes {
            differences.push(format!(
                "a maximum size of {} (asked: {})",
                size(existing.max_bytes),
                size(wanted.max_bytes)
            ));
        }
        if existing.retention != RetentionPolicy::Limits {
            differences.push(format!(
                "retention {:?} (asked: limits: consuming must not remove messages)",
                existing.retention
            ));
        }
        differences
    }
}

fn age(age: Duration) -> String {
    if age.is_zero() {
        "none (forever)".into()
    } else {
        format!("{} h", age.as_secs_f64() / 3600.0)
    }
}

fn size(bytes: i64) -> String {
    if bytes <= 0 {
        "none".into()
    } else {
        format!("{bytes} bytes")
    }
}

/// What [`ensure_stream`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamState {
    /// The stream was created now.
    Created,
    /// The stream was there, with the settings asked; it holds `messages` messages.
    Existing {
        /// Messages in it.
        messages: u64,
    },
}

/// How long [`ensure_stream`] waits for a cluster that cannot answer yet (a leader being
/// elected, a node starting, the client reconnecting) before it gives up.
pub const STARTUP_PATIENCE: Duration = Duration::from_secs(30);

/// Creates the stream of `settings`, or checks that the existing one has them: an existing
/// stream with other settings is an error that names every difference (nothing is changed:
/// changing a production stream is its owner's decision, with `nats stream edit`).
///
/// While JetStream cannot answer yet (no meta leader, a request timing out, too few peers for
/// the replicas asked) it tries again every 500 ms, for [`STARTUP_PATIENCE`] at most, saying so
/// through `tracing`: replicas and NATS nodes restarted together find each other.
pub async fn ensure_stream(
    context: &Context,
    settings: &StreamSettings,
) -> Result<StreamState, NatsError> {
    patiently(|| try_ensure_stream(context, settings))
        .await
        .map_err(|attempt| match attempt {
            Attempt::Again(error) => NatsError::new(format!(
                "{error} (JetStream did not answer for {} s)",
                STARTUP_PATIENCE.as_secs()
            )),
            Attempt::Final(error) => error,
        })
}

/// Why one try of a JetStream request failed.
pub(super) enum Attempt {
    /// Worth trying again: JetStream could not answer yet.
    Again(NatsError),
    /// Not: the stream differs, JetStream is off, the request is refused.
    Final(NatsError),
}

impl Attempt {
    /// `error`, worth trying again when `again`.
    pub(super) fn new(error: NatsError, again: bool) -> Self {
        if again {
            Attempt::Again(error)
        } else {
            Attempt::Final(error)
        }
    }

    /// The error, worth trying again or not.
    pub(super) fn into_error(self) -> NatsError {
        match self {
            Attempt::Again(error) | Attempt::Final(error) => error,
        }
    }
}

/// Runs `attempt` until it succeeds or fails for good: while it fails with [`Attempt::Again`]
/// (JetStream cannot answer yet), again every 500 ms for [`STARTUP_PATIENCE`] at most, saying
/// so through `tracing`. Gives the last failure, `Again` when the patience ran out.
pub(super) async fn patiently<T, F: Future<Output = Result<T, Attempt>>>(
    mut attempt: impl FnMut() -> F,
) -> Result<T, Attempt> {
    let started = std::time::Instant::now();
    loop {
        match attempt().await {
            Err(Attempt::Again(error)) if started.elapsed() < STARTUP_PATIENCE => {
                tracing::warn!(%error, "JetStream is not ready; trying again in 500 ms");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            outcome => return outcome,
        }
    }
}

/// Whether a JetStream error says the cluster is not ready yet (rather than no).
pub(super) fn not_ready(code: ErrorCode) -> bool {
    [
        ErrorCode::CLUSTER_NOT_AVAILABLE,
        ErrorCode::CLUSTER_NOT_ACTIVE,
        ErrorCode::CLUSTER_NOT_LEADER,
        ErrorCode::CLUSTER_NO_PEERS,
        ErrorCode::CLUSTER_INCOMPLETE,
        ErrorCode::INSUFFICIENT_RESOURCES,
        ErrorCode::RAFT_GENERAL,
    ]
    .contains(&code)
}

async fn try_ensure_stream(
    context: &Context,
    settings: &StreamSettings,
) -> Result<StreamState, Attempt> {
    match context.get_stream(&settings.name).await {
        Ok(mut stream) => {
            let info = stream.info().await.map_err(|error| {
                Attempt::Again(NatsError::new(format!(
                    "the stream {}: {error}",
                    settings.name
                )))
            })?;
            let differences = settings.differences(&info.config);
            if differences.is_empty() {
                return Ok(StreamState::Existing {
                    messages: info.state.messages,
                });
            }
            Err(Attempt::Final(NatsError::new(format!(
                "the JetStream stream {} exists with other settings than asked: {}. Change the \
                 stream (nats stream edit {} ...) or the options to match, or name another \
                 stream with --nats-stream",
                settings.name,
                differences.join("; "),
                settings.name
            ))))
        }
        Err(error) => match error.kind() {
            GetStreamErrorKind::JetStream(inner)
                if inner.error_code() == ErrorCode::STREAM_NOT_FOUND =>
            {
                context
                    .create_stream(settings.config())
                    .await
                    .map_err(|error| {
                        let again = match error.kind() {
                            CreateStreamErrorKind::TimedOut
                            | CreateStreamErrorKind::JetStreamUnavailable => true,
                            CreateStreamErrorKind::JetStream(inner) => {
                                not_ready(inner.error_code())
                            }
                            _ => false,
                        };
                        Attempt::new(
                            NatsError::new(format!(
                                "cannot create the JetStream stream {}: {error}",
                                settings.name
                            )),
                            again,
                        )
                    })?;
                Ok(StreamState::Created)
            }
            GetStreamErrorKind::JetStream(inner)
                if inner.error_code() == ErrorCode::JETSTREAM_NOT_ENABLED
                    || inner.error_code() == ErrorCode::JETSTREAM_NOT_ENABLED_FOR_ACCOUNT =>
            {
                Err(Attempt::Final(NatsError::new(format!(
                    "JetStream is not enabled on this NATS server or account ({inner}): start \
                     nats-server with -js (or jetstream {{}} in its configuration)"
                ))))
            }
            GetStreamErrorKind::JetStream(inner) if !not_ready(inner.error_code()) => {
                Err(Attempt::Final(NatsError::new(format!(
                    "cannot look up the JetStream stream {}: {error}",
                    settings.name
                ))))
            }
            _ => Err(Attempt::Again(NatsError::new(format!(
                "cannot look up the JetStream stream {}: {error}",
                settings.name
            )))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_difference_is_named() {
        let settings = StreamSettings {
            replicas: 3,
            ..StreamSettings::default()
        };
        assert!(settings.differences(&settings.config()).is_empty());
        let existing = Config {
            subjects: vec!["trtc.live.>".into()],
            storage: StorageType::Memory,
            num_replicas: 1,
            duplicate_window: Duration::from_secs(60),
            ..settings.config()
        };
        let differences = settings.differences(&existing).join("; ");
        for expected in [
            "these are missing: [\"trtc.quarantine.>\", \"trtc.dead.>\"]",
            "memory storage",
            "1 replicas (asked: 3)",
            "duplicate window of 60 s (asked: 120 s)",
        ] {
            assert!(differences.contains(expected), "{differences}");
        }
    }
}

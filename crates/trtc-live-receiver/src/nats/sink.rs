//! The JetStream sink: each delivery published, and kept once JetStream acknowledged it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use async_nats::jetstream::context::PublishErrorKind;
use async_nats::jetstream::message::PublishMessage;
use async_nats::jetstream::Context;

use super::message::to_message;
use super::{ensure_stream, jetstream, NatsError, StoredLane, StreamSettings, StreamState};
use crate::journal::Record;
use crate::sink::{KeepFuture, Lane, Sink};

/// What became of one publish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PublishResult {
    /// Stored (acknowledged).
    Stored,
    /// Acknowledged as a duplicate: a message with the same `Nats-Msg-Id` was stored within the
    /// duplicate window (the same event received again).
    Duplicate,
    /// No acknowledgement within the timeout.
    Timeout,
    /// Refused, or the connection failed.
    Failed,
}

impl PublishResult {
    /// `stored`, `duplicate`, `timeout` or `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stored => "stored",
            Self::Duplicate => "duplicate",
            Self::Timeout => "timeout",
            Self::Failed => "failed",
        }
    }
}

/// One publish, as the observer of [`NatsSink::observe_publishes`] sees it.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct PublishReport {
    /// The lane.
    pub lane: StoredLane,
    /// What became of it.
    pub result: PublishResult,
    /// From sending it to the acknowledgement (or the failure).
    pub elapsed: Duration,
}

/// A function told of every publish.
type PublishObserver = Box<dyn Fn(&PublishReport) + Send + Sync>;

#[derive(Default)]
struct Counters {
    stored: AtomicU64,
    duplicate: AtomicU64,
    timeout: AtomicU64,
    failed: AtomicU64,
    observer: OnceLock<PublishObserver>,
}

/// What a sink did so far ([`SinkStats::snapshot`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SinkSnapshot {
    /// Publishes stored.
    pub stored: u64,
    /// Publishes acknowledged as duplicates.
    pub duplicate: u64,
    /// Publishes not acknowledged in time (answered 503).
    pub timeout: u64,
    /// Publishes refused or failed (answered 503).
    pub failed: u64,
}

/// A handle on a sink's counts, for metrics.
#[derive(Clone)]
pub struct SinkStats(Arc<Counters>);

impl std::fmt::Debug for SinkStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.snapshot().fmt(f)
    }
}

impl SinkStats {
    /// The counts now.
    pub fn snapshot(&self) -> SinkSnapshot {
        let load = |counter: &AtomicU64| counter.load(Ordering::SeqCst);
        SinkSnapshot {
            stored: load(&self.0.stored),
            duplicate: load(&self.0.duplicate),
            timeout: load(&self.0.timeout),
            failed: load(&self.0.failed),
        }
    }
}

/// The JetStream sink (see the [module documentation](super)): a [`Sink`] that publishes each
/// record on its subject with its delivery id as `Nats-Msg-Id`, and resolves once JetStream
/// acknowledged it (stored, or a duplicate of a message stored within the duplicate window),
/// with an error of kind `TimedOut` when no acknowledgement came within `ack_timeout`.
pub struct NatsSink {
    client: async_nats::Client,
    context: Context,
    settings: StreamSettings,
    ack_timeout: Duration,
    counters: Arc<Counters>,
}

impl std::fmt::Debug for NatsSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsSink")
            .field("stream", &self.settings.name)
            .field("ack_timeout", &self.ack_timeout)
            .finish_non_exhaustive()
    }
}

impl NatsSink {
    /// A sink publishing through `client` to the stream of `settings`, created if missing (an
    /// existing stream with other settings is an error: [`ensure_stream`]), waiting at most
    /// `ack_timeout` for each acknowledgement.
    pub async fn open(
        client: async_nats::Client,
        settings: StreamSettings,
        ack_timeout: Duration,
    ) -> Result<(Self, StreamState), NatsError> {
        let context = jetstream(client.clone(), ack_timeout.max(Duration::from_secs(5)));
        let state = ensure_stream(&context, &settings).await?;
        let context = jetstream(client.clone(), ack_timeout);
        let sink = Self {
            client,
            context,
            settings,
            ack_timeout,
            counters: Arc::default(),
        };
        Ok((sink, state))
    }

    /// The client.
    pub fn client(&self) -> &async_nats::Client {
        &self.client
    }

    /// The JetStream context (requests bounded by the acknowledgement timeout).
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// How long a publish waits for its acknowledgement.
    pub fn ack_timeout(&self) -> Duration {
        self.ack_timeout
    }

    /// The stream's settings.
    pub fn settings(&self) -> &StreamSettings {
        &self.settings
    }

    /// A handle on the counts.
    pub fn stats(&self) -> SinkStats {
        SinkStats(Arc::clone(&self.counters))
    }

    /// Calls `observer` after every publish (for metrics: the acknowledgement's latency).
    /// One observer per sink: `false` if one was set already.
    pub fn observe_publishes(
        &self,
        observer: impl Fn(&PublishReport) + Send + Sync + 'static,
    ) -> bool {
        self.counters.observer.set(Box::new(observer)).is_ok()
    }

    /// Publishes `record` in `lane` and waits for its acknowledgement.
    pub async fn publish(&self, lane: StoredLane, record: &Record) -> std::io::Result<()> {
        let started = Instant::now();
        let subject = self.settings.subjects.of(lane, record.command());
        let (headers, payload) = to_message(lane, record);
        let publish = PublishMessage::build().headers(headers).payload(payload);
        let outcome = tokio::time::timeout(self.ack_timeout, async {
            self.context.send_publish(subject, publish).await?.await
        })
        .await;
        let (result, answer) = match outcome {
            Ok(Ok(ack)) if ack.duplicate => (PublishResult::Duplicate, Ok(())),
            Ok(Ok(_)) => (PublishResult::Stored, Ok(())),
            Ok(Err(error)) if error.kind() == PublishErrorKind::TimedOut => {
                (PublishResult::Timeout, Err(self.late()))
            }
            Ok(Err(error)) => (
                PublishResult::Failed,
                Err(std::io::Error::other(format!(
                    "JetStream did not store the delivery: {error}"
                ))),
            ),
            Err(_) => (PublishResult::Timeout, Err(self.late())),
        };
        let counter = match result {
            PublishResult::Stored => &self.counters.stored,
            PublishResult::Duplicate => &self.counters.duplicate,
            PublishResult::Timeout => &self.counters.timeout,
            PublishResult::Failed => &self.counters.failed,
        };
        counter.fetch_add(1, Ordering::SeqCst);
        if let Some(observer) = self.counters.observer.get() {
            observer(&PublishReport {
                lane,
                result,
                elapsed: started.elapsed(),
            });
        }
        answer
    }

    fn late(&self) -> std::io::Error {
        std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            format!(
                "JetStream did not acknowledge the delivery within {} ms",
                self.ack_timeout.as_millis()
            ),
        )
    }
}

impl Sink for NatsSink {
    fn keep<'a>(&'a self, lane: Lane, record: &'a Record) -> KeepFuture<'a> {
        let lane = match lane {
            Lane::Accepted => StoredLane::Accepted,
            Lane::Quarantine => StoredLane::Quarantine,
        };
        Box::pin(self.publish(lane, record))
    }

    fn describe(&self) -> String {
        format!("JetStream stream {}", self.settings.name)
    }

    fn is_ready(&self) -> bool {
        self.client.connection_state() == async_nats::connection::State::Connected
    }
}

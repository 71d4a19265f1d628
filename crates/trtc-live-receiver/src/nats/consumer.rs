//! The forwarder as a durable JetStream consumer, shared by every replica.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::consumer::{pull, AckPolicy, DeliverPolicy, ReplayPolicy};
use async_nats::jetstream::context::ConsumerInfoErrorKind;
use async_nats::jetstream::message::PublishMessage;
use async_nats::jetstream::ErrorCode;
use async_nats::jetstream::{AckKind, Context, Message};
use futures_util::StreamExt;
use tokio::task::JoinSet;

use super::message::{to_message, to_record};
use super::stream::{patiently, Attempt};
use super::{NatsError, NatsSink, StoredLane, StreamSettings};
use crate::forward::{
    is_before_webhook, Counters, DeliveryKind, ForwardTarget, ForwarderConfig, ForwarderStats,
    Outgoing,
};
use crate::journal::Record;

/// The default name of the durable consumer that forwards.
pub const DEFAULT_CONSUMER: &str = "trtc-live-forwarder";

/// How often the consumer's queue depth is asked for (metrics).
const QUEUE_POLL: Duration = Duration::from_secs(2);

/// Where a consumer starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsumerStart {
    /// The consumer was created: it forwards what is published from now on (what the stream
    /// held before is not forwarded; `trtc-live replay --from` sends it).
    Created,
    /// The consumer was there (another replica, or an earlier run, made it): it goes on where
    /// it was, with `pending` deliveries not yet acknowledged.
    Resumed {
        /// Deliveries waiting, or delivered and not yet acknowledged.
        pending: u64,
    },
}

/// The forwarder of a JetStream stream's accepted deliveries (see the
/// [module documentation](super)): a durable pull consumer that every replica opens under the
/// same name, so that each delivery is taken by one of them.
///
/// - Each message is sent to the application once per delivery of it by JetStream: the
///   attempt's number is JetStream's count of deliveries (`trtc-attempt`), whichever replica
///   makes it.
/// - A 2xx answer acknowledges the message (and only that). A failure is answered with a
///   negative acknowledgement delayed by the [`Backoff`](crate::forward::Backoff) of the
///   attempt: JetStream delivers it again after the delay, to any replica.
/// - After `max_attempts` failed deliveries, the delivery is published on
///   `PREFIX.dead.<CommandWord>` with the reason (its `Nats-Msg-Id` is the delivery id with
///   `.dead`), then acknowledged.
/// - Before-webhooks (forwarded while Tencent waited) are acknowledged and passed over;
///   messages that are not deliveries are terminated, and logged.
/// - At most `concurrency` deliveries are unacknowledged at once, **across all replicas** (the
///   consumer's `max_ack_pending`): with 1 (the default), the application receives them in
///   stream order, a delivery being retried holding back the ones after it.
/// - A replica that stops (or is killed) leaves its delivery in flight unacknowledged:
///   JetStream delivers it again after the consumer's acknowledgement wait (the attempt's
///   timeout, the publish timeout and 2 s), to a replica that is up. A graceful stop gives it
///   back at once.
pub struct NatsForwarder {
    consumer: async_nats::jetstream::consumer::Consumer<pull::Config>,
    shared: Arc<Shared>,
    queued: Arc<AtomicU64>,
    name: String,
}

impl std::fmt::Debug for NatsForwarder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsForwarder")
            .field("consumer", &self.name)
            .finish_non_exhaustive()
    }
}

/// What every delivery task needs.
struct Shared {
    target: Arc<ForwardTarget>,
    config: ForwarderConfig,
    counters: Arc<Counters>,
    context: Context,
    settings: StreamSettings,
}

impl NatsForwarder {
    /// The consumer's configuration, for the stream of `settings`.
    pub fn consumer_config(
        name: &str,
        settings: &StreamSettings,
        config: &ForwarderConfig,
        publish_timeout: Duration,
    ) -> pull::Config {
        pull::Config {
            durable_name: Some(name.to_owned()),
            description: Some("trtc-live serve --forward-to: the application's deliveries".into()),
            filter_subject: settings.subjects.all(StoredLane::Accepted),
            deliver_policy: DeliverPolicy::New,
            ack_policy: AckPolicy::Explicit,
            ack_wait: config.attempt_timeout + publish_timeout + Duration::from_secs(2),
            max_deliver: -1,
            max_ack_pending: i64::try_from(config.concurrency.max(1)).unwrap_or(i64::MAX),
            replay_policy: ReplayPolicy::Instant,
            ..pull::Config::default()
        }
    }

    /// Opens (creating it if needed) the durable consumer `name` of `sink`'s stream, forwarding
    /// to `target` with `config` (its attempts, backoff, attempt timeout and concurrency; the
    /// save interval does not apply). An existing consumer whose settings differ in what can be
    /// changed (the acknowledgement wait, the deliveries unacknowledged at once) is updated;
    /// one that reads other subjects is an error. While JetStream cannot answer (a request
    /// timing out: a leader being elected), it tries again every 500 ms, for
    /// [`STARTUP_PATIENCE`](super::STARTUP_PATIENCE) at most.
    pub async fn open(
        sink: &NatsSink,
        name: &str,
        target: Arc<ForwardTarget>,
        config: ForwarderConfig,
    ) -> Result<(Self, ConsumerStart), NatsError> {
        patiently(|| Self::try_open(sink, name, Arc::clone(&target), config))
            .await
            .map_err(Attempt::into_error)
    }

    /// One try of [`NatsForwarder::open`].
    async fn try_open(
        sink: &NatsSink,
        name: &str,
        target: Arc<ForwardTarget>,
        config: ForwarderConfig,
    ) -> Result<(Self, ConsumerStart), Attempt> {
        let again = Attempt::Again;
        let config = ForwarderConfig {
            max_attempts: config.max_attempts.max(1),
            concurrency: config.concurrency.max(1),
            ..config
        };
        let settings = sink.settings().clone();
        let context = sink.context().clone();
        let publish_timeout = context_timeout(sink);
        let wanted = Self::consumer_config(name, &settings, &config, publish_timeout);
        let admin = super::jetstream(sink.client().clone(), Duration::from_secs(10));
        let stream = admin
            .get_stream(&settings.name)
            .await
            .map_err(|error| NatsError::new(format!("the stream {}: {error}", settings.name)))
            .map_err(again)?;
        let failure =
            |error: &dyn std::fmt::Display| NatsError::new(format!("the consumer {name}: {error}"));
        let start = match stream.consumer_info(name).await {
            Ok(info) => {
                let existing = &info.config;
                if existing.filter_subject != wanted.filter_subject
                    || existing.ack_policy != AckPolicy::Explicit
                {
                    return Err(Attempt::Final(NatsError::new(format!(
                        "the consumer {name} of the stream {} exists and reads {:?} (it must \
                         read {:?} with explicit acknowledgements): delete it (nats consumer rm \
                         {} {name}) or name another with --nats-consumer",
                        settings.name,
                        existing.filter_subject,
                        wanted.filter_subject,
                        settings.name
                    ))));
                }
                if existing.ack_wait != wanted.ack_wait
                    || existing.max_ack_pending != wanted.max_ack_pending
                    || existing.max_deliver != wanted.max_deliver
                {
                    tracing::warn!(
                        consumer = name,
                        ack_wait_ms = wanted.ack_wait.as_millis() as u64,
                        max_ack_pending = wanted.max_ack_pending,
                        "the consumer's settings differ from this replica's options: updated \
                         (every replica should run with the same forwarding options)"
                    );
                    stream
                        .update_consumer(pull::Config {
                            deliver_policy: existing.deliver_policy,
                            ..wanted.clone()
                        })
                        .await
                        .map_err(|error| again(failure(&error)))?;
                }
                ConsumerStart::Resumed {
                    pending: info.num_pending + info.num_ack_pending as u64,
                }
            }
            Err(error)
                if error.kind() == ConsumerInfoErrorKind::NotFound
                    || matches!(error.kind(), ConsumerInfoErrorKind::JetStream(ref inner)
                        if inner.error_code() == ErrorCode::CONSUMER_NOT_FOUND) =>
            {
                // Another replica may create it at the same time: the same configuration is
                // accepted twice.
                stream
                    .create_consumer(wanted.clone())
                    .await
                    .map_err(|error| again(failure(&error)))?;
                ConsumerStart::Created
            }
            Err(error) => return Err(again(failure(&error))),
        };
        let consumer = stream
            .get_consumer::<pull::Config>(name)
            .await
            .map_err(|error| again(failure(&error)))?;
        let forwarder = Self {
            consumer,
            shared: Arc::new(Shared {
                target,
                config,
                counters: Arc::default(),
                context,
                settings,
            }),
            queued: Arc::default(),
            name: name.to_owned(),
        };
        Ok((forwarder, start))
    }

    /// A handle on the counters (the queue's depth: the consumer's pending and unacknowledged
    /// messages, asked every 2 s).
    pub fn stats(&self) -> ForwarderStats {
        ForwarderStats::polled(Arc::clone(&self.shared.counters), Arc::clone(&self.queued))
    }

    /// Forwards until `shutdown` resolves; then the deliveries in flight are given back to
    /// JetStream at once (a negative acknowledgement without delay), for another replica or
    /// the next run.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), NatsError> {
        let concurrency = self.shared.config.concurrency;
        let poller = tokio::spawn(poll_queue(self.consumer.clone(), Arc::clone(&self.queued)));
        let mut shutdown = std::pin::pin!(shutdown);
        let mut tasks: JoinSet<()> = JoinSet::new();
        let mut in_flight: HashMap<tokio::task::Id, Message> = HashMap::new();
        'pulling: loop {
            let mut messages = match self
                .consumer
                .stream()
                .max_messages_per_batch(concurrency)
                .heartbeat(Duration::from_secs(5))
                .expires(Duration::from_secs(30))
                .messages()
                .await
            {
                Ok(messages) => messages,
                Err(error) => {
                    tracing::error!(consumer = %self.name, %error, "cannot pull from the consumer; trying again in 1 s");
                    tokio::select! {
                        biased;
                        () = &mut shutdown => break 'pulling,
                        () = tokio::time::sleep(Duration::from_secs(1)) => continue 'pulling,
                    }
                }
            };
            loop {
                self.shared
                    .counters
                    .in_flight
                    .store(tasks.len() as u64, Ordering::SeqCst);
                tokio::select! {
                    biased;
                    () = &mut shutdown => break 'pulling,
                    Some(joined) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                        let id = match joined {
                            Ok((id, ())) => id,
                            Err(error) => {
                                tracing::error!(%error, "a delivery task failed");
                                error.id()
                            }
                        };
                        in_flight.remove(&id);
                    }
                    next = messages.next(), if tasks.len() < concurrency => match next {
                        Some(Ok(message)) => {
                            let shared = Arc::clone(&self.shared);
                            let kept = message.clone();
                            let handle = tasks.spawn(async move { deliver(&shared, message).await });
                            in_flight.insert(handle.id(), kept);
                        }
                        Some(Err(error)) => {
                            // A missed heartbeat or a failed pull request: the pull may be
                            // stuck, so it is made again (what an old one still brings is
                            // redelivered by JetStream after its acknowledgement wait).
                            tracing::warn!(consumer = %self.name, %error, "pulling from the consumer; pulling again");
                            tokio::select! {
                                biased;
                                () = &mut shutdown => break 'pulling,
                                () = tokio::time::sleep(Duration::from_millis(100)) => continue 'pulling,
                            }
                        }
                        None => {
                            tracing::warn!(consumer = %self.name, "the consumer's messages ended; pulling again");
                            continue 'pulling;
                        }
                    },
                }
            }
        }
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
        for message in in_flight.into_values() {
            let _ = message.ack_with(AckKind::Nak(None)).await;
        }
        self.shared.counters.in_flight.store(0, Ordering::SeqCst);
        poller.abort();
        Ok(())
    }
}

/// The publish timeout of the sink's context.
fn context_timeout(sink: &NatsSink) -> Duration {
    sink.ack_timeout()
}

/// Asks the consumer for its queue's depth every [`QUEUE_POLL`].
async fn poll_queue(
    consumer: async_nats::jetstream::consumer::Consumer<pull::Config>,
    queued: Arc<AtomicU64>,
) {
    loop {
        if let Ok(info) = consumer.get_info().await {
            queued.store(
                info.num_pending + info.num_ack_pending as u64,
                Ordering::SeqCst,
            );
        }
        tokio::time::sleep(QUEUE_POLL).await;
    }
}

/// One delivery of one message by JetStream: an attempt, then its acknowledgement (positive,
/// negative with the backoff's delay, or after a dead letter).
async fn deliver(shared: &Shared, message: Message) {
    let counters = &shared.counters;
    let config = &shared.config;
    let (delivered, sequence) = message
        .info()
        .map_or((1, 0), |info| (info.delivered, info.stream_sequence));
    let attempt = u32::try_from(delivered.max(1)).unwrap_or(u32::MAX);
    let record = match to_record(message.headers.as_ref(), &message.payload) {
        Ok(record) => record,
        Err(error) => {
            tracing::error!(sequence, subject = %message.subject, %error, "a message of the stream is not a delivery: not forwarded");
            counters.unreadable.fetch_add(1, Ordering::SeqCst);
            acknowledge(&message, AckKind::Term).await;
            return;
        }
    };
    if is_before_webhook(&record) {
        counters.skipped.fetch_add(1, Ordering::SeqCst);
        acknowledge(&message, AckKind::Ack).await;
        return;
    }
    let outgoing = Outgoing::of_record(&record);
    if attempt > config.max_attempts {
        // The last attempt failed and its dead letter could not be published, or replicas
        // stopped during the attempts: no attempt more.
        let reason = format!(
            "not forwarded: {} deliveries by JetStream without a 2xx answer",
            attempt - 1
        );
        dead_letter(shared, &message, &outgoing, record, reason).await;
        return;
    }
    counters.attempts.fetch_add(1, Ordering::SeqCst);
    match shared
        .target
        .send(
            &outgoing,
            attempt,
            DeliveryKind::Notification,
            config.attempt_timeout,
        )
        .await
    {
        Ok(_) => {
            acknowledge(&message, AckKind::Ack).await;
            counters.forwarded.fetch_add(1, Ordering::SeqCst);
        }
        Err(error) => {
            counters.failed_attempts.fetch_add(1, Ordering::SeqCst);
            tracing::warn!(
                id = %outgoing.id,
                command = %outgoing.command,
                attempt,
                sequence,
                reason = error.code(),
                %error,
                "forwarding failed"
            );
            if attempt >= config.max_attempts {
                let reason = format!(
                    "not forwarded: {} attempts failed, the last: {error}",
                    config.max_attempts
                );
                dead_letter(shared, &message, &outgoing, record, reason).await;
            } else {
                counters.retries.fetch_add(1, Ordering::SeqCst);
                let delay = config.backoff.delay(attempt, &mut fastrand::Rng::new());
                acknowledge(&message, AckKind::Nak(Some(delay))).await;
            }
        }
    }
}

/// Publishes `record` as a dead letter, then acknowledges `message`; when the dead letter
/// cannot be published, the message is given back for 1 s (and dead-lettered at its next
/// delivery).
async fn dead_letter(
    shared: &Shared,
    message: &Message,
    outgoing: &Outgoing,
    record: Record,
    reason: String,
) {
    let letter = record.with_reason(reason.clone());
    let subject = shared
        .settings
        .subjects
        .of(StoredLane::DeadLetter, letter.command());
    let (headers, payload) = to_message(StoredLane::DeadLetter, &letter);
    let published = async {
        shared
            .context
            .send_publish(
                subject.clone(),
                PublishMessage::build().headers(headers).payload(payload),
            )
            .await?
            .await
    }
    .await;
    match published {
        Ok(_) => {
            acknowledge(message, AckKind::Ack).await;
            shared.counters.dead_lettered.fetch_add(1, Ordering::SeqCst);
            tracing::error!(
                id = %outgoing.id,
                command = %outgoing.command,
                subject = %subject,
                %reason,
                "dead letter"
            );
        }
        Err(error) => {
            tracing::error!(
                id = %outgoing.id,
                subject = %subject,
                %error,
                "cannot publish the dead letter; JetStream delivers it again in 1 s"
            );
            acknowledge(message, AckKind::Nak(Some(Duration::from_secs(1)))).await;
        }
    }
}

/// Acknowledges `message` with `kind`; a failure is logged (JetStream then delivers it again
/// after the acknowledgement wait: at least once).
async fn acknowledge(message: &Message, kind: AckKind) {
    if let Err(error) = message.ack_with(kind).await {
        tracing::warn!(subject = %message.subject, %error, "cannot acknowledge to JetStream; it will deliver again");
    }
}

//! Prometheus metrics of an endpoint, its journals and its forwarder (feature `metrics`), in
//! the Prometheus text format (version 0.0.4), with the Prometheus project's Rust client
//! (`prometheus-client`).
//!
//! ```
//! use trtc_live_receiver::metrics::Metrics;
//!
//! let metrics = Metrics::new();
//! // endpoint.on_outcome(metrics.outcome_hook()); metrics.watch_journals(&journals); ...
//! // serve metrics.router() on an address of its own.
//! let text = metrics.render();
//! assert!(text.contains("# TYPE trtc_live_request_duration_seconds histogram"));
//! assert!(text.contains("trtc_live_request_duration_seconds_count 0"));
//! ```
//!
//! | metric | type | labels | what |
//! |---|---|---|---|
//! | `trtc_live_requests_total` | counter | `command`, `outcome` | requests by command word (`unknown` before authentication) and outcome ([`Outcome::reason`]: `accepted`, a rejection's code, `not_recorded`, `app_timeout`, ...) |
//! | `trtc_live_rejections_total` | counter | `reason` | refused requests by reason ([`crate::ReceiveError::code`]) |
//! | `trtc_live_request_duration_seconds` | histogram | | from a request's headers to its answer, journal and handler included |
//! | `trtc_live_journal_records_total` | counter | `journal` | records made durable (`accepted`, `quarantine`, `dead_letter`) |
//! | `trtc_live_journal_failed_records_total` | counter | `journal` | records refused because their batch failed |
//! | `trtc_live_journal_fsync_seconds` | histogram | `journal` | the time of each fsync |
//! | `trtc_live_journal_batch_records` | histogram | `journal` | records per batch (per fsync) |
//! | `trtc_live_forward_queue_depth` | gauge | | records journaled and not yet forwarded or dead-lettered |
//! | `trtc_live_forward_in_flight` | gauge | | deliveries being sent or waiting for a retry |
//! | `trtc_live_forward_backlog_bytes` | gauge | | bytes of the journal not yet finished |
//! | `trtc_live_forward_forwarded_total` | counter | | deliveries the application took (2xx) |
//! | `trtc_live_forward_retries_total` | counter | | attempts made again after a failure |
//! | `trtc_live_forward_dead_letters_total` | counter | | deliveries put in the dead-letter journal |
//! | `trtc_live_forward_attempts_total` | counter | `kind`, `result` | attempts to the application (`notification`, `before_webhook`) by result (`ok`, `connect`, `timeout`, `status`, `answer`) |
//! | `trtc_live_forward_app_latency_seconds` | histogram | `kind` | the application's time to answer an attempt |
//! | `trtc_live_sink_publishes_total` | counter | `lane`, `result` | with the JetStream sink: deliveries published, by lane (`accepted`, `quarantine`) and result (`stored`, `duplicate`, `timeout`, `failed`; the last two answered 503) |
//! | `trtc_live_sink_ack_seconds` | histogram | `lane` | with the JetStream sink: from publishing to JetStream's acknowledgement |
//! | `trtc_live_before_webhooks_total` | counter | `outcome` | before-webhooks by answer: `relayed` (the application's), `timeout`, `error`, `invalid_answer` (the fallback's) |

use std::sync::{Arc, Mutex};

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::axum::{Outcome, OutcomeKind};
use crate::journal::{Batch, Journal, JournalStats, Journals};

/// The `Content-Type` of [`Metrics::render`]'s text.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// Two static labels.
type Labels2 = [(&'static str, &'static str); 2];
/// One static label.
type Labels1 = [(&'static str, &'static str); 1];

/// The metrics (see the [module documentation](self)); clones share them.
#[derive(Clone, Debug)]
pub struct Metrics {
    registry: Arc<Mutex<Registry>>,
    requests: Family<Labels2, Counter>,
    rejections: Family<Labels1, Counter>,
    request_duration: Histogram,
    fsync_seconds: Family<Labels1, Histogram, fn() -> Histogram>,
    batch_records: Family<Labels1, Histogram, fn() -> Histogram>,
    #[cfg(feature = "forward")]
    attempts: Family<Labels2, Counter>,
    #[cfg(feature = "forward")]
    app_latency: Family<Labels1, Histogram, fn() -> Histogram>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// Buckets of latencies: 0.25 ms to about 4 s.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
}

/// Buckets of fsync times: 50 µs to about 1.6 s.
fn fsync_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.000_05, 2.0, 16))
}

/// Buckets of batch sizes: 1 to 4096 records.
fn batch_histogram() -> Histogram {
    Histogram::new(exponential_buckets(1.0, 2.0, 13))
}

impl Metrics {
    /// The metrics of the endpoint, with nothing counted yet.
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<Labels2, Counter>::default();
        registry.register(
            "trtc_live_requests",
            "Requests by command word and outcome",
            requests.clone(),
        );
        let rejections = Family::<Labels1, Counter>::default();
        registry.register(
            "trtc_live_rejections",
            "Refused requests by reason",
            rejections.clone(),
        );
        let request_duration = latency_histogram();
        registry.register(
            "trtc_live_request_duration_seconds",
            "Time from a request's headers to its answer, journal and handler included",
            request_duration.clone(),
        );
        let fsync_seconds: Family<Labels1, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(fsync_histogram);
        registry.register(
            "trtc_live_journal_fsync_seconds",
            "Time of each fsync of a journal",
            fsync_seconds.clone(),
        );
        let batch_records: Family<Labels1, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(batch_histogram);
        registry.register(
            "trtc_live_journal_batch_records",
            "Records per batch (one write and one fsync) of a journal",
            batch_records.clone(),
        );
        #[cfg(feature = "forward")]
        let attempts = Family::<Labels2, Counter>::default();
        #[cfg(feature = "forward")]
        registry.register(
            "trtc_live_forward_attempts",
            "Attempts to the application by kind of delivery and result",
            attempts.clone(),
        );
        #[cfg(feature = "forward")]
        let app_latency: Family<Labels1, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        #[cfg(feature = "forward")]
        registry.register(
            "trtc_live_forward_app_latency_seconds",
            "The application's time to answer an attempt, by kind of delivery",
            app_latency.clone(),
        );
        Self {
            registry: Arc::new(Mutex::new(registry)),
            requests,
            rejections,
            request_duration,
            fsync_seconds,
            batch_records,
            #[cfg(feature = "forward")]
            attempts,
            #[cfg(feature = "forward")]
            app_latency,
        }
    }

    /// Counts one request's outcome (what the endpoint's outcome hook is given).
    pub fn observe(&self, outcome: &Outcome<'_>) {
        let command = outcome
            .command
            .map_or("unknown", |command| command.as_str());
        let reason = outcome.reason();
        self.requests
            .get_or_create(&[("command", command), ("outcome", reason)])
            .inc();
        if let OutcomeKind::Rejected { .. } = outcome.kind {
            self.rejections.get_or_create(&[("reason", reason)]).inc();
        }
        self.request_duration.observe(outcome.elapsed.as_secs_f64());
    }

    /// A hook for [`crate::axum::WebhookEndpoint::on_outcome`] that counts every outcome.
    pub fn outcome_hook(&self) -> impl Fn(&Outcome<'_>) + Send + Sync + 'static {
        let metrics = self.clone();
        move |outcome| metrics.observe(outcome)
    }

    /// Follows both journals of `journals`, as `accepted` and `quarantine` (see
    /// [`Metrics::watch_journal`]).
    pub fn watch_journals(&self, journals: &Arc<Journals>) -> bool {
        let (accepted, quarantine) = (Arc::clone(journals), Arc::clone(journals));
        let first = self.watch(
            "accepted",
            journals.accepted(),
            Box::new(move || accepted.accepted().stats()),
        );
        let second = self.watch(
            "quarantine",
            journals.quarantine(),
            Box::new(move || quarantine.quarantine().stats()),
        );
        first && second
    }

    /// Follows `journal` under the label `name` (such as `dead_letter`): every batch's fsync
    /// time and size, and its record counts. Takes the journal's one batch observer
    /// ([`Journal::observe_batches`]); `false` if another had it.
    pub fn watch_journal(&self, name: &'static str, journal: &Arc<Journal>) -> bool {
        let shared = Arc::clone(journal);
        self.watch(name, journal, Box::new(move || shared.stats()))
    }

    fn watch(&self, name: &'static str, journal: &Journal, stats: StatsSource) -> bool {
        let (fsync, batch) = (self.fsync_seconds.clone(), self.batch_records.clone());
        let observed = journal.observe_batches(move |b: &Batch| {
            if b.durable {
                fsync
                    .get_or_create(&[("journal", name)])
                    .observe(b.sync_time.as_secs_f64());
                batch
                    .get_or_create(&[("journal", name)])
                    .observe(b.records as f64);
            }
        });
        self.lock()
            .register_collector(Box::new(JournalCounts { name, stats }));
        observed
    }

    /// The text of every metric, in the Prometheus text format ([`CONTENT_TYPE`]).
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut text, &self.lock());
        text
    }

    /// A router answering `GET /metrics` with [`Metrics::render`] (any other path: 404).
    pub fn router(&self) -> axum::Router {
        let metrics = self.clone();
        axum::Router::new().route(
            "/metrics",
            axum::routing::get(move || {
                let metrics = metrics.clone();
                async move {
                    (
                        [(http::header::CONTENT_TYPE, CONTENT_TYPE)],
                        metrics.render(),
                    )
                }
            }),
        )
    }

    /// [`Metrics::router`] and `GET /readyz`, a readiness probe: `200 ready` while `sink` can
    /// keep deliveries ([`Sink::is_ready`](crate::sink::Sink::is_ready)), `503` while it cannot
    /// (the JetStream sink disconnected), so that a load balancer or Kubernetes stops sending
    /// to a replica that would answer every delivery 503.
    pub fn router_with_readiness(&self, sink: Arc<dyn crate::sink::Sink>) -> axum::Router {
        self.router().route(
            "/readyz",
            axum::routing::get(move || {
                let ready = sink.is_ready();
                async move {
                    if ready {
                        (http::StatusCode::OK, "ready\n".to_owned())
                    } else {
                        (
                            http::StatusCode::SERVICE_UNAVAILABLE,
                            format!("not ready: {} cannot keep deliveries\n", sink.describe()),
                        )
                    }
                }
            }),
        )
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Registry> {
        self.registry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(feature = "forward")]
impl Metrics {
    /// Counts one attempt to the application (what [`crate::forward::ForwardTarget::on_attempt`]
    /// is given).
    pub fn observe_attempt(&self, report: &crate::forward::AttemptReport<'_>) {
        let kind = report.kind.as_str();
        let result = match report.result {
            Ok(_) => "ok",
            Err(error) => error.code(),
        };
        self.attempts
            .get_or_create(&[("kind", kind), ("result", result)])
            .inc();
        self.app_latency
            .get_or_create(&[("kind", kind)])
            .observe(report.elapsed.as_secs_f64());
    }

    /// An observer for [`crate::forward::ForwardTarget::on_attempt`] that counts every attempt.
    pub fn attempt_hook(
        &self,
    ) -> impl Fn(&crate::forward::AttemptReport<'_>) + Send + Sync + 'static {
        let metrics = self.clone();
        move |report| metrics.observe_attempt(report)
    }

    /// Follows a forwarder: its queue, deliveries in flight, backlog, and counts.
    pub fn watch_forwarder(&self, stats: crate::forward::ForwarderStats) {
        self.lock()
            .register_collector(Box::new(ForwarderCounts(stats)));
    }

    /// Follows a gateway's before-webhooks.
    pub fn watch_gateway(&self, gateway: crate::forward::Gateway) {
        self.lock()
            .register_collector(Box::new(GatewayCounts(gateway)));
    }
}

#[cfg(feature = "nats")]
impl Metrics {
    /// Follows a JetStream sink: its publishes by lane and result
    /// (`trtc_live_sink_publishes_total`) and the time of each acknowledgement
    /// (`trtc_live_sink_ack_seconds`). Takes the sink's one publish observer
    /// ([`crate::nats::NatsSink::observe_publishes`]); `false` if another had it.
    pub fn watch_nats_sink(&self, sink: &crate::nats::NatsSink) -> bool {
        let publishes = Family::<Labels2, Counter>::default();
        let ack_seconds: Family<Labels1, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        {
            let mut registry = self.lock();
            registry.register(
                "trtc_live_sink_publishes",
                "Deliveries published to JetStream, by lane and result (stored, duplicate, \
                 timeout, failed)",
                publishes.clone(),
            );
            registry.register(
                "trtc_live_sink_ack_seconds",
                "Time from publishing a delivery to JetStream's acknowledgement (or its failure)",
                ack_seconds.clone(),
            );
        }
        sink.observe_publishes(move |report| {
            let lane = report.lane.as_str();
            publishes
                .get_or_create(&[("lane", lane), ("result", report.result.as_str())])
                .inc();
            ack_seconds
                .get_or_create(&[("lane", lane)])
                .observe(report.elapsed.as_secs_f64());
        })
    }
}

/// Where a journal's counts are read.
type StatsSource = Box<dyn Fn() -> JournalStats + Send + Sync>;

/// The record counts of a journal, read at each scrape.
struct JournalCounts {
    name: &'static str,
    stats: StatsSource,
}

impl std::fmt::Debug for JournalCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalCounts")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Collector for JournalCounts {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let stats = (self.stats)();
        let labels = [("journal", self.name)];
        for (name, help, value) in [
            (
                "trtc_live_journal_records",
                "Records made durable in a journal",
                stats.durable,
            ),
            (
                "trtc_live_journal_failed_records",
                "Records of a journal refused because their batch failed",
                stats.failed,
            ),
        ] {
            let counter = ConstCounter::new(value);
            let mut metric = encoder.encode_descriptor(name, help, None, counter.metric_type())?;
            counter.encode(metric.encode_family(&labels)?)?;
        }
        Ok(())
    }
}

/// A forwarder's counts, read at each scrape.
#[cfg(feature = "forward")]
#[derive(Debug)]
struct ForwarderCounts(crate::forward::ForwarderStats);

#[cfg(feature = "forward")]
impl Collector for ForwarderCounts {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        use prometheus_client::metrics::gauge::ConstGauge;
        let now = self.0.snapshot();
        let gauge = |encoder: &mut DescriptorEncoder, name, help, value: u64| {
            let gauge = ConstGauge::new(i64::try_from(value).unwrap_or(i64::MAX));
            gauge.encode(encoder.encode_descriptor(name, help, None, gauge.metric_type())?)
        };
        gauge(
            &mut encoder,
            "trtc_live_forward_queue_depth",
            "Records journaled and not yet forwarded or dead-lettered",
            now.queued,
        )?;
        gauge(
            &mut encoder,
            "trtc_live_forward_in_flight",
            "Deliveries being sent or waiting for a retry",
            now.in_flight,
        )?;
        gauge(
            &mut encoder,
            "trtc_live_forward_backlog_bytes",
            "Bytes of the journal not yet finished by the forwarder",
            now.backlog_bytes,
        )?;
        for (name, help, value) in [
            (
                "trtc_live_forward_forwarded",
                "Deliveries the application took (2xx)",
                now.forwarded,
            ),
            (
                "trtc_live_forward_retries",
                "Attempts made again after a failure",
                now.retries,
            ),
            (
                "trtc_live_forward_dead_letters",
                "Deliveries put in the dead-letter journal",
                now.dead_lettered,
            ),
        ] {
            let counter = ConstCounter::new(value);
            counter.encode(encoder.encode_descriptor(
                name,
                help,
                None,
                counter.metric_type(),
            )?)?;
        }
        Ok(())
    }
}

/// A gateway's before-webhook counts, read at each scrape.
#[cfg(feature = "forward")]
#[derive(Debug)]
struct GatewayCounts(crate::forward::Gateway);

#[cfg(feature = "forward")]
impl Collector for GatewayCounts {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let counts = self.0.before_webhook_counts();
        let mut metric = encoder.encode_descriptor(
            "trtc_live_before_webhooks",
            "Before-webhooks by answer: the application's (relayed) or the fallback's",
            None,
            prometheus_client::metrics::MetricType::Counter,
        )?;
        for (outcome, value) in [
            ("relayed", counts.relayed),
            ("timeout", counts.timeout),
            ("error", counts.error),
            ("invalid_answer", counts.invalid_answer),
        ] {
            ConstCounter::new(value).encode(metric.encode_family(&[("outcome", outcome)])?)?;
        }
        Ok(())
    }
}

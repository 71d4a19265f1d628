//! What `serve` says: log events (`tracing`, one line per event, in human or JSON form) and,
//! in the human form, lines in plain words that scripts read (`trtc-live serve: listening on
//! http://...`, the journal statistics, a torn record cut off).

use std::io::IsTerminal;
use std::net::SocketAddr;

use trtc_live_receiver::forward::{ForwarderSnapshot, Start};
use trtc_live_receiver::journal::{Journal, Journals, TornTail};
use trtc_live_receiver::nats::{ConsumerStart, NatsServers, SinkSnapshot, StreamState};
use trtc_live_receiver::server::ServerLimits;

use crate::args::{LogFormat, ServeArgs};
use crate::environment::colors_wanted;

/// Installs the log subscriber on standard error: `RUST_LOG` filters it (default `info`); one
/// line per event, in `format`.
pub fn init(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Human => builder
            .with_ansi(colors_wanted(std::io::stderr().is_terminal()))
            .try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .try_init(),
    };
}

/// Says things to the user, in the chosen format.
#[derive(Clone, Copy)]
pub struct Say(pub LogFormat);

impl Say {
    /// A line in plain words on standard error, in the human format only.
    fn plain(self, line: &str) {
        if self.0.plain_lines() {
            eprintln!("trtc-live serve: {line}");
        }
    }

    /// An error that stops the server.
    pub fn error(self, message: &str) {
        match self.0 {
            LogFormat::Human => eprintln!("trtc-live serve: {message}"),
            LogFormat::Json => tracing::error!(%message, "cannot serve"),
        }
    }

    /// The loud warning of a server without a token.
    pub fn no_token_warning(self, address: SocketAddr) {
        self.plain(&format!(
            "WARNING: no --token-file: requests are NOT authenticated. Sign and RequestTime are \
             not checked, and anyone who can reach {address} can deliver webhooks as Tencent. \
             Set a token with set_callback_token and pass it with --token-file."
        ));
        tracing::warn!(
            %address,
            "no token: requests are not authenticated (Sign and RequestTime are not checked)"
        );
    }

    /// Where the server listens (first, in plain words: scripts and tests read the address
    /// from this line), with what journals and limits.
    pub fn listening(
        self,
        address: SocketAddr,
        journals: Option<&Journals>,
        stream: Option<&str>,
        limits: &ServerLimits,
    ) {
        self.plain(&format!("listening on http://{address}"));
        match (journals, stream) {
            (Some(journals), _) => tracing::info!(
                %address,
                accepted = %journals.accepted().path().display(),
                quarantine = %journals.quarantine().path().display(),
                "listening on http://{address}"
            ),
            (None, Some(stream)) => tracing::info!(
                %address,
                stream,
                "listening on http://{address}"
            ),
            (None, None) => tracing::warn!(
                %address,
                "listening on http://{address} with the journal off: accepted deliveries are \
                 answered but not kept"
            ),
        }
        tracing::info!(
            header_timeout_secs = limits.header_timeout.as_secs(),
            body_timeout_secs = limits.body_timeout.as_secs(),
            write_timeout_secs = limits.write_timeout.as_secs(),
            max_connections = limits.max_connections,
            "limits"
        );
    }

    /// A torn last record cut off when a journal was opened (the journal logged the event).
    pub fn torn_tail(self, journal: &Journal, torn: &TornTail) {
        self.plain(&format!(
            "journal {}: torn last record cut off at byte {} ({} bytes, never acknowledged), \
             kept in {}",
            journal.path().display(),
            torn.offset,
            torn.length,
            torn.kept_in.display(),
        ));
    }

    /// What a journal did, at shutdown.
    pub fn journal_stats(self, journal: &Journal) {
        let stats = journal.stats();
        let mean_sync_ms = stats.mean_sync_time().as_secs_f64() * 1000.0;
        self.plain(&format!(
            "journal {}: {} records durable in {} fsyncs ({:.2} records per fsync, largest \
             batch {}, mean fsync {mean_sync_ms:.3} ms), {} refused",
            journal.path().display(),
            stats.durable,
            stats.batches,
            stats.records_per_sync(),
            stats.largest_batch,
            stats.failed,
        ));
        tracing::info!(
            journal = %journal.path().display(),
            durable = stats.durable,
            fsyncs = stats.batches,
            records_per_fsync = stats.records_per_sync(),
            largest_batch = stats.largest_batch,
            mean_fsync_ms = mean_sync_ms,
            refused = stats.failed,
            "journal statistics"
        );
    }

    /// Where the metrics are served.
    pub fn metrics(self, address: SocketAddr) {
        self.plain(&format!("metrics on http://{address}/metrics"));
        tracing::info!(%address, "metrics on http://{address}/metrics");
    }

    /// Where deliveries are forwarded, from where in the journal.
    pub fn forwarding(self, args: &ServeArgs, start: &Start, now: &ForwarderSnapshot) {
        let url = args.forward_to.as_deref().unwrap_or_default();
        let routes: Vec<String> = args.route.iter().map(ToString::to_string).collect();
        let from = match start {
            Start::Resumed(position) => format!(
                "resuming at line {} (byte {}) of the journal: {} records to forward",
                position.line, position.offset, now.queued
            ),
            Start::New(position) => format!(
                "from the end of the journal (line {}, byte {}): what it held before is not \
                 forwarded (trtc-live replay sends it)",
                position.line, position.offset
            ),
        };
        self.plain(&format!("forwarding to {url}, {from}"));
        tracing::info!(
            url,
            routes = %routes.join(" "),
            max_attempts = args.forward_max_attempts,
            concurrency = args.forward_concurrency,
            before_webhook_budget_ms = args.before_webhook_budget_ms,
            "forwarding to {url}, {from}"
        );
    }

    /// Where the deliveries are kept, with the JetStream sink.
    pub fn nats_sink(self, args: &ServeArgs, servers: &NatsServers, state: &StreamState) {
        let stream = &args.nats.nats_stream;
        let state = match state {
            StreamState::Created => format!(
                "created (file storage, {} replicas, duplicate window {} s)",
                args.nats_replicas, args.nats_duplicate_window_secs
            ),
            StreamState::Existing { messages } => {
                format!("existing, holding {messages} messages")
            }
        };
        let line = format!(
            "keeping deliveries in the JetStream stream {stream} ({state}) on {servers}, \
             answering once JetStream acknowledged them (at most {} ms)",
            args.nats_ack_timeout_ms
        );
        self.plain(&line);
        tracing::info!(%servers, stream, "{line}");
    }

    /// Where a JetStream consumer starts forwarding.
    pub fn nats_forwarding(self, args: &ServeArgs, start: &ConsumerStart) {
        let url = args.forward_to.as_deref().unwrap_or_default();
        let consumer = &args.nats_consumer;
        let from = match start {
            ConsumerStart::Created => format!(
                "with the new durable consumer {consumer}: from what is published from now on \
                 (what the stream held before is not forwarded: trtc-live replay --from sends it)"
            ),
            ConsumerStart::Resumed { pending } => format!(
                "with the durable consumer {consumer} (shared with the other replicas): {pending} \
                 deliveries to forward"
            ),
        };
        self.plain(&format!("forwarding to {url}, {from}"));
        tracing::info!(
            url,
            consumer,
            max_attempts = args.forward_max_attempts,
            concurrency = args.forward_concurrency,
            "forwarding to {url}, {from}"
        );
    }

    /// What the JetStream sink did, at the end.
    pub fn sink_stats(self, stream: &str, now: &SinkSnapshot) {
        let line = format!(
            "stream {stream}: {} stored, {} duplicates, {} not acknowledged in time, {} failed",
            now.stored, now.duplicate, now.timeout, now.failed
        );
        self.plain(&line);
        tracing::info!(
            stream,
            stored = now.stored,
            duplicate = now.duplicate,
            timeout = now.timeout,
            failed = now.failed,
            "JetStream sink statistics"
        );
    }

    pub fn forwarder_stats(self, now: &ForwarderSnapshot, of_journal: bool) {
        let at = if of_journal {
            format!(" (at line {} of the journal)", now.position.line)
        } else {
            " (in the consumer, for any replica)".to_owned()
        };
        self.plain(&format!(
            "forwarder: {} forwarded, {} dead letters, {} attempts ({} retries), {} left to \
             forward{at}",
            now.forwarded, now.dead_lettered, now.attempts, now.retries, now.queued,
        ));
        tracing::info!(
            forwarded = now.forwarded,
            dead_letters = now.dead_lettered,
            attempts = now.attempts,
            retries = now.retries,
            queued = now.queued,
            line = now.position.line,
            "forwarder statistics"
        );
    }
}

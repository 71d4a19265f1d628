//! Where a delivery is kept before it is acknowledged (feature `journal`): the [`Sink`] trait,
//! and its implementation by the local journals ([`Journals`]).
//!
//! An endpoint with a sink ([`crate::axum::WebhookEndpoint::sink`]) hands every accepted
//! delivery, and every authenticated request it refuses (quarantined), to the sink as a
//! [`Record`] and answers only once the sink said it is kept: a delivery the sink could not
//! keep is answered 503, a failed delivery that Tencent sends again. Two sinks come with this
//! crate:
//!
//! | sink | feature | where | what "kept" means |
//! |---|---|---|---|
//! | [`Journals`] | `journal` | two files of one machine (`accepted.ndjson`, `quarantine.ndjson`) | written and fsynced (group commit) |
//! | `nats::NatsSink` | `nats` | a NATS JetStream stream, replicated across a cluster | JetStream's publish acknowledgement: stored by a quorum of the stream's replicas |
//!
//! # Adding another engine
//!
//! Kafka, a database, a cloud queue: one type that implements [`Sink`], nothing else. Its
//! [`Sink::keep`] resolves `Ok(())` only once the record is durable in the engine's own terms
//! (Kafka: the producer's acknowledgement with `acks=all` on a topic with
//! `min.insync.replicas` of 2 or more; a database: the transaction committed), and an error
//! otherwise (the endpoint then answers 503 and Tencent retries). Everything else the engine
//! needs follows from the [`Record`]:
//!
//! - where it goes: the [`Lane`] (accepted or quarantined) and the record's command word
//!   (`Record::command`), for a topic, subject or partition key of their own;
//! - the key that deduplicates it: `forward::DeliveryId::of_record` (feature `forward`), the same
//!   for the same event received twice, by one replica or by two (a Kafka producer key, or a
//!   unique index of the table);
//! - what it holds: the body exactly as received (`Record::body_bytes`), and the receive time,
//!   the client's address and the query string as metadata (Kafka record headers, columns),
//!   from which a reader builds the same [`Record`] again for `replay` and the forwarder.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use trtc_live_receiver::journal::Record;
//! use trtc_live_receiver::sink::{KeepFuture, Lane, Sink};
//!
//! /// Keeps records in memory (a test double; a real engine keeps them durably).
//! #[derive(Debug, Default)]
//! struct Memory(Mutex<Vec<(Lane, Record)>>);
//!
//! impl Sink for Memory {
//!     fn keep<'a>(&'a self, lane: Lane, record: &'a Record) -> KeepFuture<'a> {
//!         Box::pin(async move {
//!             self.0.lock().unwrap().push((lane, record.clone()));
//!             Ok(())
//!         })
//!     }
//!
//!     fn describe(&self) -> String {
//!         "memory".into()
//!     }
//! }
//!
//! let sink: Arc<dyn Sink> = Arc::new(Memory::default());
//! // WebhookEndpoint::new(receiver, handler).sink(Arc::clone(&sink))
//! # let _ = sink;
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::journal::{Journals, Record};

/// What [`Sink::keep`] returns: resolves once the record is kept, or with why it is not.
pub type KeepFuture<'a> = Pin<Box<dyn Future<Output = std::io::Result<()>> + Send + 'a>>;

/// Which of its deliveries a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lane {
    /// An accepted delivery (valid, authenticated): what the application gets.
    Accepted,
    /// An authenticated request that was refused, or handed to the handler of invalid
    /// deliveries; its record carries the reason.
    Quarantine,
}

impl Lane {
    /// `accepted` or `quarantine`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Quarantine => "quarantine",
        }
    }
}

impl fmt::Display for Lane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a delivery is kept before it is acknowledged (see the [module documentation](self)).
///
/// An implementation is shared by every request (`Arc<dyn Sink>`), so [`Sink::keep`] takes
/// `&self` and may be called many times at once: batch what arrives together if the engine
/// gains by it (the journal shares one fsync between concurrent records).
pub trait Sink: Send + Sync + fmt::Debug + 'static {
    /// Keeps `record` in `lane`. Resolves `Ok(())` once it is durable (and only then: the
    /// delivery is acknowledged to Tencent right after), or with the error that kept it from
    /// being so (the delivery is answered 503; Tencent sends it again). A record may be kept
    /// although an error was returned (a late acknowledgement): the sink is at least once.
    fn keep<'a>(&'a self, lane: Lane, record: &'a Record) -> KeepFuture<'a>;

    /// What and where the sink is, for the logs: `journal trtc-live-journal`, `JetStream
    /// stream TRTC_LIVE_WEBHOOKS`.
    fn describe(&self) -> String;

    /// Whether the sink can keep records now (a readiness probe): the journal always can; a
    /// sink reached over the network cannot while it is disconnected.
    fn is_ready(&self) -> bool {
        true
    }
}

/// The local journals: accepted deliveries in `accepted.ndjson`, quarantined ones in
/// `quarantine.ndjson` ([`crate::journal::Journal::append`]: written, then fsynced).
impl Sink for Journals {
    fn keep<'a>(&'a self, lane: Lane, record: &'a Record) -> KeepFuture<'a> {
        Box::pin(async move {
            match lane {
                Lane::Accepted => self.accepted().append(record).await,
                Lane::Quarantine => self.quarantine().append(record).await,
            }
        })
    }

    fn describe(&self) -> String {
        format!("journal {}", self.directory().display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_journals_keep_each_lane_in_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let journals = Journals::open(dir.path()).unwrap();
        let sink: &dyn Sink = &journals;
        let accepted = Record::new(1, "127.0.0.1:1", "SdkAppid=1", b"{\"a\":1}");
        let quarantined = Record::new(2, "127.0.0.1:2", "SdkAppid=1", b"{").with_reason("bad");
        sink.keep(Lane::Accepted, &accepted).await.unwrap();
        sink.keep(Lane::Quarantine, &quarantined).await.unwrap();
        assert!(sink.is_ready());
        assert!(sink.describe().starts_with("journal "));
        drop(journals);
        let read = |name| -> Vec<Record> {
            crate::journal::JournalReader::open(dir.path().join(name))
                .unwrap()
                .map(|(_, record)| record.unwrap())
                .collect()
        };
        assert_eq!(read(Journals::ACCEPTED_FILE), vec![accepted]);
        assert_eq!(read(Journals::QUARANTINE_FILE), vec![quarantined]);
    }
}

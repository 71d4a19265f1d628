//! Reading the stream back: every stored delivery of the lanes asked, in stream order.

use async_nats::jetstream::consumer::{pull, DeliverPolicy};
use async_nats::jetstream::context::{ConsumerInfoErrorKind, GetStreamErrorKind};
use async_nats::jetstream::stream::ConsumerErrorKind;
use async_nats::jetstream::Context;
use futures_util::StreamExt;

use super::message::{to_record, MessageError};
use super::stream::{not_ready, patiently, Attempt};
use super::{NatsError, StoredLane, Subjects};
use crate::journal::Record;

/// One message of the stream, as a record.
#[derive(Clone, Debug)]
pub struct StoredRecord {
    /// Its stream sequence number.
    pub sequence: u64,
    /// Its subject.
    pub subject: String,
    /// Its lane (from the subject).
    pub lane: Option<StoredLane>,
    /// Its `Nats-Msg-Id`, the key JetStream deduplicated it by.
    pub message_id: Option<String>,
    /// The record, or why the message is not one (not published by `trtc-live`).
    pub record: Result<Record, MessageError>,
}

/// Reads what a stream holds, once, from its first message (or the first of a start
/// sequence) to the last one it held when the reader was opened: an ordered consumer of its own,
/// which nobody else sees and the server removes once it is idle.
pub struct StreamReader {
    messages: Option<pull::Ordered>,
    subjects: Subjects,
    left: u64,
}

impl std::fmt::Debug for StreamReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamReader")
            .field("left", &self.left)
            .finish_non_exhaustive()
    }
}

impl StreamReader {
    /// A reader of the messages of `lanes` in the stream `stream` (whose subjects are under
    /// `subjects`). While JetStream cannot answer (a request timing out, no leader yet: a
    /// cluster electing one after a node was lost), it tries again every 500 ms, for
    /// [`STARTUP_PATIENCE`](super::STARTUP_PATIENCE) at most, saying so through `tracing`; a
    /// stream that does not exist is an error at once.
    pub async fn open(
        context: &Context,
        stream: &str,
        subjects: &Subjects,
        lanes: &[StoredLane],
    ) -> Result<Self, NatsError> {
        patiently(|| Self::try_open(context, stream, subjects, lanes))
            .await
            .map_err(Attempt::into_error)
    }

    /// One try of [`StreamReader::open`].
    async fn try_open(
        context: &Context,
        stream: &str,
        subjects: &Subjects,
        lanes: &[StoredLane],
    ) -> Result<Self, Attempt> {
        let stream_handle = context.get_stream(stream).await.map_err(|error| {
            let again = match error.kind() {
                GetStreamErrorKind::JetStream(inner) => not_ready(inner.error_code()),
                _ => true,
            };
            Attempt::new(
                NatsError::new(format!("the JetStream stream {stream}: {error}")),
                again,
            )
        })?;
        let cannot_read = |error: &dyn std::fmt::Display| {
            NatsError::new(format!("cannot read the stream {stream}: {error}"))
        };
        let filter_subjects: Vec<String> = lanes.iter().map(|&lane| subjects.all(lane)).collect();
        let mut consumer = stream_handle
            .create_consumer(pull::OrderedConfig {
                filter_subjects,
                deliver_policy: DeliverPolicy::All,
                ..pull::OrderedConfig::default()
            })
            .await
            .map_err(|error| {
                let again = match error.kind() {
                    ConsumerErrorKind::TimedOut | ConsumerErrorKind::Request => true,
                    ConsumerErrorKind::JetStream(inner) => not_ready(inner.error_code()),
                    _ => false,
                };
                Attempt::new(cannot_read(&error), again)
            })?;
        let left = consumer
            .info()
            .await
            .map_err(|error| {
                let again = match error.kind() {
                    ConsumerInfoErrorKind::TimedOut
                    | ConsumerInfoErrorKind::Request
                    | ConsumerInfoErrorKind::NoResponders
                    | ConsumerInfoErrorKind::Offline => true,
                    ConsumerInfoErrorKind::JetStream(inner) => not_ready(inner.error_code()),
                    _ => false,
                };
                Attempt::new(cannot_read(&error), again)
            })?
            .num_pending;
        let messages = if left == 0 {
            None
        } else {
            Some(
                consumer
                    .messages()
                    .await
                    .map_err(|error| Attempt::Again(cannot_read(&error)))?,
            )
        };
        Ok(Self {
            messages,
            subjects: subjects.clone(),
            left,
        })
    }

    /// Messages still to read (of those the stream held when the reader was opened).
    pub fn left(&self) -> u64 {
        self.left
    }

    /// The next message, or `None` after the last one the stream held when the reader was
    /// opened.
    pub async fn next(&mut self) -> Option<Result<StoredRecord, NatsError>> {
        if self.left == 0 {
            self.messages = None;
            return None;
        }
        let message = match self.messages.as_mut()?.next().await? {
            Ok(message) => message,
            Err(error) => {
                return Some(Err(NatsError::new(format!(
                    "reading the stream failed: {error}"
                ))))
            }
        };
        let (sequence, pending) = match message.info() {
            Ok(info) => (info.stream_sequence, info.pending),
            Err(error) => {
                return Some(Err(NatsError::new(format!(
                    "a message without its stream information: {error}"
                ))))
            }
        };
        self.left = pending;
        let subject = message.subject.to_string();
        Some(Ok(StoredRecord {
            sequence,
            lane: self.subjects.lane_of(&subject),
            message_id: message
                .headers
                .as_ref()
                .and_then(|headers| headers.get(async_nats::header::NATS_MESSAGE_ID))
                .map(|value| value.as_str().to_owned()),
            record: to_record(message.headers.as_ref(), &message.payload),
            subject,
        }))
    }
}

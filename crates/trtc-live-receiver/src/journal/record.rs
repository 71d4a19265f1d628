//! One journal record: a delivery as it was received, and how to read one back from a line.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// One delivery, as journaled: when and from where it came, its query string, its command word
/// (when known), why it was quarantined (for a quarantined one), and its body exactly as
/// received.
///
/// On disk a record is one line of JSON (the format `trtc-live serve` has always written):
///
/// ```text
/// {"received_at_ms":1764135600123,"remote":"127.0.0.1:50412","query":"SdkAppid=1400000000&CallbackCommand=...","command":"Live.CallbackAfterEndBattle","body":"{\"CallbackCommand\": ...}"}
/// ```
///
/// `command` and `reason` are left out when absent; the body is `body` (a JSON string holding
/// the bytes, which are UTF-8 text, as every JSON body is) or `body_hex` (lowercase hexadecimal,
/// for a body that is not UTF-8), never both. Members this version does not know are ignored
/// when reading, so that records written by a later version stay readable.
///
/// ```
/// use trtc_live_receiver::journal::Record;
///
/// let record = Record::new(1764135600123, "127.0.0.1:50412", "SdkAppid=1400000000", b"{\"a\": 1}")
///     .with_command("Live.CallbackAfterEndBattle");
/// let line = serde_json::to_vec(&record)?;
/// let read = Record::from_line(&line)?;
/// assert_eq!(read, record);
/// assert_eq!(&*read.body_bytes(), b"{\"a\": 1}");
/// assert_eq!(read.command(), Some("Live.CallbackAfterEndBattle"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawRecord", into = "RawRecord")]
pub struct Record {
    received_at_ms: u64,
    remote: String,
    query: String,
    command: Option<String>,
    reason: Option<String>,
    body: Body,
}

/// The body of a record: text when it is UTF-8, bytes otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Body {
    Text(String),
    Bytes(Vec<u8>),
}

/// A record as it is on disk.
#[derive(Serialize, Deserialize)]
struct RawRecord {
    received_at_ms: u64,
    remote: String,
    query: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    command: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body_hex: Option<String>,
}

impl TryFrom<RawRecord> for Record {
    type Error = RecordError;

    fn try_from(raw: RawRecord) -> Result<Self, RecordError> {
        let body = match (raw.body, raw.body_hex) {
            (Some(text), None) => Body::Text(text),
            (None, Some(hex_text)) => Body::Bytes(
                hex::decode(&hex_text).map_err(|error| RecordError::BodyHex(error.to_string()))?,
            ),
            (None, None) => return Err(RecordError::BodyMissing),
            (Some(_), Some(_)) => return Err(RecordError::TwoBodies),
        };
        Ok(Self {
            received_at_ms: raw.received_at_ms,
            remote: raw.remote,
            query: raw.query,
            command: raw.command,
            reason: raw.reason,
            body,
        })
    }
}

impl From<Record> for RawRecord {
    fn from(record: Record) -> Self {
        let (body, body_hex) = match record.body {
            Body::Text(text) => (Some(text), None),
            Body::Bytes(bytes) => (None, Some(hex::encode(bytes))),
        };
        Self {
            received_at_ms: record.received_at_ms,
            remote: record.remote,
            query: record.query,
            command: record.command,
            reason: record.reason,
            body,
            body_hex,
        }
    }
}

impl Record {
    /// A record of `body` received at `received_at_ms` (Unix milliseconds) from `remote`, with
    /// the request's query string `query` (as received, without `?`). The body is kept exactly:
    /// as text when it is UTF-8, else as bytes (written in hexadecimal).
    pub fn new(
        received_at_ms: u64,
        remote: impl Into<String>,
        query: impl Into<String>,
        body: &[u8],
    ) -> Self {
        let body = match std::str::from_utf8(body) {
            Ok(text) => Body::Text(text.to_owned()),
            Err(_) => Body::Bytes(body.to_vec()),
        };
        Self {
            received_at_ms,
            remote: remote.into(),
            query: query.into(),
            command: None,
            reason: None,
            body,
        }
    }

    /// The same record with its command word.
    pub fn with_command(mut self, command: impl Into<String>) -> Self {
        self.command = Some(command.into());
        self
    }

    /// The same record with the reason it was quarantined.
    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// Reads a record from one line of a journal (a trailing `\n` or `\r\n` is allowed).
    pub fn from_line(line: &[u8]) -> Result<Self, RecordError> {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        serde_json::from_slice(line).map_err(RecordError::from_json)
    }

    /// The record as one line of a journal, line break included.
    pub fn to_line(&self) -> Vec<u8> {
        let mut line = serde_json::to_vec(&RawRecord::from(self.clone()))
            // A record holds strings and an integer only: it always serializes.
            .unwrap_or_default();
        line.push(b'\n');
        line
    }

    /// When the delivery was received, in Unix milliseconds (the receiver's clock).
    pub fn received_at_ms(&self) -> u64 {
        self.received_at_ms
    }

    /// The address it came from (`IP:port`; empty when the server did not know it).
    pub fn remote(&self) -> &str {
        &self.remote
    }

    /// The request's query string as received: the URL parameters, `Sign` included (never a
    /// token: Tencent's URL does not carry it).
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The command word, when it was known (the packet's, or for a quarantined delivery the
    /// URL's when it names a known command).
    pub fn command(&self) -> Option<&str> {
        self.command.as_deref()
    }

    /// For a quarantined delivery, why it was not accepted.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    /// The body exactly as received, byte for byte (from `body` or from `body_hex`).
    pub fn body_bytes(&self) -> Cow<'_, [u8]> {
        match &self.body {
            Body::Text(text) => Cow::Borrowed(text.as_bytes()),
            Body::Bytes(bytes) => Cow::Borrowed(bytes),
        }
    }

    /// The body as text, when it is UTF-8 (every JSON body is).
    pub fn body_text(&self) -> Option<&str> {
        match &self.body {
            Body::Text(text) => Some(text),
            Body::Bytes(_) => None,
        }
    }
}

/// Why a line of a journal is not a record.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The line is not JSON, or not an object with the members of a record.
    #[error("not a journal record: {message}")]
    NotARecord {
        /// What the JSON reader said, with the column where it stopped.
        message: String,
    },
    /// The record has neither `body` nor `body_hex`.
    #[error("the record has neither body nor body_hex")]
    BodyMissing,
    /// The record has both `body` and `body_hex`.
    #[error("the record has both body and body_hex")]
    TwoBodies,
    /// `body_hex` is not hexadecimal of whole bytes.
    #[error("body_hex is not hexadecimal: {0}")]
    BodyHex(String),
    /// The journal ends with this line and no line break: a torn record, cut short by a crash
    /// in the middle of an append (never acknowledged), or a record still being written.
    #[error("a torn record: the journal ends with {length} bytes and no line break")]
    Torn {
        /// Its length in bytes.
        length: u64,
    },
    /// The line is longer than the reader's limit; it was skipped without being held.
    #[error("a line of {length} bytes, over the limit of {limit} bytes")]
    TooLong {
        /// Its length in bytes.
        length: u64,
        /// The reader's limit.
        limit: u64,
    },
    /// The journal could not be read; the reader stops after reporting it.
    #[error("cannot read the journal: {0}")]
    Io(#[from] std::io::Error),
}

impl RecordError {
    /// The error of serde_json, or the record's own check reached through it.
    fn from_json(error: serde_json::Error) -> Self {
        // `try_from` errors come back as custom serde errors: their text is the record check's.
        Self::NotARecord {
            message: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_on_disk_format_is_unchanged() {
        let record = Record::new(7, "127.0.0.1:1", "a=1", b"{\"n\": 1}").with_command("X.Y");
        assert_eq!(
            String::from_utf8(record.to_line()).unwrap(),
            "{\"received_at_ms\":7,\"remote\":\"127.0.0.1:1\",\"query\":\"a=1\",\
             \"command\":\"X.Y\",\"body\":\"{\\\"n\\\": 1}\"}\n"
        );
        let binary = Record::new(8, "", "", &[0xff, 0x00]).with_reason("why");
        assert_eq!(
            String::from_utf8(binary.to_line()).unwrap(),
            "{\"received_at_ms\":8,\"remote\":\"\",\"query\":\"\",\"reason\":\"why\",\
             \"body_hex\":\"ff00\"}\n"
        );
        assert_eq!(&*binary.body_bytes(), &[0xff, 0x00]);
        assert_eq!(binary.body_text(), None);
        assert_eq!(serde_json::to_vec(&binary).unwrap(), {
            let mut line = binary.to_line();
            line.pop();
            line
        });
    }

    #[test]
    fn bad_bodies_are_refused_with_their_reason() {
        let base = r#""received_at_ms":1,"remote":"","query":"""#;
        let cases = [
            (format!("{{{base}}}"), "neither body nor body_hex"),
            (
                format!(r#"{{{base},"body":"x","body_hex":"00"}}"#),
                "both body and body_hex",
            ),
            (format!(r#"{{{base},"body_hex":"0g"}}"#), "not hexadecimal"),
            (format!(r#"{{{base},"body_hex":"000"}}"#), "not hexadecimal"),
            ("{\"received_at_ms\":1,\"rem".to_owned(), "EOF"),
            ("[1]".to_owned(), "not a journal record"),
        ];
        for (line, expected) in cases {
            let error = Record::from_line(line.as_bytes()).unwrap_err();
            assert!(error.to_string().contains(expected), "{line}: {error}");
        }
    }

    #[test]
    fn unknown_members_and_line_breaks_are_accepted() {
        let line = b"{\"received_at_ms\":1,\"remote\":\"r\",\"query\":\"q\",\"body\":\"b\",\"later\":[1]}\r\n";
        let record = Record::from_line(line).unwrap();
        assert_eq!(record, Record::new(1, "r", "q", b"b"));
    }
}

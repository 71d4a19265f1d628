//! A delivery as a JetStream message, and back.
//!
//! The payload is the body exactly as received, byte for byte (a consumer in any language reads
//! the webhook directly); the rest of the [`Record`] is in headers:
//!
//! | header | value |
//! |---|---|
//! | `Nats-Msg-Id` | the deduplication key: the [`DeliveryId`] (`trtc_` and 32 hexadecimal digits) for an accepted delivery; with `.quarantine` or `.dead` after it for the other lanes |
//! | `Trtc-Delivery-Id` | the [`DeliveryId`] |
//! | `Trtc-Received-At` | the receive time, Unix milliseconds (the receiving replica's clock) |
//! | `Trtc-Remote` | the client's `IP:port` (absent when unknown) |
//! | `Trtc-Query` | the query string as received (`Sign` included; never a token) |
//! | `Trtc-Command` | the command word, when known |
//! | `Trtc-Reason` | why a quarantined delivery was refused, or why a dead letter was not forwarded (line breaks made spaces) |

use async_nats::HeaderMap;
use bytes::Bytes;

use super::StoredLane;
use crate::forward::DeliveryId;
use crate::journal::Record;

/// The header of the delivery id.
pub const DELIVERY_ID: &str = "Trtc-Delivery-Id";
/// The header of the receive time.
pub const RECEIVED_AT: &str = "Trtc-Received-At";
/// The header of the client's address.
pub const REMOTE: &str = "Trtc-Remote";
/// The header of the query string.
pub const QUERY: &str = "Trtc-Query";
/// The header of the command word.
pub const COMMAND: &str = "Trtc-Command";
/// The header of the reason (quarantine, dead letters).
pub const REASON: &str = "Trtc-Reason";

/// The `Nats-Msg-Id` of a record of `lane` whose delivery id is `id`.
pub fn message_id(lane: StoredLane, id: &DeliveryId) -> String {
    match lane {
        StoredLane::Accepted => id.to_string(),
        StoredLane::Quarantine => format!("{id}.quarantine"),
        StoredLane::DeadLetter => format!("{id}.dead"),
    }
}

/// The headers and payload of `record` in `lane`.
pub fn to_message(lane: StoredLane, record: &Record) -> (HeaderMap, Bytes) {
    let id = DeliveryId::of_record(record);
    let mut headers = HeaderMap::new();
    headers.insert(
        async_nats::header::NATS_MESSAGE_ID,
        message_id(lane, &id).as_str(),
    );
    headers.insert(DELIVERY_ID, id.as_str());
    headers.insert(RECEIVED_AT, record.received_at_ms().to_string());
    if !record.remote().is_empty() {
        headers.insert(REMOTE, record.remote());
    }
    headers.insert(QUERY, record.query());
    if let Some(command) = record.command() {
        headers.insert(COMMAND, command);
    }
    if let Some(reason) = record.reason() {
        headers.insert(REASON, reason);
    }
    (headers, Bytes::copy_from_slice(&record.body_bytes()))
}

/// Why a message is not a delivery.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    /// It has no headers.
    #[error("the message has no headers (not published by trtc-live)")]
    NoHeaders,
    /// `Trtc-Received-At` is missing or not a number.
    #[error(
        "the message has no Trtc-Received-At of Unix milliseconds (not published by trtc-live)"
    )]
    ReceivedAt,
}

/// The record a message holds: its payload as the body, the rest from its headers.
pub fn to_record(headers: Option<&HeaderMap>, payload: &[u8]) -> Result<Record, MessageError> {
    let headers = headers.ok_or(MessageError::NoHeaders)?;
    let text = |name: &str| headers.get(name).map(|value| value.as_str().to_owned());
    let received_at = text(RECEIVED_AT)
        .and_then(|value| value.parse::<u64>().ok())
        .ok_or(MessageError::ReceivedAt)?;
    let mut record = Record::new(
        received_at,
        text(REMOTE).unwrap_or_default(),
        text(QUERY).unwrap_or_default(),
        payload,
    );
    if let Some(command) = text(COMMAND) {
        record = record.with_command(command);
    }
    if let Some(reason) = text(REASON) {
        record = record.with_reason(reason);
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_survives_the_trip_byte_for_byte() {
        let record = Record::new(
            1764135600123,
            "10.0.0.7:50412",
            "SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterEndBattle&Sign=ab&RequestTime=1",
            b"{\"CallbackCommand\":\"Live.CallbackAfterEndBattle\",\r\n \"Owner_Account\":144115245442327522}",
        )
        .with_command("Live.CallbackAfterEndBattle");
        let (headers, payload) = to_message(StoredLane::Accepted, &record);
        let id = DeliveryId::of_record(&record);
        assert_eq!(
            headers.get("Nats-Msg-Id").unwrap().as_str(),
            id.as_str(),
            "the delivery id deduplicates"
        );
        assert_eq!(to_record(Some(&headers), &payload).unwrap(), record);
        // A body that is not UTF-8, a reason on two lines, no remote.
        let quarantined =
            Record::new(5, "", "SdkAppid=1", &[0xff, 0x00, b'{']).with_reason("line one\nline two");
        let (headers, payload) = to_message(StoredLane::Quarantine, &quarantined);
        assert_eq!(
            headers.get("Nats-Msg-Id").unwrap().as_str(),
            format!("{}.quarantine", DeliveryId::of_record(&quarantined))
        );
        let read = to_record(Some(&headers), &payload).unwrap();
        assert_eq!(&*read.body_bytes(), &[0xff, 0x00, b'{']);
        assert_eq!(read.reason(), Some("line one line two"));
        assert_eq!(read.remote(), "");
        assert_eq!(to_record(None, b"{}"), Err(MessageError::NoHeaders));
    }
}

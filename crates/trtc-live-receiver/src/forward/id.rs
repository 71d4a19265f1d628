//! The delivery id: the same for the same event, whenever and wherever it was received.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::journal::Record;

/// The stable id of a delivery: `trtc_` and 32 lowercase hexadecimal digits (128 bits).
///
/// Tencent sends no event id, so the id is derived from what identifies the event in what
/// Tencent sends: the first 128 bits of SHA-256 over the application's `SdkAppid` (from the
/// URL), the command word and the body, byte for byte (each part preceded by its length, so
/// that no two different triples hash the same input). Nothing of the receiving side goes in:
/// not the receive time, not the client's address, not the replica that received it, not
/// `Sign` or `RequestTime` (which a new attempt of Tencent may sign anew).
///
/// So the id is the same for every retry of the forwarder, for every replay, and for the same
/// event delivered twice by Tencent (to the same receiver or to two replicas) **as long as
/// Tencent sends the same body**; and different for different events, whose bodies differ
/// (every packet carries the event's own time, `EventTime` in milliseconds, or its own ids).
///
/// The limits, since the id can only be as good as what Tencent sends:
///
/// - a retry whose body Tencent serialized again differently (other whitespace, members in
///   another order, a new `EventTime`) gets another id: the application sees two deliveries;
/// - two distinct events whose bodies are byte for byte the same (the same command, the same
///   members, the same millisecond) get one id: the application may drop the second as a
///   duplicate. Tencent's packets leave no way to tell them apart.
///
/// ```
/// use trtc_live_receiver::forward::DeliveryId;
///
/// let body = br#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"r1","EventTime":1}"#;
/// let id = DeliveryId::new("1400000000", "Live.CallbackAfterDestroyRoom", body);
/// assert_eq!(id, DeliveryId::new("1400000000", "Live.CallbackAfterDestroyRoom", body));
/// assert_ne!(id, DeliveryId::new("1400000001", "Live.CallbackAfterDestroyRoom", body));
/// assert!(id.as_str().starts_with("trtc_") && id.as_str().len() == 37);
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeliveryId(String);

impl DeliveryId {
    /// The prefix of every id.
    pub const PREFIX: &'static str = "trtc_";

    /// The id of the delivery of `body` for the command word `command` to the application
    /// `sdk_app_id`.
    pub fn new(sdk_app_id: &str, command: &str, body: &[u8]) -> Self {
        let mut hash = Sha256::new();
        for part in [sdk_app_id.as_bytes(), command.as_bytes(), body] {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part);
        }
        let digest = hash.finalize();
        Self(format!("{}{}", Self::PREFIX, hex::encode(&digest[..16])))
    }

    /// The id of a journaled delivery: its query's `SdkAppid`, its command word (the
    /// record's; empty when unknown) and its body.
    pub fn of_record(record: &Record) -> Self {
        let sdk_app_id = query_parameter(record.query(), "SdkAppid").unwrap_or_default();
        Self::new(
            &sdk_app_id,
            record.command().unwrap_or_default(),
            &record.body_bytes(),
        )
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DeliveryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for DeliveryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeliveryId({})", self.0)
    }
}

/// The first value of the parameter `name` in `query`, percent-decoded.
pub(crate) fn query_parameter(query: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_depends_on_the_event_only() {
        let body = b"{\"CallbackCommand\":\"Live.CallbackAfterEndBattle\",\"EventTime\":1}";
        let command = "Live.CallbackAfterEndBattle";
        let first = Record::new(
            1,
            "10.0.0.1:1",
            "SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterEndBattle&Sign=aa&RequestTime=1",
            body,
        )
        .with_command(command);
        // Another attempt, received later, elsewhere, signed anew.
        let again = Record::new(
            99,
            "10.0.0.2:2",
            "RequestTime=7&Sign=bb&CallbackCommand=Live.CallbackAfterEndBattle&SdkAppid=1400000000",
            body,
        )
        .with_command(command);
        assert_eq!(DeliveryId::of_record(&first), DeliveryId::of_record(&again));
        assert_eq!(
            DeliveryId::of_record(&first),
            DeliveryId::new("1400000000", command, body)
        );
        // Another event: one byte of the body differs.
        let other = Record::new(1, "", "SdkAppid=1400000000", &body[..body.len() - 2])
            .with_command(command);
        assert_ne!(DeliveryId::of_record(&first), DeliveryId::of_record(&other));
        // Parts cannot slide into one another.
        assert_ne!(
            DeliveryId::new("1", "2x", b"y"),
            DeliveryId::new("12", "x", b"y")
        );
    }

    #[test]
    fn the_id_is_fixed_for_the_same_input() {
        // The derivation is part of the interface: replicas and later versions must agree.
        // (Computed independently with Python's hashlib and struct.pack(">Q", length).)
        assert_eq!(
            DeliveryId::new("1400000000", "Live.CallbackAfterEndBattle", b"{}").as_str(),
            "trtc_437ebb8d24c1a7e20987277b50360f47"
        );
    }
}

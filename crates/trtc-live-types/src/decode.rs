//! Choosing the packet type from `CallbackCommand`, and decoding errors that say where.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{Command, Webhook};

/// Why a packet could not be decoded into its type.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The bytes are not JSON.
    #[error("malformed JSON: {0}")]
    Syntax(#[source] serde_json::Error),
    /// The packet is not a JSON object.
    #[error("the packet is not a JSON object")]
    NotAnObject,
    /// The packet has no `CallbackCommand`.
    #[error("the packet has no CallbackCommand")]
    MissingCommand,
    /// The packet's `CallbackCommand` is not a string.
    #[error("CallbackCommand is not a string")]
    CommandNotAString,
    /// `CallbackCommand` names no known webhook.
    #[error("unknown CallbackCommand {0:?}")]
    UnknownCommand(String),
    /// The packet does not fit the type of its command.
    #[error("not a valid {command} packet at {pointer:?}: {source}")]
    Invalid {
        /// The command whose type was tried.
        command: Command,
        /// JSON pointer to the value that does not fit (`""` for the whole packet).
        pointer: String,
        /// What serde reported.
        #[source]
        source: serde_json::Error,
    },
}

impl Webhook {
    /// Decodes a request packet from JSON bytes, choosing the type from its `CallbackCommand`.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, DecodeError> {
        let value: Value = serde_json::from_slice(bytes).map_err(DecodeError::Syntax)?;
        Self::from_value(value)
    }

    /// Decodes a request packet from a parsed JSON value, choosing the type from its
    /// `CallbackCommand`.
    pub fn from_value(value: Value) -> Result<Self, DecodeError> {
        let command = Command::of_packet(&value)?;
        Self::from_value_as(command, value)
    }
}

impl Command {
    /// The known command named by a packet's `CallbackCommand`.
    pub fn of_packet(packet: &Value) -> Result<Command, DecodeError> {
        let object = packet.as_object().ok_or(DecodeError::NotAnObject)?;
        let word = object
            .get("CallbackCommand")
            .ok_or(DecodeError::MissingCommand)?;
        let word = word.as_str().ok_or(DecodeError::CommandNotAString)?;
        Command::from_command_word(word).ok_or_else(|| DecodeError::UnknownCommand(word.to_owned()))
    }
}

impl<'de> serde::Deserialize<'de> for Webhook {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_value(value).map_err(serde::de::Error::custom)
    }
}

/// Decodes `value` as the packet type `T` of `command`, locating any mismatch.
pub(crate) fn decode_as<T: DeserializeOwned>(
    command: Command,
    value: Value,
) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(value).map_err(|error| DecodeError::Invalid {
        command,
        pointer: json_pointer(error.path()),
        source: error.into_inner(),
    })
}

/// Decodes JSON `bytes` as `T`, wrapped by `wrap`, without a `serde_json::Value`. Bytes that
/// are UTF-8 as a whole (nearly all packets) are checked once and read as text, which spares
/// serde_json a UTF-8 check of every string; the others are read as bytes, so that serde_json's
/// error says where. An object type with a generated reading has a faster way
/// ([`crate::members::object_from_json_bytes`]).
pub(crate) fn from_json_bytes_as<T: DeserializeOwned, W>(
    bytes: &[u8],
    wrap: impl FnOnce(T) -> W,
) -> Result<W, serde_json::Error> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    }
    .map(wrap)
}

fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => pointer.push_str("/?"),
        }
    }
    pointer
}

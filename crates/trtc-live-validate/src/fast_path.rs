//! The fast path: a valid packet decoded straight from its bytes into its type.
//!
//! Building a `serde_json::Value` and walking the schema over it is most of the cost of
//! validating. So the validator first decodes the bytes directly into the type of the command
//! the packet names, with the plain reader generated for the types (`trtc_live_types`'s
//! `Webhook::from_plain_json_as`). The generated types accept only packets that their schema accepts (the
//! differential test `tests/fast_path.rs` holds them to it over a mutation corpus), so a packet
//! that decodes is valid, and its typed value is the one the schema path would give. Anything
//! that does not decode goes through the schema, which gives the verdict and the full report.
//!
//! The verdict alone needs no value at all: the bytes are judged against the type in one pass
//! that builds nothing, reads every member to the end and keeps the last of a member given
//! twice ([`trtc_live_types::conform`]), so that valid and invalid packets cost the same.

use std::sync::LazyLock;

use memchr::memmem;
use serde::Deserializer as _;
use trtc_live_types::conform::{Fit, Skip};
use trtc_live_types::wire::MemberName;
use trtc_live_types::{Command, Webhook, WebhookResponse};

use crate::semantic::fit_with_warnings;
use crate::Warning;

/// The packet typed, when its bytes are plain JSON (nearly every packet Tencent sends) that
/// decodes into the type of the command they name. Others go to the schema path: a packet the
/// plain reader gives way on is invalid but for rare forms (a free-form member nested over 64
/// levels), which the schema path decides as well, so serde_json is not tried in between.
pub(crate) fn decode_directly(bytes: &[u8]) -> Option<Webhook> {
    Webhook::from_plain_json_as(named_command(bytes)?, bytes)
}

/// The response to `command` typed, when its bytes decode into the response type. Not for
/// `Group.CallbackBeforeSendMsg`: its schema has a rule across members (a rewritten message
/// needs `ErrorCode` 0, a `dependencies` keyword) that its type does not check.
pub(crate) fn decode_response_directly(command: Command, bytes: &[u8]) -> Option<WebhookResponse> {
    if command == Command::GroupCallbackBeforeSendMsg {
        return None;
    }
    WebhookResponse::from_slice_as(command, bytes).ok()
}

/// The command of a valid request, `None` for an invalid one, from its bytes alone: exactly
/// the schema path's verdict. The bytes are judged against the type of the command they seem
/// to name, in one pass that reads every member to the end and keeps the last of a member
/// given twice, as a `serde_json::Value` does ([`trtc_live_types::conform`]);
/// `tests/fast_path.rs` checks the two against each other on every mutant. Without a guess, or
/// when the guess was not the packet's (last) top-level `CallbackCommand`, the packet's own
/// command decides; a packet without a known one is invalid.
pub(crate) fn valid_command(bytes: &[u8]) -> Option<Command> {
    let judge = |command, bytes: &[u8]| Ok((Webhook::fit_as(command, bytes)?, ()));
    valid_command_judged(bytes, judge).map(|(command, ())| command)
}

/// The command of a valid request and its warnings, `None` for an invalid one, from its bytes
/// alone: [`valid_command`], with the warnings found in the same pass.
pub(crate) fn valid_command_with_warnings(bytes: &[u8]) -> Option<(Command, Vec<Warning>)> {
    valid_command_judged(bytes, fit_with_warnings)
}

/// [`valid_command`], with `judge` saying how bytes fit the type of a command, with what else
/// it finds in the packet.
fn valid_command_judged<T>(
    bytes: &[u8],
    judge: impl Fn(Command, &[u8]) -> Result<(Fit, T), serde_json::Error>,
) -> Option<(Command, T)> {
    if let Some(command) = named_command(bytes) {
        match judge(command, bytes) {
            Ok((Fit::Fits, found)) => return Some((command, found)),
            Ok((Fit::DoesNotFit, _)) | Err(_) => return None,
            Ok((Fit::CommandDiffers, _)) => {}
        }
    }
    let command = top_level_command(bytes)?;
    match judge(command, bytes) {
        Ok((Fit::Fits, found)) => Some((command, found)),
        _ => None,
    }
}

/// The verdict on a response to `command`, from its bytes alone, as [`valid_command`] judges a
/// request; `None` for `Group.CallbackBeforeSendMsg` (see [`decode_response_directly`]).
pub(crate) fn response_verdict(command: Command, bytes: &[u8]) -> Option<bool> {
    (command != Command::GroupCallbackBeforeSendMsg)
        .then(|| matches!(WebhookResponse::fit_as(command, bytes), Ok(Fit::Fits)))
}

/// The known command named by the (last) top-level `CallbackCommand` of a JSON object, read
/// with everything else skipped; `None` when the bytes are not JSON, not an object, or name no
/// known command.
fn top_level_command(bytes: &[u8]) -> Option<Command> {
    // Bytes that are not UTF-8 are not JSON.
    let mut deserializer = serde_json::Deserializer::from_str(std::str::from_utf8(bytes).ok()?);
    let word = deserializer.deserialize_any(CommandWord).ok()?;
    deserializer.end().ok()?;
    Command::from_command_word(&word?)
}

/// Reads a top-level object for its `CallbackCommand` string.
struct CommandWord;

impl<'de> serde::de::Visitor<'de> for CommandWord {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut word = None;
        while let Some(name) = map.next_key::<MemberName<'de>>()? {
            if name.as_bytes() == b"CallbackCommand" {
                let value: serde_json::Value = map.next_value()?;
                word = value.as_str().map(str::to_owned);
            } else {
                map.next_value_seed(Skip)?;
            }
        }
        Ok(word)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(None)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// The command a packet seems to name: the first `"CallbackCommand"` followed by `:` and a
/// string without escapes, found without parsing. A wrong guess (a nested member of that name,
/// say) costs only time: each packet type requires its own command word in its top-level
/// `CallbackCommand`, so the decode fails and the schema path decides.
pub(crate) fn named_command(bytes: &[u8]) -> Option<Command> {
    const KEY: &[u8] = b"\"CallbackCommand\"";
    static FINDER: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(KEY));
    // Most packets open with it: no search then.
    let after_key = if bytes.get(1..=KEY.len()) == Some(KEY) {
        KEY.len() + 1
    } else {
        FINDER.find(bytes)? + KEY.len()
    };
    let rest = skip_whitespace(bytes.get(after_key..)?);
    let rest = skip_whitespace(rest.strip_prefix(b":")?);
    let rest = rest.strip_prefix(b"\"")?;
    let end = memchr::memchr2(b'"', b'\\', rest)?;
    // The generated `match` of the command words, on the bytes: no UTF-8 check needed to tell
    // a known (ASCII) word.
    Command::from_command_word_bytes(&rest[..end])
}

fn skip_whitespace(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(bytes.len());
    &bytes[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_is_found_wherever_the_member_stands() {
        let packet = br#"{"EventTime": 1, "CallbackCommand" :
            "Live.CallbackAfterEndBattle", "x": 2}"#;
        assert_eq!(
            named_command(packet),
            Some(Command::LiveCallbackAfterEndBattle)
        );
    }

    #[test]
    fn no_guess_without_a_plain_known_word() {
        for packet in [
            &br#"{"CallbackCommand": "Live.Nothing"}"#[..],
            br#"{"CallbackCommand": 7}"#,
            br#"{"CallbackCommand": "Live.CallbackAfter\u0045ndBattle"}"#,
            br#"{"CallbackCommand": "Live.CallbackAfterEndBattle"#,
            br#"{"EventTime": 1}"#,
        ] {
            assert_eq!(
                named_command(packet),
                None,
                "{}",
                String::from_utf8_lossy(packet)
            );
        }
    }
}

//! The fast path: a valid packet decoded straight from its bytes into its type.
//!
//! Building a `serde_json::Value` and walking the schema over it is most of the cost of
//! validating. So the validator first decodes the bytes directly into the type of the command
//! the packet names. The generated types accept only packets that their schema accepts (the
//! differential test `tests/fast_path.rs` holds them to it over a mutation corpus), so a packet
//! that decodes is valid, and its typed value is the one the schema path would give. Anything
//! that does not decode goes through the schema, which gives the verdict and the full report.

use std::sync::LazyLock;

use memchr::memmem;
use trtc_live_types::wire::MemberName;
use trtc_live_types::{Command, Webhook, WebhookResponse};

/// The packet typed, when its bytes decode into the type of the command they name.
pub(crate) fn decode_directly(bytes: &[u8]) -> Option<Webhook> {
    let command = named_command(bytes)?;
    Webhook::from_slice_as(command, bytes).ok()
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

/// The verdict, when the bytes alone settle it: valid when they decode; invalid when they do
/// not, provided the failure cannot be one that the schema path reads otherwise. Only two
/// can: a member given twice (a `serde_json::Value` keeps the last one, while the typed decode
/// refuses the second, or fails on the first), and a packet whose top-level `CallbackCommand`
/// is not the one guessed (the decode then tried the wrong type). Those, and packets without a
/// guess, are left to the schema path (`None`). Any other failure means the packet breaks its
/// schema or holds a number the typed model refuses, and the schema path rejects it too
/// (`tests/fast_path.rs` checks that the two agree on every mutant).
pub(crate) fn verdict(bytes: &[u8]) -> Option<bool> {
    let command = named_command(bytes)?;
    if Webhook::from_slice_as(command, bytes).is_ok() {
        return Some(true);
    }
    // (serde_json calls some type mismatches syntax errors: only a scan tells malformed text.)
    let Some(outline) = Outline::of(bytes) else {
        // Not JSON: the schema path rejects it as malformed.
        return Some(false);
    };
    (!outline.member_twice && outline.command.as_deref() == Some(command.as_str())).then_some(false)
}

/// What a failed decode needs to know of a packet, read with everything else skipped.
#[derive(Default)]
struct Outline {
    /// The top-level `CallbackCommand`, when it is a string (the last one, if given twice).
    command: Option<String>,
    /// Whether some object, at any depth, has a member twice.
    member_twice: bool,
}

impl Outline {
    /// The outline of `bytes`, or `None` when they are not JSON.
    fn of(bytes: &[u8]) -> Option<Self> {
        let mut outline = Outline::default();
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        serde::de::DeserializeSeed::deserialize(
            Scan {
                outline: &mut outline,
                top_level: true,
            },
            &mut deserializer,
        )
        .ok()?;
        deserializer.end().ok()?;
        Some(outline)
    }
}

/// Skips a value, noting what [`Outline`] records.
struct Scan<'a> {
    outline: &'a mut Outline,
    top_level: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for Scan<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Scan<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut names: Vec<MemberName<'de>> = Vec::new();
        while let Some(name) = map.next_key::<MemberName<'de>>()? {
            self.outline.member_twice |= names.contains(&name);
            if self.top_level && name.as_bytes() == b"CallbackCommand" {
                let value: serde_json::Value = map.next_value()?;
                self.outline.command = value.as_str().map(str::to_owned);
            } else {
                map.next_value_seed(Scan {
                    outline: self.outline,
                    top_level: false,
                })?;
            }
            names.push(name);
        }
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Scan {
                outline: self.outline,
                top_level: false,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// The command a packet seems to name: the first `"CallbackCommand"` followed by `:` and a
/// string without escapes, found without parsing. A wrong guess (a nested member of that name,
/// say) costs only time: each packet type requires its own command word in its top-level
/// `CallbackCommand`, so the decode fails and the schema path decides.
fn named_command(bytes: &[u8]) -> Option<Command> {
    const KEY: &[u8] = b"\"CallbackCommand\"";
    static FINDER: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(KEY));
    let after_key = FINDER.find(bytes)? + KEY.len();
    let rest = skip_whitespace(bytes.get(after_key..)?);
    let rest = skip_whitespace(rest.strip_prefix(b":")?);
    let rest = rest.strip_prefix(b"\"")?;
    let end = memchr::memchr2(b'"', b'\\', rest)?;
    let word = std::str::from_utf8(&rest[..end]).ok()?;
    Command::from_command_word(word)
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

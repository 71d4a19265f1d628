//! The fast path: a valid request packet decoded straight from its bytes into its type.
//!
//! Building a `serde_json::Value` and walking the schema over it is most of the cost of
//! validating. So the validator first decodes the bytes directly into the type of the command
//! the packet names. The generated types accept only packets that their schema accepts (the
//! differential test `tests/fast_path.rs` holds them to it over a mutation corpus), so a packet
//! that decodes is valid, and its typed value is the one the schema path would give. Anything
//! that does not decode goes through the schema, which gives the verdict and the full report.

use std::sync::LazyLock;

use memchr::memmem;
use trtc_live_types::{Command, Webhook};

/// The packet typed, when its bytes decode into the type of the command they name.
pub(crate) fn decode_directly(bytes: &[u8]) -> Option<Webhook> {
    let command = named_command(bytes)?;
    Webhook::from_slice_as(command, bytes).ok()
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

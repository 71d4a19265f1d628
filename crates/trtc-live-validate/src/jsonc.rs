//! Parsing JSON, and JSON with `//` and `/* */` comments (documentation samples).

use std::io::Read;

use json_comments::CommentSettings;
use serde_json::Value;

use crate::SyntaxError;

/// Parses JSON bytes into a value; every integer up to `u64::MAX` stays exact.
///
/// Text that is not UTF-8, empty text and a leading byte order mark get an error that says so,
/// located at the offending byte, rather than the parser's "expected value".
pub fn parse_json(bytes: &[u8]) -> Result<Value, SyntaxError> {
    serde_json::from_slice(bytes)
        .map_err(|error| not_json_text(bytes).unwrap_or_else(|| SyntaxError::from_serde(&error)))
}

/// Why `bytes` cannot be JSON text at all, if that is the reason: not UTF-8, empty, or led by a
/// byte order mark. Only called once parsing has failed, so valid packets never pay for it.
fn not_json_text(bytes: &[u8]) -> Option<SyntaxError> {
    if let Some(error) = not_utf8(bytes) {
        return Some(error);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Some(SyntaxError::at_offset(
            bytes,
            bytes.len(),
            "empty input: there is no JSON value",
        ));
    }
    if bytes.starts_with("\u{feff}".as_bytes()) {
        return Some(SyntaxError::at_offset(
            bytes,
            0,
            "the text starts with a byte order mark, which JSON does not allow (RFC 8259, section 8.1)",
        ));
    }
    None
}

/// The error of text that is not UTF-8, located at its first offending byte.
fn not_utf8(bytes: &[u8]) -> Option<SyntaxError> {
    let offset = std::str::from_utf8(bytes).err()?.valid_up_to();
    let message = format!(
        "byte 0x{:02X} is not UTF-8 (JSON text must be UTF-8)",
        bytes[offset]
    );
    Some(SyntaxError::at_offset(bytes, offset, &message))
}

/// Parses JSON with `//` and `/* */` comments, such as Tencent's documentation samples.
///
/// Comments are replaced by spaces outside strings only (a base64 id may contain `//`), so
/// every byte keeps its offset and a syntax error points at the line and column of the
/// original text. Nothing else is relaxed: a trailing or missing comma is still an error, and
/// the whole text, comments included, must be UTF-8 (the locator reads it as text).
pub fn parse_jsonc(bytes: &[u8]) -> Result<Value, SyntaxError> {
    // Found by fuzzing (fuzz/regressions/jsonc/): a byte that is not UTF-8 inside a comment
    // was stripped with the comment, so the packet was accepted, but none of its values could
    // then be located in the text.
    if let Some(error) = not_utf8(bytes) {
        return Err(error);
    }
    parse_json(&strip_comments(bytes)?)
}

/// `bytes` with every comment replaced by spaces (each byte keeps its offset, line breaks
/// included), or the error of a `/` that starts no comment: the JSON that [`parse_jsonc`]
/// parses, as text, so that its numbers stay exactly as written. Comments are found outside
/// strings only. Nothing else is checked (the result may still not be JSON).
pub fn strip_comments(bytes: &[u8]) -> Result<Vec<u8>, SyntaxError> {
    let mut stripped = Vec::with_capacity(bytes.len());
    // One byte per read, so that the bytes produced before an error locate it. The input is a
    // slice in memory, so unbuffered reads cost nothing worth a buffer.
    #[allow(clippy::unbuffered_bytes)]
    for byte in CommentSettings::c_style().strip_comments(bytes).bytes() {
        match byte {
            Ok(byte) => stripped.push(byte),
            Err(_) if stripped.len() == bytes.len() => {
                // An unterminated string or block comment: the text is fully stripped, and the
                // JSON parser reports where it ends.
                break;
            }
            Err(_) => {
                let slash = stripped.len().saturating_sub(1);
                return Err(SyntaxError::at_offset(
                    bytes,
                    slash,
                    "a `/` outside a string must start a `//` or `/* */` comment",
                ));
            }
        }
    }
    // json_comments blanks the line breaks of a block comment too; they are put back, so that
    // the parser counts the original text's lines (found by fuzzing: fuzz/regressions/jsonc/).
    for (stripped, original) in stripped.iter_mut().zip(bytes) {
        if *original == b'\n' {
            *stripped = b'\n';
        }
    }
    Ok(stripped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_cannot_be_json_says_why() {
        let error = parse_json(b"{\"a\": \"caf\xe9\"}").unwrap_err();
        assert_eq!((error.line, error.column), (1, 11), "{error}");
        assert!(error.message.contains("0xE9 is not UTF-8"), "{error}");
        let error = parse_json(b"\n  \n").unwrap_err();
        assert_eq!((error.line, error.column), (3, 1), "{error}");
        assert!(error.message.starts_with("empty input"), "{error}");
        let error = parse_json("\u{feff}{}".as_bytes()).unwrap_err();
        assert!(error.message.contains("byte order mark"), "{error}");
        assert_eq!(
            parse_json(b"{} x").unwrap_err().message,
            "trailing characters"
        );
    }

    #[test]
    fn comments_go_but_slashes_in_strings_stay() {
        let text = b"{\"BattleId\": \"4siH//sN/T3=\", // comment\n \"a\": /* block */ 1}";
        let value = parse_jsonc(text).unwrap();
        assert_eq!(value["BattleId"], "4siH//sN/T3=");
        assert_eq!(value["a"], 1);
    }

    #[test]
    fn errors_after_a_comment_keep_their_original_position() {
        let text = b"{\n  \"a\": 1, // one\n  \"b\": 2,\n}";
        let error = parse_jsonc(text).unwrap_err();
        assert_eq!((error.line, error.column), (4, 1), "{error}");
    }

    #[test]
    fn errors_after_a_block_comment_on_several_lines_keep_their_line() {
        let error = parse_jsonc(b"{/* a\n*/ \"a\": 1,}").unwrap_err();
        assert_eq!((error.line, error.column), (2, 11), "{error}");
    }

    #[test]
    fn a_stray_slash_is_located() {
        let error = parse_jsonc(b"{\n  \"a\": 1 / 2\n}").unwrap_err();
        assert_eq!((error.line, error.column), (2, 10), "{error}");
    }

    #[test]
    fn text_with_comments_must_be_utf8_comments_included() {
        let error = parse_jsonc(b"{\"a\": 1 // caf\xe9\n}").unwrap_err();
        assert_eq!((error.line, error.column), (1, 15), "{error}");
        assert!(error.message.contains("0xE9 is not UTF-8"), "{error}");
    }

    #[test]
    fn unterminated_comments_and_strings_are_syntax_errors() {
        assert!(parse_jsonc(b"{\"a\": 1 /* never closed").is_err());
        assert!(parse_jsonc(b"{\"a\": \"never closed").is_err());
    }
}

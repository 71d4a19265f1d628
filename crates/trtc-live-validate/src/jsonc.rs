//! Parsing JSON, and JSON with `//` and `/* */` comments (documentation samples).

use std::io::Read;

use json_comments::CommentSettings;
use serde_json::Value;

use crate::SyntaxError;

/// Parses JSON bytes into a value; every integer up to `u64::MAX` stays exact.
pub fn parse_json(bytes: &[u8]) -> Result<Value, SyntaxError> {
    serde_json::from_slice(bytes).map_err(|error| SyntaxError::from_serde(&error))
}

/// Parses JSON with `//` and `/* */` comments, such as Tencent's documentation samples.
///
/// Comments are replaced by spaces outside strings only (a base64 id may contain `//`), so
/// every byte keeps its offset and a syntax error points at the line and column of the
/// original text. Nothing else is relaxed: a trailing or missing comma is still an error.
pub fn parse_jsonc(bytes: &[u8]) -> Result<Value, SyntaxError> {
    parse_json(&strip_comments(bytes)?)
}

fn strip_comments(bytes: &[u8]) -> Result<Vec<u8>, SyntaxError> {
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
    Ok(stripped)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_stray_slash_is_located() {
        let error = parse_jsonc(b"{\n  \"a\": 1 / 2\n}").unwrap_err();
        assert_eq!((error.line, error.column), (2, 10), "{error}");
    }

    #[test]
    fn unterminated_comments_and_strings_are_syntax_errors() {
        assert!(parse_jsonc(b"{\"a\": 1 /* never closed").is_err());
        assert!(parse_jsonc(b"{\"a\": \"never closed").is_err());
    }
}

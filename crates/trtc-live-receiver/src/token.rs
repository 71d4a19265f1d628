//! The webhook token and the signature Tencent computes with it.
//!
//! Tencent's algorithm, as printed in the Webhooks Overview: `Sign = sha256(Token RequestTime)`,
//! the SHA-256 of the token immediately followed by the `RequestTime` string, written as 64
//! lowercase hexadecimal digits. The signature covers the token and the time only, not the body
//! nor the other URL parameters.

use std::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The webhook authentication token set with Tencent's `set_callback_token`: a secret.
///
/// Its `Debug` prints `Token(***)`; it implements neither `Display` nor `Serialize`, and its
/// text cannot be read back: the only thing to do with it is [`sign`].
///
/// # Whitespace
///
/// [`Token::new`] removes the whitespace around the token (what [`str::trim`] removes: spaces,
/// tabs, line breaks, and the other Unicode white space), and keeps whitespace inside it. A
/// token read from a file or an environment variable usually ends with the line break an editor
/// or `echo` added, or carries spaces pasted with it; kept, they would make every `Sign`
/// differ, and every delivery would be refused with "Sign does not match". Tencent's tokens
/// are configured through `set_callback_token` (1 to 128 characters) and its pages give no
/// token that begins or ends with whitespace. For a token that really does, [`Token::exact`]
/// keeps every character. `trtc-live serve --token-file` and `trtc-live send` read tokens
/// with [`Token::new`], so the library and the command-line tool agree.
///
/// ```
/// use trtc_live_receiver::{sign, Token};
///
/// let from_file = Token::new("xxxxyyyy\r\n");
/// assert_eq!(sign(&from_file, "1669872112"), sign(&Token::new("xxxxyyyy"), "1669872112"));
/// assert_ne!(sign(&Token::exact(" xxxxyyyy"), "1669872112"), sign(&from_file, "1669872112"));
/// assert!(Token::new(" \n").is_empty());
/// ```
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// The token, as configured with Tencent, without the whitespace around it (see
    /// [Whitespace](Token#whitespace)).
    pub fn new(token: impl Into<String>) -> Self {
        let token = token.into();
        let trimmed = token.trim();
        if trimmed.len() == token.len() {
            Self(token)
        } else {
            Self(trimmed.to_owned())
        }
    }

    /// The token exactly as given, whitespace around it included (see
    /// [Whitespace](Token#whitespace)).
    pub fn exact(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// Whether the token is the empty string (refused by [`crate::Receiver::new`]).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// The `Sign` Tencent sends with `request_time`: SHA-256 of the token immediately followed by
/// `request_time` (no separator), as 64 lowercase hexadecimal digits.
///
/// ```
/// use trtc_live_receiver::{sign, Token};
///
/// // Tencent's worked example.
/// assert_eq!(
///     sign(&Token::new("xxxxyyyy"), "1669872112"),
///     "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
/// );
/// ```
pub fn sign(token: &Token, request_time: &str) -> String {
    let digest = Sha256::new()
        .chain_update(token.0.as_bytes())
        .chain_update(request_time.as_bytes())
        .finalize();
    hex::encode(digest)
}

/// Whether `received` is the signature of `request_time` with `token`.
///
/// Case rule: the hexadecimal digits are compared without regard to case (`A` equals `a`).
/// Tencent's example is lowercase and its pages say nothing about case; a hexadecimal digit's
/// case carries no information, so refusing uppercase would only risk refusing genuine
/// deliveries. The comparison of the digits is constant-time ([`subtle`]): how long it takes
/// does not depend on how many leading digits are right. Only the length of `received`, which
/// the sender already knows, may change the time taken.
pub(crate) fn signature_matches(token: &Token, request_time: &str, received: &str) -> bool {
    let expected = sign(token, request_time);
    let received = received.to_ascii_lowercase();
    expected.as_bytes().ct_eq(received.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "xxxxyyyy";
    const REQUEST_TIME: &str = "1669872112";
    const SIGN: &str = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";

    #[test]
    fn documented_vector() {
        assert_eq!(sign(&Token::new(TOKEN), REQUEST_TIME), SIGN);
    }

    #[test]
    fn signature_is_64_lowercase_hex_digits() {
        let signature = sign(&Token::new("another token"), "1700000000");
        assert_eq!(signature.len(), 64);
        assert!(signature
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_ne!(signature, SIGN);
    }

    #[test]
    fn the_right_signature_matches_in_either_case() {
        let token = Token::new(TOKEN);
        assert!(signature_matches(&token, REQUEST_TIME, SIGN));
        assert!(signature_matches(
            &token,
            REQUEST_TIME,
            &SIGN.to_ascii_uppercase()
        ));
    }

    #[test]
    fn anything_else_does_not_match() {
        let token = Token::new(TOKEN);
        let mut last_digit_changed = SIGN.to_owned();
        last_digit_changed.replace_range(63.., "0");
        let cases = [
            "",
            &SIGN[..63],
            &format!("{SIGN}0"),
            &format!("{SIGN} "),
            &last_digit_changed,
            &"g".repeat(64),
            &"0".repeat(64),
            &format!(" {}", &SIGN[1..]),
            "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d48406\u{e9}",
        ];
        for received in cases {
            assert!(
                !signature_matches(&token, REQUEST_TIME, received),
                "{received:?}"
            );
        }
        // The right signature for another time or another token.
        assert!(!signature_matches(&token, "1669872113", SIGN));
        assert!(!signature_matches(
            &Token::new("xxxxyyyz"),
            REQUEST_TIME,
            SIGN
        ));
    }

    #[test]
    fn whitespace_around_the_token_is_removed_inside_kept() {
        let expected = sign(&Token::new(TOKEN), REQUEST_TIME);
        for text in [
            "xxxxyyyy\n",
            "xxxxyyyy\r\n",
            "  xxxxyyyy \t\n\n",
            "\u{feff}xxxxyyyy",
            "xxxxyyyy\u{a0}",
        ] {
            // A byte order mark is not white space: it stays, and the signature differs.
            let same = !text.starts_with('\u{feff}');
            assert_eq!(
                sign(&Token::new(text), REQUEST_TIME) == expected,
                same,
                "{text:?}"
            );
        }
        assert_eq!(sign(&Token::new("xxxxyyyy\u{a0}"), REQUEST_TIME), expected);
        assert_ne!(sign(&Token::new("xxxx yyyy"), REQUEST_TIME), expected);
        assert_ne!(sign(&Token::exact("xxxxyyyy\n"), REQUEST_TIME), expected);
        assert_eq!(sign(&Token::exact(TOKEN), REQUEST_TIME), expected);
        assert!(Token::new("\r\n").is_empty());
        assert!(!Token::exact("\r\n").is_empty());
    }

    #[test]
    fn debug_never_shows_the_token() {
        let token = Token::new(TOKEN);
        assert_eq!(format!("{token:?}"), "Token(***)");
        assert_eq!(format!("{:?}", Some(token.clone())), "Some(Token(***))");
        assert_eq!(format!("{token:#?}"), "Token(***)");
    }
}

//! JSON text put on one line: the whitespace between its tokens removed, every token (strings,
//! numbers as written) kept byte for byte.

/// `text` without the whitespace outside its strings.
pub fn on_one_line(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for &byte in text {
        if in_string {
            out.push(byte);
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if !matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
            in_string = byte == b'"';
            out.push(byte);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_goes_tokens_stay() {
        let text = b"{\n  \"a b\": [1e2, 144115245442327522],\n  \"c\": \"\\\" x\\n\"\r\n}";
        assert_eq!(
            on_one_line(text),
            b"{\"a b\":[1e2,144115245442327522],\"c\":\"\\\" x\\n\"}"
        );
    }
}

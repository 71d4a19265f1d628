//! What every report must satisfy, whatever the input: shared by the targets.

use trtc_live_validate::{locate, Rejection, Span, SyntaxError};

/// Line and column (from 1, in bytes) of byte `offset` of `text`, computed here independently
/// of the validator's own function.
fn line_and_column(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

/// A span lies in `text`, its line and column are those of its start, and it is where the
/// locator puts the value at `pointer`.
fn assert_span(text: &[u8], pointer: &str, span: &Span) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "span {span:?} of {pointer:?} is outside the {} bytes of the text",
        text.len()
    );
    assert_eq!(
        (span.line, span.column),
        line_and_column(text, span.start),
        "line and column of the span of {pointer:?}"
    );
    assert_eq!(
        locate(text, pointer).as_ref(),
        Some(span),
        "the locator and the report disagree on {pointer:?}"
    );
}

/// A syntax error's line exists in `text` and its column is at most one past that line's end
/// (0 right after a line break, as serde_json reports the end of input there).
pub(crate) fn assert_syntax_error_in(text: &[u8], error: &SyntaxError) {
    let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    assert!(
        (1..=lines.len()).contains(&error.line),
        "syntax error on line {} of a {}-line text: {error}",
        error.line,
        lines.len()
    );
    let length = lines[error.line - 1].len();
    assert!(
        error.column <= length + 1,
        "syntax error at column {} of a {length}-byte line: {error}",
        error.column
    );
    assert!(
        !error.message.is_empty(),
        "a syntax error without a message"
    );
}

/// Everything a rejection of `text` renders is consistent: spans lie in the text where the
/// locator puts their pointer, syntax errors lie in the text, and the report renders as text
/// and as JSON.
pub(crate) fn assert_report_of(text: &[u8], rejection: &Rejection) {
    match rejection {
        Rejection::Syntax(error) => assert_syntax_error_in(text, error),
        Rejection::UnknownCommand(_) => {}
        Rejection::Schema { violations, .. } => {
            assert!(
                !violations.is_empty(),
                "a schema rejection without violations"
            );
            for violation in violations {
                assert!(
                    violation.instance_path.is_empty() || violation.instance_path.starts_with('/'),
                    "not a JSON pointer: {:?}",
                    violation.instance_path
                );
                if let Some(span) = &violation.span {
                    assert_span(text, &violation.instance_path, span);
                }
            }
        }
        Rejection::Decode {
            instance_path,
            span,
            ..
        } => {
            if let Some(span) = span {
                assert_span(text, instance_path, span);
            }
        }
    }
    assert!(!rejection.to_string().is_empty());
    let issues = rejection.issues();
    assert!(
        !issues.is_empty(),
        "a rejection without issues: {rejection}"
    );
    serde_json::to_string(&issues).expect("issues serialize");
}

/// The rejection as a packet validated as a value gets it: without the source positions of
/// its values, and with every number of its messages read as the double it denotes (given as
/// text, a message prints a number as the text writes it, `18446744073709551616` or `-0`;
/// given as a value, as the double the value holds, `1.8446744073709552e+19` or `-0.0`).
pub(crate) fn as_from_a_value(mut rejection: Rejection) -> Rejection {
    match &mut rejection {
        Rejection::Schema { violations, .. } => {
            for violation in violations {
                violation.span = None;
                violation.message = numbers_as_doubles(&violation.message);
            }
        }
        Rejection::Decode { span, message, .. } => {
            *span = None;
            *message = numbers_as_doubles(message);
        }
        Rejection::Syntax(_) | Rejection::UnknownCommand(_) => {}
    }
    rejection
}

/// `message` with every number (`-?digits[.digits][e[+-]digits]`) replaced by the double it
/// denotes, printed by Rust's `{:?}`: two spellings of one double become the same text.
fn numbers_as_doubles(message: &str) -> String {
    let bytes = message.as_bytes();
    let mut out = String::with_capacity(message.len());
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        let mut end = at + usize::from(bytes[at] == b'-');
        let digits = |from: usize| {
            from + bytes[from..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let integer_end = digits(end);
        if integer_end == end {
            let next = start + message[start..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&message[start..next]);
            at = next;
            continue;
        }
        end = integer_end;
        if bytes.get(end) == Some(&b'.') && digits(end + 1) > end + 1 {
            end = digits(end + 1);
        }
        if matches!(bytes.get(end), Some(b'e' | b'E')) {
            let sign = end + 1 + usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
            if digits(sign) > sign {
                end = digits(sign);
            }
        }
        match message[start..end].parse::<f64>() {
            Ok(double) => out.push_str(&format!("{double:?}")),
            Err(_) => out.push_str(&message[start..end]),
        }
        at = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::numbers_as_doubles;

    #[test]
    fn two_spellings_of_one_double_read_alike() {
        for (written, held) in [
            (
                "18446744073709551616 is greater",
                "1.8446744073709552e+19 is greater",
            ),
            (
                "-9223372036854775809 is less",
                "-9.223372036854776e+18 is less",
            ),
            (
                "floating point `-0`, expected",
                "floating point `-0.0`, expected",
            ),
            ("[1e2,{\"a\":2.50}] is not", "[100.0,{\"a\":2.5}] is not"),
            ("`1e-400`", "`0.0`"),
        ] {
            assert_eq!(numbers_as_doubles(written), numbers_as_doubles(held));
        }
        assert_ne!(numbers_as_doubles("1 is"), numbers_as_doubles("2 is"));
        assert_eq!(numbers_as_doubles("\"pk-3\" é"), "\"pk-3.0\" é");
    }
}

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

/// The rejection without the source positions of its values (a packet validated as a value
/// has none).
pub(crate) fn without_spans(mut rejection: Rejection) -> Rejection {
    match &mut rejection {
        Rejection::Schema { violations, .. } => {
            for violation in violations {
                violation.span = None;
            }
        }
        Rejection::Decode { span, .. } => *span = None,
        Rejection::Syntax(_) | Rejection::UnknownCommand(_) => {}
    }
    rejection
}

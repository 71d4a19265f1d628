//! Where a JSON pointer's value stands in the source text: line, column and byte span.
//!
//! Used on rejected packets only, so that a schema violation says where it is in the file as
//! well as by pointer. Plain JSON is walked in place, skipping what is not on the pointer's
//! way, without building anything; text with comments (documentation samples) is walked the
//! same way once its comments are replaced by spaces, as the comment-stripping loader
//! replaces them (every byte keeps its offset), so that what the loader reads is what is
//! located.

use std::cell::OnceCell;

use serde::Serialize;

/// The position of a value in the source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Line of the value's first character, from 1.
    pub line: usize,
    /// Column of the value's first character, from 1, counted in bytes.
    pub column: usize,
    /// Byte offset of the value's first character.
    pub start: usize,
    /// Byte offset just after the value's last character.
    pub end: usize,
}

/// Where the value at `pointer` (RFC 6901) stands in `text`, a packet as JSON or JSON with
/// comments: `None` when the text cannot be read or has no value there.
///
/// ```
/// let text = b"{\n  \"EndTime\": 1739956145 // seconds\n}";
/// let span = trtc_live_validate::locate(text, "/EndTime").unwrap();
/// assert_eq!((span.line, span.column), (2, 14));
/// assert_eq!(&text[span.start..span.end], b"1739956145");
/// ```
pub fn locate(text: &[u8], pointer: &str) -> Option<Span> {
    Source::new(text).locate(pointer)
}

/// The source text of a packet, ready to locate values in.
pub(crate) struct Source<'a> {
    bytes: &'a [u8],
    /// The text with its comments replaced by spaces, made the first time plain JSON reading
    /// fails.
    without_comments: OnceCell<Option<Vec<u8>>>,
}

impl<'a> Source<'a> {
    /// Wraps `bytes`; nothing can be located if they are not UTF-8 JSON (with comments).
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            without_comments: OnceCell::new(),
        }
    }

    /// The span of the value at `pointer` (RFC 6901), if it is in the text. Of a member given
    /// twice, the last one is located, as serde_json keeps the last.
    pub(crate) fn locate(&self, pointer: &str) -> Option<Span> {
        let tokens: Vec<String> = if pointer.is_empty() {
            Vec::new()
        } else {
            pointer
                .strip_prefix('/')?
                .split('/')
                .map(|token| token.replace("~1", "/").replace("~0", "~"))
                .collect()
        };
        let range = match plain::find(self.bytes, &tokens) {
            Ok(found) => found?,
            Err(plain::NotPlainJson) => self.range_without_comments(&tokens)?,
        };
        let (line, column) = line_and_column(self.bytes, range.start);
        Some(Span {
            line,
            column,
            start: range.start,
            end: range.end,
        })
    }

    /// The byte range of the value at the path of `tokens` in the text without its comments.
    /// Found by fuzzing (fuzz/regressions/jsonc/): jsonc-parser, which located values here
    /// before, ends a `//` comment at a lone carriage return where the loader ends it at a line
    /// feed, so values of a text the loader read could not be located.
    fn range_without_comments(&self, tokens: &[String]) -> Option<std::ops::Range<usize>> {
        plain::find(self.without_comments()?, tokens).ok()?
    }

    /// The text as given.
    pub(crate) fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The text with its comments replaced by spaces (every byte at its offset), as the
    /// comment-stripping loader reads it; `None` when it cannot be read so.
    pub(crate) fn without_comments(&self) -> Option<&[u8]> {
        self.without_comments
            .get_or_init(|| crate::jsonc::strip_comments(self.bytes).ok())
            .as_deref()
    }
}

/// Locating in plain JSON by walking its bytes.
pub(crate) mod plain {
    use std::ops::Range;

    /// The text is not plain JSON (comments, say), or not well formed.
    pub(crate) struct NotPlainJson;

    /// The byte range of the value at the path of `tokens` in `text`: `Ok(None)` when there is
    /// no value there.
    pub(super) fn find(
        text: &[u8],
        tokens: &[String],
    ) -> Result<Option<Range<usize>>, NotPlainJson> {
        let mut at = skip_whitespace(text, 0);
        for token in tokens {
            at = match text.get(at) {
                Some(b'{') => match member(text, at, token)? {
                    Some(value) => value,
                    None => return Ok(None),
                },
                Some(b'[') => match element(text, at, token)? {
                    Some(value) => value,
                    None => return Ok(None),
                },
                Some(_) => {
                    skip_value(text, at)?;
                    return Ok(None);
                }
                None => return Err(NotPlainJson),
            };
        }
        let end = skip_value(text, at)?;
        Ok(Some(at..end))
    }

    /// Where the value of the last member named `name` starts, in the object at `at`.
    fn member(text: &[u8], at: usize, name: &str) -> Result<Option<usize>, NotPlainJson> {
        let mut found = None;
        let mut at = skip_whitespace(text, at + 1);
        if text.get(at) == Some(&b'}') {
            return Ok(None);
        }
        loop {
            let key_end = skip_string(text, at)?;
            let is_name = key_is(&text[at..key_end], name)?;
            at = skip_whitespace(text, key_end);
            if text.get(at) != Some(&b':') {
                return Err(NotPlainJson);
            }
            let value = skip_whitespace(text, at + 1);
            if is_name {
                found = Some(value);
            }
            at = skip_whitespace(text, skip_value(text, value)?);
            match text.get(at) {
                Some(b',') => at = skip_whitespace(text, at + 1),
                Some(b'}') => return Ok(found),
                _ => return Err(NotPlainJson),
            }
        }
    }

    /// Where element `index` starts, in the array at `at`.
    fn element(text: &[u8], at: usize, index: &str) -> Result<Option<usize>, NotPlainJson> {
        let Ok(index) = index.parse::<usize>() else {
            return Ok(None);
        };
        let mut at = skip_whitespace(text, at + 1);
        if text.get(at) == Some(&b']') {
            return Ok(None);
        }
        for _ in 0..index {
            at = skip_whitespace(text, skip_value(text, at)?);
            match text.get(at) {
                Some(b',') => at = skip_whitespace(text, at + 1),
                Some(b']') => return Ok(None),
                _ => return Err(NotPlainJson),
            }
        }
        Ok(Some(at))
    }

    /// Whether the string literal `literal` (quotes included) says `name`.
    fn key_is(literal: &[u8], name: &str) -> Result<bool, NotPlainJson> {
        let inner = &literal[1..literal.len() - 1];
        if !inner.contains(&b'\\') {
            return Ok(inner == name.as_bytes());
        }
        let decoded: String = serde_json::from_slice(literal).map_err(|_| NotPlainJson)?;
        Ok(decoded == name)
    }

    /// The end of the value starting at `at`.
    pub(crate) fn skip_value(text: &[u8], at: usize) -> Result<usize, NotPlainJson> {
        match text.get(at) {
            Some(b'"') => skip_string(text, at),
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                let mut at = at;
                loop {
                    match text.get(at) {
                        Some(b'"') => {
                            at = skip_string(text, at)?;
                            continue;
                        }
                        Some(b'{' | b'[') => depth += 1,
                        Some(b'}' | b']') => {
                            depth -= 1;
                            if depth == 0 {
                                return Ok(at + 1);
                            }
                        }
                        Some(b'/') | None => return Err(NotPlainJson),
                        Some(_) => {}
                    }
                    at += 1;
                }
            }
            Some(b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
                let end = text[at..]
                    .iter()
                    .position(
                        |b| !matches!(b, b'-' | b'+' | b'.' | b'0'..=b'9' | b'a'..=b'z' | b'E'),
                    )
                    .map_or(text.len(), |length| at + length);
                Ok(end)
            }
            _ => Err(NotPlainJson),
        }
    }

    /// The end of the string literal starting at `at` (just after its closing quote).
    pub(crate) fn skip_string(text: &[u8], at: usize) -> Result<usize, NotPlainJson> {
        if text.get(at) != Some(&b'"') {
            return Err(NotPlainJson);
        }
        let mut at = at + 1;
        loop {
            let next = memchr::memchr2(b'"', b'\\', text.get(at..).ok_or(NotPlainJson)?)
                .ok_or(NotPlainJson)?;
            at += next;
            if text[at] == b'"' {
                return Ok(at + 1);
            }
            at += 2;
        }
    }

    pub(crate) fn skip_whitespace(text: &[u8], at: usize) -> usize {
        let rest = text.get(at..).unwrap_or_default();
        at + rest
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .unwrap_or(rest.len())
    }
}

/// Line and column (both from 1, the column in bytes) of byte `offset` of `text`.
pub(crate) fn line_and_column(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    (line, before.len() - line_start + 1)
}

#[cfg(test)]
mod tests {
    use super::{locate, Source};

    #[test]
    fn values_are_located_through_objects_arrays_and_comments() {
        let text = b"{\n  \"a\": 1, // one\n  \"b\": [true, {\"c~/\": \"x\"}]\n}";
        let source = Source::new(text);
        let root = source.locate("").unwrap();
        assert_eq!(
            (root.line, root.column, root.start, root.end),
            (1, 1, 0, text.len())
        );
        let a = source.locate("/a").unwrap();
        assert_eq!((a.line, a.column, &text[a.start..a.end]), (2, 8, &b"1"[..]));
        let c = source.locate("/b/1/c~0~1").unwrap();
        assert_eq!(
            (c.line, c.column, &text[c.start..c.end]),
            (3, 23, &b"\"x\""[..])
        );
        assert_eq!(source.locate("/b/2"), None);
        assert_eq!(source.locate("/missing"), None);
    }

    #[test]
    fn locate_finds_nested_values_and_nothing_in_unreadable_text() {
        let text = b"{\"RoomInfo\": {\"CreateTime\": 10}}";
        let span = locate(text, "/RoomInfo/CreateTime").unwrap();
        assert_eq!(
            (span.line, span.column, span.start, span.end),
            (1, 29, 28, 30)
        );
        assert_eq!(locate(text, "RoomInfo"), None);
        assert_eq!(locate(b"{\"a\": ", "/a"), None);
        assert_eq!(locate(b"\xff", ""), None);
    }

    #[test]
    fn every_located_value_is_the_value_at_its_pointer() {
        let text =
            br#" { "a" : [ 1, -2.5e3 , {"b\u0022c": "x\"y", "d": null} ], "e": {}, "a~/b": true,
            "f": [], "g": "\\", "a": [false, {"h": [[0]]}] } "#;
        let pointers = [
            "",
            "/a",
            "/a/0",
            "/a/1",
            "/a/1/h",
            "/a/1/h/0/0",
            "/a/2",
            "/e",
            "/e/x",
            "/a~0~1b",
            "/f",
            "/f/0",
            "/g",
            "/missing",
            "/a/x",
            "/g/0",
        ];
        for pointer in pointers {
            let tokens: Vec<String> = pointer
                .split('/')
                .skip(1)
                .map(|token| token.replace("~1", "/").replace("~0", "~"))
                .collect();
            let expected = crate::parse_json(text).unwrap().pointer(pointer).cloned();
            let located = super::plain::find(text, &tokens).ok().flatten();
            let found = located
                .clone()
                .map(|range| crate::parse_json(&text[range]).unwrap());
            assert_eq!(found, expected, "{pointer}");
            let commented = [&text[..], b" // a comment\r that goes on\n"].concat();
            assert_eq!(
                Source::new(&commented)
                    .locate(pointer)
                    .map(|s| s.start..s.end),
                located,
                "{pointer}"
            );
        }
        let escaped = br#"{"b\u0022c": {"x": 1}, "bc": 2}"#;
        let span = locate(escaped, "/b\"c/x").unwrap();
        assert_eq!(&escaped[span.start..span.end], b"1");
    }

    #[test]
    fn the_last_of_duplicate_keys_is_located() {
        let source = Source::new(b"{\"a\": 1, \"a\": 2}");
        assert_eq!(source.locate("/a").unwrap().start, 14);
    }
}

//! Where a JSON pointer's value stands in the source text: line, column and byte span.
//!
//! Used on rejected packets only, so that a schema violation says where it is in the file as
//! well as by pointer. The text is re-read with jsonc-parser, which keeps the position of every
//! value (comments allowed, so documentation samples are located in their original text).

use jsonc_parser::ast::Value as Node;
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};
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
    text: &'a str,
    root: Option<Node<'a>>,
}

impl<'a> Source<'a> {
    /// Reads `bytes`; nothing can be located if they are not UTF-8 JSON (with comments).
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Self {
                text: "",
                root: None,
            };
        };
        let root =
            jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default())
                .ok()
                .and_then(|parsed| parsed.value);
        Self { text, root }
    }

    /// The span of the value at `pointer` (RFC 6901), if it is in the text.
    pub(crate) fn locate(&self, pointer: &str) -> Option<Span> {
        let mut node = self.root.as_ref()?;
        if !pointer.is_empty() {
            for token in pointer.strip_prefix('/')?.split('/') {
                let token = token.replace("~1", "/").replace("~0", "~");
                node = match node {
                    // The last of duplicate keys, as serde_json keeps the last.
                    Node::Object(object) => {
                        &object
                            .properties
                            .iter()
                            .rev()
                            .find(|p| p.name.as_str() == token)?
                            .value
                    }
                    Node::Array(array) => array.elements.get(token.parse::<usize>().ok()?)?,
                    _ => return None,
                };
            }
        }
        let range = node.range();
        let (line, column) = line_and_column(self.text.as_bytes(), range.start);
        Some(Span {
            line,
            column,
            start: range.start,
            end: range.end,
        })
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
    fn the_last_of_duplicate_keys_is_located() {
        let source = Source::new(b"{\"a\": 1, \"a\": 2}");
        assert_eq!(source.locate("/a").unwrap().start, 14);
    }
}

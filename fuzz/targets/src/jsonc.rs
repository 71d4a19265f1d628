//! Fuzz target `jsonc`: bytes through the comment-stripping loader (`parse_jsonc`,
//! `validate_jsonc`) and the locator.

use serde_json::Value;
use trtc_live_validate::{locate, parse_json, parse_jsonc};

use crate::consistency::{as_from_a_value, assert_report_of, assert_syntax_error_in};

/// How many values of a parsed input are located (the first ones, depth first): enough to
/// reach every level of a packet, few enough to keep an execution fast.
const LOCATED_VALUES: usize = 64;

/// Parses `data` as JSON with comments and validates it as a request packet, and asserts:
///
/// - on JSON that `parse_json` accepts, `parse_jsonc` gives the same value, and
///   `validate_jsonc` the same result as `validate`; on text without a `/`, whose stripping
///   changes nothing, `parse_jsonc` gives exactly what `parse_json` gives, errors included;
/// - every syntax error and every report lies in the text (see `consistency`), and a report is
///   the one the parsed value gets but for the spans and the spelling of numbers;
/// - every value of a parsed text is found by the locator, and the text of its span parses
///   to that value.
pub fn jsonc(data: &[u8]) {
    let validator = crate::validator::lenient();
    let with_comments = parse_jsonc(data);
    let plain = parse_json(data);
    if let Ok(value) = &plain {
        assert_eq!(
            with_comments.as_ref(),
            Ok(value),
            "JSON without comments parses differently with parse_jsonc"
        );
        assert_eq!(
            validator.validate_jsonc(data),
            validator.validate(data),
            "validate_jsonc and validate disagree on plain JSON"
        );
    } else if !data.contains(&b'/') {
        assert_eq!(
            with_comments, plain,
            "stripping no comment changed the result"
        );
    }
    match &with_comments {
        Ok(value) => located_values(data, value),
        Err(error) => assert_syntax_error_in(data, error),
    }
    if let Err(rejection) = validator.validate_jsonc(data) {
        assert_report_of(data, &rejection);
        if let Ok(value) = with_comments {
            // Read from the text (comments in values included), the report is the value's but
            // for where the values stand and how the numbers are spelt.
            let from_value = validator.validate_value(value);
            assert_eq!(
                Err(as_from_a_value(rejection)),
                from_value.map_err(as_from_a_value),
                "validate_jsonc and validate_value disagree"
            );
        }
    }
}

/// The first [`LOCATED_VALUES`] values of `root` are located in `text`, and each span's text
/// parses back to the value.
fn located_values(text: &[u8], root: &Value) {
    let mut pending = vec![(String::new(), root)];
    let mut located = 0;
    while let Some((pointer, value)) = pending.pop() {
        let span = locate(text, &pointer)
            .unwrap_or_else(|| panic!("the value at {pointer:?} of a parsed text is not found"));
        let found = parse_jsonc(&text[span.start..span.end]);
        assert_eq!(
            found.as_ref(),
            Ok(value),
            "the span {span:?} of {pointer:?} holds {:?}",
            String::from_utf8_lossy(&text[span.start..span.end])
        );
        located += 1;
        if located == LOCATED_VALUES {
            return;
        }
        match value {
            Value::Object(members) => pending.extend(members.iter().rev().map(|(name, member)| {
                let token = name.replace('~', "~0").replace('/', "~1");
                (format!("{pointer}/{token}"), member)
            })),
            Value::Array(elements) => pending.extend(
                elements
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(index, element)| (format!("{pointer}/{index}"), element)),
            ),
            _ => {}
        }
    }
}

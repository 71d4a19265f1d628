//! Numbers in messages as the packet writes them.
//!
//! serde_json reads a number that is not an integer of 64 bits (`18446744073709551616`, `-0`,
//! `1e2`, `0.1000000000000000055511151231257827`) into an `f64`, and the jsonschema crate's
//! messages print the offending value from there: `1.8446744073709552e+19 is greater than the
//! maximum of 18446744073709551615`. When the packet was given as text, the value in such a
//! message is printed again from the text, every number as it is written there, so that no
//! report shows a number the packet does not hold. Values without such a number are left as
//! the message has them.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use crate::locate::plain::{skip_string, skip_value, skip_whitespace};
use crate::locate::{Source, Span};

/// Stands for the offending value in the message template (see
/// [`jsonschema::ValidationError::masked_with`]); it cannot come from a schema of ours.
const PLACEHOLDER: &str = "\u{E000}value\u{E000}";

/// `error`'s message with the offending value printed from `source`, where it stands at
/// `span`: `None` when the value holds no number read as a float (the message is exact), or
/// when the value is not where the message expects it.
pub(crate) fn schema_message(
    error: &jsonschema::ValidationError<'_>,
    source: &Source<'_>,
    span: Span,
) -> Option<String> {
    let instance: &Value = error.instance();
    if !holds_float(instance) {
        return None;
    }
    let template = error.masked_with(PLACEHOLDER).to_string();
    let (before, after) = template.split_once(PLACEHOLDER)?;
    // The template must be the message with the value taken out, once: some kinds of message
    // print parts of the value otherwise, and those are left as they are.
    let printed = instance.to_string();
    let message = error.to_string();
    if after.contains(PLACEHOLDER) || message != format!("{before}{printed}{after}") {
        return None;
    }
    Some(format!(
        "{before}{}{after}",
        as_written(instance, source, span)?
    ))
}

/// A decoder's `message` about the number at `span` (`invalid type: floating point `-0.0`,
/// expected u64`) with the number as `source` writes it (`-0`): `None` when the message
/// quotes no floating point number or the value there is not a number.
pub(crate) fn decode_message(message: &str, source: &Source<'_>, span: Span) -> Option<String> {
    const FLOAT: &str = "floating point `";
    let written = source.bytes().get(span.start..span.end)?;
    if !matches!(written.first(), Some(b'-' | b'0'..=b'9')) {
        return None;
    }
    let start = message.find(FLOAT)? + FLOAT.len();
    let end = start + message[start..].find('`')?;
    let written = std::str::from_utf8(written).ok()?;
    Some(format!("{}{written}{}", &message[..start], &message[end..]))
}

/// `value`, which stands at `span` in `source` (when both are known), printed as serde_json
/// prints it but every number read as a float copied from the text: for messages of our own
/// that quote the value.
pub(crate) fn value(value: &Value, source: Option<&Source<'_>>, span: Option<Span>) -> String {
    source
        .zip(span)
        .filter(|_| holds_float(value))
        .and_then(|(source, span)| as_written(value, source, span))
        .unwrap_or_else(|| value.to_string())
}

/// Whether `value` holds a number serde_json read as a float.
fn holds_float(value: &Value) -> bool {
    match value {
        Value::Number(number) => number.is_f64(),
        Value::Array(items) => items.iter().any(holds_float),
        Value::Object(members) => members.values().any(holds_float),
        Value::String(_) | Value::Bool(_) | Value::Null => false,
    }
}

/// `value` printed as serde_json prints it (compact, a member given twice printed once, with
/// its last value), but every number copied from `source`, where `value` starts at `span`.
fn as_written(value: &Value, source: &Source<'_>, span: Span) -> Option<String> {
    let mut out = String::new();
    if write(value, source.bytes(), span.start, &mut out).is_some() {
        return Some(out);
    }
    // Comments in the value (a documentation sample): the text without them.
    out.clear();
    write(value, source.without_comments()?, span.start, &mut out)?;
    Some(out)
}

/// Writes `value`, which starts at byte `at` of `text` (plain JSON), to `out`; `None` when the
/// text is not what `value` was read from.
fn write(value: &Value, text: &[u8], at: usize, out: &mut String) -> Option<()> {
    match value {
        Value::Number(_) => {
            let end = skip_value(text, at).ok()?;
            out.push_str(std::str::from_utf8(text.get(at..end)?).ok()?);
        }
        Value::Array(items) => {
            if text.get(at) != Some(&b'[') {
                return None;
            }
            out.push('[');
            let mut at = skip_whitespace(text, at + 1);
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write(item, text, at, out)?;
                at = skip_whitespace(text, skip_value(text, at).ok()?);
                match text.get(at) {
                    Some(b',') => at = skip_whitespace(text, at + 1),
                    Some(b']') => {}
                    _ => return None,
                }
            }
            out.push(']');
        }
        Value::Object(members) => {
            let starts = member_starts(text, at)?;
            out.push('{');
            for (index, (name, member)) in members.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(name.as_str()).to_string());
                out.push(':');
                write(member, text, *starts.get(name.as_str())?, out)?;
            }
            out.push('}');
        }
        Value::String(_) | Value::Bool(_) | Value::Null => out.push_str(&value.to_string()),
    }
    Some(())
}

/// Where the value of each member of the object at `at` starts: of a member given twice, the
/// last (serde_json keeps the last value). `None` unless the whole object is plain JSON (a
/// comment between members would hide the members after it).
fn member_starts(text: &[u8], at: usize) -> Option<HashMap<Cow<'_, str>, usize>> {
    if text.get(at) != Some(&b'{') {
        return None;
    }
    let mut starts = HashMap::new();
    let mut at = skip_whitespace(text, at + 1);
    if text.get(at) == Some(&b'}') {
        return Some(starts);
    }
    loop {
        let key_end = skip_string(text, at).ok()?;
        let name = name(text.get(at..key_end)?)?;
        at = skip_whitespace(text, key_end);
        if text.get(at) != Some(&b':') {
            return None;
        }
        let value = skip_whitespace(text, at + 1);
        starts.insert(name, value);
        at = skip_whitespace(text, skip_value(text, value).ok()?);
        match text.get(at) {
            Some(b',') => at = skip_whitespace(text, at + 1),
            Some(b'}') => return Some(starts),
            _ => return None,
        }
    }
}

/// The name a string literal (quotes included) says.
fn name(literal: &[u8]) -> Option<Cow<'_, str>> {
    let inner = literal.get(1..literal.len().checked_sub(1)?)?;
    if inner.contains(&b'\\') {
        serde_json::from_slice::<String>(literal)
            .ok()
            .map(Cow::Owned)
    } else {
        std::str::from_utf8(inner).ok().map(Cow::Borrowed)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use crate::{Command, Rejection, Validator};

    static VALIDATOR: LazyLock<Validator> = LazyLock::new(|| Validator::new().unwrap());

    /// A valid gift packet; its `RoomId` (a string) and its `Count` (a u64) are replaced.
    const GIFT: &str = r#"{"CallbackCommand": "Live.CallbackBeforeSendGift", "Operator_Account": "brennanli", "RoomId": "room_id", "GiftWater": {"From_Account": "from", "To_Account": ["to1"], "Time": 1703589922, "GiftId": "gift1", "Count": 1, "Coins": 1000}}"#;

    /// The message of the first problem of `text`, read as JSON with comments when `jsonc`.
    fn first_message(text: &str, jsonc: bool) -> String {
        let rejection = if jsonc {
            VALIDATOR.validate_jsonc(text.as_bytes())
        } else {
            VALIDATOR.validate(text.as_bytes())
        }
        .unwrap_err();
        rejection.issues()[0].message.clone()
    }

    fn room_id(value: &str) -> String {
        GIFT.replace("\"room_id\"", value)
    }

    /// `written` as the `RoomId` (a string) is reported with the value `printed`.
    #[track_caller]
    fn assert_room_id_printed(written: &str, printed: &str, jsonc: bool) {
        assert_eq!(
            first_message(&room_id(written), jsonc),
            format!("{printed} is not of type \"string\""),
            "{written}"
        );
    }

    #[test]
    fn numbers_read_as_floats_are_printed_as_the_packet_writes_them() {
        [
            ("18446744073709551616", "18446744073709551616"),
            ("-9223372036854775809", "-9223372036854775809"),
            ("-0", "-0"),
            ("-0.0", "-0.0"),
            ("1E+2", "1E+2"),
            ("2.50", "2.50"),
            (
                "0.1000000000000000055511151231257827",
                "0.1000000000000000055511151231257827",
            ),
            // In arrays and objects, printed compactly as serde_json prints them, a member given
            // twice once, with its last value, at its first place.
            ("[1, 2.50, \"x\", {\"a\": -0}]", "[1,2.50,\"x\",{\"a\":-0}]"),
            (
                "{\"b\": [1e2], \"a\\u0022\": 7,\n \"b\": [\n 1.0e2 ]}",
                "{\"b\":[1.0e2],\"a\\\"\":7}",
            ),
        ]
        .into_iter()
        .for_each(|(written, printed)| assert_room_id_printed(written, printed, false));
        // At a bound: the value as written, the bound from the schema.
        assert_eq!(
            first_message(
                &GIFT.replace("\"Count\": 1", "\"Count\": 18446744073709551616"),
                false
            ),
            "18446744073709551616 is greater than the maximum of 9007199254740991"
        );
        assert_eq!(
            first_message(
                &GIFT.replace("\"Count\": 1", "\"Count\": 9007199254740992"),
                false
            ),
            "9007199254740992 is greater than the maximum of 9007199254740991"
        );
    }

    #[test]
    fn a_value_outside_an_open_enumeration_is_printed_as_written() {
        for written in ["9007199254740992", "18446744073709551616", "-1e2"] {
            let text = format!(
                r#"{{"CallbackCommand": "Live.CallbackAfterEndBattle", "OpType": {written}}}"#
            );
            let rejection = VALIDATOR.validate(text.as_bytes()).unwrap_err();
            let messages: Vec<String> = rejection
                .issues()
                .into_iter()
                .filter(|issue| issue.instance_path == "/OpType")
                .map(|issue| issue.message)
                .collect();
            assert_eq!(
                messages,
                [format!(
                    "{written} is not a BattleEndReason: an integer from 0 to \
                     9007199254740991 (known: 0, 1, 2; another is accepted with a warning)"
                )],
                "{written}"
            );
        }
    }

    #[test]
    fn comments_inside_the_value_are_left_out() {
        [
            ("[1.50, // a comment\n /* another */ 2]", "[1.50,2]"),
            // A comment before a member given twice: its last value, not the one before.
            ("{\"a\": 1.5, /* x */ \"a\": 2.50}", "{\"a\":2.50}"),
            ("[1.5 /* , 9 */, 2.50]", "[1.5,2.50]"),
        ]
        .into_iter()
        .for_each(|(written, printed)| assert_room_id_printed(written, printed, true));
    }

    #[test]
    fn values_without_a_float_keep_the_message_as_it_is() {
        [
            ("18446744073709551615", "18446744073709551615"),
            ("-9223372036854775808", "-9223372036854775808"),
            ("[1,   \"\\u0041\"]", "[1,\"A\"]"),
        ]
        .into_iter()
        .for_each(|(written, printed)| assert_room_id_printed(written, printed, false));
    }

    #[test]
    fn a_packet_given_as_a_value_has_no_text_to_print_from() {
        let value = crate::parse_json(room_id("18446744073709551616").as_bytes()).unwrap();
        let Err(Rejection::Schema { violations, .. }) = VALIDATOR.validate_value(value) else {
            panic!("a schema violation")
        };
        assert_eq!(
            violations[0].message,
            "1.8446744073709552e+19 is not of type \"string\""
        );
    }

    #[test]
    fn a_number_the_typed_model_refuses_is_quoted_as_written() {
        for written in ["-0", "1e2", "30000.0", "1.00000000000000000001"] {
            let text = GIFT.replace("\"Count\": 1", &format!("\"Count\": {written}"));
            assert_eq!(
                first_message(&text, false),
                format!("invalid type: floating point `{written}`, expected u64")
            );
        }
        let response = br#"{"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": -0}"#;
        let rejection = VALIDATOR
            .validate_response(Command::LiveCallbackBeforeSendGift, response)
            .unwrap_err();
        assert_eq!(
            rejection.issues()[0].message,
            "invalid type: floating point `-0`, expected i64"
        );
    }
}

//! `--set POINTER=JSON`: one member of a packet replaced (or added) in its text, every other
//! byte left as it is, so that numbers stay exactly as written (a 64-bit account id is never
//! read into a float and written back).

use trtc_live_validate::{locate, parse_json};

/// One `--set`: a JSON pointer (RFC 6901) and the JSON text of the value to put there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// Where: `""` for the whole packet, `/GiftWater/Coins`, `/ToRoomList/0/Score`, or a new
    /// member of an existing object (`/Added`), or `/Array/-` for a new last element.
    pub pointer: String,
    /// What: JSON text, inserted as written (`100`, `"text"`, `{"a": 1}`,
    /// `144115245442327522`).
    pub value: String,
}

impl std::str::FromStr for Assignment {
    type Err = String;

    /// `POINTER=JSON`; the first `=` ends the pointer.
    fn from_str(text: &str) -> Result<Self, String> {
        let (pointer, value) = text.split_once('=').ok_or_else(|| {
            "expected POINTER=JSON, such as /GiftWater/Coins=100 or /RoomId='\"room-1\"'".to_owned()
        })?;
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(format!(
                "{pointer:?} is not a JSON pointer: it starts with `/` (such as /RoomId), or is \
                 empty for the whole packet"
            ));
        }
        let value = value.trim();
        parse_json(value.as_bytes()).map_err(|error| {
            format!(
                "the value of {pointer} is not JSON ({error}); a string is quoted: \
                 {pointer}='\"text\"'"
            )
        })?;
        Ok(Self {
            pointer: pointer.to_owned(),
            value: value.to_owned(),
        })
    }
}

/// `text` with `assignment` applied: the value at its pointer replaced, or, when the pointer
/// names a member its object does not have (or `-`, or the next index of an array), added.
pub fn apply(text: &[u8], assignment: &Assignment) -> Result<Vec<u8>, String> {
    let Assignment { pointer, value } = assignment;
    if pointer.is_empty() {
        return Ok(value.as_bytes().to_vec());
    }
    if let Some(span) = locate(text, pointer) {
        return Ok(splice(text, span.start..span.end, value));
    }
    let (parent_pointer, token) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let name = token.replace("~1", "/").replace("~0", "~");
    let parent = locate(text, parent_pointer).ok_or_else(|| {
        format!(
            "cannot set {pointer}: the packet has no value at {}",
            if parent_pointer.is_empty() {
                "its root (it is not JSON)"
            } else {
                parent_pointer
            }
        )
    })?;
    let container = &text[parent.start..parent.end];
    let parsed = parse_json(container).map_err(|error| error.to_string())?;
    // Just before the closing bracket of the parent.
    let end = parent.end - 1;
    let insertion = match &parsed {
        serde_json::Value::Object(members) => {
            let name = serde_json::to_string(&name).map_err(|error| error.to_string())?;
            let comma = if members.is_empty() { "" } else { "," };
            format!("{comma}{name}:{value}")
        }
        serde_json::Value::Array(items)
            if name == "-" || name.parse::<usize>() == Ok(items.len()) =>
        {
            let comma = if items.is_empty() { "" } else { "," };
            format!("{comma}{value}")
        }
        serde_json::Value::Array(items) => {
            return Err(format!(
                "cannot set {pointer}: the array at {parent_pointer} has {} elements (use \
                 {parent_pointer}/- to add one at the end)",
                items.len()
            ))
        }
        _ => {
            return Err(format!(
                "cannot set {pointer}: the value at {parent_pointer} is neither an object nor an \
                 array"
            ))
        }
    };
    Ok(splice(text, end..end, &insertion))
}

/// `text` with `range` replaced by `value`.
fn splice(text: &[u8], range: std::ops::Range<usize>, value: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + value.len());
    out.extend_from_slice(&text[..range.start]);
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(&text[range.end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str, assignment: &str) -> Result<String, String> {
        let assignment: Assignment = assignment.parse()?;
        apply(text.as_bytes(), &assignment).map(|bytes| String::from_utf8(bytes).unwrap())
    }

    const PACKET: &str = r#"{"A": 1, "B": {"C": [1, 2], "D": {}}, "Id": 144115245442327522}"#;

    #[test]
    fn a_value_is_replaced_in_place_and_every_other_byte_kept() {
        assert_eq!(
            set(PACKET, "/A=18446744073709551615").unwrap(),
            r#"{"A": 18446744073709551615, "B": {"C": [1, 2], "D": {}}, "Id": 144115245442327522}"#
        );
        assert_eq!(
            set(PACKET, "/B/C/1=\"two\"").unwrap(),
            r#"{"A": 1, "B": {"C": [1, "two"], "D": {}}, "Id": 144115245442327522}"#
        );
        assert_eq!(set(PACKET, "={}").unwrap(), "{}");
    }

    #[test]
    fn a_missing_member_or_element_is_added() {
        assert_eq!(
            set(PACKET, "/New=1.50").unwrap(),
            r#"{"A": 1, "B": {"C": [1, 2], "D": {}}, "Id": 144115245442327522,"New":1.50}"#
        );
        assert_eq!(
            set(PACKET, "/B/D/a~1b=true").unwrap(),
            r#"{"A": 1, "B": {"C": [1, 2], "D": {"a/b":true}}, "Id": 144115245442327522}"#
        );
        assert_eq!(
            set(PACKET, "/B/C/-=3").unwrap(),
            r#"{"A": 1, "B": {"C": [1, 2,3], "D": {}}, "Id": 144115245442327522}"#
        );
        assert_eq!(
            set(PACKET, "/B/C/2=3").unwrap(),
            set(PACKET, "/B/C/-=3").unwrap()
        );
    }

    #[test]
    fn what_cannot_be_set_says_why() {
        let error = set(PACKET, "/B/C/5=3").unwrap_err();
        assert!(error.contains("has 2 elements"), "{error}");
        let error = set(PACKET, "/Nope/X=1").unwrap_err();
        assert!(error.contains("no value at /Nope"), "{error}");
        let error = set(PACKET, "/A/X=1").unwrap_err();
        assert!(error.contains("neither an object nor an array"), "{error}");
        let error = set(PACKET, "/A=abc").unwrap_err();
        assert!(error.contains("is not JSON"), "{error}");
        let error = set(PACKET, "A=1").unwrap_err();
        assert!(error.contains("not a JSON pointer"), "{error}");
        let error = set(PACKET, "/A").unwrap_err();
        assert!(error.contains("POINTER=JSON"), "{error}");
    }
}

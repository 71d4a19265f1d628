//! Violations of an `anyOf`, said plainly.
//!
//! An open enumeration is an `anyOf` of its known values and the bare type (see
//! `schemas/README.md`, Open enumerations), so a value of another type fails the `anyOf`, whose
//! own message ("is not valid under any of the schemas listed in the 'anyOf' keyword") says
//! nothing useful. Such a violation is given a message naming what is accepted; when the
//! enumeration's `type` failed on the same value too, the `anyOf` violation is dropped, that
//! message saying the same.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::Value;

use crate::generated::schema_files::SCHEMA_FILES;
use crate::locate::Source;
use crate::{written, Violation};

/// The keyword location (`<$id>#/definitions/<Name>/anyOf` or `<$id>#/anyOf`) of every open
/// enumeration's `anyOf`, with what it accepts, in words.
static OPEN_ENUMS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut found = HashMap::new();
    for &(id, text) in SCHEMA_FILES {
        let Ok(document) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        let mut note = |pointer: &str, schema: &Value| {
            if schema["x-trtc-open-enum"] == true {
                found.insert(format!("{id}#{pointer}/anyOf"), accepted(schema));
            }
        };
        note("", &document);
        for (name, schema) in document["definitions"].as_object().into_iter().flatten() {
            note(&format!("/definitions/{name}"), schema);
        }
    }
    found
});

/// "a TakeSeatMode: a string (known: None, FreeToTake, ApplyToTake; another is accepted with a
/// warning)".
fn accepted(schema: &Value) -> String {
    let name = schema["title"].as_str().unwrap_or("value");
    let any = &schema["anyOf"][1];
    let kind = match (&any["minimum"], &any["maximum"]) {
        (Value::Number(min), Value::Number(max)) => format!("an integer from {min} to {max}"),
        _ => format!("a {}", any["type"].as_str().unwrap_or("value")),
    };
    let known: Vec<String> = schema["anyOf"][0]["enum"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|value| {
            value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned)
        })
        .collect();
    format!(
        "a {name}: {kind} (known: {}; another is accepted with a warning)",
        known.join(", ")
    )
}

/// Rewrites the violations of open enumerations in `violations` (of `instance`, read from
/// `source` when there is one: the value is printed as written there).
pub(crate) fn explain(
    violations: &mut Vec<Violation>,
    instance: &Value,
    source: Option<&Source<'_>>,
) {
    let open: Vec<(usize, &String)> = violations
        .iter()
        .enumerate()
        .filter_map(|(index, v)| {
            OPEN_ENUMS
                .get(&v.keyword_location)
                .map(|text| (index, text))
        })
        .collect();
    if open.is_empty() {
        return;
    }
    let mut dropped = Vec::new();
    for (index, text) in open {
        let location = &violations[index].keyword_location;
        let type_location = format!("{}/type", location.trim_end_matches("/anyOf"));
        let path = violations[index].instance_path.clone();
        let type_failed = violations
            .iter()
            .any(|v| v.instance_path == path && v.keyword_location == type_location);
        if type_failed {
            dropped.push(index);
        } else {
            let value = instance.pointer(&path).map_or_else(String::new, |value| {
                written::value(value, source, violations[index].span)
            });
            violations[index].message = format!("{value} is not {text}");
        }
    }
    for index in dropped.into_iter().rev() {
        violations.remove(index);
    }
}

#[cfg(test)]
mod tests {
    use super::OPEN_ENUMS;

    #[test]
    fn every_open_enumeration_is_found() {
        let battle = OPEN_ENUMS
            .iter()
            .find(|(location, _)| location.ends_with("#/definitions/BattleEndReason/anyOf"))
            .map(|(_, text)| text.as_str());
        assert_eq!(
            battle,
            Some(
                "a BattleEndReason: an integer from 0 to 9007199254740991 (known: 0, 1, 2; \
                 another is accepted with a warning)"
            )
        );
        assert!(OPEN_ENUMS
            .keys()
            .any(|location| location.ends_with("group-type.schema.json#/anyOf")));
        assert_eq!(OPEN_ENUMS.len(), 8);
    }
}

//! The bundled JSON Schema, embedded at build time, and lookups in it.
//!
//! `dist/trtc-live-webhooks.schema.json` is written by `cargo xtask codegen` from `schemas/`:
//! every packet, response packet and shared shape is a definition named like its Rust type, and
//! every `$ref` is a local `#/definitions/<Name>`, so one document answers every lookup.

use std::sync::LazyLock;

use serde_json::Value;
use trtc_live_types::BUNDLED_SCHEMA;

/// Prefix of the `$ref`s of the bundle.
const DEFINITIONS_PREFIX: &str = "#/definitions/";

/// Longest chain of `$ref`s followed before giving up (the bundle has chains of one).
const MAX_REF_HOPS: usize = 16;

/// The parsed bundle; `null` if the embedded text could not be parsed (a test proves it can).
static BUNDLE: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(BUNDLED_SCHEMA).unwrap_or(Value::Null));

/// Every `pattern` of the bundle.
pub(crate) fn patterns() -> Vec<&'static str> {
    fn collect(value: &'static Value, found: &mut Vec<&'static str>) {
        match value {
            Value::Object(members) => {
                if let Some(Value::String(pattern)) = members.get("pattern") {
                    found.push(pattern);
                }
                members.values().for_each(|v| collect(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    collect(&BUNDLE, &mut found);
    found
}

/// The definition `name` of the bundle.
pub(crate) fn definition(name: &str) -> Option<&'static Value> {
    BUNDLE.get("definitions")?.get(name)
}

/// The schema that a `$ref` value points to, with the name of its definition.
pub(crate) fn resolve_ref(reference: &Value) -> Option<(&'static str, &'static Value)> {
    let name = reference.as_str()?.strip_prefix(DEFINITIONS_PREFIX)?;
    let (key, schema) = BUNDLE
        .get("definitions")?
        .as_object()?
        .get_key_value(name)?;
    Some((key.as_str(), schema))
}

/// `schema` with its `$ref`s followed (draft-07: a `$ref` ignores its siblings), and the name
/// of the last definition reached. An unresolvable `$ref` ends at `true` (anything goes).
pub(crate) fn follow_refs(schema: &Value) -> (Option<&'static str>, &Value) {
    static ANYTHING: Value = Value::Bool(true);
    let mut current = schema;
    let mut name = None;
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = current.get("$ref") else {
            return (name, current);
        };
        match resolve_ref(reference) {
            Some((definition, target)) => {
                name = Some(definition);
                current = target;
            }
            None => return (name, &ANYTHING),
        }
    }
    (name, &ANYTHING)
}

#[cfg(test)]
mod tests {
    use trtc_live_types::Command;

    use super::*;

    #[test]
    fn the_embedded_bundle_parses_and_has_every_packet() {
        assert!(BUNDLE.is_object());
        for &command in Command::ALL {
            assert!(definition(command.request_type_name()).is_some());
            assert!(definition(command.response_type_name()).is_some());
        }
    }

    #[test]
    fn refs_are_followed_to_their_definition() {
        let schema = serde_json::json!({"$ref": "#/definitions/AccountId", "description": "x"});
        let (name, target) = follow_refs(&schema);
        assert_eq!(name, Some("AccountId"));
        assert_eq!(target.get("maximum"), Some(&serde_json::json!(u64::MAX)));
        let broken = serde_json::json!({"$ref": "#/definitions/NoSuchThing"});
        assert_eq!(follow_refs(&broken).1, &Value::Bool(true));
    }
}

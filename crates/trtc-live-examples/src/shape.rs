//! Reduces a schema to one flat set of keywords to generate from: `$ref`s followed, `allOf`
//! merged, one branch of each `anyOf` / `oneOf` chosen and merged.
//!
//! The merge keeps the tighter bound, the intersection of enums and types and the union of
//! `properties` and `required`; other keywords keep the first value seen. It is enough for the
//! schemas of this project; the generator checks every value it builds (see `fits`) and tries
//! again when a merge was too loose.

use std::cmp::Ordering;

use fastrand::Rng;
use serde_json::{Map, Value};

use crate::dice;
use crate::schema::follow_refs;

/// Deepest nesting of `allOf` / `anyOf` flattened.
const MAX_DEPTH: usize = 16;

/// The keywords to generate a value of `schema` from.
pub(crate) fn flatten(schema: &Value, rng: &mut Rng) -> Map<String, Value> {
    flatten_at(schema, rng, 0)
}

fn flatten_at(schema: &Value, rng: &mut Rng, depth: usize) -> Map<String, Value> {
    let (_, schema) = follow_refs(schema);
    let Some(map) = schema.as_object() else {
        return Map::new();
    };
    if depth > MAX_DEPTH {
        return map.clone();
    }
    let mut flat = Map::new();
    let mut parts = Vec::new();
    // An open enumeration (`anyOf` of its known values and the bare type): examples use the
    // known values, as Tencent sends them today.
    let open_enum = map.get("x-trtc-open-enum") == Some(&Value::Bool(true));
    for (keyword, argument) in map {
        match keyword.as_str() {
            "allOf" => parts.extend(argument.as_array().into_iter().flatten().cloned()),
            "anyOf" if open_enum => {
                parts.extend(argument.as_array().and_then(|list| list.first()).cloned());
            }
            "anyOf" | "oneOf" => {
                if let Some(branch) = argument.as_array().and_then(|list| dice::pick(rng, list)) {
                    parts.push(branch.clone());
                }
            }
            _ => {
                flat.insert(keyword.clone(), argument.clone());
            }
        }
    }
    for part in parts {
        let part = flatten_at(&part, rng, depth + 1);
        merge(&mut flat, part);
    }
    flat
}

/// Adds the constraints of `extra` to `base`.
pub(crate) fn merge(base: &mut Map<String, Value>, extra: Map<String, Value>) {
    for (keyword, argument) in extra {
        let Some(existing) = base.get_mut(&keyword) else {
            base.insert(keyword, argument);
            continue;
        };
        match keyword.as_str() {
            "properties" | "dependencies" => merge_members(existing, argument),
            "required" => {
                if let (Value::Array(names), Value::Array(more)) = (&mut *existing, argument) {
                    for name in more {
                        if !names.contains(&name) {
                            names.push(name);
                        }
                    }
                }
            }
            "enum" | "type" => intersect(existing, &argument),
            "minimum" | "exclusiveMinimum" | "minLength" | "minItems" => {
                keep_bound(existing, argument, Tighter::Larger);
            }
            "maximum" | "exclusiveMaximum" | "maxLength" | "maxItems" => {
                keep_bound(existing, argument, Tighter::Smaller);
            }
            _ => {}
        }
    }
}

/// Merges two `properties` (or `dependencies`) maps: a member in both gets both schemas.
fn merge_members(existing: &mut Value, argument: Value) {
    let (Value::Object(members), Value::Object(more)) = (existing, argument) else {
        return;
    };
    for (name, schema) in more {
        match members.get_mut(&name) {
            Some(present) if present.is_object() || present.is_boolean() => {
                let both = serde_json::json!({"allOf": [present.clone(), schema]});
                *present = both;
            }
            Some(_) => {}
            None => {
                members.insert(name, schema);
            }
        }
    }
}

/// Keeps the values of `existing` that `argument` allows too (a lone `type` name counts as a
/// list of one); leaves `existing` alone if nothing would remain.
fn intersect(existing: &mut Value, argument: &Value) {
    let as_list = |value: &Value| match value {
        Value::Array(list) => list.clone(),
        single => vec![single.clone()],
    };
    let allowed = as_list(argument);
    let kept: Vec<Value> = as_list(existing)
        .into_iter()
        .filter(|value| allowed.contains(value))
        .collect();
    match (kept.as_slice(), &*existing) {
        ([], _) => {}
        // A lone `type` name stays a name.
        ([single], Value::String(_)) => *existing = single.clone(),
        _ => *existing = Value::Array(kept),
    }
}

/// Which of two bounds is the tighter one.
#[derive(Clone, Copy)]
enum Tighter {
    Larger,
    Smaller,
}

/// Replaces the numeric bound `existing` by `argument` when `argument` is tighter.
fn keep_bound(existing: &mut Value, argument: Value, tighter: Tighter) {
    let exact = |value: &Value| {
        value
            .as_i64()
            .map(i128::from)
            .or_else(|| value.as_u64().map(i128::from))
    };
    let ordering = match (exact(&argument), exact(existing)) {
        (Some(new), Some(old)) => Some(new.cmp(&old)),
        _ => match (argument.as_f64(), existing.as_f64()) {
            (Some(new), Some(old)) => new.partial_cmp(&old),
            _ => None,
        },
    };
    let replace = matches!(
        (ordering, tighter),
        (Some(Ordering::Greater), Tighter::Larger) | (Some(Ordering::Less), Tighter::Smaller)
    );
    if replace {
        *existing = argument;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn any_of_branches_merge_with_their_parent() {
        let mut rng = Rng::with_seed(1);
        let schema = json!({"$ref": "#/definitions/SendGiftErrorCode"});
        let mut saw_enum = false;
        let mut saw_range = false;
        for _ in 0..50 {
            let flat = flatten(&schema, &mut rng);
            assert_eq!(flat.get("type"), Some(&json!("integer")));
            assert!(!flat.contains_key("anyOf"));
            saw_enum |= flat.get("enum") == Some(&json!([0, 1]));
            saw_range |= flat.get("minimum") == Some(&json!(102_100));
        }
        assert!(saw_enum && saw_range);
    }

    #[test]
    fn all_of_merges_properties_required_and_enums() {
        let mut rng = Rng::with_seed(1);
        let schema = json!({"allOf": [
            {"$ref": "#/definitions/CallbackResponse"},
            {"properties": {"ErrorCode": {"enum": [0]}}, "required": ["Extra"]}
        ]});
        let flat = flatten(&schema, &mut rng);
        assert_eq!(
            flat["required"],
            json!(["ActionStatus", "ErrorInfo", "ErrorCode", "Extra"])
        );
        assert!(flat["properties"]["ErrorCode"]["allOf"].is_array());
        let mut enums = Map::new();
        enums.insert("enum".into(), json!([0, 1, 2]));
        enums.insert("maximum".into(), json!(10));
        let mut tighter = Map::new();
        tighter.insert("enum".into(), json!([2, 3]));
        tighter.insert("maximum".into(), json!(5));
        merge(&mut enums, tighter);
        assert_eq!(enums["enum"], json!([2]));
        assert_eq!(enums["maximum"], json!(5));
    }
}

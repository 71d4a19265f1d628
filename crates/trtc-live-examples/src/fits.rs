//! A conservative check of a value against a schema of the bundle.
//!
//! Used to accept a realistic candidate (or a generated value) only when the schema surely
//! accepts it: it says `false` for any keyword it does not know, and it treats every object
//! schema that lists `properties` as closed, as the validator's strict mode does. The real
//! validator, in the tests, is the judge; this check only keeps the generator on the safe side.

use std::cmp::Ordering;

use serde_json::{Map, Number, Value};

use crate::pattern;
use crate::schema::resolve_ref;

/// Deepest nesting checked; deeper values are refused.
const MAX_DEPTH: usize = 64;

/// Whether `schema` surely accepts `value`, in strict mode.
pub(crate) fn fits(schema: &Value, value: &Value) -> bool {
    fits_at(schema, value, 0)
}

fn fits_at(schema: &Value, value: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let map = match schema {
        Value::Bool(accepts) => return *accepts,
        Value::Object(map) => map,
        _ => return false,
    };
    if let Some(reference) = map.get("$ref") {
        return resolve_ref(reference).is_some_and(|(_, target)| fits_at(target, value, depth + 1));
    }
    map.iter()
        .all(|(keyword, argument)| keyword_fits(map, keyword, argument, value, depth))
        && closed_object_fits(map, value)
}

fn keyword_fits(
    map: &Map<String, Value>,
    keyword: &str,
    argument: &Value,
    value: &Value,
    depth: usize,
) -> bool {
    let all = |schemas: &Value| {
        schemas
            .as_array()
            .is_some_and(|list| list.iter().all(|s| fits_at(s, value, depth + 1)))
    };
    let matching = |schemas: &Value| {
        schemas.as_array().map_or(0, |list| {
            list.iter().filter(|s| fits_at(s, value, depth + 1)).count()
        })
    };
    match keyword {
        "description" | "title" | "$schema" | "$id" | "$comment" | "definitions" | "examples"
        | "default" => true,
        "type" => type_fits(argument, value),
        "enum" => argument.as_array().is_some_and(|list| list.contains(value)),
        "const" => argument == value,
        "minimum" => bound_fits(value, argument, Ordering::is_ge),
        "maximum" => bound_fits(value, argument, Ordering::is_le),
        "exclusiveMinimum" => bound_fits(value, argument, Ordering::is_gt),
        "exclusiveMaximum" => bound_fits(value, argument, Ordering::is_lt),
        "minLength" | "maxLength" | "pattern" => string_fits(keyword, argument, value),
        "items" | "minItems" | "maxItems" => array_fits(keyword, argument, value, depth),
        "properties" | "required" | "dependencies" => object_fits(keyword, argument, value, depth),
        // Open (`{}`, `true`) or closed (`false`); a schema for extra members is not supported.
        "additionalProperties" => match argument {
            Value::Bool(true) => true,
            Value::Object(extra) if extra.is_empty() => true,
            Value::Bool(false) => closed_members_fit(map, value),
            _ => false,
        },
        "allOf" => all(argument),
        "anyOf" => matching(argument) >= 1,
        "oneOf" => matching(argument) == 1,
        "not" => !fits_at(argument, value, depth + 1),
        "if" => {
            let branch = if fits_at(argument, value, depth + 1) {
                map.get("then")
            } else {
                map.get("else")
            };
            branch.is_none_or(|branch| fits_at(branch, value, depth + 1))
        }
        // Read with their `if`.
        "then" | "else" => true,
        // The project's vendor keywords (open enumerations, revisions) constrain nothing.
        vendor if vendor.starts_with("x-trtc-") => true,
        _ => false,
    }
}

fn type_fits(argument: &Value, value: &Value) -> bool {
    let one = |name: &Value| match name.as_str() {
        Some("string") => value.is_string(),
        Some("integer") => value.as_number().is_some_and(is_integer),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("null") => value.is_null(),
        _ => false,
    };
    match argument {
        Value::Array(names) => names.iter().any(one),
        name => one(name),
    }
}

/// Integers written as integers: the Rust validator refuses `1.0` where an integer is due.
fn is_integer(number: &Number) -> bool {
    number.is_i64() || number.is_u64()
}

/// Whether the number `value` stands in the relation `accept` to the bound `argument`; a value
/// that is no number is not concerned, a bound that is no number refuses everything.
fn bound_fits(value: &Value, argument: &Value, accept: fn(Ordering) -> bool) -> bool {
    let Some(value) = value.as_number() else {
        return true;
    };
    let Some(bound) = argument.as_number() else {
        return false;
    };
    match (exact(value), exact(bound)) {
        (Some(v), Some(b)) => accept(v.cmp(&b)),
        _ => match (value.as_f64(), bound.as_f64()) {
            (Some(v), Some(b)) => v.partial_cmp(&b).is_some_and(accept),
            _ => false,
        },
    }
}

fn exact(number: &Number) -> Option<i128> {
    number
        .as_i64()
        .map(i128::from)
        .or_else(|| number.as_u64().map(i128::from))
}

fn string_fits(keyword: &str, argument: &Value, value: &Value) -> bool {
    let Some(text) = value.as_str() else {
        return true;
    };
    let length = u64::try_from(text.chars().count()).unwrap_or(u64::MAX);
    match keyword {
        "minLength" => argument.as_u64().is_some_and(|min| length >= min),
        "maxLength" => argument.as_u64().is_some_and(|max| length <= max),
        _ => argument
            .as_str()
            .is_some_and(|pattern| pattern::matches(pattern, text)),
    }
}

fn array_fits(keyword: &str, argument: &Value, value: &Value, depth: usize) -> bool {
    let Some(items) = value.as_array() else {
        return true;
    };
    let length = u64::try_from(items.len()).unwrap_or(u64::MAX);
    match keyword {
        "minItems" => argument.as_u64().is_some_and(|min| length >= min),
        "maxItems" => argument.as_u64().is_some_and(|max| length <= max),
        _ => match argument {
            Value::Array(tuple) => items
                .iter()
                .zip(tuple)
                .all(|(item, schema)| fits_at(schema, item, depth + 1)),
            schema => items.iter().all(|item| fits_at(schema, item, depth + 1)),
        },
    }
}

fn object_fits(keyword: &str, argument: &Value, value: &Value, depth: usize) -> bool {
    let Some(members) = value.as_object() else {
        return true;
    };
    match keyword {
        "properties" => argument.as_object().is_some_and(|properties| {
            members.iter().all(|(name, member)| {
                properties
                    .get(name)
                    .is_none_or(|schema| fits_at(schema, member, depth + 1))
            })
        }),
        "required" => argument.as_array().is_some_and(|names| {
            names
                .iter()
                .all(|name| name.as_str().is_some_and(|name| members.contains_key(name)))
        }),
        _ => argument.as_object().is_some_and(|dependencies| {
            dependencies.iter().all(|(trigger, dependency)| {
                !members.contains_key(trigger)
                    || match dependency {
                        Value::Array(names) => names.iter().all(|name| {
                            name.as_str().is_some_and(|name| members.contains_key(name))
                        }),
                        schema => fits_at(schema, value, depth + 1),
                    }
            })
        }),
    }
}

/// Strict mode: an object schema (`"type": "object"`) that lists `properties` accepts no
/// other member.
fn closed_object_fits(map: &Map<String, Value>, value: &Value) -> bool {
    let is_object_schema = map.get("type").and_then(Value::as_str) == Some("object");
    !(is_object_schema && map.contains_key("properties")) || closed_members_fit(map, value)
}

fn closed_members_fit(map: &Map<String, Value>, value: &Value) -> bool {
    let Some(members) = value.as_object() else {
        return true;
    };
    let properties = map.get("properties").and_then(Value::as_object);
    members
        .keys()
        .all(|name| properties.is_some_and(|p| p.contains_key(name)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::fits;

    #[test]
    fn account_ids_fit_in_both_forms_up_to_u64_max() {
        let schema = json!({"$ref": "#/definitions/AccountId"});
        assert!(fits(&schema, &json!("user_1")));
        assert!(fits(&schema, &json!(144_115_245_442_327_522_u64)));
        assert!(fits(&schema, &json!(u64::MAX)));
        assert!(!fits(&schema, &json!(-1)));
        assert!(!fits(&schema, &json!(1.5)));
        assert!(!fits(&schema, &json!(null)));
    }

    #[test]
    fn decision_codes_follow_their_any_of() {
        let schema = json!({"$ref": "#/definitions/SendGiftErrorCode"});
        for code in [0, 1, 102_100, 102_150, 102_200] {
            assert!(fits(&schema, &json!(code)), "{code}");
        }
        for code in [2, 102_099, 102_201, -1] {
            assert!(!fits(&schema, &json!(code)), "{code}");
        }
    }

    #[test]
    fn objects_are_closed_and_dependencies_apply() {
        let schema = json!({"$ref": "#/definitions/GroupCallbackBeforeSendMsgResponse"});
        let ok =
            json!({"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0, "CloudCustomData": "x"});
        assert!(fits(&schema, &ok));
        let rewrite_with_refusal =
            json!({"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 1, "CloudCustomData": "x"});
        assert!(!fits(&schema, &rewrite_with_refusal));
        let unknown = json!({"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0, "Extra": 1});
        assert!(!fits(&schema, &unknown));
        let missing = json!({"ActionStatus": "OK", "ErrorCode": 0});
        assert!(!fits(&schema, &missing));
    }

    #[test]
    fn unknown_keywords_are_refused() {
        assert!(!fits(&json!({"format": "date-time"}), &json!("x")));
        assert!(!fits(&json!({"not": {}}), &json!("x")));
        assert!(fits(&json!(true), &json!("x")));
        assert!(!fits(&json!(false), &json!("x")));
    }
}

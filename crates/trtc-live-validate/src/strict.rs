//! Strict mode: object schemas closed to properties they do not name.
//!
//! The published schemas keep inbound objects open (Tencent may add fields). Strict mode
//! compiles a copy in which every object schema (`"type": "object"`) that lists `properties`
//! and leaves `additionalProperties` open gets `"additionalProperties": false`, so an unknown
//! field is reported where it stands. An object's properties must therefore be listed in one
//! schema, not spread over an `allOf` (see `schemas/README.md`). Subschemas that only constrain
//! some properties of an object described elsewhere (a `dependencies` entry such as
//! `{"properties": {"ErrorCode": {"enum": [0]}}}`) declare no type and stay open.

use serde_json::Value;

/// Closes every open object schema inside `schema` (a schema document) as the strict mode does:
/// an object schema that lists `properties` and leaves `additionalProperties` open gets
/// `"additionalProperties": false`. For tools that compile copies of the schemas (a patched
/// copy, say) and want the strict mode's verdicts.
pub fn close_objects(schema: &mut Value) {
    let Value::Object(object) = schema else {
        return;
    };
    let is_open = match object.get("additionalProperties") {
        None | Some(Value::Bool(true)) => true,
        Some(Value::Object(extra)) => extra.is_empty(),
        Some(_) => false,
    };
    let is_object_type = object.get("type") == Some(&Value::from("object"));
    if is_object_type && object.contains_key("properties") && is_open {
        object.insert("additionalProperties".into(), Value::Bool(false));
    }
    for (keyword, child) in object.iter_mut() {
        match keyword.as_str() {
            // Keywords whose value is a schema, or an array of schemas.
            "items"
            | "additionalItems"
            | "contains"
            | "not"
            | "if"
            | "then"
            | "else"
            | "propertyNames"
            | "additionalProperties"
            | "allOf"
            | "anyOf"
            | "oneOf" => for_each_schema(child, close_objects),
            // Keywords whose value maps names to schemas.
            "properties" | "patternProperties" | "definitions" | "dependencies" => {
                if let Value::Object(map) = child {
                    map.values_mut().for_each(close_objects);
                }
            }
            _ => {}
        }
    }
}

fn for_each_schema(value: &mut Value, f: fn(&mut Value)) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(f),
        other => f(other),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::close_objects;

    #[test]
    fn open_objects_are_closed_at_every_depth_and_closed_ones_kept() {
        let mut schema = json!({
            "type": "object",
            "properties": {"a": {"type": "object", "properties": {"b": {}}, "additionalProperties": {}}},
            "definitions": {"D": {"type": "object", "properties": {}, "additionalProperties": {"type": "string"}}},
            "items": [{"type": "object", "properties": {}}],
            "dependencies": {"a": {"properties": {"c": {"enum": [0]}}}}
        });
        close_objects(&mut schema);
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(schema["properties"]["a"]["additionalProperties"], false);
        assert_eq!(
            schema["definitions"]["D"]["additionalProperties"],
            json!({"type": "string"})
        );
        assert_eq!(schema["items"][0]["additionalProperties"], false);
        // A constraint on properties described elsewhere is not an object schema of its own.
        assert_eq!(
            schema["dependencies"]["a"].get("additionalProperties"),
            None
        );
    }
}

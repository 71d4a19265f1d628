//! The schemas themselves: draft-07, documented, and the bundle faithful to them.

use std::path::PathBuf;

use serde_json::Value;
use trtc_live_tests::{documentation_samples, repo_root, test_cases, Role};
use trtc_live_types::{
    AccountId, BattleEndReason, OnlineOnlyFlag, SendGiftErrorCode, SendMsgErrorCode,
    UnixMillisecondsOrDigits,
};
use trtc_live_validate::{parse_json, parse_jsonc, Rejection, Validator};

fn schema_files() -> Vec<(String, Value)> {
    let mut files = Vec::new();
    let mut dirs = vec![repo_root().join("schemas")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path: PathBuf = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.to_string_lossy().ends_with(".schema.json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let name = path
                    .strip_prefix(repo_root())
                    .unwrap()
                    .display()
                    .to_string();
                files.push((name, serde_json::from_str(&text).unwrap()));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn bundle() -> Value {
    let text =
        std::fs::read_to_string(repo_root().join("dist/trtc-live-webhooks.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_schema_is_valid_draft_07_with_an_absolute_id_and_a_title() {
    let files = schema_files();
    assert!(files.len() >= 8);
    for (name, schema) in files.iter().chain([("bundle".to_owned(), bundle())].iter()) {
        assert_eq!(
            schema["$schema"], "http://json-schema.org/draft-07/schema#",
            "{name}"
        );
        if let Err(error) = jsonschema::draft7::meta::validate(schema) {
            panic!("{name} is not a valid draft-07 schema: {error}");
        }
        let id = schema["$id"].as_str().unwrap_or_default();
        assert!(
            id.starts_with("https://trtc-live-webhooks.invalid/schemas/"),
            "{name}: $id {id:?}"
        );
        assert!(schema["title"].is_string(), "{name} has no title");
    }
}

/// Whether the schema at `at` is part of a revision rule (`allOf/<n>/if` and `then`, which
/// `cargo xtask codegen` derives from `x-trtc-since` and `x-trtc-clock`): it tests the packet's
/// clock, or requires members described elsewhere, and describes nothing of its own.
fn in_revision_condition(at: &str) -> bool {
    ["/if", "/then"]
        .iter()
        .any(|part| at.contains(&format!("{part}/")) || at.ends_with(part))
}

#[test]
fn every_property_has_a_description() {
    fn walk(value: &Value, at: &str, missing: &mut Vec<String>) {
        match value {
            Value::Object(_) if in_revision_condition(at) => {}
            Value::Object(object) => {
                if let Some(Value::Object(properties)) = object.get("properties") {
                    for (name, property) in properties {
                        // `"Name": false` (under a `not`: "Name is absent") describes nothing.
                        let absent = property == &Value::Bool(false);
                        if !absent && !property.get("description").is_some_and(Value::is_string) {
                            missing.push(format!("{at}/properties/{name}"));
                        }
                    }
                }
                for (key, child) in object {
                    walk(child, &format!("{at}/{key}"), missing);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}/{index}"), missing);
                }
            }
            _ => {}
        }
    }
    let mut missing = Vec::new();
    for (name, schema) in schema_files() {
        assert!(
            schema["description"].is_string(),
            "{name} has no description"
        );
        walk(&schema, &name, &mut missing);
    }
    assert!(
        missing.is_empty(),
        "properties without a description: {missing:#?}"
    );
}

/// Calls `visit` on every JSON object of every schema file (schemas and keyword arguments
/// alike), with its location (`<file>/<pointer>`).
fn for_each_object_schema(mut visit: impl FnMut(&serde_json::Map<String, Value>, &str)) {
    fn walk(value: &Value, at: &str, visit: &mut dyn FnMut(&serde_json::Map<String, Value>, &str)) {
        match value {
            Value::Object(object) => {
                visit(object, at);
                for (key, child) in object {
                    walk(child, &format!("{at}/{key}"), visit);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}/{index}"), visit);
                }
            }
            _ => {}
        }
    }
    for (name, schema) in schema_files() {
        walk(&schema, &name, &mut visit);
    }
}

/// Every integer the schemas accept fits its Rust type: each integer schema bounds its values
/// explicitly within u64 or i64 (or lists them, or leaves the bounds to `anyOf` branches that
/// do). Without a `maximum`, `18446744073709551616` would pass the schema and fail the typed
/// model, and the validator's fast path (tests/fast_path.rs) would not give the schema's verdict.
#[test]
fn every_integer_schema_has_bounds_that_fit_a_64_bit_type() {
    fn bounded(object: &serde_json::Map<String, Value>) -> bool {
        let bound = |key: &str| {
            object
                .get(key)
                .and_then(|v| v.as_i64().map(i128::from).or(v.as_u64().map(i128::from)))
        };
        let fits = match (bound("minimum"), bound("maximum")) {
            (Some(min), Some(max)) => {
                (min >= 0 && max <= i128::from(u64::MAX))
                    || (min >= i128::from(i64::MIN) && max <= i128::from(i64::MAX))
            }
            _ => false,
        };
        let branches_bounded =
            object
                .get("anyOf")
                .and_then(Value::as_array)
                .is_some_and(|branches| {
                    branches
                        .iter()
                        .all(|branch| branch.as_object().is_some_and(bounded))
                });
        fits || object.contains_key("enum") || branches_bounded
    }
    let mut wrong = Vec::new();
    for_each_object_schema(|object, at| {
        let integer = match object.get("type") {
            Some(Value::String(name)) => name == "integer",
            Some(Value::Array(names)) => names.iter().any(|name| name == "integer"),
            _ => false,
        };
        if integer && !bounded(object) && !in_revision_condition(at) {
            wrong.push(format!("{at}: an integer without u64 or i64 bounds"));
        }
    });
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Strict mode closes the schemas that say `"type": "object"`; every schema that lists
/// properties of its own object must say it, and keep unknown fields open (a `dependencies`
/// entry, a `not` or a revision rule only constrains the object around it, and stays open).
#[test]
fn every_object_schema_says_so_and_stays_open() {
    let mut wrong = Vec::new();
    for_each_object_schema(|object, at| {
        // A `dependencies` entry, a `not`, or a revision rule's condition constrains properties
        // of an object described by the schema around it.
        let constrains_only =
            at.contains("/dependencies/") || at.ends_with("/not") || in_revision_condition(at);
        if object.contains_key("properties") && !constrains_only {
            if object.get("type") != Some(&Value::from("object")) {
                wrong.push(format!(
                    "{at}: lists properties without \"type\": \"object\""
                ));
            }
            if !object.contains_key("additionalProperties") {
                wrong.push(format!("{at}: no \"additionalProperties\": {{}}"));
            }
        }
    });
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn the_bundle_refers_only_to_itself() {
    let bundle = bundle();
    let found = trtc_live_tests::schema_references(&bundle);
    assert!(!found.is_empty());
    for reference in found {
        let name = reference
            .strip_prefix("#/definitions/")
            .unwrap_or_else(|| panic!("external $ref {reference}"));
        assert!(
            bundle["definitions"].get(name).is_some(),
            "dangling $ref {reference}"
        );
    }
}

/// The bundle (what other languages use) and the Rust validator agree on every packet we
/// have, but on integers written as floats, which only the typed model refuses.
#[test]
fn the_bundle_gives_the_validators_verdicts() {
    let bundle = jsonschema::options().build(&bundle()).unwrap();
    let validator = Validator::new().unwrap();
    let mut checked = 0;
    let requests = documentation_samples()
        .into_iter()
        .filter(|s| s.role == Role::Request);
    for sample in requests {
        let value = parse_jsonc(&sample.bytes()).unwrap();
        assert!(bundle.is_valid(&value), "{}", sample.name);
        checked += 1;
    }
    for group in [
        "valid",
        "invalid",
        "strict-invalid",
        "decode-invalid",
        "semantic-warning",
        "warning",
    ] {
        for case in test_cases(group) {
            let Ok(value) = parse_json(&case.bytes()) else {
                continue;
            };
            let rust = validator.validate_value(value.clone());
            let expected = rust.is_ok() || matches!(rust, Err(Rejection::Decode { .. }));
            assert_eq!(bundle.is_valid(&value), expected, "{}: {rust:?}", case.name);
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} packets checked");
}

/// The hand-written replacements accept exactly the values their schema definitions allow
/// (integers written as floats aside: the typed model refuses them on purpose).
#[test]
fn hand_written_wire_types_accept_exactly_what_their_schemas_allow() {
    let bundle = bundle();
    let candidates = [
        "0",
        "1",
        "2",
        "3",
        "7",
        "-1",
        "255",
        "256",
        "1.5",
        "2.0",
        "1e2",
        "9007199254740993",
        "144115245442327522",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "\"\"",
        "\"brennan\"",
        "\"144115245442327522\"",
        "\"0\"",
        "10099",
        "10100",
        "10200",
        "10201",
        "102099",
        "102100",
        "102200",
        "102201",
        "1670574414123",
        "\"1670574414123\"",
        "\"0001670574414123\"",
        "\"9999999999999999999\"",
        "\"12345678901234567890\"",
        "\"-1\"",
        "\"1.5\"",
        "null",
        "true",
        "[]",
        "{}",
    ];
    fn typed_ok<T: serde::de::DeserializeOwned>(value: &Value) -> bool {
        serde_json::from_value::<T>(value.clone()).is_ok()
    }
    type Check = fn(&Value) -> bool;
    let replacements: [(&str, Check); 6] = [
        ("AccountId", typed_ok::<AccountId>),
        ("BattleEndReason", typed_ok::<BattleEndReason>),
        ("OnlineOnlyFlag", typed_ok::<OnlineOnlyFlag>),
        (
            "UnixMillisecondsOrDigits",
            typed_ok::<UnixMillisecondsOrDigits>,
        ),
        ("SendGiftErrorCode", typed_ok::<SendGiftErrorCode>),
        ("SendMsgErrorCode", typed_ok::<SendMsgErrorCode>),
    ];
    for (definition, typed) in replacements {
        let schema = jsonschema::options()
            .build(&bundle["definitions"][definition])
            .unwrap();
        for text in candidates {
            let value: Value = serde_json::from_str(text).unwrap();
            let written_as_float = value.is_f64() && value.as_f64().unwrap().fract() == 0.0;
            let expected = schema.is_valid(&value) && !written_as_float;
            assert_eq!(typed(&value), expected, "{definition} and {text}");
        }
    }
}

//! `trtc-live schema`: the schemas as files, or bundled.

use std::io::Write;
use std::process::ExitCode;

use serde_json::{Map, Value};
use trtc_live_validate::{schema_text, Command, BUNDLED_SCHEMA, URL_PARAMETERS_SCHEMA_ID};

use crate::args::SchemaArgs;

/// Prints the schema the arguments name.
pub fn run(args: &SchemaArgs) -> ExitCode {
    let text = match (args.command, args.url_parameters) {
        (_, true) => schema_text(URL_PARAMETERS_SCHEMA_ID).map(str::to_owned),
        (None, false) => Some(BUNDLED_SCHEMA.to_owned()),
        (Some(command), false) if args.bundle => bundle_of(command, args.response),
        (Some(command), false) => schema_text(schema_id(command, args.response)).map(str::to_owned),
    };
    let Some(mut text) = text else {
        // The schemas are embedded and tested: only a broken build gets here.
        eprintln!("trtc-live: bug: the schema is not embedded in this build");
        return ExitCode::from(2);
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

fn schema_id(command: Command, response: bool) -> &'static str {
    if response {
        command.response_schema_id()
    } else {
        command.request_schema_id()
    }
}

/// The schema of `command`'s request (or response) taken out of the bundle, self-contained:
/// the packet's definition at the root, and the definitions it refers to, directly or not.
pub fn bundle_of(command: Command, response: bool) -> Option<String> {
    let bundle: Value = serde_json::from_str(BUNDLED_SCHEMA).ok()?;
    let definitions = bundle.get("definitions")?.as_object()?;
    let name = if response {
        command.response_type_name()
    } else {
        command.request_type_name()
    };
    let root = definitions.get(name)?.as_object()?;
    let mut needed = Map::new();
    let mut pending: Vec<String> = Vec::new();
    references(&Value::Object(root.clone()), &mut pending);
    while let Some(reference) = pending.pop() {
        if needed.contains_key(&reference) {
            continue;
        }
        let definition = definitions.get(&reference)?;
        references(definition, &mut pending);
        needed.insert(reference, definition.clone());
    }
    needed.sort_keys();
    let mut schema = Map::new();
    schema.insert("$schema".into(), bundle.get("$schema")?.clone());
    schema.insert("$id".into(), schema_id(command, response).into());
    schema.extend(root.clone());
    if !needed.is_empty() {
        schema.insert("definitions".into(), Value::Object(needed));
    }
    serde_json::to_string_pretty(&Value::Object(schema)).ok()
}

/// Adds the definition names that `value` refers to (`#/definitions/NAME`) to `names`.
fn references(value: &Value, names: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                if let Some(name) = reference.strip_prefix("#/definitions/") {
                    names.push(name.to_owned());
                }
            }
            object.values().for_each(|v| references(v, names));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, names)),
        _ => {}
    }
}

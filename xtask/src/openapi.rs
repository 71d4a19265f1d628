//! `dist/openapi.json`: the webhooks as an OpenAPI 3.1 description, for the generators that read
//! OpenAPI `webhooks` (openapi-typescript, ogen, Kiota, ...).
//!
//! One `webhooks` entry per command word, each a POST with:
//!
//! - the URL's query parameters (`SdkAppid`, `CallbackCommand` or `WebhookCommand` as the one
//!   word, `contenttype`, `ClientIP`, `OptPlatform`, `Sign`, `RequestTime`) from
//!   `schemas/common/url-parameters.schema.json`;
//! - the request body: the request schema, with the documentation samples as examples (the
//!   corrected copy where a sample is not JSON as printed);
//! - the answer: HTTP 200 with the response schema and the response samples; for the two
//!   before-webhooks, the description says what each `ErrorCode` decides.
//!
//! The schemas are the bundle's definitions under `components/schemas`, in OpenAPI 3.1's dialect
//! (JSON Schema 2020-12): `$ref`s point to `#/components/schemas/<Name>`, and draft-07's
//! `dependencies` become `dependentRequired` or `dependentSchemas`. Any other keyword that the
//! two drafts read differently is refused, so that the document never says something the
//! schemas do not.

use serde_json::{json, Map, Value};

use crate::command_words::{CommandWord, Kind};
use crate::dist_schemas::URL_PARAMETERS_FILE;
use crate::schema_tree::{SchemaTree, WebhookFolder};
use crate::{samples, Error};

/// Where the document is written, relative to the project root.
pub const OPENAPI_PATH: &str = "dist/openapi.json";

/// The parameters that name the webhook's command word (either may be sent): they differ from
/// one webhook to the next.
const COMMAND_PARAMETERS: &[&str] = &["CallbackCommand", "WebhookCommand"];

/// Builds the document; `version` is the workspace version, `root` the project root (for the
/// samples).
pub fn generate(
    root: &std::path::Path,
    tree: &SchemaTree,
    words: &[CommandWord],
    bundle: &Value,
    version: &str,
) -> Result<Value, Error> {
    let definitions = bundle["definitions"]
        .as_object()
        .ok_or_else(|| Error::msg("the bundle has no definitions"))?;
    let mut schemas = Map::new();
    for (name, schema) in definitions {
        schemas.insert(
            name.clone(),
            to_openapi_dialect(schema, &format!("#/definitions/{name}"))?,
        );
    }
    let url = tree
        .file(URL_PARAMETERS_FILE)
        .ok_or_else(|| Error::msg(format!("schemas/{URL_PARAMETERS_FILE} is missing")))?;
    let parameters = query_parameters(&url.json)?;

    let mut webhooks = Map::new();
    let mut tags: Vec<&str> = Vec::new();
    for word in words.iter().filter(|w| w.is_delivered()) {
        let folder = tree
            .webhooks
            .iter()
            .find(|f| f.command == word.command)
            .ok_or_else(|| Error::msg(format!("no folder for {}", word.command)))?;
        if !tags.contains(&word.group.as_str()) {
            tags.push(&word.group);
        }
        let samples = samples::read(&root.join("schemas").join(&word.command).join("samples"))?;
        webhooks.insert(
            word.command.clone(),
            json!({ "post": operation(word, folder, definitions, &parameters, &samples)? }),
        );
    }

    let mut components_parameters = Map::new();
    for (name, parameter) in &parameters {
        if !COMMAND_PARAMETERS.contains(&name.as_str()) {
            components_parameters.insert(name.clone(), parameter.clone());
        }
    }
    Ok(json!({
        "openapi": "3.1.0",
        "info": {
            "title": "TRTC Live (TUILiveKit) webhooks",
            "version": version,
            "summary": "The webhooks (callbacks) that Tencent's TRTC Live backend POSTs to an app server.",
            "description": INFO_DESCRIPTION,
            "license": { "name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0" },
        },
        "tags": tags.iter().map(|tag| json!({
            "name": tag,
            "description": format!("The {tag} webhooks of Tencent's Webhooks Command List for TRTC Live."),
        })).collect::<Vec<_>>(),
        "webhooks": webhooks,
        "components": {
            "parameters": components_parameters,
            "schemas": schemas,
        },
    }))
}

const INFO_DESCRIPTION: &str = "Tencent's TRTC Live (TUILiveKit) backend POSTs a JSON packet to \
the app's webhook URL for each event: a room created, a member joined, a battle ended, a gift \
about to be sent... Each entry of `webhooks` is one command word.\n\n\
**The request.** Tencent appends query parameters to the configured URL: `SdkAppid` (the app \
must check it is its own), `CallbackCommand` (the command word, which the body repeats), \
`contenttype=json`, `ClientIP`, `OptPlatform`, and, when webhook authentication is enabled, \
`Sign` and `RequestTime`: `Sign` is the SHA-256 of the token immediately followed by \
`RequestTime`, in hexadecimal, and a request whose `RequestTime` is more than 60 seconds away \
from the app's clock is to be rejected. The signature covers the token and the time, not the \
body.\n\n\
**The answer.** HTTP 200 with a JSON response packet. Tencent counts anything else as a failed \
delivery. For the after-event webhooks the content is ignored; for the two before-event \
webhooks (`Live.CallbackBeforeSendGift`, `Group.CallbackBeforeSendMsg`) the answer's \
`ErrorCode` decides, as each one's description says.\n\n\
**Numbers.** Account ids come as strings or as bare integers up to 18446744073709551615 \
(u64): read them with a parser that keeps every digit (JavaScript's `JSON.parse` rounds \
integers beyond 2^53). A message's `MsgSeq` is 64-bit too. Every other integer (counts, coins, \
times, durations, scores, codes) is bounded within 2^53 - 1 (9007199254740991), which every \
language, JavaScript included, holds as a plain number.\n\n\
Generated by `cargo xtask codegen` from the JSON Schemas (draft-07) of the trtc-live-webhooks \
project; the schemas here are the same, in OpenAPI 3.1's dialect.";

/// The query parameters by name, as OpenAPI parameter objects, in the schema's order.
fn query_parameters(url_schema: &Value) -> Result<Vec<(String, Value)>, Error> {
    let properties = url_schema["properties"]
        .as_object()
        .ok_or_else(|| Error::msg(format!("schemas/{URL_PARAMETERS_FILE} has no properties")))?;
    let required: Vec<&str> = url_schema["required"]
        .as_array()
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let together = url_schema["dependencies"].as_object();
    let mut parameters = Vec::new();
    for (name, property) in properties {
        let mut schema = property.clone();
        let description = schema
            .as_object_mut()
            .and_then(|object| object.shift_remove("description"))
            .and_then(|d| d.as_str().map(str::to_owned))
            .unwrap_or_default();
        let mut description = description;
        if let Some(others) = together.and_then(|t| t.get(name)).and_then(Value::as_array) {
            let others: Vec<&str> = others.iter().filter_map(Value::as_str).collect();
            description.push_str(&format!(" Sent together with {}.", others.join(" and ")));
        }
        parameters.push((
            name.clone(),
            json!({
                "name": name,
                "in": "query",
                "required": required.contains(&name.as_str()),
                "description": description,
                "schema": to_openapi_dialect(&schema, &format!("{URL_PARAMETERS_FILE}#/properties/{name}"))?,
            }),
        ));
    }
    Ok(parameters)
}

fn operation(
    word: &CommandWord,
    folder: &WebhookFolder,
    definitions: &Map<String, Value>,
    parameters: &[(String, Value)],
    samples: &[samples::Sample],
) -> Result<Value, Error> {
    let description_of = |name: &str| {
        definitions
            .get(name)
            .and_then(|d| d["description"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let response_description = description_of(&folder.response_type);
    let answer = match word.kind {
        Kind::Before => format!("**Its answer decides.** {response_description}"),
        _ => "**Notification only.** Tencent ignores the answer's content, but counts anything \
              but HTTP 200 with a JSON body as a failed delivery: answer \
              `{\"ActionStatus\": \"OK\", \"ErrorCode\": 0, \"ErrorInfo\": \"\"}`."
            .to_owned(),
    };
    let description = format!(
        "{}\n\n{answer}\n\nTencent's page: {}",
        description_of(&folder.request_type),
        word.doc_url
    );
    let parameters: Vec<Value> = parameters
        .iter()
        .map(|(name, parameter)| {
            if COMMAND_PARAMETERS.contains(&name.as_str()) {
                let mut parameter = parameter.clone();
                parameter["schema"] = json!({ "type": "string", "enum": [word.command] });
                parameter
            } else {
                json!({ "$ref": format!("#/components/parameters/{name}") })
            }
        })
        .collect();
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    Ok(json!({
        "operationId": folder.request_type,
        "summary": word.title,
        "description": description,
        "tags": [word.group],
        "externalDocs": { "description": "Tencent's page", "url": word.doc_url },
        "parameters": parameters,
        "requestBody": {
            "required": true,
            "description": format!("The {} packet.", word.command),
            "content": { "application/json": {
                "schema": reference(&folder.request_type),
                "examples": examples(samples, true),
            } },
        },
        "responses": {
            "200": {
                "description": response_description,
                "content": { "application/json": {
                    "schema": reference(&folder.response_type),
                    "examples": examples(samples, false),
                } },
            },
        },
    }))
}

/// The samples of one role as OpenAPI example objects, by the sample's file stem.
fn examples(samples: &[samples::Sample], requests: bool) -> Value {
    let mut examples = Map::new();
    for sample in samples.iter().filter(|s| s.is_request == requests) {
        let role = if requests { "request" } else { "response" };
        let key = match &sample.variant {
            Some(variant) => format!("{role}.{variant}"),
            None => role.to_owned(),
        };
        let description = match &sample.correction {
            Some(note) => format!("{note} (the sample cannot be read as printed)."),
            None => "As printed, comments removed.".to_owned(),
        };
        examples.insert(
            key,
            json!({
                "summary": format!("Documentation sample {}", sample.file),
                "description": description,
                "value": sample.value,
            }),
        );
    }
    Value::Object(examples)
}

/// `schema` (draft-07, with bundle references) in OpenAPI 3.1's dialect; `at` names it in errors.
pub fn to_openapi_dialect(schema: &Value, at: &str) -> Result<Value, Error> {
    match schema {
        Value::Object(object) => {
            let mut converted = Map::new();
            for (key, value) in object {
                match key.as_str() {
                    "$ref" => {
                        let name = value
                            .as_str()
                            .and_then(|r| r.strip_prefix("#/definitions/"))
                            .ok_or_else(|| Error::msg(format!("{at}: $ref {value} is not a bundle definition")))?;
                        converted.insert(key.clone(), format!("#/components/schemas/{name}").into());
                    }
                    "dependencies" => {
                        let members = value.as_object().ok_or_else(|| {
                            Error::msg(format!("{at}: dependencies is not an object"))
                        })?;
                        for (member, dependency) in members {
                            let (keyword, converted_dependency) = if dependency.is_array() {
                                ("dependentRequired", dependency.clone())
                            } else {
                                (
                                    "dependentSchemas",
                                    to_openapi_dialect(dependency, &format!("{at}/dependencies/{member}"))?,
                                )
                            };
                            converted
                                .entry(keyword)
                                .or_insert_with(|| Value::Object(Map::new()))
                                .as_object_mut()
                                .expect("an object")
                                .insert(member.clone(), converted_dependency);
                        }
                    }
                    "items" if value.is_array() => {
                        return Err(Error::msg(format!(
                            "{at}: a tuple `items` (draft-07) has no conversion here: write it with prefixItems in mind first"
                        )))
                    }
                    "additionalItems" | "definitions" | "$schema" | "$id" => {
                        return Err(Error::msg(format!(
                            "{at}: {key} means something else in OpenAPI 3.1's dialect (or is not expected in a bundle definition)"
                        )))
                    }
                    // Values, not schemas.
                    "enum" | "const" | "examples" | "default" | "required" => {
                        converted.insert(key.clone(), value.clone());
                    }
                    "properties" | "patternProperties" => {
                        let members = value.as_object().ok_or_else(|| {
                            Error::msg(format!("{at}: {key} is not an object"))
                        })?;
                        let mut schemas = Map::new();
                        for (member, member_schema) in members {
                            schemas.insert(
                                member.clone(),
                                to_openapi_dialect(member_schema, &format!("{at}/{key}/{member}"))?,
                            );
                        }
                        converted.insert(key.clone(), Value::Object(schemas));
                    }
                    _ => {
                        converted.insert(key.clone(), to_openapi_dialect(value, &format!("{at}/{key}"))?);
                    }
                }
            }
            Ok(Value::Object(converted))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| to_openapi_dialect(item, &format!("{at}/{index}")))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

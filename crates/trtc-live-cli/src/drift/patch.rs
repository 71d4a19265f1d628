//! `--patch DIR`: per schema file that should change, a JSON Patch (RFC 6902) that would make
//! the schemas accept what was seen, for a maintainer to review, edit and apply.
//!
//! - an unknown member (or URL parameter) becomes an optional member of its object's schema,
//!   of the types seen, with a description to rewrite;
//! - a value outside an enumeration is added to it;
//! - a required member seen missing is no longer required (`test`, then `remove`);
//! - a value of another type widens the `type` keyword that refused it (`test`, then
//!   `replace`).
//!
//! Values out of range, older revisions and unknown command words get no patch: the first are
//! more often the sender's fault than the schema's, the second are accepted already, and a new
//! webhook is a folder of its own. Neither does a member that a revision rule requires (a
//! recent packet without `MsgId`): its date (`x-trtc-since`) is the maintainer's to move. Each `remove` and `replace` is preceded by a `test` of what it
//! changes, so that a patch applied to another revision of the file fails instead of changing
//! the wrong thing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::findings::{Finding, Findings};
use super::kind::{JsonType, Kind};
use super::report::time;
use super::schemas::{unescape, SchemaDocuments};

/// What the findings ask of one schema file.
#[derive(Default)]
struct FileChanges {
    /// New members, by the pointer of their schema (`/properties/Level`).
    members: BTreeMap<String, NewMember>,
    /// Values to add, by the pointer of the `enum` array.
    enum_values: BTreeMap<String, Vec<Value>>,
    /// Members no longer required: by the pointer of the `required` array, (index, name).
    unrequired: BTreeMap<String, BTreeSet<(usize, String)>>,
    /// Types to allow, by the pointer of the `type` keyword: what it says now, and the types
    /// seen.
    types: BTreeMap<String, (Value, BTreeSet<JsonType>)>,
}

/// A member to add: what was seen of it.
#[derive(Default)]
struct NewMember {
    types: BTreeSet<JsonType>,
    negative: bool,
    first_ms: Option<u64>,
    last_ms: Option<u64>,
}

/// The patches the findings call for, by schema file (its path under `schemas/`).
pub fn patches(findings: &Findings, schemas: &SchemaDocuments) -> BTreeMap<String, Vec<Value>> {
    let mut files: BTreeMap<String, FileChanges> = BTreeMap::new();
    for (key, finding) in &findings.findings {
        let Some(location) = &finding.location else {
            continue;
        };
        let changes = files.entry(location.file().to_owned()).or_default();
        let object = &location.schema_pointer;
        match (key.kind, location.keyword.as_str()) {
            (Kind::UnknownMember | Kind::UnknownUrlParameter, "additionalProperties") => {
                let Some((_, name)) = key.path.rsplit_once('/') else {
                    continue;
                };
                let member = changes
                    .members
                    .entry(format!("{object}/properties/{name}"))
                    .or_default();
                member.types.extend(finding.types.keys());
                member.negative |= finding.types.values().any(|seen| seen.negative);
                member.first_ms = min_of(member.first_ms, finding.first_ms);
                member.last_ms = max_of(member.last_ms, finding.last_ms);
            }
            (Kind::UnknownEnumValue, "enum") => {
                let values = changes
                    .enum_values
                    .entry(format!("{object}/enum"))
                    .or_default();
                for value in enumeration_values(finding) {
                    if !values.contains(&value) {
                        values.push(value);
                    }
                }
            }
            // A member required by a revision rule (`allOf`/`then`, derived from its
            // `x-trtc-since`): its date is the maintainer's to move.
            (Kind::MissingRequired, "required") if is_in_a_rule(object) => {}
            (Kind::MissingRequired, "required") => {
                let name = key.path.rsplit_once('/').map(|(_, name)| unescape(name));
                let required = schemas
                    .schema_object(location)
                    .and_then(|schema| schema.get("required").cloned());
                let index = required
                    .as_ref()
                    .and_then(Value::as_array)
                    .and_then(|names| {
                        names
                            .iter()
                            .position(|listed| Some(listed.as_str()) == Some(name.as_deref()))
                    });
                if let (Some(index), Some(name)) = (index, name) {
                    let pointer = format!("{object}/required");
                    changes
                        .unrequired
                        .entry(pointer)
                        .or_default()
                        .insert((index, name));
                }
            }
            (Kind::TypeMismatch, "type") => {
                let Some(now) = schemas
                    .schema_object(location)
                    .and_then(|schema| schema.get("type").cloned())
                else {
                    continue;
                };
                let entry = changes
                    .types
                    .entry(format!("{object}/type"))
                    .or_insert_with(|| (now, BTreeSet::new()));
                entry.1.extend(finding.types.keys());
            }
            _ => {}
        }
    }
    files
        .into_iter()
        .map(|(file, changes)| (file, changes.operations()))
        .filter(|(_, operations)| !operations.is_empty())
        .collect()
}

impl FileChanges {
    fn operations(self) -> Vec<Value> {
        let mut operations = Vec::new();
        for (pointer, member) in self.members {
            operations.push(json!({"op": "add", "path": pointer, "value": member.schema()}));
        }
        for (pointer, values) in self.enum_values {
            for value in values {
                operations
                    .push(json!({"op": "add", "path": format!("{pointer}/-"), "value": value}));
            }
        }
        for (pointer, (now, seen)) in self.types {
            let mut allowed: Vec<String> = match &now {
                Value::String(one) => vec![one.clone()],
                Value::Array(types) => types
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect(),
                _ => continue,
            };
            for json_type in seen {
                let name = json_type.as_str();
                let covered = allowed.iter().any(|allowed| {
                    allowed == name || (allowed == "number" && json_type == JsonType::Integer)
                });
                if !covered {
                    allowed.push(name.to_owned());
                }
            }
            operations.push(json!({"op": "test", "path": pointer, "value": now}));
            operations.push(json!({"op": "replace", "path": pointer, "value": allowed}));
        }
        for (pointer, names) in self.unrequired {
            // From the last index down, so that each index is still right when it is removed.
            for (index, name) in names.into_iter().rev() {
                let at = format!("{pointer}/{index}");
                operations.push(json!({"op": "test", "path": at, "value": name}));
                operations.push(json!({"op": "remove", "path": at}));
            }
        }
        operations
    }
}

impl NewMember {
    /// The schema of the new member: the types seen (integers with the bounds the schemas give
    /// every integer, objects and arrays open), described for the maintainer to rewrite.
    fn schema(&self) -> Value {
        let mut types: Vec<&str> = self
            .types
            .iter()
            .filter(|&&json_type| {
                !(json_type == JsonType::Integer && self.types.contains(&JsonType::Number))
            })
            .map(|json_type| json_type.as_str())
            .collect();
        if types.is_empty() {
            types.push("null");
        }
        let seen = match (self.first_ms, self.last_ms) {
            (Some(first), Some(last)) if first != last => {
                format!(" (packet times {} to {})", time(first), time(last))
            }
            (Some(first), _) => format!(" (packet time {})", time(first)),
            _ => String::new(),
        };
        let mut schema = json!({
            "description": format!(
                "TODO: seen by trtc-live drift{seen}, not described by the schemas. Say what it \
                 is, and name its source in SOURCES.md."
            ),
            "type": if types.len() == 1 { json!(types[0]) } else { json!(types) },
        });
        if self.types.contains(&JsonType::Integer) && !self.types.contains(&JsonType::Number) {
            let (minimum, maximum) = if self.negative {
                (json!(i64::MIN), json!(i64::MAX))
            } else {
                (json!(0), json!(u64::MAX))
            };
            schema["minimum"] = minimum;
            schema["maximum"] = maximum;
        }
        if self.types.contains(&JsonType::Object) {
            schema["additionalProperties"] = json!({});
        }
        if self.types.contains(&JsonType::Array) {
            schema["items"] = json!({});
        }
        schema
    }
}

/// The distinct values of an enumeration finding that can be written exactly.
fn enumeration_values(finding: &Finding) -> Vec<Value> {
    finding
        .values
        .iter()
        .filter(|value| value.whole)
        .filter_map(|value| {
            let parsed: Value = serde_json::from_str(&value.text).ok()?;
            // A number a double would round (beyond 64 bits) is left to the maintainer.
            let written_again = parsed.to_string();
            (written_again.as_str() == value.text.trim()).then_some(parsed)
        })
        .collect()
}

/// Whether the schema object at `pointer` is part of a rule (`allOf`, `if`/`then`/`else`)
/// rather than an object's own schema.
fn is_in_a_rule(pointer: &str) -> bool {
    pointer
        .split('/')
        .any(|token| matches!(token, "allOf" | "anyOf" | "oneOf" | "if" | "then" | "else"))
}

fn min_of(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_of(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// The name of the patch of schema file `file` (a path under `schemas/`):
/// `Live.CallbackAfterEndBattle/request.schema.patch.json`.
pub fn patch_name(file: &str) -> String {
    match file.strip_suffix(".json") {
        Some(stem) => format!("{stem}.patch.json"),
        None => format!("{file}.patch.json"),
    }
}

/// Writes each patch into `directory`; returns the files written.
pub fn write(
    directory: &Path,
    patches: &BTreeMap<String, Vec<Value>>,
) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    std::fs::create_dir_all(directory)?;
    for (file, operations) in patches {
        let path = directory.join(patch_name(file));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut text = serde_json::to_string_pretty(operations).map_err(std::io::Error::other)?;
        text.push('\n');
        std::fs::write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_files_are_named_after_their_schema_file() {
        assert_eq!(
            patch_name("Live.CallbackAfterEndBattle/request.schema.json"),
            "Live.CallbackAfterEndBattle/request.schema.patch.json"
        );
        assert_eq!(patch_name("odd"), "odd.patch.json");
    }

    #[test]
    fn a_new_member_gets_the_types_seen_with_the_usual_bounds() {
        let member = |types: &[JsonType], negative| NewMember {
            types: types.iter().copied().collect(),
            negative,
            first_ms: Some(0),
            last_ms: Some(1000),
        };
        let schema = member(&[JsonType::Integer], false).schema();
        assert_eq!(
            (&schema["type"], &schema["minimum"], &schema["maximum"]),
            (&json!("integer"), &json!(0), &json!(u64::MAX))
        );
        assert!(schema["description"]
            .as_str()
            .unwrap()
            .contains("(packet times 1970-01-01T00:00:00.000Z to 1970-01-01T00:00:01.000Z)"));
        let schema = member(&[JsonType::Integer], true).schema();
        assert_eq!(schema["minimum"], json!(i64::MIN));
        let schema = member(&[JsonType::String, JsonType::Object], false).schema();
        assert_eq!(schema["type"], json!(["string", "object"]));
        assert_eq!(schema["additionalProperties"], json!({}));
        let schema = member(&[JsonType::Integer, JsonType::Number], false).schema();
        assert_eq!(schema["type"], json!("number"));
        assert!(schema.get("minimum").is_none());
    }
}

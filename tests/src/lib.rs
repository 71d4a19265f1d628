//! Shared helpers of the cross-crate tests: where the samples and test cases are.
//!
//! Everything read here is inside the repository.

#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use trtc_live_types::Command;

pub mod boundaries;
pub mod mutation;
pub mod nats_server;
pub mod process;
pub mod python_package;
pub mod python_tools;
pub mod tools;

/// The README's Rust snippets, compiled as doctests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeSnippets;

/// The Rust snippets of docs/gateway.md, compiled as doctests too.
#[cfg(doctest)]
#[doc = include_str!("../../docs/gateway.md")]
pub struct GatewaySnippets;

/// The Rust snippets of the published crates' READMEs (their pages on crates.io), run as
/// doctests.
#[cfg(doctest)]
pub mod crate_readmes {
    #[doc = include_str!("../../crates/trtc-live-types/README.md")]
    pub struct Types;
    #[doc = include_str!("../../crates/trtc-live-validate/README.md")]
    pub struct Validate;
    #[doc = include_str!("../../crates/trtc-live-receiver/README.md")]
    pub struct Receiver;
    #[doc = include_str!("../../crates/trtc-live-examples/README.md")]
    pub struct Examples;
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is one level below the root")
        .to_path_buf()
}

/// Every `$ref` of a schema, at any depth, in document order.
pub fn schema_references(schema: &serde_json::Value) -> Vec<String> {
    fn collect(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(object) => {
                if let Some(serde_json::Value::String(reference)) = object.get("$ref") {
                    found.push(reference.clone());
                }
                object.values().for_each(|v| collect(v, found));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    collect(schema, &mut found);
    found
}

/// What a packet file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A request packet (the webhook itself).
    Request,
    /// A response packet (the app's answer).
    Response,
}

/// One packet file: a documentation sample or a test case.
#[derive(Clone, Debug)]
pub struct PacketFile {
    /// The webhook folder it belongs to.
    pub command: Command,
    /// Request or response.
    pub role: Role,
    /// Its path.
    pub path: PathBuf,
    /// `<command word>__<file stem>`: a unique name, used for snapshot names.
    pub name: String,
}

impl PacketFile {
    /// The file's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.path).unwrap_or_else(|e| panic!("{}: {e}", self.path.display()))
    }

    /// The packet as the tests read it: from its corrected copy when it has one (see
    /// [`readable_text`]), comments allowed.
    pub fn readable_value(&self) -> serde_json::Value {
        trtc_live_validate::parse_jsonc(readable_text(&self.path).as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", self.path.display()))
    }

    /// The path relative to the repository root, with `/` separators.
    pub fn relative_path(&self) -> String {
        let relative = self.path.strip_prefix(repo_root()).unwrap_or(&self.path);
        relative.to_string_lossy().replace('\\', "/")
    }
}

/// The text of `schemas/<command>/samples/<file>`, as printed.
pub fn sample_text(command: &str, file: &str) -> String {
    let path = repo_root()
        .join("schemas")
        .join(command)
        .join("samples")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The sample `schemas/<command>/samples/<file>`, parsed as JSONC (it must be readable as
/// printed).
pub fn sample_value(command: &str, file: &str) -> serde_json::Value {
    trtc_live_validate::parse_jsonc(sample_text(command, file).as_bytes())
        .unwrap_or_else(|e| panic!("{command}/samples/{file}: {e}"))
}

/// Every documentation sample that parses as JSONC: the samples of
/// `schemas/<command>/samples/{request,response}*.jsonc` as printed, except those that are not
/// JSONC as printed, which are replaced by their corrected copies (`<stem>.corrected.jsonc`).
pub fn documentation_samples() -> Vec<PacketFile> {
    let all = packet_files("schemas", "samples", "jsonc");
    all.iter()
        .filter(|sample| corrected_copy_of(&sample.path).is_none_or(|c| !c.exists()))
        .cloned()
        .collect()
}

/// A documentation sample that Tencent printed with a defect that makes it unreadable, and the
/// copy of it that the tests use instead.
#[derive(Clone, Debug)]
pub struct CorrectedSample {
    /// The sample as printed (`.jsonc`, or `.txt` when the page printed it flattened).
    pub as_printed: PathBuf,
    /// The corrected copy: a first line `// Corrected copy of <file>: <what was edited>.`, then
    /// the printed text with the minimal edit.
    pub corrected: PacketFile,
}

/// The marker that starts the first line of every corrected copy.
pub const CORRECTION_NOTE: &str = "// Corrected copy of ";

/// Every corrected copy, with the sample it corrects.
pub fn corrected_samples() -> Vec<CorrectedSample> {
    packet_files("schemas", "samples", "jsonc")
        .into_iter()
        .filter_map(|corrected| {
            let stem = corrected
                .path
                .file_name()?
                .to_str()?
                .strip_suffix(".corrected.jsonc")?;
            let dir = corrected.path.parent()?;
            let as_printed = ["jsonc", "txt"]
                .iter()
                .map(|extension| dir.join(format!("{stem}.{extension}")))
                .find(|path| path.exists())
                .unwrap_or_else(|| panic!("{} corrects no sample", corrected.path.display()));
            Some(CorrectedSample {
                as_printed,
                corrected,
            })
        })
        .collect()
}

/// Every file of every `schemas/<command>/samples/` folder but `SOURCES.md`, as printed.
pub fn samples_as_printed() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for &command in Command::ALL {
        let dir = repo_root()
            .join("schemas")
            .join(command.as_str())
            .join("samples");
        for entry in std::fs::read_dir(&dir).into_iter().flatten() {
            let path = entry.expect("readable directory").path();
            let name = path.file_name().unwrap().to_string_lossy();
            if name != "SOURCES.md" && !name.ends_with(".corrected.jsonc") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Where the corrected copy of the sample at `path` would be.
fn corrected_copy_of(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let stem = name
        .strip_suffix(".jsonc")
        .or_else(|| name.strip_suffix(".txt"))?;
    if stem.ends_with(".corrected") {
        return None;
    }
    Some(path.with_file_name(format!("{stem}.corrected.jsonc")))
}

/// The text the tests read for the sample at `path`: its corrected copy without the first line
/// (the note saying what was edited) when it has one, the sample as printed otherwise.
pub fn readable_text(path: &Path) -> String {
    match corrected_copy_of(path).and_then(|copy| std::fs::read_to_string(copy).ok()) {
        Some(copy) => copy
            .split_once('\n')
            .map_or(copy.clone(), |(_, body)| body.to_owned()),
        None => std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    }
}

/// The sample at `path` as printed has a corrected copy.
pub fn has_corrected_copy(path: &Path) -> bool {
    corrected_copy_of(path).is_some_and(|c| c.exists())
}

/// Every test case of one group: `tests/cases/<command>/<group>/*.json`.
pub fn test_cases(group: &str) -> Vec<PacketFile> {
    packet_files("tests/cases", group, "json")
}

fn packet_files(top: &str, group: &str, extension: &str) -> Vec<PacketFile> {
    let mut files = Vec::new();
    for &command in Command::ALL {
        let dir = repo_root().join(top).join(command.as_str()).join(group);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("readable directory").path();
            if path.extension().and_then(|e| e.to_str()) != Some(extension) {
                continue;
            }
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let role = if stem.starts_with("response") {
                Role::Response
            } else {
                Role::Request
            };
            let name = format!("{}__{stem}", command.as_str());
            files.push(PacketFile {
                command,
                role,
                path,
                name,
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Asserts that `typed`, serialized again, equals the `original` JSON exactly. Value equality
/// compares integers exactly (144115245442327522 != 144115245442327520) and keeps strings and
/// numbers apart, so a dropped field, a coerced form or a lost digit all fail here.
pub fn assert_round_trips<T: serde::Serialize>(
    name: &str,
    typed: &T,
    original: &serde_json::Value,
) -> serde_json::Value {
    let reserialized = serde_json::to_value(typed).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        &reserialized, original,
        "{name}: the typed value does not give back the original JSON"
    );
    reserialized
}

/// What [`redact_known_commands`] puts in place of the list of every command word.
pub const KNOWN_COMMANDS_REDACTED: &str = "[every command word of Command::ALL]";

/// `text` with the list of every command word (`A, B, ...` in [`Command::ALL`]'s order, as the
/// validator's unknown-command messages print it) replaced by [`KNOWN_COMMANDS_REDACTED`], so that
/// a snapshot holding such a message does not change when a webhook is added.
pub fn redact_known_commands(text: &str) -> String {
    let list: Vec<&str> = Command::ALL.iter().map(|c| c.as_str()).collect();
    let redacted = text.replace(&list.join(", "), KNOWN_COMMANDS_REDACTED);
    assert!(
        redacted.matches("known commands: ").count()
            == redacted
                .matches(&format!("known commands: {KNOWN_COMMANDS_REDACTED}"))
                .count(),
        "a list of known commands that is not every command word: {text}"
    );
    redacted
}

/// [`redact_known_commands`] applied to every string of `value`.
pub fn redact_known_commands_in(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => *text = redact_known_commands(text),
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_known_commands_in),
        serde_json::Value::Object(members) => {
            members.values_mut().for_each(redact_known_commands_in)
        }
        _ => {}
    }
}

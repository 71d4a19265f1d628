//! Shared helpers of the cross-crate tests: where the samples and test cases are.
//!
//! Everything read here is inside the repository.

#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use trtc_live_types::Command;

/// The README's Rust snippets, compiled as doctests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeSnippets;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is one level below the root")
        .to_path_buf()
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

    /// The path relative to the repository root, with `/` separators.
    pub fn relative_path(&self) -> String {
        let relative = self.path.strip_prefix(repo_root()).unwrap_or(&self.path);
        relative.to_string_lossy().replace('\\', "/")
    }
}

/// Every documentation sample: `schemas/<command>/samples/{request,response}*.jsonc`.
pub fn documentation_samples() -> Vec<PacketFile> {
    packet_files("schemas", "samples", "jsonc")
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

//! `trtc-live drift --patch`: the patches, applied to a copy of the schemas exactly as the
//! README shows (with Python's `jsonpatch`, an RFC 6902 implementation we did not write,
//! installed pinned into `target/test-tools/`), make the same traffic pass the patched schemas,
//! strict mode included; what the patches leave alone still fails.
//!
//! Needs Python 3 with `venv` (as the cross-language tests do); the package comes from PyPI.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use jsonschema::{Draft, Registry};
use serde_json::Value;
use trtc_live_validate::close_objects;

const DRIFT: &str = "crates/trtc-live-cli/tests/fixtures/drift";
const ID_PREFIX: &str = "https://trtc-live-webhooks.invalid/schemas/";

#[test]
fn the_patches_applied_as_the_readme_says_make_the_same_traffic_pass() {
    let root = common::repo_root();
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&root.join("schemas"), &copy.path().join("schemas"));
    let patches = copy.path().join("patches");
    let drift = common::run(&["drift", "--patch", patches.to_str().unwrap(), DRIFT], b"");
    assert_eq!(drift.code, 1, "{}", drift.transcript);
    insta::assert_snapshot!(written_patches(&patches));

    let script = readme_block("jsonpatch --indent");
    let applied = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &script])
        .current_dir(copy.path())
        .env("PATH", path_with(&jsonpatch_venv().join("bin")))
        .output()
        .unwrap();
    assert!(
        applied.status.success(),
        "the README's commands failed:\n{script}\n{}",
        String::from_utf8_lossy(&applied.stderr)
    );

    let patched = StrictSchemas::load(&copy.path().join("schemas"));
    let original = StrictSchemas::load(&root.join("schemas"));
    let patchable = packets(&root.join(DRIFT).join("patchable"));
    let drifting = patchable.iter().filter(|packet| !original.accepts(packet));
    assert_eq!(drifting.count(), 7, "the packets of patchable/ that drift");
    for packet in &patchable {
        assert!(patched.accepts(packet), "still drifts after: {packet}");
    }
    // Out of range, unknown command words and a member a revision rule requires are not
    // patched; an integer written with a fraction passes the schemas before and after (the
    // typed model refuses it).
    let left_alone: Vec<bool> = packets(&root.join(DRIFT).join("not-patched"))
        .iter()
        .map(|packet| patched.accepts(packet))
        .collect();
    assert_eq!(left_alone, [false, false, false, false, false, true]);
}

/// The patches written, each under its name, for review in a snapshot.
fn written_patches(directory: &Path) -> String {
    let mut files = Vec::new();
    collect_files(directory, &mut files);
    files.sort();
    files
        .iter()
        .map(|file| {
            let name = file.strip_prefix(directory).unwrap().display();
            format!("== {name}\n{}", std::fs::read_to_string(file).unwrap())
        })
        .collect()
}

/// The commands of the README's `sh` block that contains `marker`.
fn readme_block(marker: &str) -> String {
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    readme
        .split("```sh\n")
        .skip(1)
        .map(|block| &block[..block.find("```").unwrap()])
        .find(|block| block.contains(marker))
        .unwrap_or_else(|| panic!("no sh block of the README has {marker}"))
        .to_owned()
}

/// A virtual environment whose `python3` the README's `pip install` line installs into: made
/// once under `target/test-tools/` (git-ignored).
fn jsonpatch_venv() -> PathBuf {
    let venv = common::repo_root().join("target/test-tools/jsonpatch-venv");
    if !venv.join("bin/python3").exists() {
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .expect("python3 is needed (with its venv module) to apply the patches");
        assert!(made.success(), "python3 -m venv {}", venv.display());
    }
    venv
}

fn path_with(directory: &Path) -> String {
    let path = std::env::var("PATH").unwrap_or_default();
    format!("{}:{path}", directory.display())
}

/// The packets of every file under `directory`: NDJSON lines, or a whole `*.json` file.
fn packets(directory: &Path) -> Vec<Value> {
    let mut files = Vec::new();
    collect_files(directory, &mut files);
    files.sort();
    let mut packets = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        if file.extension().is_some_and(|e| e == "ndjson") {
            packets.extend(text.lines().map(|line| serde_json::from_str(line).unwrap()));
        } else {
            packets.push(serde_json::from_str(&text).unwrap());
        }
    }
    packets
}

/// The request schemas of a `schemas/` folder, compiled in the strict mode.
struct StrictSchemas {
    requests: Vec<(String, jsonschema::Validator)>,
}

impl StrictSchemas {
    fn load(schemas: &Path) -> Self {
        let mut files = Vec::new();
        collect_files(schemas, &mut files);
        let documents: Vec<(String, Value)> = files
            .iter()
            .filter(|file| file.to_string_lossy().ends_with(".schema.json"))
            .map(|file| {
                let mut document: Value =
                    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
                close_objects(&mut document);
                let relative = file.strip_prefix(schemas).unwrap().to_string_lossy();
                (format!("{ID_PREFIX}{relative}"), document)
            })
            .collect();
        let registry = Registry::new()
            .draft(Draft::Draft7)
            .extend(
                documents
                    .iter()
                    .map(|(id, document)| (id.as_str(), document)),
            )
            .unwrap()
            .prepare()
            .unwrap();
        let requests = documents
            .iter()
            .filter(|(id, _)| id.ends_with("/request.schema.json"))
            .map(|(id, document)| {
                let command = id
                    .strip_prefix(ID_PREFIX)
                    .and_then(|rest| rest.split('/').next())
                    .unwrap()
                    .to_owned();
                let validator = jsonschema::options()
                    .with_draft(Draft::Draft7)
                    .with_registry(&registry)
                    .build(document)
                    .unwrap();
                (command, validator)
            })
            .collect();
        Self { requests }
    }

    /// Whether `packet` is a packet of a known command that passes its schema.
    fn accepts(&self, packet: &Value) -> bool {
        let command = packet["CallbackCommand"].as_str().unwrap_or_default();
        self.requests
            .iter()
            .find(|(known, _)| known == command)
            .is_some_and(|(_, validator)| validator.is_valid(packet))
    }
}

/// Every file under `directory`, at any depth.
fn collect_files(directory: &Path, files: &mut Vec<PathBuf>) {
    for entry in walkdir::WalkDir::new(directory) {
        let entry = entry.unwrap();
        if !entry.file_type().is_dir() {
            files.push(entry.into_path());
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    let mut files = Vec::new();
    collect_files(from, &mut files);
    for file in files {
        let target = to.join(file.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, &target).unwrap();
    }
}

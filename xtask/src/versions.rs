//! One version for everything the repository publishes.
//!
//! `[workspace.package] version` of the root `Cargo.toml` is the source. Codegen carries it to:
//!
//! - the version requirement of each published crate in `[workspace.dependencies]` (the crates
//!   depend on each other at exactly the workspace's version);
//! - `packages/npm/package.json` (`version`) and its `package-lock.json` (`version`, and the
//!   root package's), once the npm package exists;
//! - `packages/python/pyproject.toml` (`[project] version`, in PEP 440's spelling:
//!   `1.0.0-rc.1` becomes `1.0.0rc1`), once the Python package exists;
//! - `info.version` of `dist/openapi.json` (written by [`crate::openapi`]).
//!
//! In [`Mode::Write`] each file that disagrees is rewritten in place, that one value only; in
//! [`Mode::Check`] it is named as stale, with the version it has and the one it must have.

use std::path::Path;

use serde_json::Value;

use crate::{Error, Mode};

/// The root manifest, relative to the project root.
pub const CARGO_MANIFEST: &str = "Cargo.toml";
/// The npm package's manifest, relative to the project root.
pub const NPM_MANIFEST: &str = "packages/npm/package.json";
/// The npm package's lock file, relative to the project root.
pub const NPM_LOCK: &str = "packages/npm/package-lock.json";
/// The Python package's manifest, relative to the project root.
pub const PYTHON_MANIFEST: &str = "packages/python/pyproject.toml";

/// `[workspace.package] version` of the root manifest.
pub fn workspace_version(root: &Path) -> Result<String, Error> {
    let text = read(root, CARGO_MANIFEST)?;
    toml_string(&text, "workspace.package", "version")
        .map(|(value, _)| value)
        .ok_or_else(|| {
            Error::msg(format!(
                "{CARGO_MANIFEST} has no [workspace.package] version"
            ))
        })
}

/// The version as PEP 440 spells it: `1.2.3`, `1.2.3a1`, `1.2.3b2`, `1.2.3rc1`.
pub fn pep440(version: &str) -> Result<String, Error> {
    let Some((release, pre)) = version.split_once('-') else {
        return Ok(version.to_owned());
    };
    let (label, number) = pre.split_once('.').unwrap_or((pre, "0"));
    let short = match label {
        "alpha" => "a",
        "beta" => "b",
        "rc" => "rc",
        _ => {
            return Err(Error::msg(format!(
                "version {version}: only -alpha.N, -beta.N and -rc.N pre-releases have a PEP 440 spelling here"
            )))
        }
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::msg(format!(
            "version {version}: a pre-release is -{label}.N with N a number"
        )));
    }
    Ok(format!("{release}{short}{number}"))
}

/// Makes every version agree with the workspace's (or, in [`Mode::Check`], names the files that
/// do not). Returns the stale files, each with what it says and what it must say.
pub fn align(root: &Path, version: &str, mode: Mode) -> Result<Vec<String>, Error> {
    let mut stale = Vec::new();

    let manifest = read(root, CARGO_MANIFEST)?;
    let mut fixed = manifest.clone();
    // From the last to the first, so that each range still points at its text.
    for (name, found, range) in internal_dependency_versions(&manifest).into_iter().rev() {
        if found.is_empty() {
            return Err(Error::msg(format!(
                "{CARGO_MANIFEST}: [workspace.dependencies] {name} is a published crate without a version: add version = \"{version}\""
            )));
        }
        if found != version {
            stale.push(format!(
                "{CARGO_MANIFEST} ([workspace.dependencies] {name} has version {found:?}, the workspace {version:?})"
            ));
            fixed.replace_range(range, version);
        }
    }
    write_if(root, CARGO_MANIFEST, &manifest, &fixed, mode)?;

    if root.join(NPM_MANIFEST).exists() {
        let pointers: &[&str] = &["/version"];
        stale.extend(align_json(root, NPM_MANIFEST, pointers, version, mode)?);
    }
    if root.join(NPM_LOCK).exists() {
        let pointers: &[&str] = &["/version", "/packages//version"];
        stale.extend(align_json(root, NPM_LOCK, pointers, version, mode)?);
    }
    if root.join(PYTHON_MANIFEST).exists() {
        let expected = pep440(version)?;
        let text = read(root, PYTHON_MANIFEST)?;
        let (found, range) = toml_string(&text, "project", "version").ok_or_else(|| {
            Error::msg(format!(
                "{PYTHON_MANIFEST} has no static [project] version: write `version = \"{expected}\"` (codegen keeps it equal to the workspace's)"
            ))
        })?;
        if found != expected {
            stale.push(format!(
                "{PYTHON_MANIFEST} (version {found:?}, the workspace {expected:?})"
            ));
            let mut fixed = text.clone();
            fixed.replace_range(range, &expected);
            write_if(root, PYTHON_MANIFEST, &text, &fixed, mode)?;
        }
    }
    Ok(stale)
}

/// `(name, version, byte range of the version's text)` of every `[workspace.dependencies]` entry
/// with a `path` below `crates/` (the published crates).
fn internal_dependency_versions(manifest: &str) -> Vec<(String, String, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    for (line_start, line) in section_lines(manifest, "workspace.dependencies") {
        let Some((name, table)) = line.split_once('=') else {
            continue;
        };
        if !table.contains("path = \"crates/") {
            continue;
        }
        let Some(start) = line.find("version = \"").map(|i| i + "version = \"".len()) else {
            // No version at all: an empty one, which never matches.
            found.push((
                name.trim().to_owned(),
                String::new(),
                line_start..line_start,
            ));
            continue;
        };
        if let Some(length) = line[start..].find('"') {
            let range = line_start + start..line_start + start + length;
            found.push((
                name.trim().to_owned(),
                line[start..start + length].to_owned(),
                range,
            ));
        }
    }
    found
}

/// The string value of `key = "..."` in `[section]` of a TOML text, with its byte range.
fn toml_string(text: &str, section: &str, key: &str) -> Option<(String, std::ops::Range<usize>)> {
    section_lines(text, section)
        .into_iter()
        .find_map(|(start, line)| {
            let rest = line
                .trim_start()
                .strip_prefix(key)?
                .trim_start()
                .strip_prefix('=')?
                .trim_start();
            let value = rest.strip_prefix('"')?;
            let length = value.find('"')?;
            let offset = start + (line.len() - value.len());
            Some((value[..length].to_owned(), offset..offset + length))
        })
}

/// `(byte offset, line)` of every line of `[section]`, up to the next table header.
fn section_lines<'a>(text: &'a str, section: &str) -> Vec<(usize, &'a str)> {
    let header = format!("[{section}]");
    let mut lines = Vec::new();
    let mut inside = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim_start().starts_with('[') {
            inside = content.trim() == header;
        } else if inside {
            lines.push((offset, content));
        }
        offset += line.len();
    }
    lines
}

/// Aligns the string at each JSON pointer of a JSON file (`/packages//version` is the root
/// package's entry, whose key is empty).
fn align_json(
    root: &Path,
    relative: &str,
    pointers: &[&str],
    version: &str,
    mode: Mode,
) -> Result<Vec<String>, Error> {
    let text = read(root, relative)?;
    let mut json: Value = serde_json::from_str(&text)
        .map_err(|e| Error::msg(format!("{relative} is not JSON: {e}")))?;
    let mut stale = Vec::new();
    for pointer in pointers {
        let slot = json
            .pointer_mut(pointer)
            .ok_or_else(|| Error::msg(format!("{relative} has no {pointer}")))?;
        if slot.as_str() != Some(version) {
            stale.push(format!(
                "{relative} ({pointer} is {slot}, the workspace {version:?})"
            ));
            *slot = Value::String(version.to_owned());
        }
    }
    if !stale.is_empty() {
        // npm writes its files as JSON.stringify(value, null, 2) and a line break: so does this.
        let mut fixed = serde_json::to_string_pretty(&json)
            .map_err(|e| Error::msg(format!("cannot serialize {relative}: {e}")))?;
        fixed.push('\n');
        write_if(root, relative, &text, &fixed, mode)?;
    }
    Ok(stale)
}

fn write_if(root: &Path, relative: &str, old: &str, new: &str, mode: Mode) -> Result<(), Error> {
    if mode == Mode::Write && old != new {
        std::fs::write(root.join(relative), new)
            .map_err(|e| Error::msg(format!("cannot write {relative}: {e}")))?;
    }
    Ok(())
}

fn read(root: &Path, relative: &str) -> Result<String, Error> {
    std::fs::read_to_string(root.join(relative))
        .map_err(|e| Error::msg(format!("cannot read {relative}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_releases_are_spelt_as_pep_440_does() {
        assert_eq!(pep440("0.1.0").unwrap(), "0.1.0");
        assert_eq!(pep440("1.0.0-alpha.1").unwrap(), "1.0.0a1");
        assert_eq!(pep440("1.0.0-beta.2").unwrap(), "1.0.0b2");
        assert_eq!(pep440("1.0.0-rc.3").unwrap(), "1.0.0rc3");
        assert!(pep440("1.0.0-dev").is_err());
        assert!(pep440("1.0.0-rc.x").is_err());
    }

    #[test]
    fn toml_values_are_found_in_their_section_only() {
        let text = "[package]\nversion = \"9\"\n\n[project]\nname = \"x\"\nversion-note = \"no\"\n  version = \"0.1.0\" # comment\n[other]\nversion = \"8\"\n";
        let (value, range) = toml_string(text, "project", "version").unwrap();
        assert_eq!(value, "0.1.0");
        assert_eq!(&text[range], "0.1.0");
        assert_eq!(toml_string(text, "missing", "version"), None);
    }

    #[test]
    fn internal_dependencies_are_those_below_crates() {
        let manifest = "[workspace.dependencies]\na = { path = \"crates/a\", version = \"0.1.0\" }\nb = { path = \"tests\" }\nserde = \"1\"\n";
        let found = internal_dependency_versions(manifest);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("a", "0.1.0"));
        assert_eq!(&manifest[found[0].2.clone()], "0.1.0");
    }
}

//! The documentation samples of a webhook folder as JSON values, for the examples of
//! `dist/openapi.json`.
//!
//! Each sample of `schemas/<command>/samples/` is read as JSONC; a sample that cannot be read as
//! printed is replaced by its corrected copy (`<stem>.corrected.jsonc`), whose first line says
//! what was edited.

use std::path::Path;

use serde_json::Value;

use crate::Error;

/// One documentation sample, parsed.
#[derive(Clone, Debug)]
pub struct Sample {
    /// The file as printed (`request.older-revision.jsonc`).
    pub file: String,
    /// Whether it is a request (the webhook) or a response (an answer).
    pub is_request: bool,
    /// What follows `request`/`response` in the file's name (`older-revision`), if anything.
    pub variant: Option<String>,
    /// The first line of the corrected copy that replaces it, without `// `, if it has one.
    pub correction: Option<String>,
    /// The packet.
    pub value: Value,
}

/// The samples of `dir` (`schemas/<command>/samples`), sorted by file name.
pub fn read(dir: &Path) -> Result<Vec<Sample>, Error> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| Error::msg(format!("cannot read {}: {e}", dir.display())))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("request") || name.starts_with("response"))
        .filter(|name| !name.ends_with(".corrected.jsonc"))
        .collect();
    names.sort();
    names.into_iter().map(|file| read_one(dir, file)).collect()
}

fn read_one(dir: &Path, file: String) -> Result<Sample, Error> {
    let stem = file
        .strip_suffix(".jsonc")
        .or_else(|| file.strip_suffix(".txt"))
        .ok_or_else(|| {
            Error::msg(format!(
                "{}/{file}: a sample is .jsonc or .txt",
                dir.display()
            ))
        })?;
    let (role, variant) = stem.split_once('.').unwrap_or((stem, ""));
    let corrected = dir.join(format!("{stem}.corrected.jsonc"));
    let (text, correction) = if corrected.exists() {
        let text = read_text(&corrected)?;
        let note = text
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("// "))
            .map(str::to_owned);
        (text, note)
    } else {
        (read_text(&dir.join(&file))?, None)
    };
    let value: Value = serde_json::from_reader(json_comments::StripComments::new(text.as_bytes()))
        .map_err(|e| {
            Error::msg(format!(
                "{}/{file} is not JSONC and has no corrected copy: {e}",
                dir.display()
            ))
        })?;
    Ok(Sample {
        is_request: role == "request",
        variant: (!variant.is_empty()).then(|| variant.to_owned()),
        correction,
        value,
        file,
    })
}

fn read_text(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::msg(format!("cannot read {}: {e}", path.display())))
}

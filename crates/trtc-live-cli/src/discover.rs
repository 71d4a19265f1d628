//! From the PATHs of the command line to the inputs to read: files, directories searched
//! recursively, standard input.

use std::path::{Path, PathBuf};

/// File extensions searched for in directories (compared without case).
pub const PACKET_EXTENSIONS: &[&str] = &["json", "jsonc", "ndjson", "jsonl"];

/// One input to read.
#[derive(Clone, Debug)]
pub struct Input {
    /// Its name in reports: the path as found, or `-` for standard input.
    pub name: String,
    /// Where to read it from; `None` is standard input.
    pub path: Option<PathBuf>,
    /// One packet per line (NDJSON) instead of one packet in all.
    pub ndjson: bool,
    /// Whether `//` and `/* */` comments are accepted.
    pub comments: bool,
    /// Its size in bytes, when known in advance (for the progress bar).
    pub size: Option<u64>,
}

impl Input {
    /// Whether it is a regular file (not standard input, a pipe or a device), whose reads never
    /// wait for long.
    pub fn is_regular_file(&self) -> bool {
        self.path
            .as_deref()
            .is_some_and(|path| std::fs::metadata(path).is_ok_and(|m| m.is_file()))
    }
}

/// A PATH that gives nothing to read.
#[derive(Clone, Debug)]
pub struct PathProblem {
    /// The path as given.
    pub name: String,
    /// What is wrong with it.
    pub message: String,
}

/// How inputs are read, from the command line's flags.
#[derive(Clone, Copy, Debug)]
pub struct ReadingOptions {
    /// `--ndjson`: every input is NDJSON.
    pub ndjson: bool,
    /// `--jsonc`: every input may carry comments.
    pub comments: bool,
}

/// One PATH of the command line, expanded.
pub enum Expansion {
    /// The inputs it names (one for a file or `-`, those found for a directory).
    Inputs(Vec<Input>),
    /// Why it gives nothing.
    Problem(PathProblem),
}

/// Expands `path`: a file is one input whatever its extension, a directory is every packet file
/// under it (in name order, symbolic links to directories not followed), `-` is standard input.
pub fn expand(path: &Path, options: ReadingOptions) -> Expansion {
    let name = path.display().to_string();
    if name == "-" {
        return Expansion::Inputs(vec![Input {
            name,
            path: None,
            ndjson: options.ndjson,
            comments: options.comments,
            size: None,
        }]);
    }
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) => return problem(name, format!("cannot read: {}", describe(&error))),
    };
    if !metadata.is_dir() {
        return Expansion::Inputs(vec![file_input(
            path.to_path_buf(),
            metadata.len(),
            options,
        )]);
    }
    let mut inputs = Vec::new();
    if let Err(error) = walk(path, options, &mut inputs) {
        return problem(name, error);
    }
    if inputs.is_empty() {
        return problem(
            name,
            format!(
                "no packet file in this directory (searched recursively for {})",
                PACKET_EXTENSIONS
                    .iter()
                    .map(|e| format!("*.{e}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    Expansion::Inputs(inputs)
}

fn problem(name: String, message: String) -> Expansion {
    Expansion::Problem(PathProblem { name, message })
}

fn file_input(path: PathBuf, size: u64, options: ReadingOptions) -> Input {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let extension = extension.as_deref();
    Input {
        name: path.display().to_string(),
        ndjson: options.ndjson || matches!(extension, Some("ndjson" | "jsonl")),
        comments: options.comments || extension == Some("jsonc"),
        size: Some(size),
        path: Some(path),
    }
}

/// Adds the packet files under `directory` to `inputs`, in name order (depth first, each
/// folder's entries sorted by name).
fn walk(directory: &Path, options: ReadingOptions, inputs: &mut Vec<Input>) -> Result<(), String> {
    // The link itself decides: a link to a directory is not followed (no cycles), a link to a
    // file is read. The directory named on the command line is followed if it is a link.
    let entries = walkdir::WalkDir::new(directory)
        .follow_links(false)
        .sort_by_file_name();
    for entry in entries {
        let entry = entry.map_err(|e| {
            let folder = e.path().unwrap_or(directory);
            let reason = match e.io_error() {
                Some(io) => describe(io),
                None => e.to_string(),
            };
            format!("cannot list {}: {reason}", folder.display())
        })?;
        if entry.file_type().is_dir() || !has_packet_extension(entry.path()) {
            continue;
        }
        if let Ok(metadata) = std::fs::metadata(entry.path()) {
            if metadata.is_file() {
                inputs.push(file_input(entry.into_path(), metadata.len(), options));
            }
        }
    }
    Ok(())
}

fn has_packet_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PACKET_EXTENSIONS.iter().any(|p| e.eq_ignore_ascii_case(p)))
}

/// An I/O error in words, without Rust's `(os error 2)` suffix.
pub fn describe(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
}

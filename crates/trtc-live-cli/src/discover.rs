//! From the PATHs of the command line to the inputs to read: files, directories searched
//! recursively, standard input.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::compressed::{without_compression_suffix, Compression, COMPRESSED_EXTENSIONS};

/// File extensions searched for in directories (compared without case), each also compressed
/// (`*.ndjson.gz`, `*.json.zst`).
pub const PACKET_EXTENSIONS: &[&str] = &["json", "jsonc", "ndjson", "jsonl"];

/// How an input is cut into packets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// One packet per line (NDJSON): `--ndjson`, `*.ndjson`, `*.jsonl`.
    PerLine,
    /// The whole input is one packet: text with comments (`--jsonc`, `*.jsonc`).
    Whole,
    /// One packet, unless the input is plainly NDJSON: its first line is a whole JSON object
    /// and more follows on the next lines (then one packet per line).
    Detect,
}

/// One input to read.
#[derive(Clone, Debug)]
pub struct Input {
    /// Its name in reports: the path as found, or `-` for standard input.
    pub name: String,
    /// Where to read it from; `None` is standard input.
    pub path: Option<PathBuf>,
    /// How it is cut into packets.
    pub framing: Framing,
    /// Whether `//` and `/* */` comments are accepted.
    pub comments: bool,
    /// Its size in bytes, when known in advance (for the progress bar): the size of the
    /// text, unknown for a compressed file.
    pub size: Option<u64>,
}

impl Input {
    /// Whether it is a regular file (not standard input, a pipe or a device) of plain text,
    /// whose reads never wait for long (a compressed file's reads wait for the decompression).
    pub fn is_regular_file(&self) -> bool {
        self.size.is_some()
            && self
                .path
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
            framing: framing(options, None),
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
                "no packet file in this directory (searched recursively for {}, each also as {})",
                PACKET_EXTENSIONS
                    .iter()
                    .map(|e| format!("*.{e}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                COMPRESSED_EXTENSIONS
                    .iter()
                    .map(|e| format!(".{e}"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        );
    }
    Expansion::Inputs(inputs)
}

/// Every PATH expanded: the inputs they name, in order, and the problems of those that name
/// nothing.
pub fn gather(paths: &[PathBuf], options: ReadingOptions) -> (Vec<Input>, Vec<PathProblem>) {
    let (mut inputs, mut problems) = (Vec::new(), Vec::new());
    for path in paths {
        match expand(path, options) {
            Expansion::Inputs(found) => inputs.extend(found),
            Expansion::Problem(problem) => problems.push(problem),
        }
    }
    (inputs, problems)
}

fn problem(name: String, message: String) -> Expansion {
    Expansion::Problem(PathProblem { name, message })
}

/// How an input is cut into packets, from the flags and its extension (lowercase, under any
/// compression suffix).
fn framing(options: ReadingOptions, extension: Option<&str>) -> Framing {
    if options.ndjson || matches!(extension, Some("ndjson" | "jsonl")) {
        Framing::PerLine
    } else if options.comments || extension == Some("jsonc") {
        Framing::Whole
    } else {
        Framing::Detect
    }
}

fn file_input(path: PathBuf, size: u64, options: ReadingOptions) -> Input {
    let extension = packet_extension(&path);
    let extension = extension.as_deref();
    let compressed = is_compressed(&path);
    Input {
        name: path.display().to_string(),
        framing: framing(options, extension),
        comments: options.comments || extension == Some("jsonc"),
        size: (!compressed).then_some(size),
        path: Some(path),
    }
}

/// The extension of `path`'s name under any compression suffix, lowercase (`json` for
/// `a.JSON.gz`).
fn packet_extension(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let (_, extension) = without_compression_suffix(name).rsplit_once('.')?;
    Some(extension.to_ascii_lowercase())
}

/// Whether the file starts with the magic bytes of a compressed stream (a file that cannot be
/// read is not: the reading will say why).
fn is_compressed(path: &Path) -> bool {
    let mut start = Vec::with_capacity(4);
    std::fs::File::open(path)
        .and_then(|file| file.take(4).read_to_end(&mut start))
        .is_ok_and(|_| Compression::of_start(&start).is_some())
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
    packet_extension(path).is_some_and(|e| PACKET_EXTENSIONS.contains(&e.as_str()))
}

/// An I/O error in words, without Rust's `(os error 2)` suffix.
pub fn describe(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
}

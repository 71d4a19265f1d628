//! What `send` sends: examples of a command word, or the packets of a file (`*.json` as it is,
//! `*.jsonc` without its comments, `*.ndjson`/`*.jsonl` one packet per line), each with where it
//! came from.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use trtc_live_examples::ExampleGenerator;
use trtc_live_validate::{strip_comments, Command};

/// One packet to send: its body and where it came from (`FILE`, `FILE:LINE`, or the example).
pub struct Packet {
    /// The bytes to POST.
    pub body: Vec<u8>,
    /// Where it came from, for the report.
    pub source: String,
}

/// What `COMMAND|FILE` names.
#[derive(Clone, Debug)]
pub enum Input {
    /// Examples of a command, made by the generator.
    Example(Command),
    /// A file holding one packet, sent byte for byte.
    Json(PathBuf),
    /// A file holding one packet with `//` or `/* */` comments (Tencent's samples): sent with
    /// its comments replaced by spaces, every other byte as it is.
    Jsonc(PathBuf),
    /// A file holding one packet per line (blank lines skipped, `\r\n` accepted): each line
    /// sent byte for byte.
    Ndjson(PathBuf),
}

impl Input {
    /// The input `target` names: a file (by its extension), else a command word (clap's value
    /// parser of `COMMAND|FILE`: a misspelt word gets the closest known one).
    pub fn of(target: &str) -> Result<Self, String> {
        let path = Path::new(target);
        if path.is_file() {
            let extension = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            return Ok(match extension.as_deref() {
                Some("jsonc") => Self::Jsonc(path.to_path_buf()),
                Some("ndjson" | "jsonl") => Self::Ndjson(path.to_path_buf()),
                _ => Self::Json(path.to_path_buf()),
            });
        }
        Command::from_command_word(target)
            .map(Self::Example)
            .ok_or_else(|| {
                format!(
                    "neither a file nor a known command word; {}",
                    crate::command_word::hint(target)
                )
            })
    }

    /// Every packet of one round: `count` examples, or every packet of the file. Reading stops
    /// at the first error (a file that cannot be read, a `.jsonc` file that is not UTF-8).
    pub fn packets<'a>(
        &'a self,
        count: u64,
        generator: &'a mut ExampleGenerator,
    ) -> Box<dyn Iterator<Item = Result<Packet, String>> + 'a> {
        match self {
            Self::Example(command) => Box::new((1..=count).map(move |number| {
                let body = serde_json::to_vec(&generator.request(*command))
                    .map_err(|error| error.to_string())?;
                Ok(Packet {
                    body,
                    source: format!("example {number} of {command}"),
                })
            })),
            Self::Json(path) => Box::new(std::iter::once(read(path).map(|body| Packet {
                body,
                source: path.display().to_string(),
            }))),
            Self::Jsonc(path) => Box::new(std::iter::once(read_jsonc(path).map(|body| Packet {
                body,
                source: path.display().to_string(),
            }))),
            Self::Ndjson(path) => match File::open(path) {
                Ok(file) => Box::new(lines(path, BufReader::new(file))),
                Err(error) => Box::new(std::iter::once(Err(format!(
                    "cannot read {}: {error}",
                    path.display()
                )))),
            },
        }
    }

    /// How many rounds `--count` makes: examples are made `count` at a time in one round; a
    /// file is sent `count` times.
    pub fn rounds(&self, count: u64) -> u64 {
        match self {
            Self::Example(_) => 1,
            _ => count,
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))
}

/// The packet of a `.jsonc` file, its comments replaced by spaces.
fn read_jsonc(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = read(path)?;
    if std::str::from_utf8(&bytes).is_err() {
        return Err(format!("{} is not UTF-8 text", path.display()));
    }
    strip_comments(&bytes).map_err(|error| format!("{}: {error}", path.display()))
}

/// The packets of an NDJSON file, one per non-blank line.
fn lines<'a>(
    path: &'a Path,
    mut reader: impl BufRead + 'a,
) -> impl Iterator<Item = Result<Packet, String>> + 'a {
    let mut number = 0u64;
    let mut failed = false;
    std::iter::from_fn(move || loop {
        if failed {
            return None;
        }
        let mut line = Vec::new();
        number += 1;
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(error) => {
                failed = true;
                return Some(Err(format!("cannot read {}: {error}", path.display())));
            }
        }
        let line = line.strip_suffix(b"\n").unwrap_or(&line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        return Some(Ok(Packet {
            body: line.to_vec(),
            source: format!("{}:{number}", path.display()),
        }));
    })
}

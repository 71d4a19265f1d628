//! Reading the inputs named on the command line.

use std::io::Read;
use std::path::Path;

/// One input: its name in reports, and its bytes or the reason they could not be read.
pub struct Input {
    /// The path as given, or `-` for standard input.
    pub source: String,
    /// Whether the text may carry comments.
    pub jsonc: bool,
    /// The bytes, or why they could not be read.
    pub bytes: Result<Vec<u8>, String>,
}

/// Reads `path` (`-` is standard input). Comments are accepted when `jsonc` is set or the file
/// name ends in `.jsonc`.
pub fn read(path: &Path, jsonc: bool) -> Input {
    let source = path.display().to_string();
    let jsonc = jsonc
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonc"));
    let bytes = if source == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map(|_| bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))
    } else if path.is_dir() {
        Err("is a directory; name the files to validate".to_owned())
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read: {e}"))
    };
    Input {
        source,
        jsonc,
        bytes,
    }
}

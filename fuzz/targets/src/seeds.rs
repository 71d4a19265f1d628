//! The inputs replayed through the targets: seeds made from the repository's samples and test
//! cases, and the committed regression inputs of `fuzz/regressions/<target>/`.

use std::fs;
use std::path::{Path, PathBuf};

use trtc_live_types::Command;
use trtc_live_validate::parse_jsonc;

use crate::receiver::{Request, SDK_APP_ID, SIGNED};

/// A fuzz target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// [`crate::validator::validator`].
    Validator,
    /// [`crate::jsonc::jsonc`].
    Jsonc,
    /// [`crate::receiver::receiver`].
    Receiver,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 3] = [Target::Validator, Target::Jsonc, Target::Receiver];

    /// Its name: the cargo-fuzz target's, and its folder's under `fuzz/regressions/`.
    pub const fn name(self) -> &'static str {
        match self {
            Target::Validator => "validator",
            Target::Jsonc => "jsonc",
            Target::Receiver => "receiver",
        }
    }

    /// Runs the target on `data`.
    pub fn run(self, data: &[u8]) {
        match self {
            Target::Validator => crate::validator::validator(data),
            Target::Jsonc => crate::jsonc::jsonc(data),
            Target::Receiver => {
                crate::receiver::receiver(data);
            }
        }
    }
}

/// One input, named after where it comes from.
#[derive(Clone, Debug)]
pub struct Input {
    /// A file name for it (unique within a target's inputs).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The repository's root (this crate is `fuzz/targets/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The committed regression inputs of `target`, sorted by name (none when the folder is
/// missing).
pub fn regressions(target: Target) -> Vec<Input> {
    let folder = repo_root().join("fuzz/regressions").join(target.name());
    let mut inputs = files_in(&folder)
        .into_iter()
        .filter(|path| path.file_name().is_some_and(|name| name != "README.md"))
        .map(|path| input(&folder, &path))
        .collect::<Vec<_>>();
    inputs.sort_by(|a, b| a.name.cmp(&b.name));
    inputs
}

/// The seeds of `target`: the documentation samples (`schemas/*/samples/`, with their
/// comments) and the test cases (`tests/cases/`), as packets for the validator and the loader;
/// the request packets among them as bodies of requests for the receiver, signed and sent at
/// their `RequestTime`, with their URL's `CallbackCommand`.
pub fn seeds(target: Target) -> Vec<Input> {
    let root = repo_root();
    let mut packets = Vec::new();
    for folder in ["schemas", "tests/cases"] {
        let mut files = files_in(&root.join(folder));
        files.sort();
        packets.extend(
            files
                .iter()
                .filter(|path| {
                    path.extension()
                        .is_some_and(|extension| extension == "json" || extension == "jsonc")
                        && !path.to_string_lossy().ends_with(".schema.json")
                })
                .map(|path| input(&root, path)),
        );
    }
    match target {
        Target::Validator | Target::Jsonc => packets,
        Target::Receiver => packets.iter().filter_map(request_seed).collect(),
    }
}

/// A signed request carrying `packet` (its comments stripped), if it is a request packet
/// with a known command.
fn request_seed(packet: &Input) -> Option<Input> {
    if packet.name.contains("response") {
        return None;
    }
    let value = parse_jsonc(&packet.bytes).ok()?;
    let command = Command::of_packet(&value).ok()?;
    let body = serde_json::to_vec(&value).ok()?;
    let query = format!(
        "SdkAppid={SDK_APP_ID}&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1\
         &OptPlatform=iOS&RequestTime=1669872112",
        command = command.as_str()
    );
    let request = Request {
        flags: SIGNED,
        clock_offset: 3,
        query: query.as_bytes(),
        body: &body,
    };
    Some(Input {
        name: packet.name.clone(),
        bytes: request.encode(),
    })
}

/// `path` read, named after its path under `base` (`/` replaced by `__`).
fn input(base: &Path, path: &Path) -> Input {
    let relative = path.strip_prefix(base).unwrap_or(path);
    Input {
        name: relative.to_string_lossy().replace(['/', '\\'], "__"),
        bytes: fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display())),
    }
}

/// Every file under `folder`, recursively (none when it does not exist).
fn files_in(folder: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(folder)
        .follow_links(true)
        .into_iter()
        .flatten()
        .filter(|entry| !entry.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

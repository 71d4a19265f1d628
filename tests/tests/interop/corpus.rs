//! The parity corpus: every documentation sample, every hand-written test case, the packets on
//! both sides of every revision date (`trtc_live_tests::boundaries`), the real-traffic corpus
//! (`tests/real-traffic/`) and a few hundred generated examples, each with the verdict it must
//! get.

use serde::Serialize;
use serde_json::Value;
use trtc_live_examples::ExampleGenerator;
use trtc_live_tests::boundaries::boundaries;
use trtc_live_tests::{documentation_samples, test_cases, PacketFile, Role};
use trtc_live_validate::Command;

/// What a validator says of a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The packet passes its schema.
    Valid,
    /// The packet is JSON but breaks its schema.
    Invalid,
    /// The text is not JSON.
    Malformed,
}

/// One packet of the corpus, as the TypeScript and Python programs read it (one JSON line).
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// Unique: where the packet comes from.
    pub name: String,
    /// `request` or `response`.
    pub role: &'static str,
    /// The command word (for a response, the command it answers).
    pub command: &'static str,
    /// The generated type of the packet (the name of its definition in the bundle).
    #[serde(rename = "type")]
    pub type_name: &'static str,
    /// The JSON text every validator reads.
    pub text: String,
    /// For a valid packet: the compact JSON text Rust reads it as, numbers exact.
    pub canonical: Option<String>,
    /// The verdict the schema gives.
    #[serde(skip)]
    pub expected: Verdict,
    /// The schema accepts the packet but Rust's typed model refuses it: a number the model
    /// cannot hold exactly, such as `30000.0` (`tests/cases/*/decode-invalid`).
    #[serde(skip)]
    pub decode_refused: bool,
}

/// How many examples of each command the corpus holds (requests; a third as many responses).
const EXAMPLES_PER_COMMAND: usize = 12;

/// The whole corpus.
pub fn corpus() -> Vec<Entry> {
    let mut entries = Vec::new();
    for sample in documentation_samples() {
        // Tencent's samples carry `//` comments: the other languages read them without.
        let text =
            serde_json::to_string_pretty(&sample.readable_value()).expect("a value serializes");
        entries.push(entry(
            &format!("sample {}", sample.name),
            &sample,
            text,
            Verdict::Valid,
        ));
    }
    for (group, expected) in [
        ("valid", Some(Verdict::Valid)),
        ("strict-invalid", Some(Verdict::Valid)),
        ("semantic-warning", Some(Verdict::Valid)),
        ("warning", Some(Verdict::Valid)),
        ("decode-invalid", Some(Verdict::Valid)),
        ("invalid", None),
    ] {
        for case in test_cases(group) {
            let text = String::from_utf8(case.bytes()).expect("test cases are UTF-8");
            // An invalid case is malformed when it is not JSON at all.
            let expected = expected.unwrap_or(if parse(&text).is_some() {
                Verdict::Invalid
            } else {
                Verdict::Malformed
            });
            let mut entry = entry(
                &format!("case {group}/{}", case.name),
                &case,
                text,
                expected,
            );
            entry.decode_refused = group == "decode-invalid";
            entries.push(entry);
        }
    }
    // The older-revision rule on both sides of every date, for every clock.
    for boundary in boundaries() {
        let file = PacketFile {
            command: boundary.command,
            role: Role::Request,
            path: Default::default(),
            name: boundary.name.clone(),
        };
        let expected = if boundary.valid {
            Verdict::Valid
        } else {
            Verdict::Invalid
        };
        let text = serde_json::to_string(&boundary.packet).expect("a value serializes");
        entries.push(entry(
            &format!("boundary {}", boundary.name),
            &file,
            text,
            expected,
        ));
    }
    entries.extend(real_traffic());
    let mut examples = ExampleGenerator::new(0x5eed);
    for &command in Command::ALL {
        for index in 0..EXAMPLES_PER_COMMAND {
            let (role, packet) = if index % 3 == 2 {
                (Role::Response, examples.response(command))
            } else {
                (Role::Request, examples.request(command))
            };
            let file = PacketFile {
                command,
                role,
                path: Default::default(),
                name: format!("{}__example-{index}", command.as_str()),
            };
            let text = serde_json::to_string(&packet).expect("a value serializes");
            entries.push(entry(
                &format!("example {}", file.name),
                &file,
                text,
                Verdict::Valid,
            ));
        }
    }
    entries
}

/// The packets of `tests/real-traffic/` of known commands (the others are Chat callbacks that
/// every reader refuses alike, as unknown commands), comments removed, with the verdict the Rust
/// validator gives (`tests/tests/real_traffic.rs` holds it to the corpus' README).
fn real_traffic() -> Vec<Entry> {
    let validator = trtc_live_validate::Validator::new().expect("the schemas compile");
    let root = trtc_live_tests::repo_root()
        .join("tests")
        .join("real-traffic");
    let mut entries = Vec::new();
    for &command in Command::ALL {
        let Ok(files) = std::fs::read_dir(root.join(command.as_str())) else {
            continue;
        };
        let mut paths: Vec<_> = files.map(|f| f.expect("readable").path()).collect();
        paths.sort();
        for path in paths {
            let extension = path.extension().and_then(|e| e.to_str());
            if !matches!(extension, Some("json" | "jsonc")) {
                continue;
            }
            let bytes = std::fs::read(&path).expect("readable");
            let value = trtc_live_validate::parse_jsonc(&bytes).expect("the corpus is JSON");
            let expected = if validator.validate_value(value.clone()).is_ok() {
                Verdict::Valid
            } else {
                Verdict::Invalid
            };
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let file = PacketFile {
                command,
                role: Role::Request,
                path: path.clone(),
                name: format!("{}__{name}", command.as_str()),
            };
            let text = serde_json::to_string_pretty(&value).expect("a value serializes");
            entries.push(entry(
                &format!("real traffic {}", file.name),
                &file,
                text,
                expected,
            ));
        }
    }
    entries
}

fn entry(name: &str, file: &PacketFile, text: String, expected: Verdict) -> Entry {
    let (role, type_name) = match file.role {
        Role::Request => ("request", file.command.request_type_name()),
        Role::Response => ("response", file.command.response_type_name()),
    };
    let canonical = (expected == Verdict::Valid)
        .then(|| parse(&text))
        .flatten()
        .map(|value| value.to_string());
    Entry {
        name: name.to_owned(),
        role,
        command: file.command.as_str(),
        type_name,
        text,
        canonical,
        expected,
        decode_refused: false,
    }
}

fn parse(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok()
}

/// The entries as JSON lines.
pub fn ndjson<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> String {
    entries
        .into_iter()
        .map(|entry| serde_json::to_string(entry).expect("an entry serializes") + "\n")
        .collect()
}

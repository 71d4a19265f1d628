//! The payloads of the benchmarks (`cargo xtask bench`) and the validators they are timed with.
//!
//! Valid payloads are the documentation samples, read as the tests read them (a sample with a
//! corrected copy is read from the copy), comments removed and serialized compactly. Invalid
//! payloads are the files of `tests/cases/<command>/invalid/` byte for byte (a case such as a key
//! given twice would not survive a round trip through a value), except the ones that are not
//! JSON at all (`malformed-*`), which are left out.
//!
//! The same payloads are written as JSON lines ([`Payloads::ndjson`]) for the peers
//! (`packages/npm/bench/peers.ts`, `packages/python/bench/bench_peers.py`), so that every
//! tool reads the same bytes.

#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use trtc_live_tests::{documentation_samples, repo_root, test_cases, Role};
use trtc_live_validate::Command;

/// What the schema says of a payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The schema accepts it.
    Valid,
    /// The payload is JSON, and the schema refuses it.
    Invalid,
}

impl Kind {
    /// Both kinds, valid first.
    pub const ALL: [Kind; 2] = [Kind::Valid, Kind::Invalid];

    /// `valid` or `invalid`, as in the benchmark names and the JSON lines.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Valid => "valid",
            Kind::Invalid => "invalid",
        }
    }
}

/// A set of payloads: one benchmark iteration runs over every payload of a set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Set {
    /// Valid: every documentation sample, requests and responses. Invalid: every invalid test
    /// case that is JSON, requests and responses.
    Samples,
    /// Valid: the End Battle request sample alone (the reference payload). Invalid: the
    /// invalid End Battle request cases that are JSON.
    EndBattle,
}

impl Set {
    /// Every set.
    pub const ALL: [Set; 2] = [Set::Samples, Set::EndBattle];

    /// `samples` or `end-battle`, as in the benchmark names and the JSON lines.
    pub const fn name(self) -> &'static str {
        match self {
            Set::Samples => "samples",
            Set::EndBattle => "end-battle",
        }
    }

    /// The criterion group of this set's payloads of `kind`: `samples-valid`...
    pub fn group(self, kind: Kind) -> String {
        format!("{}-{}", self.name(), kind.name())
    }
}

/// The documentation sample that [`Set::EndBattle`] holds.
pub const END_BATTLE_SAMPLE: &str = "Live.CallbackAfterEndBattle__request";

/// One payload.
#[derive(Clone, Debug)]
pub struct Payload {
    /// Unique: `sample <command>__<stem>` or `case <command>__<stem>`.
    pub name: String,
    /// Valid or invalid.
    pub kind: Kind,
    /// Request or response.
    pub role: Role,
    /// The command whose schema decides (for a response, the command it answers).
    pub command: Command,
    /// The packet's type: the generated Rust type and the bundle's definition of that name.
    pub type_name: &'static str,
    /// The sets that hold it.
    pub sets: Vec<Set>,
    /// The JSON text every tool reads.
    pub text: String,
}

impl Payload {
    /// The bytes every tool reads.
    pub fn bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// `request` or `response`.
    pub fn role_name(&self) -> &'static str {
        match self.role {
            Role::Request => "request",
            Role::Response => "response",
        }
    }
}

/// Every payload of the benchmarks.
#[derive(Clone, Debug)]
pub struct Payloads {
    /// Valid payloads first, then invalid ones, each in file order.
    pub all: Vec<Payload>,
    /// The invalid test cases left out because they are not JSON (`malformed-*`).
    pub malformed_skipped: Vec<String>,
}

impl Payloads {
    /// Reads the documentation samples and the invalid test cases.
    pub fn load() -> Self {
        let mut all = Vec::new();
        for sample in documentation_samples() {
            let text = serde_json::to_string(&sample.readable_value()).expect("a value serializes");
            let mut sets = vec![Set::Samples];
            if sample.name == END_BATTLE_SAMPLE {
                sets.push(Set::EndBattle);
            }
            all.push(Payload {
                name: format!("sample {}", sample.name),
                kind: Kind::Valid,
                role: sample.role,
                command: sample.command,
                type_name: type_name(sample.command, sample.role),
                sets,
                text,
            });
        }
        let mut malformed_skipped = Vec::new();
        for case in test_cases("invalid") {
            let text = String::from_utf8(case.bytes())
                .unwrap_or_else(|_| panic!("{}: test cases are UTF-8", case.name));
            let stem = case.path.file_stem().unwrap_or_default().to_string_lossy();
            let is_json = serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok();
            if stem.starts_with("malformed-") || !is_json {
                malformed_skipped.push(case.name);
                continue;
            }
            let mut sets = vec![Set::Samples];
            if case.command == Command::LiveCallbackAfterEndBattle && case.role == Role::Request {
                sets.push(Set::EndBattle);
            }
            all.push(Payload {
                name: format!("case {}", case.name),
                kind: Kind::Invalid,
                role: case.role,
                command: case.command,
                type_name: type_name(case.command, case.role),
                sets,
                text,
            });
        }
        Self {
            all,
            malformed_skipped,
        }
    }

    /// The payloads of `set` of `kind`, in order.
    pub fn select(&self, set: Set, kind: Kind) -> Vec<&Payload> {
        self.all
            .iter()
            .filter(|payload| payload.kind == kind && payload.sets.contains(&set))
            .collect()
    }

    /// One JSON object per line and payload: `name`, `kind`, `role`, `command`, `type`,
    /// `sets` and `text`.
    pub fn ndjson(&self) -> String {
        let mut lines = String::new();
        for payload in &self.all {
            let line = json!({
                "name": payload.name,
                "kind": payload.kind.name(),
                "role": payload.role_name(),
                "command": payload.command.as_str(),
                "type": payload.type_name,
                "sets": payload.sets.iter().map(|set| set.name()).collect::<Vec<_>>(),
                "text": payload.text,
            });
            lines.push_str(&line.to_string());
            lines.push('\n');
        }
        lines
    }

    /// Writes [`Payloads::ndjson`] to `path`, creating its folder.
    pub fn write_ndjson(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, self.ndjson())
    }
}

/// Where the payloads are written for the peers: `$TRTC_BENCH_PAYLOADS` when set, otherwise
/// `bench/payloads.ndjson` in the cargo target folder (`$CARGO_TARGET_DIR`, or `target/`).
pub fn payloads_path() -> PathBuf {
    if let Some(path) = std::env::var_os("TRTC_BENCH_PAYLOADS") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    target.join("bench/payloads.ndjson")
}

fn type_name(command: Command, role: Role) -> &'static str {
    match role {
        Role::Request => command.request_type_name(),
        Role::Response => command.response_type_name(),
    }
}

/// The jsonschema crate's validators built once from the bundle
/// (`dist/trtc-live-webhooks.schema.json`, [`trtc_live_types::BUNDLED_SCHEMA`]), draft 7: the
/// bundle's root for requests (it routes on `CallbackCommand`), `#/definitions/<Type>` for
/// responses. The peers use the same schemas. The root is compiled without its `oneOf`, the
/// list of packets it carries for code generators: the same verdicts, and the routing alone is
/// what the validator measured against them does.
pub struct BundleValidators {
    root: jsonschema::Validator,
    responses: HashMap<&'static str, jsonschema::Validator>,
}

impl std::fmt::Debug for BundleValidators {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BundleValidators")
            .field("responses", &self.responses.len())
            .finish_non_exhaustive()
    }
}

impl BundleValidators {
    /// Compiles the bundle's root and the definition of every response type.
    pub fn new() -> Result<Self, String> {
        let bundle: Value = serde_json::from_str(trtc_live_types::BUNDLED_SCHEMA)
            .map_err(|e| format!("the bundle is not JSON: {e}"))?;
        let mut routing = bundle.clone();
        if let Some(root) = routing.as_object_mut() {
            root.shift_remove("oneOf");
        }
        let root = compile(&routing)?;
        let mut responses = HashMap::new();
        for &command in Command::ALL {
            let name = command.response_type_name();
            // Draft 7 ignores the siblings of `$ref`: the definition is referenced from `allOf`.
            let schema = json!({
                "$schema": bundle["$schema"],
                "$id": bundle["$id"],
                "definitions": bundle["definitions"],
                "allOf": [{ "$ref": format!("#/definitions/{name}") }],
            });
            responses.insert(name, compile(&schema)?);
        }
        Ok(Self { root, responses })
    }

    /// The validator of `payload`'s type.
    pub fn for_payload(&self, payload: &Payload) -> &jsonschema::Validator {
        match payload.role {
            Role::Request => &self.root,
            Role::Response => &self.responses[payload.type_name],
        }
    }
}

fn compile(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(schema)
        .map_err(|e| format!("cannot compile the bundle: {e}"))
}

/// A typed parse of a payload from its bytes: `serde_json::from_slice::<T>`, `T` the generated
/// type of the payload; whether it succeeded.
pub type TypedParse = fn(&[u8]) -> bool;

macro_rules! typed_parsers {
    ($($type:ident),* $(,)?) => {
        /// The typed parse into the generated type named `type_name`
        /// (`LiveCallbackAfterEndBattle`), if the table below names it.
        pub fn typed_parse(type_name: &str) -> Option<TypedParse> {
            match type_name {
                $(stringify!($type) => Some(|bytes: &[u8]| {
                    serde_json::from_slice::<trtc_live_types::$type>(bytes).is_ok()
                }),)*
                _ => None,
            }
        }
    };
}

// Every packet type; a webhook added later fails the benchmark's checks until it is named here.
typed_parsers!(
    FollowCallbackAfterFollowAdd,
    FollowCallbackAfterFollowAddResponse,
    FollowCallbackAfterFollowDelete,
    FollowCallbackAfterFollowDeleteResponse,
    GroupCallbackAfterSendMsg,
    GroupCallbackAfterSendMsgResponse,
    GroupCallbackBeforeSendMsg,
    GroupCallbackBeforeSendMsgResponse,
    LiveCallbackAfterChangeOwner,
    LiveCallbackAfterChangeOwnerResponse,
    LiveCallbackAfterCreateBattle,
    LiveCallbackAfterCreateBattleResponse,
    LiveCallbackAfterCreateRoom,
    LiveCallbackAfterCreateRoomResponse,
    LiveCallbackAfterCreateRoomReachingThreshold,
    LiveCallbackAfterCreateRoomReachingThresholdResponse,
    LiveCallbackAfterDelMetadata,
    LiveCallbackAfterDelMetadataResponse,
    LiveCallbackAfterDestroyRoom,
    LiveCallbackAfterDestroyRoomResponse,
    LiveCallbackAfterEndBattle,
    LiveCallbackAfterEndBattleResponse,
    LiveCallbackAfterMemberStateChanged,
    LiveCallbackAfterMemberStateChangedResponse,
    LiveCallbackAfterModifyAdmin,
    LiveCallbackAfterModifyAdminResponse,
    LiveCallbackAfterSetMetadata,
    LiveCallbackAfterSetMetadataResponse,
    LiveCallbackAfterStartBattle,
    LiveCallbackAfterStartBattleResponse,
    LiveCallbackAfterUpdateRoomInfo,
    LiveCallbackAfterUpdateRoomInfoResponse,
    LiveCallbackBeforeSendGift,
    LiveCallbackBeforeSendGiftResponse,
    MicCallbackAfterSeatInfoChanged,
    MicCallbackAfterSeatInfoChangedResponse,
);

#[cfg(test)]
mod tests {
    use super::*;
    use trtc_live_validate::{Rejection, Validator};

    /// Each payload gets the verdict of its kind from every path the benchmarks time, so that
    /// the timings are of the work they claim to be.
    #[test]
    fn every_path_gives_each_payload_the_verdict_of_its_kind() {
        let payloads = Payloads::load();
        let validator = Validator::new().expect("the schemas compile");
        let bundle = BundleValidators::new().expect("the bundle compiles");
        let mut wrong = Vec::new();
        for payload in &payloads.all {
            let valid = payload.kind == Kind::Valid;
            let library = match payload.role {
                Role::Request => validator.validate(payload.bytes()).map(drop),
                Role::Response => validator
                    .validate_response(payload.command, payload.bytes())
                    .map(drop),
            };
            if library.is_ok() != valid || matches!(library, Err(Rejection::Syntax(_))) {
                wrong.push(format!("{}: the library says {library:?}", payload.name));
            }
            let value: Value = serde_json::from_slice(payload.bytes()).expect("JSON");
            if bundle.for_payload(payload).is_valid(&value) != valid {
                wrong.push(format!("{}: the bundle's verdict", payload.name));
            }
            let typed = typed_parse(payload.type_name)
                .unwrap_or_else(|| panic!("no typed parse for {}", payload.type_name));
            if valid && !typed(payload.bytes()) {
                wrong.push(format!("{}: the typed parse refuses it", payload.name));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn every_set_holds_payloads_of_both_kinds() {
        let payloads = Payloads::load();
        for set in Set::ALL {
            for kind in Kind::ALL {
                assert!(
                    !payloads.select(set, kind).is_empty(),
                    "{} is empty",
                    set.group(kind)
                );
            }
        }
        let end_battle = payloads.select(Set::EndBattle, Kind::Valid);
        assert_eq!(end_battle.len(), 1, "the End Battle request sample alone");
        assert_eq!(end_battle[0].name, format!("sample {END_BATTLE_SAMPLE}"));
        let ndjson = payloads.ndjson();
        assert_eq!(ndjson.lines().count(), payloads.all.len());
        for line in ndjson.lines() {
            let entry: Value = serde_json::from_str(line).expect("each line is JSON");
            let text = entry["text"].as_str().expect("a text");
            assert!(payloads.all.iter().any(|payload| payload.text == text));
        }
    }
}

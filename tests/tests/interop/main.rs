//! The schemas in other languages: the npm package `trtc-live-webhooks` (`packages/npm`,
//! installed from its packed tarball, `npm.rs`) and the Python package (`packages/python`,
//! installed from its wheel, `python.rs`) read every packet with the Rust validator's verdict;
//! their types (the npm package's, generated from the bundle, and the Python package's pydantic
//! models) accept every valid sample; account ids stay exact; on the mutation corpus
//! (`differential.rs`) the Rust validator, the jsonschema crate and both packages give every
//! mutant the same verdict; both packages' receivers answer every request as the Rust receiver
//! does (`receive.rs`, `python.rs`); and the npm package's public API works from ESM and
//! CommonJS, with deliveries signed by `trtc-live send` over loopback (`npm_package.rs`). Each
//! package is built and installed by the first test that needs it, with pinned dependencies.

mod corpus;
mod differential;
mod npm;
mod npm_package;
mod python;
mod readme;
mod receive;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use corpus::{corpus, ndjson, Entry, Verdict};
use serde_json::Value;
use trtc_live_validate::{Command as Webhook, Rejection, Validator};

pub use trtc_live_tests::process::{checked, run_with_input};

/// The npm package, installed into its consumer project and compiled.
fn consumer() -> &'static npm::Consumer {
    npm::consumer(samples_module)
}

/// A file of this test run's scratch folder.
fn scratch(name: &str, contents: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

/// The valid packets whose numbers Rust's typed model holds as written: the ones every
/// language must read back exactly.
fn exactly_readable() -> Vec<Entry> {
    corpus()
        .into_iter()
        .filter(|entry| entry.expected == Verdict::Valid && !entry.decode_refused)
        .collect()
}

/// `src/samples.ts` of the consumer: each exactly readable packet declared `satisfies` its type
/// of the package, integers beyond 2^53 as bigints, so that `tsc` checks the types against every
/// one (a bigint where a type says `number` does not compile).
fn samples_module() -> String {
    let samples = exactly_readable();
    let mut module = String::from(
        "// Written by tests/tests/interop: every valid sample, checked by tsc against its type.\n\
         import type * as Schema from \"trtc-live-webhooks\";\n\n",
    );
    module += &format!("export const sampleCount = {};\n\n", samples.len());
    module += "export const samples = [\n";
    for sample in &samples {
        let value: Value =
            serde_json::from_str(sample.canonical.as_deref().expect("valid entries have one"))
                .expect("the canonical text is JSON");
        module += &format!(
            "  // {}\n  {} satisfies Schema.{},\n",
            sample.name,
            typescript_literal(&value),
            sample.type_name
        );
    }
    module + "];\n"
}

/// `value` as a TypeScript expression: JSON, but an integer beyond 2^53 is a bigint literal.
fn typescript_literal(value: &Value) -> String {
    const MAX_SAFE: u64 = (1 << 53) - 1;
    match value {
        Value::Number(number) => {
            let beyond = number.as_u64().is_some_and(|n| n > MAX_SAFE)
                || number.as_i64().is_some_and(|n| n.unsigned_abs() > MAX_SAFE);
            if beyond {
                format!("{number}n")
            } else {
                number.to_string()
            }
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(typescript_literal).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(members) => {
            let members: Vec<String> = members
                .iter()
                .map(|(key, value)| {
                    format!(
                        "{}: {}",
                        Value::from(key.as_str()),
                        typescript_literal(value)
                    )
                })
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        other => other.to_string(),
    }
}

fn rust_verdict(validator: &Validator, entry: &Entry) -> (Verdict, bool) {
    let command = Webhook::from_command_word(entry.command).expect("a known command");
    let result = match entry.role {
        "response" => validator
            .validate_response(command, entry.text.as_bytes())
            .map(drop),
        _ => validator.validate(entry.text.as_bytes()).map(drop),
    };
    match result {
        Ok(()) => (Verdict::Valid, false),
        // The schema accepted it; the typed model refused a number's form.
        Err(Rejection::Decode { .. }) => (Verdict::Valid, true),
        Err(Rejection::Syntax(_)) => (Verdict::Malformed, false),
        Err(_) => (Verdict::Invalid, false),
    }
}

/// What the npm package said of a packet: its verdict, and the warnings of a valid request (as
/// the Rust validator serializes its `Warning`s).
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct PackageVerdict {
    pub verdict: Verdict,
    #[serde(default)]
    pub warnings: Vec<Value>,
}

/// The verdicts a program printed, by packet name.
fn verdicts_of(language: &str, output: std::process::Output) -> BTreeMap<String, PackageVerdict> {
    assert!(
        output.status.success(),
        "{language} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| {
            #[derive(serde::Deserialize)]
            struct Line {
                name: String,
                #[serde(flatten)]
                verdict: PackageVerdict,
            }
            let line: Line = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            (line.name, line.verdict)
        })
        .collect()
}

/// The warnings the Rust validator gives a valid request (`validate_with_warnings`), as it
/// serializes them; none for anything else.
fn rust_warnings(validator: &Validator, role: &str, text: &str) -> Vec<Value> {
    if role == "response" {
        return Vec::new();
    }
    validator
        .validate_with_warnings(text.as_bytes())
        .map(|validated| serde_json::to_value(validated.warnings).expect("warnings serialize"))
        .ok()
        .and_then(|value| value.as_array().cloned())
        .unwrap_or_default()
}

/// What the npm package must say of `entry`: the Rust validator's verdict, a number its typed
/// model refuses included.
fn npm_verdict(entry: &Entry) -> Verdict {
    if entry.decode_refused {
        Verdict::Invalid
    } else {
        entry.expected
    }
}

#[test]
fn rust_and_both_packages_give_every_packet_the_same_verdict() {
    let entries = corpus();
    let count = |f: fn(&Entry) -> bool| entries.iter().filter(|e| f(e)).count();
    assert!(
        count(|e| e.name.starts_with("sample ")) >= 30,
        "documentation samples"
    );
    assert!(
        count(|e| e.expected == Verdict::Invalid) >= 100,
        "invalid cases"
    );
    assert!(
        count(|e| e.expected == Verdict::Malformed) >= 5,
        "malformed cases"
    );
    assert!(count(|e| e.name.starts_with("example ")) >= 200, "examples");
    assert!(
        count(|e| e.decode_refused) >= 1,
        "numbers the typed model refuses"
    );

    let path = scratch("interop-corpus.ndjson", &ndjson(&entries));
    let npm = verdicts_of(
        "the npm package",
        consumer().node("verdicts", &[&path], b""),
    );
    let python_verdicts = python::verdicts(&path);
    let validator = Validator::new().unwrap();
    let mut disagreements = Vec::new();
    let mut warned: BTreeMap<String, usize> = BTreeMap::new();
    for entry in &entries {
        let (rust, decode_refused) = rust_verdict(&validator, entry);
        // The warnings of a valid request: the same kind, pointer and message in all three.
        let warnings = rust_warnings(&validator, entry.role, &entry.text);
        for warning in &warnings {
            *warned
                .entry(warning["kind"].as_str().unwrap_or("?").to_owned())
                .or_default() += 1;
        }
        let npm_warnings = npm.get(&entry.name).map(|v| &v.warnings);
        let python_warnings = python_verdicts.get(&entry.name).map(|v| &v.warnings);
        if npm_warnings != Some(&warnings) || python_warnings != Some(&warnings) {
            disagreements.push(format!(
                "{}: warnings differ\n  Rust   {warnings:?}\n  npm    {npm_warnings:?}\n  Python {python_warnings:?}",
                entry.name
            ));
        }
        let python = python_verdicts.get(&entry.name);
        let python_decode = python.map(|p| p.decode);
        let python = python.map(|p| p.schema_verdict());
        let npm = npm.get(&entry.name).map(|v| &v.verdict);
        let said =
            |verdict: Option<&Verdict>| verdict.map_or("nothing".into(), |v| format!("{v:?}"));
        if [Some(&rust), python.as_ref()] != [Some(&entry.expected); 2]
            || npm != Some(&npm_verdict(entry))
            || decode_refused != entry.decode_refused
            || python_decode != Some(decode_refused)
        {
            disagreements.push(format!(
                "{}: expected {:?}{}; Rust {rust:?}{}, the npm package {}, Python {} (typed model \
                 refusing it: {python_decode:?})",
                entry.name,
                entry.expected,
                if entry.decode_refused {
                    " (Rust's typed model refusing it, and the packages')"
                } else {
                    ""
                },
                if decode_refused {
                    " (typed model refused it)"
                } else {
                    ""
                },
                said(npm),
                said(python.as_ref()),
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} packets without the same verdict and warnings everywhere:\n{}",
        disagreements.len(),
        entries.len(),
        disagreements.join("\n")
    );
    // The corpus holds warnings of every kind (tests/cases/*/warning/, */semantic-warning/, the
    // revision boundaries, the real traffic).
    for kind in ["semantic", "older_revision", "unknown_enum_value"] {
        assert!(
            warned.get(kind).is_some_and(|&count| count >= 5),
            "the corpus lost its {kind} warnings: {warned:?}"
        );
    }
    eprintln!(
        "{} packets, one verdict and the same warnings from the three: {warned:?}",
        entries.len()
    );
}

#[test]
fn the_package_types_accept_every_valid_sample_which_reads_back_exactly() {
    let path = scratch(
        "interop-valid-typescript.ndjson",
        &ndjson(&exactly_readable()),
    );
    let output = consumer().node("check-samples", &[&path], b"");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn pydantic_models_parse_every_valid_sample_exactly() {
    let samples = exactly_readable();
    let path = scratch("interop-valid-python.ndjson", &ndjson(&samples));
    let verdicts = python::verdicts(&path);
    let wrong: Vec<String> = samples
        .iter()
        .filter(|sample| {
            let verdict = verdicts.get(&sample.name);
            verdict.map(|v| (v.verdict, v.exact)) != Some((Verdict::Valid, Some(true)))
        })
        .map(|sample| format!("{}: {:?}", sample.name, verdicts.get(&sample.name)))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} valid packets not read back exactly by the models:\n{}",
        wrong.len(),
        samples.len(),
        wrong.join("\n")
    );
}

/// The sample that prints the account id 144115245442327522 as a bare integer, without its
/// comments.
fn end_battle_sample() -> Vec<u8> {
    let value = trtc_live_tests::sample_value("Live.CallbackAfterEndBattle", "request.jsonc");
    let text = serde_json::to_string_pretty(&value).unwrap();
    assert!(text.contains(": 144115245442327522"), "{text}");
    text.into_bytes()
}

#[test]
fn node_json_parse_rounds_the_account_id_but_the_package_does_not() {
    // The problem: JSON.parse reads the number into a double.
    let output = Command::new("node")
        .args([
            "-e",
            "console.log(String(JSON.parse('{\"a\": 144115245442327522}').a))",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "144115245442327520\n"
    );
    // The README's program: exact.
    let output = consumer().node("example", &[], &end_battle_sample());
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        printed,
        "Live.CallbackAfterEndBattle owners: 144115245353757792, 144115245442327522\n"
    );
    // And what it says of a packet it refuses.
    let output = consumer().node(
        "example",
        &[],
        br#"{"CallbackCommand": "Live.CallbackAfterEndBattle", "OpType": -1}"#,
    );
    assert_eq!(output.status.code(), Some(1));
    let printed = String::from_utf8_lossy(&output.stderr);
    assert!(
        printed.contains(
            "invalid: /OpType: -1 is not a BattleEndReason: an integer from 0 to 9007199254740991 \
             (known: 0, 1, 2; another is accepted with a warning) [anyOf]"
        ),
        "{printed}"
    );
}

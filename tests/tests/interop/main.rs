//! The schemas in other languages: the bundle `dist/trtc-live-webhooks.schema.json` is read by
//! ajv (Node) and by the Python package `packages/python` with the same verdicts as the Rust
//! validator; types generated from it (json-schema-to-typescript) and the package's pydantic
//! models accept every valid sample; account ids stay exact; and on the mutation corpus
//! (`differential.rs`) the Rust validator, the jsonschema crate, ajv and the Python package
//! give every mutant the same verdict. The TypeScript tools are installed by the first test
//! that needs them (`setup.rs`), pinned, into git-ignored folders of `interop/`; the Python
//! package is built and installed into a new virtual environment (`python.rs`).

mod corpus;
mod differential;
mod python;
mod readme;
mod setup;

use std::collections::BTreeMap;
use std::path::PathBuf;

use corpus::{corpus, ndjson, Entry, Verdict};
use setup::Tools;
use trtc_live_validate::{Command, Rejection, Validator};

fn tools() -> &'static Tools {
    setup::tools(samples_module)
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

/// `generated/samples.ts`: each exactly readable packet declared `satisfies` its generated
/// type, so that `tsc` checks the types against every one.
fn samples_module() -> String {
    let samples = exactly_readable();
    let mut module = String::from(
        "// Written by tests/tests/interop: every valid sample, checked by tsc against its type.\n\
         import type * as Schema from \"./webhooks.js\";\n\n",
    );
    module += &format!("export const sampleCount = {};\n\n", samples.len());
    module += "export const samples = [\n";
    for sample in &samples {
        module += &format!(
            "  // {}\n  {} satisfies Schema.{},\n",
            sample.name,
            sample.canonical.as_deref().expect("valid entries have one"),
            sample.type_name
        );
    }
    module + "];\n"
}

fn rust_verdict(validator: &Validator, entry: &Entry) -> (Verdict, bool) {
    let command = Command::from_command_word(entry.command).expect("a known command");
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

/// The verdicts a program printed, by packet name.
fn verdicts_of(language: &str, output: std::process::Output) -> BTreeMap<String, Verdict> {
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
                verdict: Verdict,
            }
            let line: Line = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            (line.name, line.verdict)
        })
        .collect()
}

#[test]
fn rust_ajv_and_python_give_every_packet_the_same_verdict() {
    let tools = tools();
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

    let path = scratch("interop-corpus.ndjson", &ndjson(&entries));
    let bundle = tools.bundle();
    let ajv = verdicts_of("ajv", tools.node("verdicts", &[&bundle, &path], b""));
    let python_verdicts = python::verdicts(&path);
    let validator = Validator::new().unwrap();
    let mut disagreements = Vec::new();
    for entry in &entries {
        let (rust, decode_refused) = rust_verdict(&validator, entry);
        let python = python_verdicts.get(&entry.name);
        let python_decode = python.map(|p| p.decode);
        let python = python.map(|p| p.schema_verdict());
        let ajv = ajv.get(&entry.name);
        let said =
            |verdict: Option<&Verdict>| verdict.map_or("nothing".into(), |v| format!("{v:?}"));
        if [Some(&rust), ajv, python.as_ref()] != [Some(&entry.expected); 3]
            || decode_refused != entry.decode_refused
            || python_decode != Some(decode_refused)
        {
            disagreements.push(format!(
                "{}: expected {:?}{}; Rust {rust:?}{}, ajv {}, Python {} (typed model refusing it: {python_decode:?})",
                entry.name,
                entry.expected,
                if entry.decode_refused {
                    " (Rust's typed model refusing it)"
                } else {
                    ""
                },
                if decode_refused {
                    " (typed model refused it)"
                } else {
                    ""
                },
                said(ajv),
                said(python.as_ref()),
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} packets without the same verdict everywhere:\n{}",
        disagreements.len(),
        entries.len(),
        disagreements.join("\n")
    );
}

#[test]
fn typescript_types_accept_every_valid_sample_which_reads_back_exactly() {
    let tools = tools();
    let path = scratch(
        "interop-valid-typescript.ndjson",
        &ndjson(&exactly_readable()),
    );
    let output = tools.node("check-samples", &[&tools.bundle(), &path], b"");
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
fn node_json_parse_rounds_the_account_id_but_the_reader_does_not() {
    let tools = tools();
    // The problem: JSON.parse reads the number into a double.
    let output = std::process::Command::new("node")
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
    let output = tools.node("example", &[&tools.bundle()], &end_battle_sample());
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
}

//! Four validators on the mutation corpus of `trtc_live_tests::mutation` (requests and
//! responses, singles and pairs; `TRTC_DIFFERENTIAL=full` for every pair): the Rust validator
//! (`Validator::validate`, whose agreement with `is_valid`, `check` and the schema path
//! `tests/tests/fast_path.rs` checks on the same corpus), the jsonschema crate on the bundle,
//! the npm package's `parseWebhook` and `parseResponse` (ajv on its exact reading) and the
//! Python package (`parse_webhook`: Python's jsonschema, then its typed models). Every mutant
//! must get one verdict from all four; the only exceptions are numbers that one of them cannot
//! hold, each named in [`Exception`]. Both packages must moreover give the Rust validator's
//! verdict itself, exceptions included: they refuse what Rust's typed model refuses.

use std::collections::BTreeMap;

use serde_json::Value;
use trtc_live_tests::mutation::{self, census, Mutant, Scope};
use trtc_live_tests::Role;
use trtc_live_validate::{parse_json, Command, Rejection, Validator, BUNDLED_SCHEMA};

use crate::corpus::Verdict;
use crate::python::PythonVerdict;
use crate::{consumer, python, rust_warnings, scratch, verdicts_of};

/// A difference between validators that is known and explained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Exception {
    /// Rust's typed model refuses an integer the schema accepts written as `30000.0`, `1e2` or
    /// `-0` (serde_json reads these as doubles), and so does the npm package; the jsonschema
    /// crate and Python's jsonschema, reading the schema alone, say valid.
    TypedModelRefusesFloatForm,
}

/// What the Rust validator's `validate` said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RustVerdict {
    Valid,
    /// The schema path's verdict: the schema (or the command) refused it.
    Invalid,
    /// The typed model refused a number that the jsonschema crate accepted.
    Decode,
    Malformed,
}

fn rust_verdict(validator: &Validator, mutant: &Mutant) -> RustVerdict {
    let text = mutant.text.as_bytes();
    let result = match mutant.role {
        Role::Request => validator.validate(text).map(drop),
        Role::Response => validator.validate_response(mutant.command, text).map(drop),
    };
    match result {
        Ok(()) => RustVerdict::Valid,
        Err(Rejection::Decode { .. }) => RustVerdict::Decode,
        Err(Rejection::Syntax(_)) => RustVerdict::Malformed,
        Err(_) => RustVerdict::Invalid,
    }
}

/// The jsonschema crate's verdict with the bundle (requests) or a response definition.
struct CrateJudge {
    requests: jsonschema::Validator,
    responses: BTreeMap<&'static str, jsonschema::Validator>,
}

impl CrateJudge {
    fn new() -> Self {
        let bundle: Value = serde_json::from_str(BUNDLED_SCHEMA).unwrap();
        let responses = Command::ALL
            .iter()
            .map(|command| {
                let schema = serde_json::json!({
                    "$ref": format!("#/definitions/{}", command.response_type_name()),
                    "definitions": bundle["definitions"],
                });
                (command.as_str(), jsonschema::draft7::new(&schema).unwrap())
            })
            .collect();
        Self {
            requests: jsonschema::draft7::new(&bundle).unwrap(),
            responses,
        }
    }

    fn verdict(&self, mutant: &Mutant) -> Verdict {
        let Ok(value) = parse_json(mutant.text.as_bytes()) else {
            return Verdict::Malformed;
        };
        let schema = match mutant.role {
            Role::Request => &self.requests,
            Role::Response => &self.responses[mutant.command.as_str()],
        };
        if schema.is_valid(&value) {
            Verdict::Valid
        } else {
            Verdict::Invalid
        }
    }
}

/// Whether the mutant holds a number of the form `exception` is about.
fn holds_number_for(exception: Exception, mutant: &Mutant) -> bool {
    mutant.replacements().any(|raw| {
        let numeric = raw.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
        match exception {
            Exception::TypedModelRefusesFloatForm => {
                numeric && (raw == "-0" || raw.contains(['.', 'e']))
            }
        }
    })
}

/// The exception that explains the four verdicts, if they differ: `None` when they agree,
/// `Some(Err(()))` when nothing explains them (the npm package's verdict is always Rust's).
fn explain(
    mutant: &Mutant,
    rust: RustVerdict,
    jsonschema: Verdict,
    package: Verdict,
    python: Verdict,
) -> Option<Result<Exception, ()>> {
    let as_verdict = match rust {
        RustVerdict::Valid => Verdict::Valid,
        RustVerdict::Invalid | RustVerdict::Decode => Verdict::Invalid,
        RustVerdict::Malformed => Verdict::Malformed,
    };
    if as_verdict != package {
        return Some(Err(()));
    }
    if rust != RustVerdict::Decode && jsonschema == package && python == package {
        return None;
    }
    let exception = match (rust, jsonschema, package, python) {
        (RustVerdict::Decode, Verdict::Valid, Verdict::Invalid, Verdict::Valid) => {
            Exception::TypedModelRefusesFloatForm
        }
        _ => return Some(Err(())),
    };
    Some(if holds_number_for(exception, mutant) {
        Ok(exception)
    } else {
        Err(())
    })
}

/// Whether the Python package's verdict is the Rust validator's, a decode refusal included.
/// (No schema bounds an integer at a 64-bit limit a double rounds onto any more, `i64::MIN`:
/// every integer that is not an account id or a sequence number is bounded within 2^53 - 1,
/// so the two schema checks agree on every integer beyond 64 bits too.)
fn python_gives_the_rust_verdict(rust: RustVerdict, python: &PythonVerdict) -> bool {
    match rust {
        RustVerdict::Valid => python.verdict == Verdict::Valid,
        RustVerdict::Invalid => python.verdict == Verdict::Invalid && !python.decode,
        RustVerdict::Decode => python.verdict == Verdict::Invalid && python.decode,
        RustVerdict::Malformed => python.verdict == Verdict::Malformed,
    }
}

/// One line of the NDJSON the npm package's and the Python package's programs read.
#[derive(serde::Serialize)]
struct Line<'a> {
    name: String,
    role: &'static str,
    command: &'static str,
    text: &'a str,
}

#[test]
fn rust_jsonschema_the_npm_package_and_python_agree_on_every_mutant() {
    let consumer = consumer();
    let scope = Scope::from_env();
    let mut mutants = Vec::new();
    for role in [Role::Request, Role::Response] {
        mutants.extend(mutation::mutants(&mutation::seeds(role, scope), scope));
    }
    let mut ndjson = String::new();
    for (index, mutant) in mutants.iter().enumerate() {
        let line = Line {
            name: index.to_string(),
            role: match mutant.role {
                Role::Request => "request",
                Role::Response => "response",
            },
            command: mutant.command.as_str(),
            text: &mutant.text,
        };
        ndjson += &serde_json::to_string(&line).unwrap();
        ndjson.push('\n');
    }
    let path = scratch("interop-mutants.ndjson", &ndjson);
    drop(ndjson);
    // Node, Python and Rust at the same time.
    let (package, python, rust) = std::thread::scope(|threads| {
        let package = threads
            .spawn(|| verdicts_of("the npm package", consumer.node("verdicts", &[&path], b"")));
        let python = threads.spawn(|| python::verdicts(&path));
        let validator = Validator::new().unwrap();
        let judge = CrateJudge::new();
        let rust: Vec<(RustVerdict, Verdict, Vec<Value>)> = mutants
            .iter()
            .map(|mutant| {
                let role = match mutant.role {
                    Role::Request => "request",
                    Role::Response => "response",
                };
                (
                    rust_verdict(&validator, mutant),
                    judge.verdict(mutant),
                    rust_warnings(&validator, role, &mutant.text),
                )
            })
            .collect();
        (package.join().unwrap(), python.join().unwrap(), rust)
    });

    let mut exceptions: BTreeMap<Exception, usize> = BTreeMap::new();
    let mut verdicts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut warned = 0;
    let mut disagreements = Vec::new();
    for (index, (mutant, (rust, jsonschema, warnings))) in mutants.iter().zip(rust).enumerate() {
        let name = index.to_string();
        let (Some(package_verdict), Some(python_verdict)) = (package.get(&name), python.get(&name))
        else {
            disagreements.push(format!(
                "{}: no verdict from the npm package or Python",
                mutant.name()
            ));
            continue;
        };
        // A valid request's warnings: the same kind, pointer and message from the three.
        if package_verdict.warnings != warnings || python_verdict.warnings != warnings {
            disagreements.push(format!(
                "{}: warnings differ\n  Rust   {warnings:?}\n  npm    {:?}\n  Python {:?}\n  {}",
                mutant.name(),
                package_verdict.warnings,
                python_verdict.warnings,
                mutant.text
            ));
        }
        warned += usize::from(!warnings.is_empty());
        let package = package_verdict.verdict;
        if !python_gives_the_rust_verdict(rust, python_verdict) {
            disagreements.push(format!(
                "{} ({:?} {}): Rust validate {rust:?}, Python package {python_verdict:?}\n  {}",
                mutant.name(),
                mutant.role,
                mutant.command.as_str(),
                mutant.text
            ));
        }
        let python = python_verdict.schema_verdict();
        *verdicts
            .entry(match package {
                Verdict::Valid => "valid",
                Verdict::Invalid => "invalid",
                Verdict::Malformed => "malformed",
            })
            .or_default() += 1;
        match explain(mutant, rust, jsonschema, package, python) {
            None => {}
            Some(Ok(exception)) => *exceptions.entry(exception).or_default() += 1,
            Some(Err(())) => disagreements.push(format!(
                "{} ({:?} {}): Rust validate {rust:?}, jsonschema crate {jsonschema:?}, the npm package {package:?}, Python {python:?}\n  {}",
                mutant.name(),
                mutant.role,
                mutant.command.as_str(),
                mutant.text
            )),
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} mutants without one verdict:\n{}",
        disagreements.len(),
        mutants.len(),
        disagreements.join("\n")
    );
    assert!(mutants.len() >= 20_000, "only {} mutants", mutants.len());
    assert!(
        exceptions.contains_key(&Exception::TypedModelRefusesFloatForm),
        "the corpus lost its integers written as floats"
    );
    assert!(
        warned >= 100,
        "only {warned} mutants with warnings to compare"
    );
    eprintln!(
        "{} mutants ({scope:?}), one verdict from the four validators ({verdicts:?}) but for {exceptions:?}, the same warnings from Rust and both packages ({warned} mutants with warnings); {:?}",
        mutants.len(),
        census(&mutants)
    );
}

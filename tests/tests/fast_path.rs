//! The validator's fast path (a request decoded straight from its bytes into its type) against
//! the schema, over the mutation corpus of `trtc_live_tests::mutation`: seeds carrying every
//! member every schema defines, each member removed, given twice, or replaced by values of every
//! JSON type, at and beyond every integer bound, `30000.0`, `1e2` and `1e400` included, by near
//! misses of its own value, with unknown members added, and pairs of such mutations
//! (`TRTC_DIFFERENTIAL=full` runs every seed and every pair, the default the seeds that bring
//! new members and a fixed selection of pairs). `tests/tests/interop` runs the same corpus
//! through ajv and the Python package.
//!
//! For every mutant, `Validator::validate` (fast path first) must give exactly what the schema
//! path gives (`parse_json` + `validate_value`: jsonschema, then the typed decode), typed value
//! included, `Validator::is_valid` (one pass, no value) and `Validator::check` the same verdict
//! (and responses likewise); and that verdict must be the jsonschema
//! crate's on the bundled schema, but where the schema accepts a number that Rust's typed model
//! refuses (`30000.0` or `-0`, which draft-07 calls integers). A mutant that is not JSON text
//! for serde_json (`1e400`, beyond a double) must be a syntax error. (An integer just beyond an
//! `i64` bound, which the jsonschema crate reads as a double rounded onto the bound, cannot
//! differ any more: no schema bounds an integer at `i64::MIN` since they bound counts, times and
//! scores within 2^53 - 1.)

use serde_json::Value;
use trtc_live_tests::mutation::{self, census, mutants, Mutant, Scope, Seed};
use trtc_live_tests::{test_cases, Role};
use trtc_live_validate::{
    parse_json, warnings, Checked, Command, Options, Rejection, Validator, Webhook, BUNDLED_SCHEMA,
};

/// Why the library may refuse, as `decode`, a mutant that the jsonschema crate accepts: the
/// number `raw` is an integer that Rust's typed model does not read, and that the schema cannot
/// tell apart from one it does.
fn typed_refusal_reason(raw: &str) -> Option<&'static str> {
    if !raw.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) {
        return None;
    }
    if raw == "-0" {
        // serde_json reads `-0` as the double -0.0; draft-07 counts it as the integer 0.
        return Some("-0, which serde_json reads as a double");
    }
    // Draft-07 counts `30000.0` and `1e2` as integers.
    raw.contains(['.', 'e'])
        .then_some("an integer written with a fraction or an exponent")
}

/// What `Validator::check` must give for a packet that `validate` typed: its command, and the
/// warnings of the typed value (semantic, older revisions, unknown enumeration values).
fn checked_by_typing(webhook: &Webhook) -> Checked {
    Checked {
        command: webhook.command(),
        warnings: warnings(webhook),
    }
}

/// What the mutants came to: the failures, and the refusals of the typed model alone.
#[derive(Default)]
struct Tally {
    count: usize,
    failures: Vec<String>,
    typed_refusals: std::collections::BTreeMap<&'static str, usize>,
    /// Mutants that are not JSON text for serde_json (a number beyond a double's range), which
    /// the library must refuse as syntax.
    not_json: usize,
}

impl Tally {
    /// Judges one mutant: the library's result, against the schema path's (given the parsed
    /// text) and the jsonschema crate's verdict with `schema`.
    fn judge<T: PartialEq>(
        &mut self,
        mutant: &Mutant,
        library: &Result<T, Rejection>,
        schema_path: impl FnOnce(Value) -> Result<T, Rejection>,
        schema: &jsonschema::Validator,
    ) {
        self.count += 1;
        let name = mutant.name();
        let value = match parse_json(mutant.text.as_bytes()) {
            Ok(value) => value,
            Err(_) => {
                self.not_json += 1;
                if !matches!(library, Err(Rejection::Syntax(_))) {
                    self.failures.push(format!(
                        "{name}: not JSON for serde_json, not a syntax error"
                    ));
                }
                return;
            }
        };
        let schema_valid = schema.is_valid(&value);
        let schema_path = &schema_path(value);
        match (library, schema_path) {
            (Ok(fast), Ok(slow)) if fast != slow => {
                self.failures.push(format!("{name}: typed values differ"))
            }
            (Ok(_), Err(rejection)) => self.failures.push(format!(
                "{name}: fast path accepted, schema path: {rejection}"
            )),
            (Err(_), Ok(_)) => self.failures.push(format!("{name}: schema path accepted")),
            _ => {}
        }
        match (library, schema_valid) {
            (Ok(_), true)
            | (Err(Rejection::Schema { .. } | Rejection::UnknownCommand(_)), false) => {}
            (Err(Rejection::Decode { .. }), true) => {
                match mutant.replacements().find_map(typed_refusal_reason) {
                    Some(reason) => *self.typed_refusals.entry(reason).or_default() += 1,
                    None => self.failures.push(format!(
                        "{name}: library refused it as decode, jsonschema valid"
                    )),
                }
            }
            (library, schema_valid) => self.failures.push(format!(
                "{name}: library {}, jsonschema {}\n  {}",
                match library {
                    Ok(_) => "valid".to_owned(),
                    Err(rejection) => rejection.to_string(),
                },
                if schema_valid { "valid" } else { "invalid" },
                mutant.text,
            )),
        }
    }

    fn assert_agreement(&self, at_least: usize, mutants: &[Mutant]) {
        assert!(self.count >= at_least, "only {} mutants", self.count);
        assert!(
            self.failures.is_empty(),
            "{} of {} mutants:\n{}",
            self.failures.len(),
            self.count,
            self.failures.join("\n")
        );
        assert!(
            !self.typed_refusals.is_empty(),
            "the corpus lost its float-written integers"
        );
        assert!(self.not_json > 0, "the corpus lost its 1e400");
        eprintln!(
            "{} mutants agree ({:?}, {:?}); refused by the typed model only: {:?}; not JSON for serde_json: {}",
            self.count,
            Scope::from_env(),
            census(mutants),
            self.typed_refusals,
            self.not_json
        );
    }
}

/// The request seeds carry every property path of every request schema, and the response
/// seeds every path of every response schema: no member escapes the mutations.
#[test]
fn the_seeds_carry_every_member_every_schema_defines() {
    let mut total = 0;
    for role in [Role::Request, Role::Response] {
        let seeds = mutation::seeds(role, Scope::Ci);
        for &command in Command::ALL {
            let wanted = mutation::schema_paths(mutation::type_name(command, role));
            assert!(!wanted.is_empty(), "{command:?} {role:?}: no path");
            total += wanted.len();
            let present: std::collections::BTreeSet<String> = seeds
                .iter()
                .filter(|seed| seed.command == command)
                .flat_map(|seed| mutation::value_paths(&seed.value))
                .collect();
            let missing: Vec<&String> = wanted.difference(&present).collect();
            assert!(
                missing.is_empty(),
                "{command:?} {role:?}: no seed has {missing:?}"
            );
        }
    }
    // The walk of the schema reaches nested members and array elements.
    let nested = mutation::schema_paths("LiveCallbackAfterEndBattle");
    assert!(nested.contains("/ToRoomList/*/RoomId"), "{nested:?}");
    assert!(total >= 250, "{total} paths");
}

#[test]
fn the_fast_path_gives_the_schema_verdict_on_every_mutant() {
    let validator = Validator::new().unwrap();
    let bundle: Value = serde_json::from_str(BUNDLED_SCHEMA).unwrap();
    let schema = jsonschema::draft7::new(&bundle).unwrap();
    let mut tally = Tally::default();
    let mutants = mutants(
        &mutation::seeds(Role::Request, Scope::from_env()),
        Scope::from_env(),
    );
    for mutant in &mutants {
        let text = mutant.text.as_bytes();
        let name = mutant.name();
        let library = validator.validate(text);
        if validator.is_valid(text) != library.is_ok() {
            tally
                .failures
                .push(format!("{name}: is_valid differs from validate"));
        }
        let checked = validator.check(text);
        if checked.ok() != library.as_ref().ok().map(checked_by_typing) {
            tally
                .failures
                .push(format!("{name}: check differs from validate"));
        }
        tally.judge(
            mutant,
            &library,
            |value| validator.validate_value(value),
            &schema,
        );
    }
    tally.assert_agreement(10_000, &mutants);
}

/// Text that is not a JSON text must be malformed for the fast path too: member names are read
/// as strictly as string values (found: a raw control character in an unknown member's name
/// passed the fast path, which reads names as bytes).
#[test]
fn member_names_are_read_as_strictly_as_strings() {
    let validator = Validator::new().unwrap();
    let sample = test_cases("valid")
        .into_iter()
        .find(|file| {
            file.role == Role::Request && file.command == Command::LiveCallbackAfterEndBattle
        })
        .expect("a valid End Battle case");
    let packet = serde_json::to_string(&sample.readable_value()).unwrap();
    let body = packet.strip_suffix('}').unwrap();
    let names: [&[u8]; 8] = [
        b"X\tY",
        br"X\u0009Y",
        br"X\u0000Y",
        br"X\ud800Y",
        br"X\ud83d\ude00Y",
        br"Battle\u0049d",
        b"X\xffY",
        b"X\x7fY",
    ];
    let mut failures = Vec::new();
    for name in names {
        for value in [&b"1"[..], b"\"v\""] {
            let mut text = body.as_bytes().to_vec();
            text.extend_from_slice(b",\"");
            text.extend_from_slice(name);
            text.extend_from_slice(b"\":");
            text.extend_from_slice(value);
            text.push(b'}');
            let library = validator.validate(&text);
            let schema_path = parse_json(&text)
                .map_err(Rejection::Syntax)
                .and_then(|value| validator.validate_value(value));
            let shown = String::from_utf8_lossy(&text[body.len()..]).into_owned();
            if library.is_ok() != schema_path.is_ok() {
                failures.push(format!(
                    "{shown:?}: fast path {:?}, schema path {:?}",
                    library.as_ref().map(|_| "valid"),
                    schema_path.as_ref().map(|_| "valid"),
                ));
            }
            if validator.is_valid(&text) != library.is_ok() {
                failures.push(format!("{shown:?}: is_valid differs from validate"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn responses_get_the_schema_verdict_on_every_mutant() {
    let validator = Validator::new().unwrap();
    let bundle: Value = serde_json::from_str(BUNDLED_SCHEMA).unwrap();
    let mut tally = Tally::default();
    let seeds: Vec<Seed> = mutation::seeds(Role::Response, Scope::from_env());
    let mutants = mutants(&seeds, Scope::from_env());
    let mut schemas = std::collections::HashMap::new();
    for mutant in &mutants {
        let command = mutant.command;
        let schema = schemas.entry(command).or_insert_with(|| {
            jsonschema::draft7::new(&serde_json::json!({
                "$ref": format!("#/definitions/{}", command.response_type_name()),
                "definitions": bundle["definitions"],
            }))
            .unwrap()
        });
        let text = mutant.text.as_bytes();
        let library = validator.validate_response(command, text);
        if validator.is_valid_response(command, text) != library.is_ok() {
            tally.failures.push(format!(
                "{}: is_valid_response differs from validate_response",
                mutant.name()
            ));
        }
        tally.judge(
            mutant,
            &library,
            |value| validator.validate_response_value(command, value),
            schema,
        );
    }
    tally.assert_agreement(2_000, &mutants);
}

#[test]
fn the_verdict_alone_is_that_of_validate_on_every_test_case() {
    let validator = Validator::new().unwrap();
    let strict = Validator::with_options(Options { strict: true }).unwrap();
    let groups = [
        "valid",
        "invalid",
        "strict-invalid",
        "decode-invalid",
        "semantic-warning",
        "warning",
    ];
    let cases: Vec<_> = groups.iter().flat_map(|group| test_cases(group)).collect();
    assert!(cases.len() > 200);
    for case in &cases {
        let bytes = case.bytes();
        if case.role == Role::Request {
            // `check` types nothing, and gives validate's report and semantic warnings.
            for validator in [&validator, &strict] {
                let expected = validator.validate(&bytes).map(|w| checked_by_typing(&w));
                assert_eq!(validator.check(&bytes), expected, "{}", case.name);
            }
        }
        // The strict mode judges on the schema path, without a report.
        for validator in [&validator, &strict] {
            let (verdict, validated) = match case.role {
                Role::Request => (
                    validator.is_valid(&bytes),
                    validator.validate(&bytes).is_ok(),
                ),
                Role::Response => (
                    validator.is_valid_response(case.command, &bytes),
                    validator.validate_response(case.command, &bytes).is_ok(),
                ),
            };
            assert_eq!(
                verdict,
                validated,
                "{} {:?}",
                case.name,
                validator.options()
            );
        }
    }
}

/// The plain reader, which decoding tries before serde_json, reads every valid request the
/// repository holds (the documentation samples and the valid test cases, written back as JSON
/// without comments) to the schema path's typed value: were it to give way on them, every
/// packet would be read twice.
#[test]
fn the_plain_reader_reads_every_valid_request() {
    let validator = Validator::new().unwrap();
    let files: Vec<_> = trtc_live_tests::documentation_samples()
        .into_iter()
        .chain(test_cases("valid"))
        .filter(|file| file.role == Role::Request)
        .collect();
    let mut read = 0;
    for file in &files {
        let text = serde_json::to_string(&file.readable_value()).unwrap();
        let Ok(expected) = validator.validate_value(parse_json(text.as_bytes()).unwrap()) else {
            // A sample whose documented defect the schema refuses.
            continue;
        };
        assert_eq!(
            Webhook::from_plain_json_as(file.command, text.as_bytes()).as_ref(),
            Some(&expected),
            "{}",
            file.name
        );
        read += 1;
    }
    assert!(
        read * 10 >= files.len() * 9,
        "{read} of {} read",
        files.len()
    );
}

//! The validator's fast path (a request decoded straight from its bytes into its type) against
//! the schema, over a mutation corpus: every valid request we have, with each member removed,
//! given twice, or replaced by values of every JSON type, at and beyond every integer bound,
//! `30000.0` and `1e2` included, and with unknown members added.
//!
//! For every mutant, `Validator::validate` (fast path first) must give exactly what the schema
//! path gives (`parse_json` + `validate_value`: jsonschema, then the typed decode), typed value
//! included, `Validator::is_valid` (one pass, no value) and `Validator::accept` the same verdict
//! (and responses likewise); and that verdict must be the jsonschema
//! crate's on the bundled schema, but where the schema accepts a number that Rust's typed model
//! refuses (`30000.0`, which draft-07 calls an integer, or an integer just beyond 64 bits that
//! the jsonschema crate rounds onto a bound).

use serde_json::Value;
use trtc_live_examples::ExampleGenerator;
use trtc_live_tests::{documentation_samples, test_cases, Role};
use trtc_live_validate::{
    parse_json, semantic_warnings, Checked, Command, Options, Rejection, Validator, Webhook,
    BUNDLED_SCHEMA,
};

/// Raw JSON texts that replace each member in turn.
const REPLACEMENTS: &[&str] = &[
    "null",
    "true",
    "\"\"",
    "\"x\"",
    "\"1670574414123\"",
    "\"1670574414123\\n\"",
    "\"Live.CallbackAfterEndBattle\"",
    "0",
    "-1",
    "1.5",
    "30000.0",
    "1e2",
    "2",
    "4294967295",
    "4294967296",
    "9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "{}",
    "[]",
    "[1]",
    "{\"a\": 1}",
];

/// What is done to the member at one path.
#[derive(Clone, Copy)]
enum Edit<'a> {
    Remove,
    Replace(&'a str),
    /// The member twice: `replacement` first, then the original.
    GivenTwiceFirst(&'a str),
    /// The member twice: the original first, then `replacement`.
    GivenTwiceLast(&'a str),
    /// An unknown member added to the object at the path.
    AddUnknown,
}

/// A member or array element: the path of keys and indexes from the root.
type Path = Vec<PathStep>;

#[derive(Clone, PartialEq)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn paths(value: &Value, prefix: &mut Path, out: &mut Vec<Path>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                prefix.push(PathStep::Key(key.clone()));
                out.push(prefix.clone());
                paths(member, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                prefix.push(PathStep::Index(index));
                out.push(prefix.clone());
                paths(item, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

/// `value` as JSON text with `edit` applied at `target`.
fn write(value: &Value, at: &mut Path, target: &Path, edit: Edit, out: &mut String) {
    let here = |step: PathStep, at: &Path| {
        let mut path = at.clone();
        path.push(step);
        path == *target
    };
    match value {
        Value::Object(members) => {
            out.push('{');
            let mut first = true;
            let mut member = |out: &mut String, key: &str, text: &dyn Fn(&mut String)| {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&serde_json::to_string(key).unwrap());
                out.push(':');
                text(out);
            };
            if at == target {
                if let Edit::AddUnknown = edit {
                    member(out, "UnknownMember", &|out| out.push_str("{\"a\": [1]}"));
                }
            }
            for (key, child) in members {
                let step = PathStep::Key(key.clone());
                if !here(step.clone(), at) {
                    at.push(step);
                    member(out, key, &|out| {
                        let mut at = at.clone();
                        write(child, &mut at, target, edit, out)
                    });
                    at.pop();
                    continue;
                }
                let original = |out: &mut String| out.push_str(&child.to_string());
                match edit {
                    Edit::Remove => {}
                    Edit::Replace(raw) => member(out, key, &|out| out.push_str(raw)),
                    Edit::GivenTwiceFirst(raw) => {
                        member(out, key, &|out| out.push_str(raw));
                        member(out, key, &original);
                    }
                    Edit::GivenTwiceLast(raw) => {
                        member(out, key, &original);
                        member(out, key, &|out| out.push_str(raw));
                    }
                    Edit::AddUnknown => member(out, key, &original),
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            let mut first = true;
            for (index, item) in items.iter().enumerate() {
                let step = PathStep::Index(index);
                let text = if here(step.clone(), at) {
                    match edit {
                        Edit::Remove => continue,
                        Edit::Replace(raw) => raw.to_owned(),
                        _ => item.to_string(),
                    }
                } else {
                    at.push(step);
                    let mut text = String::new();
                    write(item, at, target, edit, &mut text);
                    at.pop();
                    text
                };
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&text);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Every valid request we have: the documentation samples, the valid test cases, and examples.
fn seeds() -> Vec<(String, Value)> {
    let mut seeds = Vec::new();
    for sample in documentation_samples()
        .into_iter()
        .chain(test_cases("valid"))
        .filter(|file| file.role == Role::Request)
    {
        seeds.push((sample.name.clone(), sample.readable_value()));
    }
    let mut examples = ExampleGenerator::new(7);
    for &command in Command::ALL {
        for index in 0..2 {
            let name = format!("{}__example-{index}", command.as_str());
            seeds.push((name, examples.request(command)));
        }
    }
    seeds
}

fn mutants(seed: &Value) -> Vec<(String, String)> {
    let mut targets = Vec::new();
    paths(seed, &mut Vec::new(), &mut targets);
    let mut objects: Vec<Path> = vec![Vec::new()];
    objects.extend(
        targets
            .iter()
            .filter(|path| {
                let mut value = seed;
                for step in path.iter() {
                    value = match step {
                        PathStep::Key(key) => &value[key.as_str()],
                        PathStep::Index(index) => &value[*index],
                    };
                }
                value.is_object()
            })
            .cloned(),
    );
    let mut edits: Vec<(Path, Edit)> = Vec::new();
    for target in &targets {
        edits.push((target.clone(), Edit::Remove));
        for raw in REPLACEMENTS {
            edits.push((target.clone(), Edit::Replace(raw)));
        }
        if matches!(target.last(), Some(PathStep::Key(_))) {
            edits.push((target.clone(), Edit::GivenTwiceFirst("7")));
            edits.push((target.clone(), Edit::GivenTwiceLast("7")));
            edits.push((target.clone(), Edit::GivenTwiceFirst("\"x\"")));
            edits.push((target.clone(), Edit::GivenTwiceLast("\"x\"")));
        }
    }
    for object in objects {
        edits.push((object, Edit::AddUnknown));
    }
    // The command word with its first letter escaped: the same string, which the fast path
    // does not recognize without parsing.
    let escaped = seed["CallbackCommand"]
        .as_str()
        .map(|word| format!("\"\\u{:04x}{}\"", u32::from(word.as_bytes()[0]), &word[1..]));
    let escaped: Option<&'static str> = escaped.map(|text| &*Box::leak(text.into_boxed_str()));
    if let Some(raw) = escaped {
        edits.push((
            vec![PathStep::Key("CallbackCommand".into())],
            Edit::Replace(raw),
        ));
    }
    edits
        .into_iter()
        .map(|(target, edit)| {
            let mut text = String::new();
            write(seed, &mut Vec::new(), &target, edit, &mut text);
            let pointer: String = target
                .iter()
                .map(|step| match step {
                    PathStep::Key(key) => format!("/{key}"),
                    PathStep::Index(index) => format!("/{index}"),
                })
                .collect();
            let what = match edit {
                Edit::Remove => "removed".to_owned(),
                Edit::Replace(raw) => format!("= {raw}"),
                Edit::GivenTwiceFirst(raw) => format!("given twice, first {raw}"),
                Edit::GivenTwiceLast(raw) => format!("given twice, last {raw}"),
                Edit::AddUnknown => "unknown member added".to_owned(),
            };
            (format!("{pointer} {what}"), text)
        })
        .collect()
}

/// Why the library may refuse, as `decode`, a mutant that the jsonschema crate accepts: the
/// number `raw` is an integer that Rust's typed model does not read, and that the schema cannot
/// tell apart from one it does.
fn typed_refusal_reason(raw: &str) -> Option<&'static str> {
    if raw.contains(['.', 'e']) {
        // Draft-07 counts `30000.0` and `1e2` as integers.
        return Some("an integer written with a fraction or an exponent");
    }
    let value: i128 = raw.parse().ok()?;
    // The jsonschema crate reads numbers through serde_json as doubles: -9223372036854775809
    // becomes -2^63, the schema's own minimum. The value is outside i64 all the same.
    (value < i128::from(i64::MIN) || value > i128::from(u64::MAX))
        .then_some("beyond 64 bits, rounded onto a bound by the jsonschema crate's doubles")
}

/// The replacement text of a `... = RAW` mutation.
fn replacement(mutation: &str) -> Option<&str> {
    mutation.split_once(" = ").map(|(_, raw)| raw)
}

/// What `Validator::check` must give for a packet that `validate` typed: its command, and the
/// semantic warnings of the typed value.
fn checked_by_typing(webhook: &Webhook) -> Checked {
    Checked {
        command: webhook.command(),
        warnings: semantic_warnings(webhook),
    }
}

/// What the mutants came to: the failures, and the refusals of the typed model alone.
#[derive(Default)]
struct Tally {
    count: usize,
    failures: Vec<String>,
    typed_refusals: std::collections::BTreeMap<&'static str, usize>,
}

impl Tally {
    /// Judges one mutant, `text`: the library's result, against the schema path's (given the
    /// parsed text) and the jsonschema crate's verdict with `schema`.
    fn judge<T: PartialEq>(
        &mut self,
        name: &str,
        mutation: &str,
        text: &str,
        library: &Result<T, Rejection>,
        schema_path: impl FnOnce(Value) -> Result<T, Rejection>,
        schema: &jsonschema::Validator,
    ) {
        self.count += 1;
        let value = parse_json(text.as_bytes()).expect("mutants are JSON");
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
                match replacement(mutation).and_then(typed_refusal_reason) {
                    Some(reason) => *self.typed_refusals.entry(reason).or_default() += 1,
                    None => self.failures.push(format!(
                        "{name}: library refused it as decode, jsonschema valid"
                    )),
                }
            }
            (library, schema_valid) => self.failures.push(format!(
                "{name}: library {}, jsonschema {}",
                match library {
                    Ok(_) => "valid".to_owned(),
                    Err(rejection) => rejection.to_string(),
                },
                if schema_valid { "valid" } else { "invalid" }
            )),
        }
    }

    fn assert_agreement(&self, at_least: usize) {
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
        eprintln!(
            "{} mutants agree; refused by the typed model only: {:?}",
            self.count, self.typed_refusals
        );
    }
}

#[test]
fn the_fast_path_gives_the_schema_verdict_on_every_mutant() {
    let validator = Validator::new().unwrap();
    let bundle: Value = serde_json::from_str(BUNDLED_SCHEMA).unwrap();
    let schema = jsonschema::draft7::new(&bundle).unwrap();
    let mut tally = Tally::default();
    for (seed_name, seed) in seeds() {
        for (mutation, text) in mutants(&seed) {
            let name = format!("{seed_name} {mutation}");
            let library = validator.validate(text.as_bytes());
            if validator.is_valid(text.as_bytes()) != library.is_ok() {
                tally
                    .failures
                    .push(format!("{name}: is_valid differs from validate"));
            }
            let checked = validator.check(text.as_bytes());
            if checked.ok() != library.as_ref().ok().map(checked_by_typing) {
                tally
                    .failures
                    .push(format!("{name}: check differs from validate"));
            }
            tally.judge(
                &name,
                &mutation,
                &text,
                &library,
                |value| validator.validate_value(value),
                &schema,
            );
        }
    }
    tally.assert_agreement(10_000);
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

/// Every valid response we have: the documentation samples and the valid test cases.
fn response_seeds() -> Vec<(String, Command, Value)> {
    documentation_samples()
        .into_iter()
        .chain(test_cases("valid"))
        .filter(|file| file.role == Role::Response)
        .map(|sample| {
            let value = sample.readable_value();
            (sample.name, sample.command, value)
        })
        .collect()
}

#[test]
fn responses_get_the_schema_verdict_on_every_mutant() {
    let validator = Validator::new().unwrap();
    let bundle: Value = serde_json::from_str(BUNDLED_SCHEMA).unwrap();
    let mut tally = Tally::default();
    for (seed_name, command, seed) in response_seeds() {
        let schema = jsonschema::draft7::new(&serde_json::json!({
            "$ref": format!("#/definitions/{}", command.response_type_name()),
            "definitions": bundle["definitions"],
        }))
        .unwrap();
        for (mutation, text) in mutants(&seed) {
            let name = format!("{seed_name} {mutation}");
            let library = validator.validate_response(command, text.as_bytes());
            if validator.is_valid_response(command, text.as_bytes()) != library.is_ok() {
                tally.failures.push(format!(
                    "{name}: is_valid_response differs from validate_response"
                ));
            }
            tally.judge(
                &name,
                &mutation,
                &text,
                &library,
                |value| validator.validate_response_value(command, value),
                &schema,
            );
        }
    }
    tally.assert_agreement(2_000);
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

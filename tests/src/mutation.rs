//! The mutation corpus of the differential tests (`tests/tests/fast_path.rs`, Rust only, and
//! `tests/tests/interop`, Rust against ajv and Python): seeds that carry every member every
//! schema defines, and their mutants, each written as JSON text so that numbers keep the form
//! given (`1e400`, `-0`, `30000.0`, `18446744073709551616`).
//!
//! Single mutations, at every member and array element of every seed: removed; replaced by
//! each JSON type and by every number at and beyond the i32, u32, 2^53, i64 and u64 limits;
//! replaced by a value derived from the original (a string with its case changed, a trailing
//! space or its last character dropped, a string of digits as a bare number, an integer plus
//! or minus one, quoted, or written with a fraction, a boolean negated or quoted), which is how
//! enum values go out of range; given twice; and an unknown member added to every object.
//! Pairs of mutations: two members of one seed, each removed or replaced by one of
//! [`PAIR_REPLACEMENTS`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use trtc_live_examples::ExampleGenerator;
use trtc_live_types::Command;

use crate::{documentation_samples, test_cases, Role};

/// Raw JSON texts that replace each member in turn: every JSON type, and numbers at and beyond
/// every integer limit of the schemas and of the languages reading them.
pub const REPLACEMENTS: &[&str] = &[
    "null",
    "true",
    "false",
    "\"\"",
    "\"x\"",
    "\"123\"",
    "\"1670574414123\"",
    "\"1670574414123\\n\"",
    "\"18446744073709551616\"",
    "\"Live.CallbackAfterEndBattle\"",
    "0",
    "-0",
    "1",
    "-1",
    "1.0",
    "1.5",
    "1e2",
    "30000.0",
    "1e400",
    "-1e400",
    "123",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    // 2^53 - 1, the bound of counts, times and scores (a double's last exact integer), and
    // beyond, either sign.
    "9007199254740991",
    "9007199254740992",
    "-9007199254740991",
    "-9007199254740992",
    "9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    // Limits written with a fraction: the doubles 2^63 and 2^64, beyond i64 and u64.
    "9223372036854775807.0",
    "18446744073709551615.0",
    "{}",
    "{\"a\": 1}",
    "[]",
    "[1]",
    "[\"x\"]",
];

/// The replacements combined in pairs of mutations (with removal).
pub const PAIR_REPLACEMENTS: &[&str] = &["null", "\"x\"", "-1", "18446744073709551616"];

/// One step from a value to a member or an element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A member of an object.
    Key(String),
    /// An element of an array.
    Index(usize),
}

/// A member or element: the steps from the root.
pub type Path = Vec<Step>;

/// What is done at one path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// The member or element is removed.
    Remove,
    /// The member or element is replaced by this JSON text.
    Replace(String),
    /// The member twice: this JSON text first, then the original.
    GivenTwiceFirst(String),
    /// The member twice: the original first, then this JSON text.
    GivenTwiceLast(String),
    /// An unknown member added to the object at the path.
    AddUnknown,
}

impl Edit {
    fn describe(&self) -> String {
        match self {
            Edit::Remove => "removed".to_owned(),
            Edit::Replace(raw) => format!("= {raw}"),
            Edit::GivenTwiceFirst(raw) => format!("given twice, first {raw}"),
            Edit::GivenTwiceLast(raw) => format!("given twice, last {raw}"),
            Edit::AddUnknown => "unknown member added".to_owned(),
        }
    }
}

/// A valid packet that mutants are made of.
#[derive(Clone, Debug)]
pub struct Seed {
    /// Unique: where it comes from.
    pub name: String,
    /// Its command (for a response, the command it answers).
    pub command: Command,
    /// Request or response.
    pub role: Role,
    /// The packet.
    pub value: Value,
}

/// One mutant: a seed with one or two edits, as JSON text.
#[derive(Clone, Debug)]
pub struct Mutant {
    /// The seed's name.
    pub seed: String,
    /// The seed's command.
    pub command: Command,
    /// The seed's role.
    pub role: Role,
    /// What was done, such as `/RoomInfo/MaxMemberCount = 1e400`.
    pub mutation: String,
    /// The edits done (one or two).
    pub edits: Vec<(Path, Edit)>,
    /// The mutant's JSON text.
    pub text: String,
}

impl Mutant {
    /// `<seed> <mutation>`: unique within a corpus.
    pub fn name(&self) -> String {
        format!("{} {}", self.seed, self.mutation)
    }

    /// The replacement text when the mutant is a single `Replace`.
    pub fn single_replacement(&self) -> Option<&str> {
        match self.edits.as_slice() {
            [(_, Edit::Replace(raw))] => Some(raw),
            _ => None,
        }
    }

    /// Every replacement text of the mutant's edits.
    pub fn replacements(&self) -> impl Iterator<Item = &str> {
        self.edits.iter().filter_map(|(_, edit)| match edit {
            Edit::Replace(raw) | Edit::GivenTwiceFirst(raw) | Edit::GivenTwiceLast(raw) => {
                Some(raw.as_str())
            }
            _ => None,
        })
    }
}

/// How much of the corpus to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every single mutant, and [`CI_PAIRS`] pairs spread evenly over the full set of pairs.
    Ci,
    /// Every single mutant and every pair.
    Full,
}

/// How many pairs of mutations the CI scope keeps.
pub const CI_PAIRS: usize = 4_000;

impl Scope {
    /// `Full` when the environment variable `TRTC_DIFFERENTIAL` is `full`, `Ci` otherwise.
    pub fn from_env() -> Self {
        match std::env::var("TRTC_DIFFERENTIAL").as_deref() {
            Ok("full") => Scope::Full,
            _ => Scope::Ci,
        }
    }
}

/// The seeds of one role that `scope` keeps: all of [`all_seeds`], or, for [`Scope::Ci`], those
/// of them that bring a member path (see [`value_paths`]) no earlier seed of their command has,
/// so that every member of every seed is still mutated, in fewer copies.
pub fn seeds(role: Role, scope: Scope) -> Vec<Seed> {
    let all = all_seeds(role);
    if scope == Scope::Full {
        return all;
    }
    let mut covered: BTreeMap<Command, BTreeSet<String>> = BTreeMap::new();
    all.into_iter()
        .filter(|seed| {
            let covered = covered.entry(seed.command).or_default();
            let paths = value_paths(&seed.value);
            let new = !paths.is_subset(covered);
            covered.extend(paths);
            new || CI_BOUNDARY_SEEDS
                .iter()
                .any(|kept| seed.name.starts_with("boundary ") && seed.name.contains(kept))
        })
        .collect()
}

/// The revision boundaries kept as seeds in the CI scope although they bring no new member (they
/// lack members): one per clock and form of the latest date, and the packets without a clock.
const CI_BOUNDARY_SEEDS: &[&str] = &[
    "MsgId by EventTime (integer)",
    "MsgId by EventTime (digits)",
    "EventTime by MsgTime (integer)",
    "without any clock",
];

/// Seeds of one role: every documentation sample, valid test case and warning test case of that
/// role, the valid packets at the revision boundaries (requests), two examples
/// of every command, and further examples until every property path the schema defines (see
/// [`schema_paths`]) is present in some seed of the command.
pub fn all_seeds(role: Role) -> Vec<Seed> {
    let mut seeds: Vec<Seed> = documentation_samples()
        .into_iter()
        .chain(test_cases("valid"))
        .chain(test_cases("warning"))
        .filter(|file| file.role == role)
        .map(|file| Seed {
            value: file.readable_value(),
            name: file.name,
            command: file.command,
            role,
        })
        .collect();
    // Older revisions just before a member's date: their clock plus one reaches it.
    if role == Role::Request {
        seeds.extend(
            crate::boundaries::boundaries()
                .into_iter()
                .filter(|boundary| boundary.valid)
                .map(|boundary| Seed {
                    name: format!("boundary {}", boundary.name),
                    command: boundary.command,
                    role,
                    value: boundary.packet,
                }),
        );
    }
    let mut examples = ExampleGenerator::new(7);
    let generate = |examples: &mut ExampleGenerator, command| match role {
        Role::Request => examples.request(command),
        Role::Response => examples.response(command),
    };
    for &command in Command::ALL {
        for index in 0..2 {
            seeds.push(Seed {
                name: format!("{}__example-{index}", command.as_str()),
                command,
                role,
                value: generate(&mut examples, command),
            });
        }
    }
    // Examples that bring paths no seed has yet: optional members are present half of the time,
    // so a few dozen draws cover every one.
    let mut covering = ExampleGenerator::new(0xc0de);
    for &command in Command::ALL {
        let wanted = schema_paths(type_name(command, role));
        let mut covered: BTreeSet<String> = seeds
            .iter()
            .filter(|seed| seed.command == command)
            .flat_map(|seed| value_paths(&seed.value))
            .collect();
        for index in 0..COVERING_DRAWS {
            if wanted.is_subset(&covered) {
                break;
            }
            let value = generate(&mut covering, command);
            let paths = value_paths(&value);
            if paths
                .iter()
                .any(|path| wanted.contains(path) && !covered.contains(path))
            {
                covered.extend(paths);
                seeds.push(Seed {
                    name: format!("{}__covering-{index}", command.as_str()),
                    command,
                    role,
                    value,
                });
            }
        }
    }
    seeds
}

/// Examples drawn per command, at most, to cover the schema's paths.
const COVERING_DRAWS: usize = 200;

/// The name of the bundle's definition of a packet.
pub fn type_name(command: Command, role: Role) -> &'static str {
    match role {
        Role::Request => command.request_type_name(),
        Role::Response => command.response_type_name(),
    }
}

/// Every property path the bundle's definition `name` defines, at every depth: `/Member`,
/// `/Member/Inner`, `/Array/*/Inner`, following `$ref`, `allOf`, `anyOf`, `oneOf`, `then`,
/// `else`, `dependencies` and `items`.
pub fn schema_paths(name: &str) -> BTreeSet<String> {
    let bundle: Value =
        serde_json::from_str(trtc_live_validate::BUNDLED_SCHEMA).expect("the bundle is JSON");
    let mut paths = BTreeSet::new();
    let root = serde_json::json!({ "$ref": format!("#/definitions/{name}") });
    collect_schema_paths(&bundle, &root, "", &mut paths, 0);
    paths
}

fn collect_schema_paths(
    bundle: &Value,
    schema: &Value,
    prefix: &str,
    paths: &mut BTreeSet<String>,
    depth: usize,
) {
    assert!(depth < 64, "the schema nests too deep at {prefix}");
    let Value::Object(schema) = schema else {
        return;
    };
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let target = reference
            .strip_prefix('#')
            .and_then(|pointer| bundle.pointer(pointer))
            .unwrap_or_else(|| panic!("unresolved {reference}"));
        collect_schema_paths(bundle, target, prefix, paths, depth + 1);
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        for branch in schema
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            collect_schema_paths(bundle, branch, prefix, paths, depth + 1);
        }
    }
    for keyword in ["then", "else"] {
        if let Some(branch) = schema.get(keyword) {
            collect_schema_paths(bundle, branch, prefix, paths, depth + 1);
        }
    }
    for dependency in schema
        .get("dependencies")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|map| map.values())
    {
        collect_schema_paths(bundle, dependency, prefix, paths, depth + 1);
    }
    for (key, member) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let path = format!("{prefix}/{key}");
        collect_schema_paths(bundle, member, &path, paths, depth + 1);
        paths.insert(path);
    }
    if let Some(items) = schema.get("items") {
        collect_schema_paths(bundle, items, &format!("{prefix}/*"), paths, depth + 1);
    }
}

/// Every member path of a value, array elements written `*`, as [`schema_paths`] writes them.
pub fn value_paths(value: &Value) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    collect_value_paths(value, "", &mut paths);
    paths
}

fn collect_value_paths(value: &Value, prefix: &str, paths: &mut BTreeSet<String>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                let path = format!("{prefix}/{key}");
                collect_value_paths(member, &path, paths);
                paths.insert(path);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_value_paths(item, &format!("{prefix}/*"), paths);
            }
        }
        _ => {}
    }
}

/// Every member and element of `value`, parents before children.
fn targets(value: &Value) -> Vec<(Path, &Value)> {
    fn walk<'v>(value: &'v Value, prefix: &mut Path, out: &mut Vec<(Path, &'v Value)>) {
        let children: Vec<(Step, &Value)> = match value {
            Value::Object(members) => members
                .iter()
                .map(|(key, member)| (Step::Key(key.clone()), member))
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| (Step::Index(index), item))
                .collect(),
            _ => Vec::new(),
        };
        for (step, child) in children {
            prefix.push(step);
            out.push((prefix.clone(), child));
            walk(child, prefix, out);
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

/// Replacements derived from the original value: near misses of enum values and of numbers.
fn derived_replacements(original: &Value) -> Vec<String> {
    let quoted = |text: &str| serde_json::to_string(text).expect("a string serializes");
    let mut raws = Vec::new();
    match original {
        Value::String(text) => {
            let swapped: String = text
                .chars()
                .map(|c| {
                    if c.is_uppercase() {
                        c.to_lowercase().next().unwrap_or(c)
                    } else {
                        c.to_uppercase().next().unwrap_or(c)
                    }
                })
                .collect();
            if swapped != *text {
                raws.push(quoted(&swapped));
            }
            raws.push(quoted(&format!("{text} ")));
            let mut shorter = text.clone();
            if shorter.pop().is_some() {
                raws.push(quoted(&shorter));
            }
            if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
                raws.push(text.clone());
            }
        }
        Value::Number(number) => {
            if let Some(n) = number
                .as_i64()
                .map(i128::from)
                .or(number.as_u64().map(i128::from))
            {
                raws.push((n + 1).to_string());
                raws.push((n - 1).to_string());
                raws.push(quoted(&n.to_string()));
                raws.push(format!("{n}.0"));
            } else {
                raws.push(quoted(&number.to_string()));
            }
        }
        Value::Bool(flag) => {
            raws.push(quoted(&flag.to_string()));
            raws.push(u8::from(*flag).to_string());
        }
        _ => {}
    }
    raws.retain(|raw| !REPLACEMENTS.contains(&raw.as_str()));
    raws
}

/// Every single edit of `seed`.
fn single_edits(seed: &Value) -> Vec<(Path, Edit)> {
    let mut edits = Vec::new();
    let mut objects: Vec<Path> = seed.is_object().then(Vec::new).into_iter().collect();
    for (target, original) in targets(seed) {
        if original.is_object() {
            objects.push(target.clone());
        }
        edits.push((target.clone(), Edit::Remove));
        for raw in REPLACEMENTS.iter().map(|raw| raw.to_string()) {
            edits.push((target.clone(), Edit::Replace(raw)));
        }
        for raw in derived_replacements(original) {
            edits.push((target.clone(), Edit::Replace(raw)));
        }
        if matches!(target.last(), Some(Step::Key(_))) {
            for raw in ["7", "\"x\""] {
                edits.push((target.clone(), Edit::GivenTwiceFirst(raw.into())));
                edits.push((target.clone(), Edit::GivenTwiceLast(raw.into())));
            }
        }
    }
    for object in objects {
        edits.push((object, Edit::AddUnknown));
    }
    // The command word with its first letter escaped: the same string, which the fast path
    // does not recognize without parsing.
    if let Some(word) = seed["CallbackCommand"].as_str() {
        let escaped = format!("\"\\u{:04x}{}\"", u32::from(word.as_bytes()[0]), &word[1..]);
        edits.push((
            vec![Step::Key("CallbackCommand".into())],
            Edit::Replace(escaped),
        ));
    }
    edits
}

/// The edits combined in pairs: removal and each of [`PAIR_REPLACEMENTS`].
fn pair_edits() -> Vec<Edit> {
    std::iter::once(Edit::Remove)
        .chain(
            PAIR_REPLACEMENTS
                .iter()
                .map(|raw| Edit::Replace(raw.to_string())),
        )
        .collect()
}

/// Every pair of paths of `seed` where neither holds the other.
fn path_pairs(seed: &Value) -> Vec<(Path, Path)> {
    let paths: Vec<Path> = targets(seed).into_iter().map(|(path, _)| path).collect();
    let mut pairs = Vec::new();
    for (i, first) in paths.iter().enumerate() {
        for second in &paths[i + 1..] {
            if !second.starts_with(first) && !first.starts_with(second) {
                pairs.push((first.clone(), second.clone()));
            }
        }
    }
    pairs
}

/// The mutants of `seeds`: every single mutant, and the pairs `scope` keeps.
pub fn mutants(seeds: &[Seed], scope: Scope) -> Vec<Mutant> {
    let mut mutants = Vec::new();
    for seed in seeds {
        for (path, edit) in single_edits(&seed.value) {
            mutants.push(mutant(seed, vec![(path, edit)]));
        }
    }
    mutants.extend(pair_mutants(seeds, scope));
    mutants
}

/// How many pairs of mutations `seeds` have in full.
pub fn pair_count(seeds: &[Seed]) -> usize {
    let per_pair = pair_edits().len().pow(2);
    seeds
        .iter()
        .map(|seed| path_pairs(&seed.value).len() * per_pair)
        .sum()
}

/// The pairs of mutations `scope` keeps: all of them, or [`CI_PAIRS`] taken at an even stride
/// through the full list (seed by seed, path pair by path pair, edit by edit).
pub fn pair_mutants(seeds: &[Seed], scope: Scope) -> Vec<Mutant> {
    let total = pair_count(seeds);
    let stride = match scope {
        Scope::Full => 1,
        Scope::Ci => total.div_ceil(CI_PAIRS).max(1),
    };
    let edits = pair_edits();
    let mut mutants = Vec::new();
    let mut index = 0usize;
    for seed in seeds {
        for (first, second) in path_pairs(&seed.value) {
            for a in &edits {
                for b in &edits {
                    if index % stride == 0 {
                        mutants.push(mutant(
                            seed,
                            vec![(first.clone(), a.clone()), (second.clone(), b.clone())],
                        ));
                    }
                    index += 1;
                }
            }
        }
    }
    mutants
}

fn mutant(seed: &Seed, edits: Vec<(Path, Edit)>) -> Mutant {
    let mut text = String::new();
    write(&seed.value, &mut Vec::new(), &edits, &mut text);
    let mutation = edits
        .iter()
        .map(|(path, edit)| format!("{} {}", pointer(path), edit.describe()))
        .collect::<Vec<_>>()
        .join(" & ");
    Mutant {
        seed: seed.name.clone(),
        command: seed.command,
        role: seed.role,
        mutation,
        edits,
        text,
    }
}

/// The path as a JSON pointer (without escaping: member names here have no `/` or `~`).
pub fn pointer(path: &Path) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => format!("/{key}"),
            Step::Index(index) => format!("/{index}"),
        })
        .collect()
}

/// How many mutants of each kind: `removed`, `= RAW`, `given twice`, `unknown member added`,
/// and `pair`.
pub fn census(mutants: &[Mutant]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for mutant in mutants {
        let kind = match mutant.edits.as_slice() {
            [_, _] => "pair".to_owned(),
            [(_, Edit::Remove)] => "removed".to_owned(),
            [(_, Edit::Replace(raw))] if REPLACEMENTS.contains(&raw.as_str()) => {
                format!("= {raw}")
            }
            [(_, Edit::Replace(raw))] if raw.starts_with("\"\\u") => {
                "command word escaped".to_owned()
            }
            [(_, Edit::Replace(_))] => "derived from the original".to_owned(),
            [(_, Edit::GivenTwiceFirst(_) | Edit::GivenTwiceLast(_))] => "given twice".to_owned(),
            _ => "unknown member added".to_owned(),
        };
        *counts.entry(kind).or_default() += 1;
    }
    counts
}

/// `value` as JSON text with `edits` applied.
fn write(value: &Value, at: &mut Path, edits: &[(Path, Edit)], out: &mut String) {
    let edit_at = |at: &Path| {
        edits
            .iter()
            .find(|(path, _)| path == at)
            .map(|(_, edit)| edit)
    };
    match value {
        Value::Object(members) => {
            out.push('{');
            let mut first = true;
            let mut member = |out: &mut String, key: &str, text: &str| {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&serde_json::to_string(key).expect("a key serializes"));
                out.push(':');
                out.push_str(text);
            };
            if let Some(Edit::AddUnknown) = edit_at(at) {
                member(out, "UnknownMember", "{\"a\": [1]}");
            }
            for (key, child) in members {
                at.push(Step::Key(key.clone()));
                let edit = edit_at(at);
                let original = |at: &mut Path| {
                    let mut text = String::new();
                    write(child, at, edits, &mut text);
                    text
                };
                match edit {
                    Some(Edit::Remove) => {}
                    Some(Edit::Replace(raw)) => member(out, key, raw),
                    Some(Edit::GivenTwiceFirst(raw)) => {
                        let original = original(at);
                        member(out, key, raw);
                        member(out, key, &original);
                    }
                    Some(Edit::GivenTwiceLast(raw)) => {
                        let original = original(at);
                        member(out, key, &original);
                        member(out, key, raw);
                    }
                    Some(Edit::AddUnknown) | None => {
                        let original = original(at);
                        member(out, key, &original);
                    }
                }
                at.pop();
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            let mut first = true;
            for (index, item) in items.iter().enumerate() {
                at.push(Step::Index(index));
                let text = match edit_at(at) {
                    Some(Edit::Remove) => None,
                    Some(Edit::Replace(raw)) => Some(raw.clone()),
                    _ => {
                        let mut text = String::new();
                        write(item, at, edits, &mut text);
                        Some(text)
                    }
                };
                at.pop();
                if let Some(text) = text {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    out.push_str(&text);
                }
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(value: Value) -> Seed {
        Seed {
            name: "seed".into(),
            command: Command::LiveCallbackAfterEndBattle,
            role: Role::Request,
            value,
        }
    }

    fn key(name: &str) -> Step {
        Step::Key(name.into())
    }

    #[test]
    fn edits_are_written_where_they_apply_numbers_as_given() {
        let seed = seed(serde_json::json!({"A": 1, "B": {"C": [2, 3]}}));
        let cases = [
            (vec![(vec![key("A")], Edit::Remove)], r#"{"B":{"C":[2,3]}}"#),
            (
                vec![(
                    vec![key("B"), key("C"), Step::Index(1)],
                    Edit::Replace("1e400".into()),
                )],
                r#"{"A":1,"B":{"C":[2,1e400]}}"#,
            ),
            (
                vec![(vec![key("A")], Edit::GivenTwiceFirst("-0".into()))],
                r#"{"A":-0,"A":1,"B":{"C":[2,3]}}"#,
            ),
            (
                vec![(vec![key("B")], Edit::AddUnknown)],
                r#"{"A":1,"B":{"UnknownMember":{"a": [1]},"C":[2,3]}}"#,
            ),
            (
                vec![
                    (vec![key("A")], Edit::Replace("\"x\"".into())),
                    (vec![key("B"), key("C"), Step::Index(0)], Edit::Remove),
                ],
                r#"{"A":"x","B":{"C":[3]}}"#,
            ),
        ];
        for (edits, expected) in cases {
            assert_eq!(mutant(&seed, edits).text, expected);
        }
    }

    #[test]
    fn pairs_never_nest_and_the_full_scope_keeps_every_one() {
        let seed = seed(serde_json::json!({"A": 1, "B": {"C": 2, "D": 3}}));
        // Paths /A, /B, /B/C, /B/D: pairs (A,B), (A,C), (A,D), (C,D); not B with its members.
        assert_eq!(path_pairs(&seed.value).len(), 4);
        let seeds = vec![seed];
        let full = pair_mutants(&seeds, Scope::Full);
        assert_eq!(full.len(), pair_count(&seeds));
        assert_eq!(full.len(), 4 * pair_edits().len().pow(2));
    }

    #[test]
    fn enum_values_get_near_misses() {
        let near = derived_replacements(&Value::from("FreeToTake"));
        assert!(near.contains(&"\"fREEtOtAKE\"".to_owned()), "{near:?}");
        assert!(near.contains(&"\"FreeToTake \"".to_owned()), "{near:?}");
        assert!(near.contains(&"\"FreeToTak\"".to_owned()), "{near:?}");
        let near = derived_replacements(&Value::from(2));
        assert_eq!(near, ["3", "\"2\"", "2.0"], "1 and -1 are in REPLACEMENTS");
    }

    #[test]
    fn schema_paths_follow_references_into_arrays() {
        let paths = schema_paths("LiveCallbackAfterEndBattle");
        for path in ["/BattleId", "/FromRoomInfo/Score", "/ToRoomList/*/RoomId"] {
            assert!(paths.contains(path), "{path}: {paths:?}");
        }
    }
}

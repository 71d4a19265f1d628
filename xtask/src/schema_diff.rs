//! `cargo xtask schema-diff REV [NEW]`: what changed in the schemas since a git revision, each
//! change classified as breaking or not for a consumer.
//!
//! A consumer validates the packets it receives and the answers it sends with these schemas, or
//! reads them through types generated from them. A change is **breaking** when something valid
//! before may be invalid now, or when something a consumer used is gone: a member removed, a
//! type narrowed, a member required (always, or from a date on), an enum value removed, a bound
//! tightened, a pattern added or changed, unknown members refused, a webhook removed. It is
//! **non-breaking** when everything valid before stays valid: a member or webhook added, a
//! member no longer required (or required only from a date on), a type widened, an enum value
//! added, an enum opened, a bound loosened, documentation changed. (A consumer that matches
//! exhaustively on an enum still has a new value to handle.)
//!
//! Two constructions get their own reading:
//!
//! - an **open enum**, `anyOf` of an `enum` of the known values and the bare type (any value of
//!   the type is valid, the known ones are listed for generators): opening a closed enum is a
//!   loosening; closing an open one a narrowing; adding or removing a known value of an open
//!   enum changes no verdict;
//! - a member **required from a date on**, an `if`/`then` whose `then` requires it (the `if`
//!   tests the packet's own time): a member that was required always and is now required only
//!   under such a condition is a loosening; a member that becomes required under a condition is
//!   a narrowing, for the packets the condition covers.
//!
//! The comparison follows `$ref`s into the bundle's definitions, so a change to a shared shape
//! (`AccountId`) is reported at every place a packet uses it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::process::Command;

use serde_json::{Map, Value};

use crate::bundle::bundle;
use crate::dist_schemas::URL_PARAMETERS_FILE;
use crate::schema_tree::SchemaTree;
use crate::Error;

/// One difference between two versions of the schemas.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Whether a consumer may be broken by it.
    pub breaking: bool,
    /// The packet: `Live.CallbackAfterEndBattle request`, `... response`, `URL parameters`.
    pub packet: String,
    /// Where in the packet, as a JSON pointer (`*` for every element of an array); empty for the
    /// packet itself.
    pub path: String,
    /// What changed, in words.
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = if self.breaking {
            "breaking"
        } else {
            "non-breaking"
        };
        let path = if self.path.is_empty() || self.path.starts_with('[') {
            ""
        } else {
            " "
        };
        write!(
            f,
            "{class:<13} {}{path}{}: {}",
            self.packet, self.path, self.what
        )
    }
}

/// `cargo xtask schema-diff OLD [NEW]`: prints the changes from `OLD` to `NEW` (a git revision;
/// the working tree when absent). Returns the report and whether a change is breaking.
pub fn main(root: &Path, args: &[&str]) -> Result<(String, bool), Error> {
    let (old_rev, new_rev) = match args {
        [old] => (*old, None),
        [old, new] => (*old, Some(*new)),
        _ => {
            return Err(Error::msg(
                "usage: cargo xtask schema-diff OLD-REVISION [NEW-REVISION]",
            ))
        }
    };
    let old = load_revision(root, old_rev)?;
    let new = match new_rev {
        Some(rev) => load_revision(root, rev)?,
        None => SchemaTree::load(&root.join("schemas"))?,
    };
    let changes = diff(&old, &new)?;
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let mut report = format!(
        "schema-diff {old_rev}..{}: {} changes, {breaking} breaking\n",
        new_rev.unwrap_or("working tree"),
        changes.len()
    );
    for change in &changes {
        report.push_str(&format!("{change}\n"));
    }
    Ok((report, breaking > 0))
}

/// The schemas of `schemas/` at git revision `rev` of the repository at `root`.
pub fn load_revision(root: &Path, rev: &str) -> Result<SchemaTree, Error> {
    let scratch = std::env::temp_dir().join(format!(
        "trtc-live-schema-diff-{}-{}",
        std::process::id(),
        rev.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    ));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)
        .map_err(|e| Error::msg(format!("cannot create {}: {e}", scratch.display())))?;
    let listing = git(
        root,
        &["ls-tree", "-r", "--name-only", rev, "--", "schemas/"],
    )?;
    for path in listing.lines().filter(|p| p.ends_with(".schema.json")) {
        let text = git(root, &["show", &format!("{rev}:{path}")])?;
        let target = scratch.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::msg(format!("cannot create {}: {e}", parent.display())))?;
        }
        std::fs::write(&target, text)
            .map_err(|e| Error::msg(format!("cannot write {}: {e}", target.display())))?;
    }
    let tree = SchemaTree::load(&scratch.join("schemas"))
        .map_err(|e| Error::msg(format!("the schemas of {rev}: {e}")));
    let _ = std::fs::remove_dir_all(&scratch);
    tree
}

fn git(root: &Path, args: &[&str]) -> Result<String, Error> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| Error::msg(format!("cannot run git: {e}")))?;
    if !output.status.success() {
        return Err(Error::msg(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    String::from_utf8(output.stdout).map_err(|e| Error::msg(format!("git printed no text: {e}")))
}

/// Every change from `old` to `new`: webhooks added and removed, then each request, response
/// and the URL parameters compared, sorted by packet and path.
pub fn diff(old: &SchemaTree, new: &SchemaTree) -> Result<Vec<Change>, Error> {
    let old_bundle = bundle(old)?;
    let new_bundle = bundle(new)?;
    let mut differ = Differ {
        old: definitions(&old_bundle)?,
        new: definitions(&new_bundle)?,
        changes: Vec::new(),
        packet: String::new(),
        visiting: BTreeSet::new(),
    };
    let commands: BTreeSet<&str> = old
        .webhooks
        .iter()
        .chain(&new.webhooks)
        .map(|w| w.command.as_str())
        .collect();
    for command in commands {
        let before = old.webhooks.iter().find(|w| w.command == command);
        let after = new.webhooks.iter().find(|w| w.command == command);
        match (before, after) {
            (Some(before), Some(after)) => {
                for (role, old_type, new_type) in [
                    ("request", &before.request_type, &after.request_type),
                    ("response", &before.response_type, &after.response_type),
                ] {
                    differ.packet = format!("{command} {role}");
                    differ.compare(&reference(old_type), &reference(new_type), "");
                }
            }
            (None, Some(_)) => differ.changes.push(Change {
                breaking: false,
                packet: command.to_owned(),
                path: String::new(),
                what: "webhook added".into(),
            }),
            (Some(_), None) => differ.changes.push(Change {
                breaking: true,
                packet: command.to_owned(),
                path: String::new(),
                what: "webhook removed".into(),
            }),
            (None, None) => {}
        }
    }
    if let (Some(before), Some(after)) =
        (old.file(URL_PARAMETERS_FILE), new.file(URL_PARAMETERS_FILE))
    {
        differ.packet = "URL parameters".into();
        differ.compare(&reference(&before.title), &reference(&after.title), "");
    }
    let mut changes = differ.changes;
    changes.sort_by(|a, b| (&a.packet, &a.path).cmp(&(&b.packet, &b.path)));
    changes.dedup();
    Ok(changes)
}

fn definitions(bundle: &Value) -> Result<Map<String, Value>, Error> {
    bundle["definitions"]
        .as_object()
        .cloned()
        .ok_or_else(|| Error::msg("a bundle without definitions"))
}

fn reference(name: &str) -> Value {
    serde_json::json!({ "$ref": format!("#/definitions/{name}") })
}

/// The keywords that only document: a change to them changes no verdict.
const ANNOTATIONS: &[&str] = &["title", "description", "$comment", "examples", "default"];

/// Annotations not reported: the bundle's `$comment` names the source file of a definition.
const IGNORED: &[&str] = &["$comment"];

/// The keywords a comparison below handles; any other is compared as an annotation.
const HANDLED: &[&str] = &[
    "$ref",
    "type",
    "enum",
    "const",
    "anyOf",
    "oneOf",
    "allOf",
    "if",
    "then",
    "else",
    "not",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "items",
    "dependencies",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "multipleOf",
    "uniqueItems",
];

struct Differ {
    old: Map<String, Value>,
    new: Map<String, Value>,
    changes: Vec<Change>,
    packet: String,
    /// The (old, new) definition pairs being compared, against reference cycles.
    visiting: BTreeSet<(String, String)>,
}

impl Differ {
    fn push(&mut self, breaking: bool, path: &str, what: impl Into<String>) {
        self.changes.push(Change {
            breaking,
            packet: self.packet.clone(),
            path: path.to_owned(),
            what: what.into(),
        });
    }

    /// Compares the schemas `old` and `new` found at `path`.
    fn compare(&mut self, old: &Value, new: &Value, path: &str) {
        // Follow references on both sides first.
        let old_name = definition_name(old);
        let new_name = definition_name(new);
        if old_name.is_some() || new_name.is_some() {
            let key = (
                old_name.unwrap_or_default().to_owned(),
                new_name.unwrap_or_default().to_owned(),
            );
            if !self.visiting.insert(key.clone()) {
                return;
            }
            let old_target = self.resolve_old(old);
            let new_target = self.resolve_new(new);
            self.compare(&old_target, &new_target, path);
            self.visiting.remove(&key);
            return;
        }
        let (Some(old), Some(new)) = (old.as_object(), new.as_object()) else {
            if old != new {
                // `true`/`false` schemas.
                let breaking = new == &Value::Bool(false) || old == &Value::Bool(true);
                self.push(
                    breaking,
                    path,
                    format!("schema {} is now {}", compact(old), compact(new)),
                );
            }
            return;
        };

        let old_open = open_enum(old);
        let new_open = open_enum(new);
        self.compare_types(old, new, path, old_open.as_ref(), new_open.as_ref());
        self.compare_enums(old, new, path, old_open.as_ref(), new_open.as_ref());
        self.compare_bounds(old, new, path);
        self.compare_strings(old, new, path);
        self.compare_members(old, new, path);
        if let Some(items) = pair(old, new, "items") {
            self.compare_present(items, &format!("{path}/*"), "the elements' schema");
        }
        if old_open.is_none() && new_open.is_none() {
            for keyword in ["anyOf", "oneOf"] {
                self.compare_alternatives(old, new, path, keyword);
            }
        }
        self.compare_all_of(old, new, path);
        // A root `if`/`then` that requires members under a condition is read with the members.
        let conditions_requiring_members = condition_and_members(&Value::Object(old.clone()))
            .is_some()
            || condition_and_members(&Value::Object(new.clone())).is_some();
        for keyword in ["not", "if", "then", "else"] {
            if keyword != "not" && conditions_requiring_members {
                continue;
            }
            if old.get(keyword) != new.get(keyword) {
                let what = match (old.get(keyword), new.get(keyword)) {
                    (None, Some(_)) => format!("`{keyword}` added"),
                    (Some(_), None) => format!("`{keyword}` removed"),
                    _ => format!("`{keyword}` changed"),
                };
                // A constraint added or changed may refuse what was valid; one removed cannot.
                let breaking = new.contains_key(keyword);
                self.push(breaking, path, what);
            }
        }
        self.compare_annotations(old, new, path);
    }

    fn resolve_old(&self, schema: &Value) -> Value {
        resolve(&self.old, schema)
    }

    fn resolve_new(&self, schema: &Value) -> Value {
        resolve(&self.new, schema)
    }

    /// Both present: compared; added or removed: reported as such.
    fn compare_present(&mut self, pair: (Option<&Value>, Option<&Value>), path: &str, what: &str) {
        match pair {
            (Some(old), Some(new)) => self.compare(old, new, path),
            (None, Some(new)) => {
                let breaking = !accepts_everything(new);
                self.push(breaking, path, format!("{what} added: {}", compact(new)));
            }
            (Some(_), None) => self.push(false, path, format!("{what} removed")),
            (None, None) => {}
        }
    }

    fn compare_types(
        &mut self,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        path: &str,
        old_open: Option<&OpenEnum>,
        new_open: Option<&OpenEnum>,
    ) {
        let old_types = old_open.map_or_else(|| types(old), |open| open.types.clone());
        let new_types = new_open.map_or_else(|| types(new), |open| open.types.clone());
        if old_types == new_types {
            return;
        }
        let lost: Vec<&str> = old_types
            .iter()
            .filter(|t| !admits(&new_types, t))
            .map(String::as_str)
            .collect();
        let gained: Vec<&str> = new_types
            .iter()
            .filter(|t| !admits(&old_types, t))
            .map(String::as_str)
            .collect();
        let list = |types: &BTreeSet<String>| {
            if types.is_empty() {
                "any type".to_owned()
            } else {
                types.iter().cloned().collect::<Vec<_>>().join(" or ")
            }
        };
        let (old_list, new_list) = (list(&old_types), list(&new_types));
        if !lost.is_empty() {
            self.push(
                true,
                path,
                format!("type narrowed from {old_list} to {new_list}"),
            );
        } else if !gained.is_empty() {
            self.push(
                false,
                path,
                format!("type widened from {old_list} to {new_list}"),
            );
        }
    }

    fn compare_enums(
        &mut self,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        path: &str,
        old_open: Option<&OpenEnum>,
        new_open: Option<&OpenEnum>,
    ) {
        let old_closed = closed_values(old);
        let new_closed = closed_values(new);
        match (old_open, new_open, old_closed, new_closed) {
            (None, None, Some(before), Some(after)) => {
                for value in before.iter().filter(|v| !after.contains(v)) {
                    self.push(true, path, format!("enum value {} removed", compact(value)));
                }
                for value in after.iter().filter(|v| !before.contains(v)) {
                    self.push(false, path, format!("enum value {} added", compact(value)));
                }
            }
            (None, None, None, Some(after)) => self.push(
                true,
                path,
                format!("restricted to the values {}", values_list(&after)),
            ),
            (None, None, Some(_), None) => {
                self.push(false, path, "no longer restricted to a list of values")
            }
            (None, Some(open), Some(_), _) => self.push(
                false,
                path,
                format!(
                    "enum opened: any {} is accepted, the known values listed ({})",
                    open.type_words(),
                    values_list(&open.known)
                ),
            ),
            (Some(open), None, _, Some(after)) => self.push(
                true,
                path,
                format!(
                    "enum closed: only {} accepted, where any {} was",
                    values_list(&after),
                    open.type_words()
                ),
            ),
            (Some(before), Some(after), _, _) => {
                for value in before.known.iter().filter(|v| !after.known.contains(v)) {
                    self.push(
                        false,
                        path,
                        format!(
                            "known value {} removed from the open enum (still accepted)",
                            compact(value)
                        ),
                    );
                }
                for value in after.known.iter().filter(|v| !before.known.contains(v)) {
                    self.push(
                        false,
                        path,
                        format!("known value {} added to the open enum", compact(value)),
                    );
                }
            }
            _ => {}
        }
    }

    fn compare_bounds(&mut self, old: &Map<String, Value>, new: &Map<String, Value>, path: &str) {
        // (keyword, whether a larger value accepts more)
        const BOUNDS: &[(&str, bool)] = &[
            ("minimum", false),
            ("exclusiveMinimum", false),
            ("minLength", false),
            ("minItems", false),
            ("minProperties", false),
            ("maximum", true),
            ("exclusiveMaximum", true),
            ("maxLength", true),
            ("maxItems", true),
            ("maxProperties", true),
        ];
        for &(keyword, larger_accepts_more) in BOUNDS {
            match (old.get(keyword), new.get(keyword)) {
                (Some(before), Some(after)) if before != after => {
                    let Some(order) = compare_numbers(before, after) else {
                        continue;
                    };
                    let loosened = (order == std::cmp::Ordering::Less) == larger_accepts_more;
                    let verb = if loosened { "loosened" } else { "tightened" };
                    self.push(
                        !loosened,
                        path,
                        format!("{keyword} {verb} from {before} to {after}"),
                    );
                }
                (None, Some(after)) => self.push(true, path, format!("{keyword} {after} added")),
                (Some(before), None) => {
                    self.push(false, path, format!("{keyword} {before} removed"))
                }
                _ => {}
            }
        }
        match (old.get("multipleOf"), new.get("multipleOf")) {
            (before, after) if before == after => {}
            (_, None) => self.push(false, path, "multipleOf removed"),
            (_, Some(after)) => self.push(true, path, format!("multipleOf {after} required")),
        }
        match (old.get("uniqueItems"), new.get("uniqueItems")) {
            (before, after) if before == after => {}
            (_, Some(Value::Bool(true))) => self.push(true, path, "elements must now be unique"),
            _ => self.push(false, path, "elements no longer need to be unique"),
        }
    }

    fn compare_strings(&mut self, old: &Map<String, Value>, new: &Map<String, Value>, path: &str) {
        for keyword in ["pattern", "format"] {
            match (old.get(keyword), new.get(keyword)) {
                (before, after) if before == after => {}
                (None, Some(after)) => self.push(true, path, format!("{keyword} {after} added")),
                (Some(before), None) => self.push(false, path, format!("{keyword} {before} removed")),
                (Some(before), Some(after)) => self.push(
                    true,
                    path,
                    format!("{keyword} changed from {before} to {after} (it may refuse values the old one accepted)"),
                ),
                (None, None) => {}
            }
        }
    }

    fn compare_members(&mut self, old: &Map<String, Value>, new: &Map<String, Value>, path: &str) {
        let empty = Map::new();
        let old_members = old
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let new_members = new
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let old_required = required(old);
        let new_required = required(new);
        let new_conditional = conditionally_required(new);
        let old_conditional = conditionally_required(old);

        for (name, schema) in old_members {
            let member_path = format!("{path}/{}", pointer_token(name));
            match new_members.get(name) {
                Some(after) => self.compare(schema, after, &member_path),
                None => self.push(true, &member_path, "member removed"),
            }
        }
        for name in new_members.keys().filter(|n| !old_members.contains_key(*n)) {
            let member_path = format!("{path}/{}", pointer_token(name));
            let what = if new_required.contains(name) {
                "member added (required)".to_owned()
            } else if let Some(condition) = new_conditional.get(name) {
                format!("member added (required when {condition})")
            } else {
                "member added (optional)".to_owned()
            };
            self.push(new_required.contains(name), &member_path, what);
        }
        for name in new_required.difference(&old_required) {
            if !new_members.contains_key(name) || old_members.contains_key(name) {
                let member_path = format!("{path}/{}", pointer_token(name));
                self.push(true, &member_path, "now required");
            }
        }
        for name in old_required.difference(&new_required) {
            let member_path = format!("{path}/{}", pointer_token(name));
            let what = match new_conditional.get(name) {
                Some(condition) => {
                    format!("required only when {condition} (it was always required)")
                }
                None => "no longer required".to_owned(),
            };
            self.push(false, &member_path, what);
        }
        // Conditions that now require a member that was neither required nor required under the
        // same condition before (a member added with its condition is reported above).
        for (name, condition) in &new_conditional {
            let before = old_conditional.get(name);
            if old_required.contains(name)
                || before == Some(condition)
                || !old_members.contains_key(name)
            {
                continue;
            }
            let member_path = format!("{path}/{}", pointer_token(name));
            self.push(true, &member_path, format!("now required when {condition}"));
        }
        for (name, condition) in &old_conditional {
            if !new_conditional.contains_key(name)
                && !new_required.contains(name)
                && new_members.contains_key(name)
            {
                let member_path = format!("{path}/{}", pointer_token(name));
                self.push(
                    false,
                    &member_path,
                    format!("no longer required when {condition}"),
                );
            }
        }

        match (
            old.get("additionalProperties"),
            new.get("additionalProperties"),
        ) {
            (before, after) if before == after => {}
            (before, after) => {
                let accepted = |v: Option<&Value>| v.is_none_or(accepts_everything);
                match (accepted(before), accepted(after)) {
                    (true, true) => {}
                    (true, false) if after == Some(&Value::Bool(false)) => {
                        self.push(true, path, "unknown members refused")
                    }
                    (false, true) if before == Some(&Value::Bool(false)) => {
                        self.push(false, path, "unknown members accepted")
                    }
                    _ => self.compare(
                        before.unwrap_or(&Value::Bool(true)),
                        after.unwrap_or(&Value::Bool(true)),
                        &format!("{path}/[unknown members]"),
                    ),
                }
            }
        }
        if let Some(patterns) = pair(old, new, "patternProperties") {
            if patterns.0 != patterns.1 {
                let breaking = patterns.1.is_some();
                self.push(breaking, path, "patternProperties changed");
            }
        }
        if let Some((before, after)) = pair(old, new, "dependencies") {
            let empty = Map::new();
            let before = before.and_then(Value::as_object).unwrap_or(&empty);
            let after = after.and_then(Value::as_object).unwrap_or(&empty);
            for (name, rule) in after {
                let member_path = format!("{path}/{}", pointer_token(name));
                match before.get(name) {
                    None => self.push(
                        true,
                        &member_path,
                        format!("a rule when present added: {}", compact(rule)),
                    ),
                    Some(old_rule) if old_rule != rule => match (old_rule, rule) {
                        (Value::Array(a), Value::Array(b)) => {
                            let added = b.iter().any(|m| !a.contains(m));
                            self.push(
                                added,
                                &member_path,
                                format!(
                                    "members required with it: {} (were {})",
                                    compact(rule),
                                    compact(old_rule)
                                ),
                            );
                        }
                        (Value::Object(_), Value::Object(_)) => {
                            self.compare(old_rule, rule, &format!("{member_path}[when present]"))
                        }
                        _ => self.push(true, &member_path, "its rule when present changed"),
                    },
                    Some(_) => {}
                }
            }
            for name in before.keys().filter(|n| !after.contains_key(*n)) {
                let member_path = format!("{path}/{}", pointer_token(name));
                self.push(false, &member_path, "its rule when present removed");
            }
        }
    }

    /// `anyOf`/`oneOf`: alternatives added (looser) or removed (narrower); the same number of
    /// alternatives is compared one by one.
    fn compare_alternatives(
        &mut self,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        path: &str,
        keyword: &str,
    ) {
        let before = old.get(keyword).and_then(Value::as_array);
        let after = new.get(keyword).and_then(Value::as_array);
        match (before, after) {
            (Some(before), Some(after)) if before.len() == after.len() => {
                for (index, (a, b)) in before.iter().zip(after).enumerate() {
                    self.compare(a, b, &format!("{path}[{keyword} {index}]"));
                }
            }
            (Some(before), Some(after)) => {
                for alternative in before.iter().filter(|a| !after.contains(a)) {
                    self.push(
                        true,
                        path,
                        format!("{keyword} alternative removed: {}", compact(alternative)),
                    );
                }
                for alternative in after.iter().filter(|a| !before.contains(a)) {
                    self.push(
                        keyword == "oneOf",
                        path,
                        format!("{keyword} alternative added: {}", compact(alternative)),
                    );
                }
            }
            (None, Some(_)) => self.push(true, path, format!("`{keyword}` added")),
            (Some(_), None) => self.push(false, path, format!("`{keyword}` removed")),
            (None, None) => {}
        }
    }

    /// `allOf`: the constraints that are not conditions requiring members (those are read by
    /// [`Self::compare_members`]) compared by position, added (narrower) or removed (looser).
    fn compare_all_of(&mut self, old: &Map<String, Value>, new: &Map<String, Value>, path: &str) {
        let plain = |schema: &Map<String, Value>| -> Vec<Value> {
            schema
                .get("allOf")
                .and_then(Value::as_array)
                .map(|all| {
                    all.iter()
                        .filter(|s| condition_and_members(s).is_none())
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
        };
        let (before, after) = (plain(old), plain(new));
        for (index, (a, b)) in before.iter().zip(&after).enumerate() {
            self.compare(a, b, &format!("{path}[allOf {index}]"));
        }
        for extra in after.iter().skip(before.len()) {
            self.push(true, path, format!("constraint added: {}", compact(extra)));
        }
        for gone in before.iter().skip(after.len()) {
            self.push(
                false,
                path,
                format!("constraint removed: {}", compact(gone)),
            );
        }
    }

    fn compare_annotations(
        &mut self,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        path: &str,
    ) {
        let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for key in keys {
            if HANDLED.contains(&key.as_str()) || IGNORED.contains(&key.as_str()) {
                continue;
            }
            let (before, after) = (old.get(key), new.get(key));
            if before == after {
                continue;
            }
            if key == "title" && before.is_some() && after.is_some() {
                // The title names the generated types (`LiveCallbackAfterEndBattle`).
                self.push(
                    true,
                    path,
                    format!(
                        "title changed from {} to {}: generated types are renamed",
                        compact(before.unwrap_or(&Value::Null)),
                        compact(after.unwrap_or(&Value::Null))
                    ),
                );
                continue;
            }
            let what = if ANNOTATIONS.contains(&key.as_str()) {
                format!("{key} changed")
            } else {
                match (before, after) {
                    (None, Some(after)) => format!("annotation {key} added: {}", compact(after)),
                    (Some(_), None) => format!("annotation {key} removed"),
                    _ => format!(
                        "annotation {key} changed to {}",
                        compact(after.unwrap_or(&Value::Null))
                    ),
                }
            };
            self.push(false, path, what);
        }
    }
}

/// The name of the definition a `{"$ref": "#/definitions/Name"}` schema refers to.
fn definition_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.strip_prefix("#/definitions/")
}

/// The definition `schema` refers to (its siblings are ignored, as draft-07 does), or the schema.
fn resolve(definitions: &Map<String, Value>, schema: &Value) -> Value {
    match definition_name(schema) {
        Some(name) => definitions.get(name).cloned().unwrap_or(Value::Bool(false)),
        None => schema.clone(),
    }
}

fn pair<'a>(
    old: &'a Map<String, Value>,
    new: &'a Map<String, Value>,
    keyword: &str,
) -> Option<(Option<&'a Value>, Option<&'a Value>)> {
    let pair = (old.get(keyword), new.get(keyword));
    (pair != (None, None)).then_some(pair)
}

/// The JSON types a schema allows (empty: any).
fn types(schema: &Map<String, Value>) -> BTreeSet<String> {
    match schema.get("type") {
        Some(Value::String(name)) => BTreeSet::from([name.clone()]),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// Whether the type set `set` (empty: any) admits values of type `name`.
fn admits(set: &BTreeSet<String>, name: &str) -> bool {
    set.is_empty() || set.contains(name) || (name == "integer" && set.contains("number"))
}

/// An `anyOf` of the `enum` of the known values and the bare type.
struct OpenEnum {
    types: BTreeSet<String>,
    known: Vec<Value>,
}

impl OpenEnum {
    fn type_words(&self) -> String {
        if self.types.is_empty() {
            "value".to_owned()
        } else {
            self.types.iter().cloned().collect::<Vec<_>>().join(" or ")
        }
    }
}

fn open_enum(schema: &Map<String, Value>) -> Option<OpenEnum> {
    let alternatives = schema.get("anyOf")?.as_array()?;
    let known = alternatives
        .iter()
        .find_map(|a| a.get("enum").and_then(Value::as_array))?
        .clone();
    // The bare type: a type, perhaps with the bounds of its values (an integer of u64).
    const BARE: &[&str] = &[
        "type",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ];
    let bare = alternatives.iter().find(|a| {
        a.as_object().is_some_and(|a| {
            a.contains_key("type")
                && a.keys()
                    .all(|k| BARE.contains(&k.as_str()) || ANNOTATIONS.contains(&k.as_str()))
        })
    })?;
    let mut types = types(bare.as_object()?);
    types.extend(self::types(schema));
    Some(OpenEnum { types, known })
}

/// The values a closed `enum` (or `const`) allows.
fn closed_values(schema: &Map<String, Value>) -> Option<Vec<Value>> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return Some(values.clone());
    }
    schema.get("const").map(|value| vec![value.clone()])
}

fn required(schema: &Map<String, Value>) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The members required under a condition: from each `if`/`then` of the schema (at its root or
/// in `allOf`) whose `then` requires members, member → the condition, as compact JSON.
fn conditionally_required(schema: &Map<String, Value>) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut rules: Vec<&Value> = schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let root = Value::Object(schema.clone());
    rules.push(&root);
    for rule in rules {
        if let Some((condition, members)) = condition_and_members(rule) {
            for member in members {
                found.insert(member, condition.clone());
            }
        }
    }
    found
}

/// `(condition, members)` of an `if`/`then` whose `then` only requires members.
fn condition_and_members(rule: &Value) -> Option<(String, Vec<String>)> {
    let condition = rule.get("if")?;
    let then = rule.get("then")?.as_object()?;
    // `properties` whose members are all `true` only name them.
    let names_only = |k: &str| {
        k == "properties"
            && then["properties"]
                .as_object()
                .is_some_and(|members| members.values().all(|v| v == &Value::Bool(true)))
    };
    if then
        .keys()
        .any(|k| k != "required" && !names_only(k) && !ANNOTATIONS.contains(&k.as_str()))
    {
        return None;
    }
    let members = then
        .get("required")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    Some((compact(condition), members))
}

/// Whether a schema accepts every value (`{}`, `true`, or annotations only).
fn accepts_everything(schema: &Value) -> bool {
    match schema {
        Value::Bool(accepts) => *accepts,
        Value::Object(object) => object.keys().all(|k| ANNOTATIONS.contains(&k.as_str())),
        _ => false,
    }
}

/// Orders two JSON numbers exactly when both are integers.
fn compare_numbers(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    let exact = |v: &Value| -> Option<i128> {
        v.as_u64()
            .map(i128::from)
            .or_else(|| v.as_i64().map(i128::from))
    };
    match (exact(a), exact(b)) {
        (Some(a), Some(b)) => Some(a.cmp(&b)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

fn values_list(values: &[Value]) -> String {
    values.iter().map(compact).collect::<Vec<_>>().join(", ")
}

/// A value as one line of JSON, cut at 120 characters.
fn compact(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 120 {
        format!("{}...", text.chars().take(117).collect::<String>())
    } else {
        text
    }
}

/// A member name as a JSON pointer token.
fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

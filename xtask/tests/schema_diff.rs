//! `cargo xtask schema-diff` on synthetic schemas: pairs of schema trees built here, and git
//! repositories made here with two revisions.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use xtask::schema_diff::{diff, main, Change};
use xtask::schema_tree::SchemaTree;

const BASE: &str = "https://trtc-live-webhooks.invalid/schemas/";

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "trtc-live-schema-diff-test-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write(path: &Path, value: &Value) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

/// Writes `schemas/` with one webhook, `Live.CallbackAfterTest`, whose request has the members
/// `properties`, the list `required` and the extra keywords `extra`; its owner is a shared
/// `common/account-id.schema.json` given as `account_id`.
fn write_schemas(
    root: &Path,
    properties: Value,
    required: &[&str],
    extra: Value,
    account_id: Value,
) {
    let schemas = root.join("schemas");
    let mut members = json!({
        "CallbackCommand": { "type": "string", "enum": ["Live.CallbackAfterTest"] },
        "Owner_Account": { "$ref": "../common/account-id.schema.json" },
    });
    members
        .as_object_mut()
        .unwrap()
        .extend(properties.as_object().unwrap().clone());
    let mut all_required = vec!["CallbackCommand", "Owner_Account"];
    all_required.extend(required);
    let mut request = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": format!("{BASE}Live.CallbackAfterTest/request.schema.json"),
        "title": "LiveCallbackAfterTest",
        "description": "A test packet.",
        "type": "object",
        "properties": members,
        "required": all_required,
        "additionalProperties": {},
    });
    request
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    write(
        &schemas.join("Live.CallbackAfterTest/request.schema.json"),
        &request,
    );
    write(
        &schemas.join("Live.CallbackAfterTest/response.schema.json"),
        &json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": format!("{BASE}Live.CallbackAfterTest/response.schema.json"),
            "title": "LiveCallbackAfterTestResponse",
            "description": "Its answer.",
            "type": "object",
            "properties": { "ErrorCode": { "type": "integer", "minimum": 0, "maximum": 1 } },
            "required": ["ErrorCode"],
            "additionalProperties": {},
        }),
    );
    let mut account = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": format!("{BASE}common/account-id.schema.json"),
        "title": "AccountId",
        "description": "A user.",
    });
    account
        .as_object_mut()
        .unwrap()
        .extend(account_id.as_object().unwrap().clone());
    write(&schemas.join("common/account-id.schema.json"), &account);
}

fn account_id() -> Value {
    json!({ "type": ["string", "integer"], "minimum": 0, "maximum": 18446744073709551615u64 })
}

struct Version {
    properties: Value,
    required: Vec<&'static str>,
    extra: Value,
    account_id: Value,
}

impl Version {
    fn new(properties: Value, required: &[&'static str]) -> Self {
        Self {
            properties,
            required: required.to_vec(),
            extra: json!({}),
            account_id: account_id(),
        }
    }

    fn with(mut self, extra: Value) -> Self {
        self.extra = extra;
        self
    }

    fn with_account_id(mut self, account_id: Value) -> Self {
        self.account_id = account_id;
        self
    }

    fn tree(&self, scratch: &Scratch, name: &str) -> SchemaTree {
        let root = scratch.0.join(name);
        write_schemas(
            &root,
            self.properties.clone(),
            &self.required,
            self.extra.clone(),
            self.account_id.clone(),
        );
        SchemaTree::load(&root.join("schemas")).unwrap()
    }
}

/// The changes from `old` to `new`, as printed.
fn changes(old: Version, new: Version) -> Vec<String> {
    let scratch =
        Scratch::new(&format!("{:?}", std::thread::current().id()).replace(['(', ')'], ""));
    let changes: Vec<Change> =
        diff(&old.tree(&scratch, "old"), &new.tree(&scratch, "new")).unwrap();
    changes.iter().map(ToString::to_string).collect()
}

fn assert_changes(old: Version, new: Version, expected: &[&str]) {
    let found = changes(old, new);
    let expected: Vec<String> = expected.iter().map(|line| line.to_string()).collect();
    assert_eq!(found, expected, "\nfound:\n{}", found.join("\n"));
}

const PACKET: &str = "Live.CallbackAfterTest request";

#[test]
fn the_same_schemas_have_no_change() {
    let version = || Version::new(json!({ "RoomId": { "type": "string" } }), &["RoomId"]);
    assert_changes(version(), version(), &[]);
}

#[test]
fn members_removed_are_breaking_and_members_added_are_not_unless_required() {
    assert_changes(
        Version::new(
            json!({ "RoomId": { "type": "string" }, "Gone": { "type": "string" } }),
            &["RoomId"],
        ),
        Version::new(
            json!({
                "RoomId": { "type": "string" },
                "Optional": { "type": "string" },
                "Required": { "type": "integer" },
            }),
            &["RoomId", "Required"],
        ),
        &[
            &format!("breaking      {PACKET} /Gone: member removed"),
            &format!("non-breaking  {PACKET} /Optional: member added (optional)"),
            &format!("breaking      {PACKET} /Required: member added (required)"),
        ],
    );
}

#[test]
fn a_member_required_or_no_longer_required() {
    let members = || json!({ "A": { "type": "string" }, "B": { "type": "string" } });
    assert_changes(
        Version::new(members(), &["A"]),
        Version::new(members(), &["B"]),
        &[
            &format!("non-breaking  {PACKET} /A: no longer required"),
            &format!("breaking      {PACKET} /B: now required"),
        ],
    );
}

#[test]
fn types_narrowed_are_breaking_and_widened_are_not() {
    assert_changes(
        Version::new(
            json!({ "Id": { "type": ["string", "integer"] }, "Count": { "type": "integer" }, "Ratio": { "type": "number" } }),
            &[],
        ),
        Version::new(
            json!({ "Id": { "type": "string" }, "Count": { "type": "number" }, "Ratio": { "type": "integer" } }),
            &[],
        ),
        &[
            &format!("non-breaking  {PACKET} /Count: type widened from integer to number"),
            &format!("breaking      {PACKET} /Id: type narrowed from integer or string to string"),
            &format!("breaking      {PACKET} /Ratio: type narrowed from number to integer"),
        ],
    );
}

#[test]
fn enum_values_removed_are_breaking_and_added_are_not() {
    assert_changes(
        Version::new(
            json!({ "OpType": { "type": "integer", "enum": [0, 1, 2] } }),
            &[],
        ),
        Version::new(
            json!({ "OpType": { "type": "integer", "enum": [0, 1, 3] } }),
            &[],
        ),
        &[
            &format!("breaking      {PACKET} /OpType: enum value 2 removed"),
            &format!("non-breaking  {PACKET} /OpType: enum value 3 added"),
        ],
    );
}

#[test]
fn bounds_tightened_or_added_are_breaking_and_loosened_or_removed_are_not() {
    assert_changes(
        Version::new(
            json!({
                "Count": { "type": "integer", "minimum": 0, "maximum": 100 },
                "Name": { "type": "string", "maxLength": 10 },
                "Id": { "type": "integer", "maximum": 18446744073709551615u64 },
            }),
            &[],
        ),
        Version::new(
            json!({
                "Count": { "type": "integer", "minimum": 1, "maximum": 1000 },
                "Name": { "type": "string", "minLength": 1 },
                "Id": { "type": "integer", "maximum": 18446744073709551614u64 },
            }),
            &[],
        ),
        &[
            &format!("breaking      {PACKET} /Count: minimum tightened from 0 to 1"),
            &format!("non-breaking  {PACKET} /Count: maximum loosened from 100 to 1000"),
            // Compared exactly: the two differ by one beyond 2^53.
            &format!("breaking      {PACKET} /Id: maximum tightened from 18446744073709551615 to 18446744073709551614"),
            &format!("breaking      {PACKET} /Name: minLength 1 added"),
            &format!("non-breaking  {PACKET} /Name: maxLength 10 removed"),
        ],
    );
}

#[test]
fn patterns_added_or_changed_are_breaking() {
    assert_changes(
        Version::new(json!({ "A": { "type": "string" }, "B": { "type": "string", "pattern": "^[0-9]+$" } }), &[]),
        Version::new(
            json!({ "A": { "type": "string", "pattern": "^a" }, "B": { "type": "string", "pattern": "^[0-9]{1,19}$" } }),
            &[],
        ),
        &[
            &format!("breaking      {PACKET} /A: pattern \"^a\" added"),
            &format!("breaking      {PACKET} /B: pattern changed from \"^[0-9]+$\" to \"^[0-9]{{1,19}}$\" (it may refuse values the old one accepted)"),
        ],
    );
}

#[test]
fn unknown_members_refused_is_breaking() {
    let members = || json!({ "A": { "type": "string" } });
    assert_changes(
        Version::new(members(), &[]),
        Version::new(members(), &[]).with(json!({ "additionalProperties": false })),
        &[&format!("breaking      {PACKET}: unknown members refused")],
    );
}

#[test]
fn a_shared_shape_is_reported_where_each_packet_uses_it() {
    assert_changes(
        Version::new(json!({}), &[]),
        Version::new(json!({}), &[])
            .with_account_id(json!({ "type": "string" })),
        &[
            &format!("breaking      {PACKET} /Owner_Account: type narrowed from integer or string to string"),
            &format!("non-breaking  {PACKET} /Owner_Account: minimum 0 removed"),
            &format!("non-breaking  {PACKET} /Owner_Account: maximum 18446744073709551615 removed"),
        ],
    );
}

/// An open enum: `anyOf` of the known values and the bare type.
fn open(known: &[&str]) -> Value {
    json!({ "anyOf": [{ "type": "string", "enum": known }, { "type": "string" }] })
}

#[test]
fn opening_an_enum_is_not_breaking_and_closing_one_is() {
    let closed = json!({ "type": "string", "enum": ["iOS", "Android"] });
    assert_changes(
        Version::new(json!({ "OptPlatform": closed.clone() }), &[]),
        Version::new(json!({ "OptPlatform": open(&["iOS", "Android"]) }), &[]),
        &[&format!(
            "non-breaking  {PACKET} /OptPlatform: enum opened: any string is accepted, the known values listed (\"iOS\", \"Android\")"
        )],
    );
    assert_changes(
        Version::new(json!({ "OptPlatform": open(&["iOS", "Android"]) }), &[]),
        Version::new(json!({ "OptPlatform": closed }), &[]),
        &[&format!(
            "breaking      {PACKET} /OptPlatform: enum closed: only \"iOS\", \"Android\" accepted, where any string was"
        )],
    );
}

#[test]
fn known_values_of_an_open_enum_change_no_verdict() {
    assert_changes(
        Version::new(json!({ "OptPlatform": open(&["iOS", "Android"]) }), &[]),
        Version::new(json!({ "OptPlatform": open(&["iOS", "HarmonyOS"]) }), &[]),
        &[
            &format!("non-breaking  {PACKET} /OptPlatform: known value \"Android\" removed from the open enum (still accepted)"),
            &format!("non-breaking  {PACKET} /OptPlatform: known value \"HarmonyOS\" added to the open enum"),
        ],
    );
}

/// `MsgId` required in the packets whose `EventTime` is from 2022-07-01 on.
fn required_since_2022(member: &str) -> Value {
    json!({ "allOf": [{
        "if": { "properties": { "EventTime": { "minimum": 1656633600000u64 } }, "required": ["EventTime"] },
        "then": { "required": [member] },
    }] })
}

const SINCE_2022: &str =
    r#"{"properties":{"EventTime":{"minimum":1656633600000}},"required":["EventTime"]}"#;

#[test]
fn a_member_required_only_from_a_date_on_is_a_loosening() {
    let members = || json!({ "EventTime": { "type": "integer" }, "MsgId": { "type": "string" } });
    assert_changes(
        Version::new(members(), &["EventTime", "MsgId"]),
        Version::new(members(), &["EventTime"]).with(required_since_2022("MsgId")),
        &[&format!(
            "non-breaking  {PACKET} /MsgId: required only when {SINCE_2022} (it was always required)"
        )],
    );
}

#[test]
fn a_member_required_from_a_date_on_is_a_narrowing_unless_it_is_new() {
    let members = || json!({ "EventTime": { "type": "integer" }, "MsgId": { "type": "string" } });
    // An optional member that packets of a date on must carry.
    assert_changes(
        Version::new(members(), &["EventTime"]),
        Version::new(members(), &["EventTime"]).with(required_since_2022("MsgId")),
        &[&format!(
            "breaking      {PACKET} /MsgId: now required when {SINCE_2022}"
        )],
    );
    // A new member, required from a date on: the packets valid before stay valid as long as
    // they are older; it is reported as an addition, with its condition.
    assert_changes(
        Version::new(
            json!({ "EventTime": { "type": "integer" } }),
            &["EventTime"],
        ),
        Version::new(members(), &["EventTime"]).with(required_since_2022("MsgId")),
        &[&format!(
            "non-breaking  {PACKET} /MsgId: member added (required when {SINCE_2022})"
        )],
    );
    // And the other way: the condition dropped.
    assert_changes(
        Version::new(members(), &["EventTime"]).with(required_since_2022("MsgId")),
        Version::new(members(), &["EventTime"]),
        &[&format!(
            "non-breaking  {PACKET} /MsgId: no longer required when {SINCE_2022}"
        )],
    );
}

#[test]
fn an_annotation_of_the_date_a_member_appeared_is_documentation() {
    let members = |extra: Value| {
        let mut msg_id = json!({ "type": "string" });
        msg_id
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({ "EventTime": { "type": "integer" }, "MsgId": msg_id })
    };
    assert_changes(
        Version::new(members(json!({})), &["EventTime", "MsgId"]),
        Version::new(members(json!({ "x-since": "2022-07-01" })), &["EventTime"]),
        &[
            &format!("non-breaking  {PACKET} /MsgId: annotation x-since added: \"2022-07-01\""),
            &format!("non-breaking  {PACKET} /MsgId: no longer required"),
        ],
    );
}

fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args(args)
        .current_dir(root)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn revisions_of_a_git_repository_are_compared() {
    let scratch = Scratch::new("git");
    let root = &scratch.0;
    git(root, &["init", "--quiet"]);
    write_schemas(
        root,
        json!({ "OpType": { "type": "integer", "enum": [0, 1, 2] } }),
        &[],
        json!({}),
        account_id(),
    );
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "first"]);
    write_schemas(
        root,
        json!({ "OpType": { "type": "integer", "enum": [0, 1] } }),
        &[],
        json!({}),
        account_id(),
    );

    // The working tree against HEAD: breaking.
    let (report, breaking) = main(root, &["HEAD"]).unwrap();
    assert!(breaking, "{report}");
    assert_eq!(
        report,
        format!(
            "schema-diff HEAD..working tree: 1 changes, 1 breaking\nbreaking      {PACKET} /OpType: enum value 2 removed\n"
        )
    );

    // Two revisions; the other way round, non-breaking.
    git(root, &["commit", "--quiet", "-am", "second"]);
    let (report, breaking) = main(root, &["HEAD", "HEAD~1"]).unwrap();
    assert!(!breaking, "{report}");
    assert!(
        report.contains("non-breaking  Live.CallbackAfterTest request /OpType: enum value 2 added"),
        "{report}"
    );

    // A webhook added since a revision.
    let folder = root.join("schemas/Live.CallbackAfterTest");
    let added = root.join("schemas/Live.CallbackAfterOther");
    std::fs::create_dir_all(&added).unwrap();
    for file in ["request.schema.json", "response.schema.json"] {
        let text = std::fs::read_to_string(folder.join(file))
            .unwrap()
            .replace("CallbackAfterTest", "CallbackAfterOther");
        std::fs::write(added.join(file), text).unwrap();
    }
    let (report, breaking) = main(root, &["HEAD"]).unwrap();
    assert!(!breaking, "{report}");
    assert!(
        report.contains("non-breaking  Live.CallbackAfterOther: webhook added"),
        "{report}"
    );

    // Nothing to compare with: the revision is named in the error.
    let error = main(root, &["no-such-revision"]).unwrap_err().to_string();
    assert!(error.contains("no-such-revision"), "{error}");
}

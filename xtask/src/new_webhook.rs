//! `cargo xtask new-webhook COMMAND_WORD`: scaffolds a webhook, the one place where adding one
//! starts.
//!
//! It writes the webhook's folder (`schemas/<word>/`: request and response schemas with the
//! members every packet carries, sample placeholders, `SOURCES.md`), its row in
//! `schemas/command-words.json` and its first invalid cases (`tests/cases/<word>/invalid/`), then
//! prints what to fill in. Every value a maintainer must supply is marked [`PLACEHOLDER`];
//! `cargo xtask codegen` refuses to run while one is left ([`check_no_placeholders`]), so a
//! half-filled webhook is never generated. Nothing else in the repository names the webhooks one
//! by one: codegen and the tests derive every list from the command list.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::command_words::{self, CommandWord, Kind};
use crate::schema_tree::{BASE_URI, DRAFT_07};
use crate::Error;

/// The marker of every value the maintainer fills in.
pub const PLACEHOLDER: &str = "TODO(new-webhook)";

/// Runs the task in `root` for `args` (`COMMAND_WORD [--group GROUP]`); returns what to fill in.
pub fn main(root: &Path, args: &[&str]) -> Result<String, Error> {
    let (word, group) = match args {
        [word] => (*word, None),
        [word, "--group", group] | ["--group", group, word] => (*word, Some(*group)),
        _ => {
            return Err(Error::msg(
                "usage: cargo xtask new-webhook COMMAND_WORD [--group GROUP]",
            ))
        }
    };
    let webhook = NewWebhook::new(word, group)?;
    webhook.write(root)
}

/// A webhook to scaffold.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    /// The command word (`Live.CallbackAfterRaiseHand`).
    pub command: String,
    /// `after` (a notification) or `before` (the answer decides), from the word itself.
    pub kind: Kind,
    /// Its group in the command list, or the placeholder.
    pub group: String,
}

impl NewWebhook {
    /// Checks the word: `Prefix.CallbackAfterName` or `Prefix.CallbackBeforeName`, ASCII letters.
    pub fn new(command: &str, group: Option<&str>) -> Result<Self, Error> {
        let (prefix, name) = command.split_once('.').unwrap_or(("", ""));
        let letters = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic());
        let kind = if name.strip_prefix("CallbackAfter").is_some_and(letters) {
            Kind::After
        } else if name.strip_prefix("CallbackBefore").is_some_and(letters) {
            Kind::Before
        } else {
            Kind::Configuration
        };
        if !prefix.starts_with(|c: char| c.is_ascii_uppercase())
            || !letters(prefix)
            || kind == Kind::Configuration
        {
            return Err(Error::msg(format!(
                "{command:?} is not a command word: expected Prefix.CallbackAfterName or \
                 Prefix.CallbackBeforeName in ASCII letters, as Tencent prints it \
                 (Live.CallbackAfterEndBattle)"
            )));
        }
        Ok(Self {
            command: command.to_owned(),
            kind,
            group: group.map_or_else(|| PLACEHOLDER.to_owned(), str::to_owned),
        })
    }

    /// The request packet's type name (`LiveCallbackAfterRaiseHand`).
    pub fn type_name(&self) -> String {
        self.command.replace('.', "")
    }

    /// Every file of the scaffold, relative to the repository root, with its contents.
    pub fn files(&self) -> Vec<(String, String)> {
        let folder = format!("schemas/{}", self.command);
        let cases = format!("tests/cases/{}/invalid", self.command);
        let mut files = vec![
            (
                format!("{folder}/request.schema.json"),
                pretty(&self.request_schema()),
            ),
            (
                format!("{folder}/response.schema.json"),
                pretty(&self.response_schema()),
            ),
            (
                format!("{folder}/samples/request.jsonc"),
                self.request_sample(),
            ),
            (
                format!("{folder}/samples/response.jsonc"),
                format!(
                    "// {PLACEHOLDER}: replace this file with the page's response sample, verbatim.\n{}",
                    pretty(&json!({"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0}))
                ),
            ),
            (format!("{folder}/samples/SOURCES.md"), self.sources()),
        ];
        for (name, packet) in self.invalid_requests() {
            files.push((format!("{cases}/{name}.json"), pretty(&packet)));
        }
        if self.kind == Kind::Before {
            for (name, packet) in invalid_responses() {
                files.push((format!("{cases}/{name}.json"), pretty(&packet)));
            }
        }
        files
    }

    fn request_schema(&self) -> Value {
        let command = &self.command;
        let answer = match self.kind {
            Kind::Before => format!(
                "The app's answer decides: {PLACEHOLDER}: what each ErrorCode does, and what \
                 happens when no answer comes in time."
            ),
            _ => "Notification only: Tencent ignores the answer.".to_owned(),
        };
        let when = match self.kind {
            Kind::Before => "before",
            _ => "after",
        };
        json!({
            "$schema": DRAFT_07,
            "$id": format!("{BASE_URI}{command}/request.schema.json"),
            "title": self.type_name(),
            "description": format!(
                "Request packet of {command}, sent by the Live backend {when} {PLACEHOLDER}: \
                 the event, in our own words. {PLACEHOLDER}: when it fires. {answer}"
            ),
            "type": "object",
            "properties": {
                "CallbackCommand": {
                    "description": format!("The command word, always {command}."),
                    "type": "string",
                    "enum": [command],
                },
                "EventTime": {
                    "description": "When the event was triggered, in Unix milliseconds.",
                    "$ref": "../common/unix-milliseconds.schema.json",
                },
            },
            "required": ["CallbackCommand", "EventTime"],
            "additionalProperties": {},
        })
    }

    fn response_schema(&self) -> Value {
        let command = &self.command;
        let description = match self.kind {
            Kind::Before => format!(
                "Response packet to {command}: the app's decision. {PLACEHOLDER}: the decision \
                 codes (write them as a schema of their own, as Live.CallbackBeforeSendGift's \
                 SendGiftErrorCode, when the common ErrorCode does not say them)."
            ),
            _ => format!(
                "Response packet to {command}: the common response packet. The webhook is a \
                 notification, so Tencent ignores the answer; answer ActionStatus OK and \
                 ErrorCode 0."
            ),
        };
        json!({
            "$schema": DRAFT_07,
            "$id": format!("{BASE_URI}{command}/response.schema.json"),
            "title": format!("{}Response", self.type_name()),
            "description": description,
            "allOf": [{"$ref": "../common/callback-response.schema.json"}],
        })
    }

    fn request_sample(&self) -> String {
        format!(
            "// {PLACEHOLDER}: replace this file with the page's request sample, verbatim.\n{}",
            pretty(&json!({"CallbackCommand": self.command, "EventTime": 1_700_000_000_000_u64}))
        )
    }

    fn sources(&self) -> String {
        let command = &self.command;
        format!(
            "# Documentation samples of `{command}`\n\
             \n\
             Copied verbatim (comments and defects included) from Tencent's page\n\
             \"{PLACEHOLDER}: the page title\". Nothing here is edited: where a sample has a defect, a test\n\
             asserts it (`tests/tests/documentation_defects/`), and where a sample is not valid JSONC as\n\
             printed, a corrected copy sits beside it with a `.corrected.jsonc` name whose first line says\n\
             what was changed; the positive tests use the corrected copy.\n\
             \n\
             | file | what | source |\n\
             |---|---|---|\n\
             | `request.jsonc` | request packet sample, as printed | {PLACEHOLDER}: the page's URL (language, updated date) |\n\
             | `response.jsonc` | response packet sample, as printed | same page |\n\
             \n\
             Known defects of the page (see the schema's descriptions):\n\
             \n\
             - {PLACEHOLDER}: each defect, or \"none found\".\n"
        )
    }

    fn invalid_requests(&self) -> Vec<(&'static str, Value)> {
        let packet = |event_time: Option<Value>| {
            let mut packet = json!({"CallbackCommand": self.command});
            if let Some(time) = event_time {
                packet["EventTime"] = time;
            }
            packet
        };
        vec![
            ("eventtime-missing", packet(None)),
            ("eventtime-negative", packet(Some(json!(-1)))),
            ("eventtime-string", packet(Some(json!("1700000000000")))),
        ]
    }

    /// The row of `schemas/command-words.json`.
    fn row(&self) -> Value {
        json!({
            "command": self.command,
            "group": self.group,
            "title": format!("{PLACEHOLDER}: the page title"),
            "kind": match self.kind { Kind::Before => "before", _ => "after" },
            "delivered": true,
            "doc_url": format!("{PLACEHOLDER}: the page's URL"),
        })
    }

    /// Writes the scaffold into `root`; fails, writing nothing, when the webhook already exists.
    pub fn write(&self, root: &Path) -> Result<String, Error> {
        let schemas = root.join("schemas");
        let words = command_words::load(&schemas)?;
        if words.iter().any(|w| w.command == self.command) {
            return Err(Error::msg(format!(
                "{} is already listed in schemas/{}",
                self.command,
                command_words::FILE
            )));
        }
        let files = self.files();
        for (path, _) in &files {
            if root.join(path).exists() {
                return Err(Error::msg(format!("{path} already exists")));
            }
        }
        let list_path = schemas.join(command_words::FILE);
        let list = std::fs::read_to_string(&list_path)
            .map_err(|e| Error::msg(format!("cannot read schemas/{}: {e}", command_words::FILE)))?;
        let list = with_row(&list, &words, &self.row())?;
        for (path, contents) in &files {
            write(&root.join(path), contents)?;
        }
        write(&list_path, &list)?;
        Ok(self.instructions(&files))
    }

    fn instructions(&self, files: &[(String, String)]) -> String {
        let command = &self.command;
        let created: Vec<String> = files.iter().map(|(p, _)| format!("  {p}")).collect();
        let decision = if self.kind == Kind::Before {
            "\n   A before-webhook's answer decides: write the decision codes into the response schema,\n   \
             and keep at least three invalid response-*.json cases."
        } else {
            ""
        };
        format!(
            "created:\n{}\nchanged:\n  schemas/{list} (a row for {command})\n\n\
             Fill in every {PLACEHOLDER} (`git grep -n '{PLACEHOLDER}'` lists them; codegen refuses to run\n\
             while one is left):\n\
             1. schemas/{command}/samples/: the page's samples, verbatim (request.jsonc, response.jsonc,\n   \
                more revisions as request.<name>.jsonc), and SOURCES.md: where each comes from (\"no comments\"\n   \
                in the row of a sample printed without // comments).\n\
             2. schemas/{command}/request.schema.json: the description, then every member of the page's\n   \
                table, each with its description and units; reuse schemas/common/ through $ref.{decision}\n\
             3. schemas/{list}: the row's group, title, doc_url; move it to its place in the list.\n\
             4. tests/cases/{command}/: more invalid cases, one per member worth one (valid/,\n   \
                decode-invalid/ and strict-invalid/ cases as the other webhooks have them).\n\
             5. cargo xtask codegen (an integer enum needs a Rust enum in crates/trtc-live-types/src/wire.rs:\n   \
                codegen says so), then cargo test --workspace, and review and accept the new snapshots\n   \
                (cargo insta review, or INSTA_UPDATE=always for the new ones only).",
            created.join("\n"),
            list = command_words::FILE,
        )
    }
}

fn invalid_responses() -> Vec<(&'static str, Value)> {
    vec![
        (
            "response-errorcode-missing",
            json!({"ActionStatus": "OK", "ErrorInfo": ""}),
        ),
        (
            "response-errorcode-string",
            json!({"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": "0"}),
        ),
        (
            "response-actionstatus-lowercase",
            json!({"ActionStatus": "ok", "ErrorInfo": "", "ErrorCode": 0}),
        ),
    ]
}

/// `list` (the text of `command-words.json`) with `row` added after the last delivered word, in
/// the file's layout (two-space indent, one member a line).
fn with_row(list: &str, words: &[CommandWord], row: &Value) -> Result<String, Error> {
    let mut json: Value = serde_json::from_str(list)
        .map_err(|e| Error::msg(format!("schemas/{} is not JSON: {e}", command_words::FILE)))?;
    let rows = json["command_words"]
        .as_array_mut()
        .ok_or_else(|| Error::msg("no \"command_words\" array"))?;
    let at = words
        .iter()
        .rposition(CommandWord::is_delivered)
        .map_or(0, |i| i + 1);
    rows.insert(at, row.clone());
    Ok(pretty(&json))
}

/// JSON with two-space indentation and a final newline, as the repository's JSON files.
fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("a Value serializes");
    text.push('\n');
    text
}

fn write(path: &Path, contents: &str) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::msg(format!("cannot create {}: {e}", parent.display())))?;
    }
    std::fs::write(path, contents)
        .map_err(|e| Error::msg(format!("cannot write {}: {e}", path.display())))
}

/// Fails, naming each file, while a scaffolded [`PLACEHOLDER`] is left in a webhook folder or
/// in `command-words.json` (`schemas_dir` is `schemas/`; its prose, such as `README.md`, may name
/// the marker).
pub fn check_no_placeholders(schemas_dir: &Path) -> Result<(), Error> {
    let list = |dir: &Path| -> Result<Vec<PathBuf>, Error> {
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir)
            .map_err(|e| Error::msg(format!("cannot list {}: {e}", dir.display())))?
        {
            paths.push(
                entry
                    .map_err(|e| Error::msg(format!("cannot list {}: {e}", dir.display())))?
                    .path(),
            );
        }
        Ok(paths)
    };
    let mut pending: Vec<PathBuf> = list(schemas_dir)?
        .into_iter()
        .filter(|path| path.is_dir() || path.ends_with(command_words::FILE))
        .collect();
    let mut left = Vec::new();
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            pending.extend(list(&path)?);
        } else if std::fs::read_to_string(&path).is_ok_and(|t| t.contains(PLACEHOLDER)) {
            let relative = path.strip_prefix(schemas_dir).unwrap_or(&path);
            left.push(format!("schemas/{}", relative.display()));
        }
    }
    left.sort();
    if left.is_empty() {
        return Ok(());
    }
    Err(Error::msg(format!(
        "{PLACEHOLDER} left by `cargo xtask new-webhook` in {}: fill each in (the samples \
         verbatim, the members and their sources) before generating",
        left.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_comes_from_the_word() {
        let after = NewWebhook::new("Live.CallbackAfterRaiseHand", None).unwrap();
        assert_eq!(after.kind, Kind::After);
        assert_eq!(after.type_name(), "LiveCallbackAfterRaiseHand");
        let before = NewWebhook::new("Live.CallbackBeforeRaiseHand", Some("User")).unwrap();
        assert_eq!(before.kind, Kind::Before);
        assert_eq!(before.group, "User");
        assert_eq!(before.files().len(), 5 + 3 + 3);
        for word in [
            "Live.RaiseHand",
            "live.CallbackAfterX",
            "Live.CallbackAfter",
            "LiveCallbackAfterX",
            "Live.CallbackAfterRaise-Hand",
        ] {
            assert!(NewWebhook::new(word, None).is_err(), "{word}");
        }
    }

    #[test]
    fn every_scaffolded_json_file_is_json_and_the_schemas_name_the_word() {
        let webhook = NewWebhook::new("Live.CallbackBeforeRaiseHand", None).unwrap();
        for (path, text) in webhook.files() {
            if path.ends_with(".json") {
                let json: Value =
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
                if path.ends_with("request.schema.json") {
                    assert_eq!(
                        json["properties"]["CallbackCommand"]["enum"],
                        json!(["Live.CallbackBeforeRaiseHand"])
                    );
                }
            }
        }
    }
}

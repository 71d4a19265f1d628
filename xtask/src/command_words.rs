//! `schemas/command-words.json`: Tencent's Webhooks Command List, and its agreement with the
//! webhook folders.
//!
//! Every word the Live backend delivers has a folder in `schemas/`, and every folder is a listed,
//! delivered word; a configuration word (never sent) has no folder. Codegen fails otherwise.

use std::path::Path;

use serde_json::Value;

use crate::schema_tree::SchemaTree;
use crate::Error;

/// The file, relative to `schemas/`.
pub const FILE: &str = "command-words.json";

/// What Tencent does with the app's answer to a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An after-event notification: the answer is ignored.
    After,
    /// A before-event webhook: the answer is a decision.
    Before,
    /// A configuration word: nothing is ever sent with it.
    Configuration,
}

/// One row of the Webhooks Command List.
#[derive(Clone, Debug)]
pub struct CommandWord {
    /// The command word (`Live.CallbackAfterEndBattle`).
    pub command: String,
    /// Its group in the list (`Room`, `Battle`, ...).
    pub group: String,
    /// The title of its page.
    pub title: String,
    /// What the answer does.
    pub kind: Kind,
    /// Tencent's page.
    pub doc_url: String,
    /// A note, for the words that need one.
    pub note: Option<String>,
}

impl CommandWord {
    /// Whether Tencent POSTs packets with this word.
    pub fn is_delivered(&self) -> bool {
        self.kind != Kind::Configuration
    }
}

/// Reads `schemas/command-words.json`, in the list's order.
pub fn load(schemas_dir: &Path) -> Result<Vec<CommandWord>, Error> {
    let path = schemas_dir.join(FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::msg(format!("cannot read schemas/{FILE}: {e}")))?;
    let json: Value = serde_json::from_str(&text)
        .map_err(|e| Error::msg(format!("schemas/{FILE} is not JSON: {e}")))?;
    let rows = json["command_words"]
        .as_array()
        .ok_or_else(|| Error::msg(format!("schemas/{FILE}: no \"command_words\" array")))?;
    rows.iter()
        .enumerate()
        .map(|(i, row)| parse_row(i, row))
        .collect()
}

fn parse_row(index: usize, row: &Value) -> Result<CommandWord, Error> {
    let field = |name: &str| {
        row[name].as_str().map(str::to_owned).ok_or_else(|| {
            Error::msg(format!(
                "schemas/{FILE}: command_words[{index}] has no string \"{name}\""
            ))
        })
    };
    let kind = match field("kind")?.as_str() {
        "after" => Kind::After,
        "before" => Kind::Before,
        "configuration" => Kind::Configuration,
        other => {
            return Err(Error::msg(format!(
                "schemas/{FILE}: command_words[{index}].kind is {other:?}; expected after, before or configuration"
            )))
        }
    };
    if row["delivered"].as_bool() != Some(kind != Kind::Configuration) {
        return Err(Error::msg(format!(
            "schemas/{FILE}: command_words[{index}].delivered must be {} for kind {kind:?}",
            kind != Kind::Configuration
        )));
    }
    Ok(CommandWord {
        command: field("command")?,
        group: field("group")?,
        title: field("title")?,
        kind,
        doc_url: field("doc_url")?,
        note: row["note"].as_str().map(str::to_owned),
    })
}

/// Fails unless the delivered words and the webhook folders are the same set.
pub fn check_against(words: &[CommandWord], tree: &SchemaTree) -> Result<(), Error> {
    for folder in &tree.webhooks {
        match words.iter().find(|w| w.command == folder.command) {
            None => {
                return Err(Error::msg(format!(
                    "schemas/{}/ is not listed in schemas/{FILE}: add its row (group, title, kind, doc_url)",
                    folder.command
                )))
            }
            Some(word) if !word.is_delivered() => {
                return Err(Error::msg(format!(
                    "schemas/{}/ exists, but schemas/{FILE} lists it as a configuration word that is never sent",
                    folder.command
                )))
            }
            Some(_) => {}
        }
    }
    for word in words.iter().filter(|w| w.is_delivered()) {
        if !tree.webhooks.iter().any(|f| f.command == word.command) {
            return Err(Error::msg(format!(
                "schemas/{FILE} lists {}, which has no folder schemas/{}/",
                word.command, word.command
            )));
        }
    }
    Ok(())
}

/// The listed row of a webhook folder (present once [`check_against`] passed).
pub fn of<'a>(words: &'a [CommandWord], command: &str) -> &'a CommandWord {
    words
        .iter()
        .find(|w| w.command == command)
        .expect("check_against ran first")
}

//! The source schemas: `schemas/common/` and one folder per webhook.
//!
//! Layout rules, enforced here so that a mistake fails codegen instead of being skipped:
//!
//! - every `*.schema.json` file has `$schema` draft-07, an `$id` equal to [`BASE_URI`] followed by
//!   its path below `schemas/`, and a `title` that is a Rust type name (it names the generated type);
//! - a webhook folder is named after its command word (`Live.CallbackAfterEndBattle`) and holds
//!   `request.schema.json` and `response.schema.json`; the request's `CallbackCommand` property is
//!   the one-value enum of that word;
//! - any other folder below `schemas/` is an error, except `common/`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::Error;

/// Every `$id` starts with this. The `.invalid` top-level domain (RFC 6761) can never resolve:
/// the ids are names, and nothing ever fetches them.
pub const BASE_URI: &str = "https://trtc-live-webhooks.invalid/schemas/";

/// The draft every schema declares.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// The folder of shared definitions.
pub const COMMON_DIR: &str = "common";

/// One schema file.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    /// Path below `schemas/`, with `/` separators (`common/account-id.schema.json`).
    pub path: String,
    /// The `$id`.
    pub id: String,
    /// The `title`: the name of the generated type.
    pub title: String,
    /// The parsed document.
    pub json: Value,
    /// The file's text, as read.
    pub text: String,
}

/// One webhook folder.
#[derive(Debug, Clone)]
pub struct WebhookFolder {
    /// The command word, which is also the folder name.
    pub command: String,
    /// First sentence of the request schema's description.
    pub summary: String,
    /// Title (type name) of the request schema.
    pub request_type: String,
    /// Title (type name) of the response schema.
    pub response_type: String,
    /// `$id` of the request schema.
    pub request_id: String,
    /// `$id` of the response schema.
    pub response_id: String,
}

/// All source schemas, sorted by path, and the webhook folders, sorted by command word.
#[derive(Debug, Clone)]
pub struct SchemaTree {
    /// Every schema file.
    pub files: Vec<SchemaFile>,
    /// Every webhook folder.
    pub webhooks: Vec<WebhookFolder>,
}

impl SchemaTree {
    /// Reads and checks `schemas_dir`.
    pub fn load(schemas_dir: &Path) -> Result<Self, Error> {
        let mut files = Vec::new();
        let mut webhook_dirs = Vec::new();
        for dir in sorted_entries(schemas_dir)?
            .into_iter()
            .filter(|p| p.is_dir())
        {
            let name = file_name(&dir);
            if name == COMMON_DIR {
            } else if is_command_word(&name) {
                webhook_dirs.push(name.clone());
            } else {
                return Err(Error::msg(format!(
                    "schemas/{name}/ is neither common/ nor a webhook folder named after its \
                     command word (such as Live.CallbackAfterEndBattle)"
                )));
            }
            for path in sorted_entries(&dir)? {
                if file_name(&path).ends_with(".schema.json") {
                    files.push(load_file(&path, &format!("{name}/{}", file_name(&path)))?);
                }
            }
        }
        let mut webhooks = Vec::new();
        for command in webhook_dirs {
            webhooks.push(webhook_folder(&files, &command)?);
        }
        Ok(Self { files, webhooks })
    }

    /// The file with the given path below `schemas/`.
    pub fn file(&self, path: &str) -> Option<&SchemaFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

fn webhook_folder(files: &[SchemaFile], command: &str) -> Result<WebhookFolder, Error> {
    let find = |name: &str| {
        let path = format!("{command}/{name}");
        files
            .iter()
            .find(|f| f.path == path)
            .ok_or_else(|| Error::msg(format!("schemas/{path} is missing")))
    };
    let request = find("request.schema.json")?;
    let response = find("response.schema.json")?;
    let declared = request.json.pointer("/properties/CallbackCommand/enum");
    if declared != Some(&Value::Array(vec![Value::String(command.to_owned())])) {
        return Err(Error::msg(format!(
            "schemas/{}: properties/CallbackCommand must be {{\"type\": \"string\", \"enum\": [\"{command}\"]}} \
             (the folder's command word, as a one-value enum)",
            request.path
        )));
    }
    let description = request.json["description"].as_str().unwrap_or_default();
    let summary = match description.find(". ") {
        Some(end) => &description[..=end],
        None => description,
    };
    Ok(WebhookFolder {
        command: command.to_owned(),
        summary: summary.trim().to_owned(),
        request_type: request.title.clone(),
        response_type: response.title.clone(),
        request_id: request.id.clone(),
        response_id: response.id.clone(),
    })
}

fn load_file(path: &Path, relative: &str) -> Result<SchemaFile, Error> {
    let where_ = format!("schemas/{relative}");
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::msg(format!("cannot read {where_}: {e}")))?;
    let json: Value = serde_json::from_str(&text)
        .map_err(|e| Error::msg(format!("{where_} is not valid JSON: {e}")))?;
    let field = |name: &str| {
        json.get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| Error::msg(format!("{where_} has no string \"{name}\"")))
    };
    let draft = field("$schema")?;
    if draft != DRAFT_07 {
        return Err(Error::msg(format!(
            "{where_}: \"$schema\" is {draft:?}; every schema is draft-07 ({DRAFT_07})"
        )));
    }
    let id = field("$id")?;
    let expected_id = format!("{BASE_URI}{relative}");
    if id != expected_id {
        return Err(Error::msg(format!(
            "{where_}: \"$id\" is {id:?}, expected {expected_id:?} (the base URI followed by the file's path)"
        )));
    }
    let title = field("title")?;
    if !is_type_name(&title) {
        return Err(Error::msg(format!(
            "{where_}: \"title\" {title:?} must be a Rust type name in PascalCase: it names the generated type"
        )));
    }
    Ok(SchemaFile {
        path: relative.to_owned(),
        id,
        title,
        json,
        text,
    })
}

/// `Prefix.Name`, both parts ASCII letters, the prefix capitalised.
fn is_command_word(name: &str) -> bool {
    match name.split_once('.') {
        Some((prefix, word)) => {
            prefix.starts_with(|c: char| c.is_ascii_uppercase())
                && !word.is_empty()
                && prefix
                    .chars()
                    .chain(word.chars())
                    .all(|c| c.is_ascii_alphabetic())
        }
        None => false,
    }
}

/// A PascalCase Rust identifier.
pub fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let read = std::fs::read_dir(dir)
        .map_err(|e| Error::msg(format!("cannot list {}: {e}", dir.display())))?;
    let mut paths = read
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::msg(format!("cannot list {}: {e}", dir.display())))?;
    paths.sort();
    Ok(paths)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

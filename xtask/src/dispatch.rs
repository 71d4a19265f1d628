//! The command table and the dispatch enums: one arm per webhook folder.

use std::fmt::Write;

use crate::output::format_rust;
use crate::schema_tree::{SchemaTree, WebhookFolder};
use crate::Error;

/// Generates `webhooks.rs`: `Command`, `Webhook` and `WebhookResponse`.
pub fn generate(tree: &SchemaTree) -> Result<String, Error> {
    let hooks = &tree.webhooks;
    let arms = |f: &dyn Fn(&WebhookFolder) -> String| hooks.iter().map(f).collect::<String>();

    let mut source = String::new();
    let _ = write!(
        source,
        r#"//! The command table and the typed dispatch over every webhook of `schemas/`.
use super::types::*;
use crate::decode::decode_as;
use crate::DecodeError;

/// Every command word this crate knows: one per webhook folder in `schemas/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Command {{
    {variants}
}}

impl Command {{
    /// Every known command, sorted by command word.
    pub const ALL: &'static [Command] = &[{all}];

    /// The command word, as it appears in `CallbackCommand`.
    pub const fn as_str(self) -> &'static str {{
        match self {{ {as_str} }}
    }}

    /// The command with this command word, if it is a known one.
    pub fn from_command_word(word: &str) -> Option<Self> {{
        match word {{ {from_word} _ => None, }}
    }}

    /// `$id` of the request packet schema.
    pub const fn request_schema_id(self) -> &'static str {{
        match self {{ {request_id} }}
    }}

    /// `$id` of the response packet schema.
    pub const fn response_schema_id(self) -> &'static str {{
        match self {{ {response_id} }}
    }}

    /// What the webhook is for, in one sentence.
    pub const fn summary(self) -> &'static str {{
        match self {{ {summary} }}
    }}
}}

impl std::fmt::Display for Command {{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{
        f.write_str(self.as_str())
    }}
}}

/// A request packet of any known webhook, typed. It serializes as the packet itself.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Webhook {{
    {webhook_variants}
}}

impl Webhook {{
    /// The command of this packet.
    pub const fn command(&self) -> Command {{
        match self {{ {webhook_command} }}
    }}

    /// Decodes a request packet of `command` from a parsed JSON value.
    pub fn from_value_as(command: Command, value: serde_json::Value) -> Result<Self, DecodeError> {{
        Ok(match command {{ {webhook_decode} }})
    }}
}}

/// A response packet of any known webhook, typed. It serializes as the packet itself.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum WebhookResponse {{
    {response_variants}
}}

impl WebhookResponse {{
    /// The command this response answers.
    pub const fn command(&self) -> Command {{
        match self {{ {response_command} }}
    }}

    /// Decodes a response packet to `command` from a parsed JSON value.
    pub fn from_value_as(command: Command, value: serde_json::Value) -> Result<Self, DecodeError> {{
        Ok(match command {{ {response_decode} }})
    }}
}}
"#,
        variants = arms(&|w| format!("/// `{}`: {}\n{},\n", w.command, w.summary, w.request_type)),
        all = arms(&|w| format!("Command::{},", w.request_type)),
        as_str = arms(&|w| format!("Command::{} => {:?},", w.request_type, w.command)),
        from_word = arms(&|w| format!("{:?} => Some(Command::{}),", w.command, w.request_type)),
        request_id = arms(&|w| format!("Command::{} => {:?},", w.request_type, w.request_id)),
        response_id = arms(&|w| format!("Command::{} => {:?},", w.request_type, w.response_id)),
        summary = arms(&|w| format!("Command::{} => {:?},", w.request_type, w.summary)),
        webhook_variants = arms(&|w| format!(
            "/// A `{}` request packet.\n{}({}),\n",
            w.command, w.request_type, w.request_type
        )),
        webhook_command = arms(&|w| format!(
            "Webhook::{}(_) => Command::{},",
            w.request_type, w.request_type
        )),
        webhook_decode = arms(&|w| format!(
            "Command::{0} => Webhook::{0}(decode_as(command, value)?),",
            w.request_type
        )),
        response_variants = arms(&|w| format!(
            "/// A response packet to `{}`.\n{}({}),\n",
            w.command, w.request_type, w.response_type
        )),
        response_command = arms(&|w| format!(
            "WebhookResponse::{}(_) => Command::{},",
            w.request_type, w.request_type
        )),
        response_decode = arms(&|w| format!(
            "Command::{0} => WebhookResponse::{0}(decode_as(command, value)?),",
            w.request_type
        )),
    );
    format_rust(&source, "webhooks.rs")
}

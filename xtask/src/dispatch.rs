//! The command table and the dispatch enums: one arm per webhook folder.

use std::fmt::Write;

use crate::command_words::{self, CommandWord, Kind};
use crate::output::format_rust;
use crate::schema_tree::{SchemaTree, WebhookFolder};
use crate::Error;

/// Generates `webhooks.rs`: `Command`, `Webhook` and `WebhookResponse`.
pub fn generate(tree: &SchemaTree, words: &[CommandWord]) -> Result<String, Error> {
    let hooks = &tree.webhooks;
    let arms = |f: &dyn Fn(&WebhookFolder) -> String| hooks.iter().map(f).collect::<String>();
    let listed = |w: &WebhookFolder| command_words::of(words, &w.command);
    let configuration_words = words
        .iter()
        .filter(|w| !w.is_delivered())
        .map(|w| {
            format!(
                "({:?}, {:?}),",
                w.command,
                w.note.as_deref().unwrap_or_default()
            )
        })
        .collect::<String>();

    let mut source = String::new();
    let _ = write!(
        source,
        r#"//! The command table and the typed dispatch over every webhook of `schemas/`.
use super::types::*;
use crate::conform::{{fit_of_bytes, fit_of_bytes_keeping, Fit}};
use crate::findings::Findings;
use crate::decode::{{decode_as, from_json_bytes_as}};
use crate::members::object_from_json_bytes;
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
        Self::from_command_word_bytes(word.as_bytes())
    }}

    /// The command with this command word, given as bytes (as read from a packet, before any
    /// UTF-8 check), if it is a known one.
    pub fn from_command_word_bytes(word: &[u8]) -> Option<Self> {{
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

    /// Name of the request packet's Rust type, which is also its definition's name in the
    /// bundled schema (`#/definitions/<name>`).
    pub const fn request_type_name(self) -> &'static str {{
        match self {{ {request_type} }}
    }}

    /// Name of the response packet's Rust type and bundled-schema definition.
    pub const fn response_type_name(self) -> &'static str {{
        match self {{ {response_type} }}
    }}

    /// What the webhook is for, in one sentence.
    pub const fn summary(self) -> &'static str {{
        match self {{ {summary} }}
    }}

    /// Its group in Tencent's Webhooks Command List (`Room`, `User`, `Battle`, ...).
    pub const fn group(self) -> &'static str {{
        match self {{ {group} }}
    }}

    /// The title of its page in Tencent's documentation.
    pub const fn title(self) -> &'static str {{
        match self {{ {title} }}
    }}

    /// Its page in Tencent's documentation.
    pub const fn doc_url(self) -> &'static str {{
        match self {{ {doc_url} }}
    }}

    /// Whether Tencent reads the answer as a decision (a before-event webhook). For the other
    /// webhooks the answer is ignored.
    pub const fn response_is_a_decision(self) -> bool {{
        match self {{ {decision} }}
    }}

    /// The revision rules of the request packet: the members Tencent added later, with their
    /// dates, and the packet's own times that date it (see [`crate::revision`]).
    pub const fn revisions(self) -> crate::revision::Revisions {{
        match self {{ {revisions} }}
    }}

    /// The command words of Tencent's list that are never sent, with what they are:
    /// configuration switches, not webhooks.
    pub const CONFIGURATION_WORDS: &'static [(&'static str, &'static str)] = &[{configuration_words}];
}}

impl std::fmt::Display for Command {{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{
        f.write_str(self.as_str())
    }}
}}

{webhook}
{response}
"#,
        variants = arms(&|w| format!("/// `{}`: {}\n{},\n", w.command, w.summary, w.request_type)),
        all = arms(&|w| format!("Command::{},", w.request_type)),
        revisions = arms(&|w| format!(
            "Command::{0} => <{0} as crate::revision::Revised>::REVISIONS,",
            w.request_type
        )),
        as_str = arms(&|w| format!("Command::{} => {:?},", w.request_type, w.command)),
        from_word = arms(&|w| format!("b{:?} => Some(Command::{}),", w.command, w.request_type)),
        request_id = arms(&|w| format!("Command::{} => {:?},", w.request_type, w.request_id)),
        response_id = arms(&|w| format!("Command::{} => {:?},", w.request_type, w.response_id)),
        summary = arms(&|w| format!("Command::{} => {:?},", w.request_type, w.summary)),
        request_type = arms(&|w| format!("Command::{0} => {0:?},", w.request_type)),
        response_type = arms(&|w| format!("Command::{} => {:?},", w.request_type, w.response_type)),
        group = arms(&|w| format!("Command::{} => {:?},", w.request_type, listed(w).group)),
        title = arms(&|w| format!("Command::{} => {:?},", w.request_type, listed(w).title)),
        doc_url = arms(&|w| format!("Command::{} => {:?},", w.request_type, listed(w).doc_url)),
        decision = arms(&|w| format!(
            "Command::{} => {},",
            w.request_type,
            listed(w).kind == Kind::Before
        )),
        webhook = packet_enum(hooks, PacketEnum::REQUEST),
        response = packet_enum(hooks, PacketEnum::RESPONSE),
    );
    format_rust(&source, "webhooks.rs")
}

/// The two enums over every packet type: requests (`Webhook`) and responses.
struct PacketEnum {
    name: &'static str,
    doc: &'static str,
    variant_doc: &'static str,
    command_doc: &'static str,
    decode_doc: &'static str,
    type_of: fn(&WebhookFolder) -> &str,
    /// Whether the enum has the findings of its packets (requests).
    findings: bool,
    /// The function that decodes a packet from bytes into its variant: `(bytes, variant)`.
    /// Requests are objects read member by member ([`crate::struct_deserialize`]); responses
    /// are newtypes over the shared response object.
    slice_decode: &'static str,
}

impl PacketEnum {
    const REQUEST: Self = Self {
        name: "Webhook",
        doc: "A request packet of any known webhook, typed. It serializes as the packet itself.",
        variant_doc: "request packet",
        command_doc: "The command of this packet.",
        decode_doc: "Decodes a request packet of `command` from a parsed JSON value.",
        type_of: |w| &w.request_type,
        findings: true,
        slice_decode: "object_from_json_bytes",
    };
    const RESPONSE: Self = Self {
        name: "WebhookResponse",
        doc: "A response packet of any known webhook, typed. It serializes as the packet itself.",
        variant_doc: "response packet",
        command_doc: "The command this response answers.",
        decode_doc: "Decodes a response packet to `command` from a parsed JSON value.",
        type_of: |w| &w.response_type,
        findings: false,
        slice_decode: "from_json_bytes_as",
    };
}

/// An enum with one variant per webhook (named after its command), and its dispatch.
fn packet_enum(hooks: &[WebhookFolder], spec: PacketEnum) -> String {
    let PacketEnum {
        name,
        doc,
        variant_doc,
        command_doc,
        decode_doc,
        type_of,
        findings,
        slice_decode,
    } = spec;
    let mut variants = String::new();
    let mut commands = String::new();
    let mut decodes = String::new();
    let mut slice_decodes = String::new();
    let mut fits = String::new();
    let mut plain_reads = String::new();
    let mut packet_findings = String::new();
    let mut kept_findings = String::new();
    for w in hooks {
        let (variant, command) = (&w.request_type, &w.command);
        let _ = write!(
            variants,
            "/// A `{command}` {variant_doc}.\n{variant}({}),\n",
            type_of(w)
        );
        let _ = write!(commands, "{name}::{variant}(_) => Command::{variant},");
        let _ = write!(
            decodes,
            "Command::{variant} => {name}::{variant}(decode_as(command, value)?),"
        );
        let _ = write!(
            slice_decodes,
            "Command::{variant} => {slice_decode}(bytes, {name}::{variant}),"
        );
        let _ = write!(
            fits,
            "Command::{variant} => fit_of_bytes::<{}>(bytes),",
            type_of(w)
        );
        let _ = write!(
            plain_reads,
            "Command::{variant} => crate::plain::read_plain(text).ok().map({name}::{variant}),"
        );
        let _ = write!(
            packet_findings,
            "{name}::{variant}(packet) => Findings::of_packet(packet),"
        );
        let _ = write!(
            kept_findings,
            "Command::{variant} => {{ let (fit, kept) = fit_of_bytes_keeping::<{}>(bytes)?; \
             (fit, if fit.fits() {{ Findings::of_kept(&kept) }} else {{ Findings::default() }}) }}",
            type_of(w)
        );
    }
    let findings_methods = if findings {
        format!(
            r#"
    /// Decodes a request packet of `command` from JSON bytes in the plain form Tencent sends
    /// (integers in their shortest form, no `null`) with the reader that [`Self::from_slice_as`]
    /// tries before serde_json; `None` for any other bytes and for a packet that does not fit
    /// the type. What it decodes, [`Self::from_slice_as`] decodes the same.
    pub fn from_plain_json_as(command: Command, bytes: &[u8]) -> Option<Self> {{
        let text = simdutf8::basic::from_utf8(bytes).ok()?;
        match command {{ {plain_reads} }}
    }}

    /// What this valid packet still deserves a warning for: the members it lacks as an older
    /// revision ([`crate::revision`]) and its values of open enumerations outside their known
    /// values ([`crate::open_enum`]).
    pub fn findings(&self) -> Findings {{
        match self {{ {packet_findings} }}
    }}

    /// [`Self::fit_as`], with the findings of a packet that fits (what [`Self::findings`] gives
    /// on its typed value), from what the one pass keeps: nothing is typed.
    pub fn fit_with_findings(command: Command, bytes: &[u8]) -> Result<(Fit, Findings), serde_json::Error> {{
        Ok(match command {{ {kept_findings} }})
    }}
"#
        )
    } else {
        String::new()
    };
    format!(
        r#"/// {doc}
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum {name} {{
    {variants}
}}

impl {name} {{
    /// {command_doc}
    pub const fn command(&self) -> Command {{
        match self {{ {commands} }}
    }}

    /// {decode_doc}
    pub fn from_value_as(command: Command, value: serde_json::Value) -> Result<Self, DecodeError> {{
        Ok(match command {{ {decodes} }})
    }}

    /// Decodes a {variant_doc} of `command` straight from JSON bytes into its type, without
    /// building a `serde_json::Value` first. The error only says that the bytes do not fit the
    /// type: the validator's report says what and where.
    pub fn from_slice_as(command: Command, bytes: &[u8]) -> Result<Self, serde_json::Error> {{
        match command {{ {slice_decodes} }}
    }}

    /// How JSON bytes fit the {variant_doc} type of `command`, judged in one pass without
    /// building the value ([`crate::conform`]): exactly whether [`Self::from_value_as`] accepts
    /// the parsed bytes. An error means the bytes are not JSON.
    pub fn fit_as(command: Command, bytes: &[u8]) -> Result<Fit, serde_json::Error> {{
        match command {{ {fits} }}
    }}
{findings_methods}}}
"#
    )
}

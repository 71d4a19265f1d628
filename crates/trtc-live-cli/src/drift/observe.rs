//! What one packet says about drift: nothing, when it matches its schema exactly (found at the
//! cost of the verdict), or what differs, each difference observed where it stands.
//!
//! A packet is first judged as `validate` judges it, in the one pass that builds nothing, which
//! also counts the members no schema names. Only a packet that fails, has such members, or has
//! a warning of a drift kind, is read into a value and checked against the strict schemas (every
//! object closed to the members it does not name): each violation is then classified by the
//! keyword that failed, read in its schema file.

use serde_json::Value;
use trtc_live_types::conform::counting_unknown_members;
use trtc_live_validate::{
    locate, parse_json, parse_jsonc, Command, IssueKind, Rejection, SyntaxError, UnknownCommand,
    Validator, Violation, Warning, Webhook, URL_PARAMETERS_SCHEMA_ID,
};

use super::kind::{JsonType, Kind, Part};
use super::schemas::{escape, unescape, KeywordLocation, SchemaDocuments};
use crate::one_line::on_one_line;
use crate::packets::Delivery;

/// Most values kept of one finding in one packet (array items).
const VALUES_PER_OBSERVATION: usize = 16;
/// Values longer than this (in bytes of JSON text) are kept cut.
const VALUE_TEXT_BYTES: usize = 200;

/// Judges packets for drift.
pub struct Observer<'a> {
    /// The validator of `validate`: the verdict in one pass.
    pub lenient: &'a Validator,
    /// The same schemas, every object closed to the members it does not name.
    pub strict: &'a Validator,
    /// The schema files, to read the keywords that fail.
    pub schemas: &'a SchemaDocuments,
}

/// Where a packet comes from, for the examples of findings.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    /// The input's name.
    pub source: &'a str,
    /// The packet's line in an NDJSON input.
    pub line: Option<usize>,
}

/// The command word a packet names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Word {
    /// A known one.
    Known(Command),
    /// A word no schema knows.
    Unknown(String),
    /// None: no `CallbackCommand` string, or not an object.
    Missing,
}

impl Word {
    /// The word as written, if there is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Word::Known(command) => Some(command.as_str()),
            Word::Unknown(word) => Some(word),
            Word::Missing => None,
        }
    }
}

/// What became of one packet.
pub enum Outcome {
    /// It was read: its command word, and what differs from the schemas (nothing when it
    /// matches them).
    Read {
        /// Its command word.
        command: Word,
        /// What differs, one observation per finding.
        observations: Vec<Observation>,
    },
    /// It is not JSON: where and why, as `validate` says it.
    Malformed(SyntaxError),
}

/// What identifies a finding: all the packets with the same key make one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// The command word of the packets (`None` when they have none).
    pub command: Option<String>,
    /// What differs.
    pub kind: Kind,
    /// In the body, or in the URL's query parameters.
    pub part: Part,
    /// JSON pointer to the value, `*` for array items.
    pub path: String,
}

/// One finding in one packet.
#[derive(Clone, Debug)]
pub struct Observation {
    /// What and where.
    pub key: Key,
    /// The values found there (several for array items; none for a missing member).
    pub values: Vec<SeenValue>,
    /// The packet's own time, in Unix milliseconds, when it has one.
    pub time_ms: Option<u64>,
    /// `source:line`.
    pub example: String,
    /// The keyword that failed, in its schema file.
    pub location: Option<KeywordLocation>,
    /// What the schema expects there, in words.
    pub expected: Option<String>,
}

/// One value found where a finding is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeenValue {
    /// Its JSON type.
    pub json_type: JsonType,
    /// Characters of a string, digits of a number, items of an array, members of an object.
    pub size: u64,
    /// Whether it is a negative number.
    pub negative: bool,
    /// Its JSON text as written (cut when long).
    pub text: String,
    /// Whether `text` is the whole value.
    pub whole: bool,
}

impl Observer<'_> {
    /// Observes the packet `text` (with comments when `comments`) found at `place`, and, for
    /// the body of a journal record, the query parameters of its delivery.
    pub fn observe(
        &self,
        text: &[u8],
        comments: bool,
        place: Place<'_>,
        delivery: Option<Delivery<'_>>,
    ) -> Outcome {
        let outcome = self.observe_body(text, comments, place);
        let Some(delivery) = delivery else {
            return outcome;
        };
        let Outcome::Read {
            command,
            mut observations,
        } = outcome
        else {
            return outcome;
        };
        let time_ms = match observations.first() {
            Some(observation) => observation.time_ms,
            // The body matched without being read into a value: read its time now.
            None => parse_json(text).ok().as_ref().and_then(packet_time_ms),
        };
        let time_ms = time_ms.or(Some(delivery.received_at_ms));
        for observation in &mut observations {
            observation.time_ms = time_ms;
        }
        observations.extend(self.observe_query(delivery.query, &command, place, time_ms));
        Outcome::Read {
            command,
            observations,
        }
    }

    /// The URL's query parameters against the strict schema of the parameters.
    fn observe_query(
        &self,
        query: &str,
        command: &Word,
        place: Place<'_>,
        time_ms: Option<u64>,
    ) -> Vec<Observation> {
        let parameters: serde_json::Map<String, Value> = form_urlencoded::parse(query.as_bytes())
            .map(|(name, value)| (name.into_owned(), Value::String(value.into_owned())))
            .collect();
        let parameters = Value::Object(parameters);
        let violations = match self.strict.validate_url_parameters(&parameters) {
            Ok(_) => Vec::new(),
            Err(violations) => violations,
        };
        // Values of open enumerations (a new OptPlatform) are warnings of parameters that pass.
        let warnings = match self.lenient.check_url_parameters(&parameters) {
            Ok((_, warnings)) => warnings,
            Err(_) => Vec::new(),
        };
        if violations.is_empty() && warnings.is_empty() {
            return Vec::new();
        }
        let mut found = Collector {
            text: None,
            packet: &parameters,
            place,
            time_ms,
            command: command.as_str().map(str::to_owned),
            part: Part::Query,
            observations: Vec::new(),
        };
        for violation in &violations {
            found.violation(violation, self.schemas);
        }
        found.warnings(&warnings, URL_PARAMETERS_SCHEMA_ID, self.schemas);
        found.observations
    }

    /// Observes the packet `text` (with comments when `comments`) found at `place`.
    fn observe_body(&self, text: &[u8], comments: bool, place: Place<'_>) -> Outcome {
        let mut warnings = Vec::new();
        if !comments {
            let (checked, unknown) = counting_unknown_members(|| self.lenient.check(text));
            if let Ok(checked) = checked {
                let drift_warnings = checked
                    .warnings
                    .iter()
                    .any(|warning| drift_kind_of_warning(warning.kind).is_some());
                if unknown == 0 && !drift_warnings {
                    return Outcome::Read {
                        command: Word::Known(checked.command),
                        observations: Vec::new(),
                    };
                }
                warnings = checked.warnings;
            }
        } else if let Ok(webhook) = self.lenient.validate_jsonc(text) {
            warnings = trtc_live_validate::warnings(&webhook);
        }
        let parsed = if comments {
            parse_jsonc(text)
        } else {
            parse_json(text)
        };
        let packet = match parsed {
            Ok(packet) => packet,
            Err(error) => return Outcome::Malformed(error),
        };
        self.observe_value(text, &packet, place, &warnings)
    }

    /// The slow path: the packet as a value against the strict schemas.
    fn observe_value(
        &self,
        text: &[u8],
        packet: &Value,
        place: Place<'_>,
        warnings: &[Warning],
    ) -> Outcome {
        let command = match packet.get("CallbackCommand").and_then(Value::as_str) {
            Some(word) => match Command::from_command_word(word) {
                Some(command) => Word::Known(command),
                None => Word::Unknown(word.to_owned()),
            },
            None => Word::Missing,
        };
        let mut found = Collector {
            text: Some(text),
            packet,
            place,
            time_ms: packet_time_ms(packet),
            command: command.as_str().map(str::to_owned),
            part: Part::Body,
            observations: Vec::new(),
        };
        match self.strict.validate_value(packet.clone()) {
            Ok(_) | Err(Rejection::Syntax(_)) => {}
            Err(Rejection::UnknownCommand(unknown)) => found.unknown_command(&unknown),
            Err(Rejection::Schema {
                command,
                violations,
            }) => {
                for violation in &violations {
                    found.violation(violation, self.schemas);
                }
                // The typed model is tried only on packets that pass the schema: with unknown
                // members alone, see what it makes of the rest.
                let closed_only = violations.iter().all(|violation| {
                    violation
                        .keyword_location
                        .ends_with("/additionalProperties")
                });
                if closed_only {
                    if let Err(trtc_live_types::DecodeError::Invalid { pointer, .. }) =
                        Webhook::from_value_as(command, packet.clone())
                    {
                        found.decode(&pointer);
                    }
                }
            }
            Err(Rejection::Decode { instance_path, .. }) => found.decode(&instance_path),
        }
        if let Word::Known(known) = command {
            found.warnings(warnings, known.request_schema_id(), self.schemas);
        }
        Outcome::Read {
            command,
            observations: found.observations,
        }
    }
}

/// The drift kind of a warning of the validator, if it is one: the semantic checks are about
/// the documentation's rules, not about the schemas.
fn drift_kind_of_warning(kind: IssueKind) -> Option<Kind> {
    match kind {
        IssueKind::OlderRevision => Some(Kind::OlderRevision),
        IssueKind::UnknownEnumValue => Some(Kind::UnknownEnumValue),
        IssueKind::Semantic
        | IssueKind::Syntax
        | IssueKind::Schema
        | IssueKind::UnknownCommand
        | IssueKind::Decode
        | IssueKind::TooLarge => None,
    }
}

/// Gathers the observations of one packet, one per key.
struct Collector<'a> {
    /// The packet's text, to find where values stand (none for URL parameters).
    text: Option<&'a [u8]>,
    packet: &'a Value,
    place: Place<'a>,
    time_ms: Option<u64>,
    command: Option<String>,
    part: Part,
    observations: Vec<Observation>,
}

impl Collector<'_> {
    /// Observes `kind` at `at` (a JSON pointer into the packet), with the value at
    /// `value_at` if given.
    fn add(
        &mut self,
        kind: Kind,
        at: &str,
        value_at: Option<&str>,
        location: Option<&KeywordLocation>,
        expected: Option<String>,
    ) {
        let key = Key {
            command: self.command.clone(),
            kind,
            part: self.part,
            path: normalized(self.packet, at),
        };
        let value = value_at.and_then(|pointer| {
            let value = self.packet.pointer(pointer)?;
            let raw = self.text.and_then(|text| {
                let span = locate(text, pointer)?;
                text.get(span.start..span.end)
            });
            Some(SeenValue::of(value, raw))
        });
        if let Some(observation) = self.observations.iter_mut().find(|o| o.key == key) {
            if let Some(value) = value {
                if observation.values.len() < VALUES_PER_OBSERVATION {
                    observation.values.push(value);
                }
            }
            return;
        }
        let line = self.place.line.or_else(|| {
            // A whole file: the line where the value (or the object missing a member) starts.
            let text = self.text?;
            locate(text, at)
                .or_else(|| locate(text, parent(at)))
                .map(|span| span.line)
        });
        let example = match line {
            Some(line) => format!("{}:{line}", self.place.source),
            None => self.place.source.to_owned(),
        };
        self.observations.push(Observation {
            key,
            values: value.into_iter().collect(),
            time_ms: self.time_ms,
            example,
            location: location.cloned(),
            expected,
        });
    }

    /// Classifies one violation of the strict schemas by the keyword that failed.
    fn violation(&mut self, violation: &Violation, schemas: &SchemaDocuments) {
        let at = violation.instance_path.as_str();
        let Some(location) = KeywordLocation::parse(&violation.keyword_location) else {
            self.add(Kind::OutOfRange, at, Some(at), None, None);
            return;
        };
        let schema = schemas.schema_object(&location).unwrap_or(Value::Null);
        let keyword = schema.get(&location.keyword).unwrap_or(&Value::Null);
        let instance = self.packet.pointer(at).unwrap_or(&Value::Null);
        let member = |name: &str| format!("{at}/{}", escape(name));
        match location.keyword.as_str() {
            "additionalProperties" => {
                let known = schema.get("properties").and_then(Value::as_object);
                let unknown: Vec<String> = instance
                    .as_object()
                    .into_iter()
                    .flat_map(|members| members.keys())
                    .filter(|name| !known.is_some_and(|known| known.contains_key(*name)))
                    .cloned()
                    .collect();
                let kind = match self.part {
                    Part::Body => Kind::UnknownMember,
                    Part::Query => Kind::UnknownUrlParameter,
                };
                for name in unknown {
                    let path = member(&name);
                    self.add(kind, &path, Some(&path), Some(&location), None);
                }
            }
            "required" => {
                let missing: Vec<&str> = keyword
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .filter(|name| instance.get(name).is_none())
                    .collect();
                for name in missing {
                    self.add(
                        Kind::MissingRequired,
                        &member(name),
                        None,
                        Some(&location),
                        None,
                    );
                }
            }
            "dependencies" => {
                let present = |name: &&str| instance.get(*name).is_some();
                let missing: Vec<String> = keyword
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(name, _)| instance.get(name.as_str()).is_some())
                    .flat_map(|(_, needed)| needed.as_array().into_iter().flatten())
                    .filter_map(Value::as_str)
                    .filter(|name| !present(name))
                    .map(str::to_owned)
                    .collect();
                for name in missing {
                    self.add(
                        Kind::MissingRequired,
                        &member(&name),
                        None,
                        Some(&location),
                        None,
                    );
                }
            }
            "type" => {
                let expected = Some(types_in_words(keyword));
                self.add(Kind::TypeMismatch, at, Some(at), Some(&location), expected);
            }
            "enum" | "const" => {
                let values = keyword
                    .as_array()
                    .cloned()
                    .unwrap_or_else(|| vec![keyword.clone()]);
                let expected = Some(format!("one of {}", texts(&values)));
                self.add(
                    Kind::UnknownEnumValue,
                    at,
                    Some(at),
                    Some(&location),
                    expected,
                );
            }
            "not" => {
                // `{"not": {"properties": {"A": false, "B": false}}}`: A or B is required.
                let names: Vec<&String> = keyword
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .filter(|(_, schema)| **schema == Value::Bool(false))
                    .map(|(name, _)| name)
                    .collect();
                match names.first() {
                    Some(first) => {
                        let expected = names.iter().map(|name| name.as_str()).collect::<Vec<_>>();
                        let expected = Some(format!("{} (one of them)", expected.join(" or ")));
                        let path = member(first);
                        self.add(
                            Kind::MissingRequired,
                            &path,
                            None,
                            Some(&location),
                            expected,
                        );
                    }
                    None => self.add(Kind::OutOfRange, at, Some(at), Some(&location), None),
                }
            }
            "anyOf" | "oneOf" => {
                let branches = keyword.as_array().map(Vec::as_slice).unwrap_or_default();
                let this_type = JsonType::of_value(instance);
                let typed = branches.iter().any(|branch| match branch.get("type") {
                    Some(types) => type_allows(types, this_type),
                    None => true,
                });
                let kind = if typed {
                    Kind::OutOfRange
                } else {
                    Kind::TypeMismatch
                };
                self.add(kind, at, Some(at), Some(&location), None);
            }
            other => {
                let expected = Some(format!("{other} {keyword}"));
                self.add(Kind::OutOfRange, at, Some(at), Some(&location), expected);
            }
        }
    }

    /// The validator's warnings of a drift kind, on a packet (or URL parameters) of the schema
    /// file `root_id`: a member added later, missing from an older packet (`older_revision`,
    /// with the date its schema gives); a value outside the known values of an open
    /// enumeration (`unknown_enum_value`, located at the enumeration of known values, for its
    /// patch).
    fn warnings(&mut self, warnings: &[Warning], root_id: &str, schemas: &SchemaDocuments) {
        for warning in warnings {
            let Some(kind) = drift_kind_of_warning(warning.kind) else {
                continue;
            };
            let at = warning.instance_path.as_str();
            let schema = schemas.schema_of(root_id, at);
            let object = schema.as_ref().and_then(|(id, pointer)| {
                let document = schemas.document(id)?;
                document.pointer(pointer).cloned()
            });
            match kind {
                Kind::OlderRevision => {
                    let since = schemas
                        .member_schema(root_id, at)
                        .as_ref()
                        .and_then(|member| member.get("x-trtc-since"))
                        .and_then(Value::as_str)
                        .map(|date| format!("required in packets dated from {date} on"));
                    self.add(kind, at, None, None, since);
                }
                _ => {
                    let known = object.as_ref().and_then(|enumeration| {
                        let branches = enumeration.get("anyOf")?.as_array()?;
                        let index = branches.iter().position(|b| b.get("enum").is_some())?;
                        let values = branches[index].get("enum")?.as_array()?;
                        Some((index, texts(values)))
                    });
                    let (location, expected) = match (&schema, known) {
                        (Some((id, pointer)), Some((index, values))) => (
                            Some(KeywordLocation {
                                schema_id: id.clone(),
                                schema_pointer: format!("{pointer}/anyOf/{index}"),
                                keyword: "enum".to_owned(),
                            }),
                            Some(format!("one of {values} (an open enumeration)")),
                        ),
                        _ => (None, None),
                    };
                    self.add(kind, at, Some(at), location.as_ref(), expected);
                }
            }
        }
    }

    /// A value the schema accepts and the typed model does not: an integer written with a
    /// fraction or an exponent.
    fn decode(&mut self, at: &str) {
        let expected = Some("integer, written without a fraction or an exponent".to_owned());
        self.add(Kind::TypeMismatch, at, Some(at), None, expected);
    }

    /// A packet that names no known command.
    fn unknown_command(&mut self, unknown: &UnknownCommand) {
        let at = match unknown {
            UnknownCommand::NotAnObject | UnknownCommand::Missing => "",
            UnknownCommand::NotAString | UnknownCommand::Unknown(_) => "/CallbackCommand",
        };
        self.add(Kind::UnknownCommand, at, Some(at), None, None);
    }
}

impl SeenValue {
    /// `value`, written `raw` in the packet when known.
    fn of(value: &Value, raw: Option<&[u8]>) -> Self {
        let written = raw
            .and_then(|raw| std::str::from_utf8(raw).ok())
            .map_or_else(
                || value.to_string(),
                |raw| String::from_utf8_lossy(&on_one_line(raw.as_bytes())).into_owned(),
            );
        let json_type = match value {
            Value::Number(_) if written.contains(['.', 'e', 'E']) => JsonType::Number,
            Value::Number(number) if number.is_f64() && raw.is_none() => JsonType::Number,
            other => JsonType::of_value(other),
        };
        let size = match value {
            Value::String(text) => text.chars().count(),
            Value::Number(_) => {
                let mantissa = written.split(['e', 'E']).next().unwrap_or_default();
                mantissa.bytes().filter(u8::is_ascii_digit).count()
            }
            Value::Array(items) => items.len(),
            Value::Object(members) => members.len(),
            Value::Bool(_) | Value::Null => 0,
        };
        let (text, whole) = cut(written);
        Self {
            json_type,
            size: size as u64,
            negative: matches!(value, Value::Number(_)) && text.starts_with('-'),
            text,
            whole,
        }
    }
}

/// `text`, cut to [`VALUE_TEXT_BYTES`] on a character boundary, and whether it is whole.
fn cut(mut text: String) -> (String, bool) {
    if text.len() <= VALUE_TEXT_BYTES {
        return (text, true);
    }
    let mut end = VALUE_TEXT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push('…');
    (text, false)
}

/// The JSON pointer `at`, array indexes written `*`.
fn normalized(packet: &Value, at: &str) -> String {
    let mut path = String::with_capacity(at.len());
    let mut current = Some(packet);
    for token in at.split('/').skip(1) {
        path.push('/');
        current = match current {
            Some(Value::Array(items)) => {
                path.push('*');
                token
                    .parse::<usize>()
                    .ok()
                    .and_then(|index| items.get(index))
            }
            Some(Value::Object(members)) => {
                path.push_str(token);
                members.get(&unescape(token))
            }
            _ => {
                path.push_str(token);
                None
            }
        };
    }
    path
}

/// The pointer to the object or array holding the value at `at`.
fn parent(at: &str) -> &str {
    at.rsplit_once('/').map_or("", |(parent, _)| parent)
}

/// A packet's own time in Unix milliseconds: its `EventTime`, else its `MsgTime` or its gift's
/// `Time` (seconds); `None` when it has none.
pub fn packet_time_ms(packet: &Value) -> Option<u64> {
    let number = |value: &Value| {
        value.as_u64().or_else(|| {
            value
                .as_str()
                .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|digits| digits.parse().ok())
        })
    };
    if let Some(milliseconds) = packet.get("EventTime").and_then(number) {
        return Some(milliseconds);
    }
    [packet.get("MsgTime"), packet.pointer("/GiftWater/Time")]
        .into_iter()
        .flatten()
        .find_map(number)
        .and_then(|seconds| seconds.checked_mul(1000))
}

/// A `type` keyword in words: `integer`, `string or integer`.
fn types_in_words(types: &Value) -> String {
    match types {
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        Value::String(one) => one.clone(),
        other => other.to_string(),
    }
}

/// Whether a `type` keyword allows values of `json_type`.
fn type_allows(types: &Value, json_type: JsonType) -> bool {
    let allows = |name: &str| {
        name == json_type.as_str() || (name == "number" && json_type == JsonType::Integer)
    };
    match types {
        Value::String(one) => allows(one),
        Value::Array(types) => types.iter().filter_map(Value::as_str).any(allows),
        _ => true,
    }
}

/// Values as their JSON texts, separated by commas.
fn texts(values: &[Value]) -> String {
    values
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn array_indexes_become_stars_and_member_names_stay() {
        let packet = json!({"ToRoomList": [{"0": {"a": 1}}], "Map": {"7": [1, [2]]}});
        assert_eq!(
            normalized(&packet, "/ToRoomList/0/0/a"),
            "/ToRoomList/*/0/a"
        );
        assert_eq!(normalized(&packet, "/Map/7/1/0"), "/Map/7/*/*");
        assert_eq!(normalized(&packet, "/Missing/3"), "/Missing/3");
        assert_eq!(normalized(&packet, ""), "");
    }

    #[test]
    fn values_are_described_by_type_and_size() {
        let seen = |raw: &str| {
            let value: Value = serde_json::from_str(raw).unwrap();
            let seen = SeenValue::of(&value, Some(raw.as_bytes()));
            (seen.json_type, seen.size, seen.negative)
        };
        assert_eq!(seen("\"héllo\""), (JsonType::String, 5, false));
        assert_eq!(seen("144115245442327522"), (JsonType::Integer, 18, false));
        assert_eq!(seen("-12"), (JsonType::Integer, 2, true));
        assert_eq!(seen("30000.0"), (JsonType::Number, 6, false));
        assert_eq!(seen("1e2"), (JsonType::Number, 1, false));
        assert_eq!(seen("[1, 2]"), (JsonType::Array, 2, false));
        assert_eq!(seen("{}"), (JsonType::Object, 0, false));
        assert_eq!(seen("null"), (JsonType::Null, 0, false));
        let long = format!("\"{}\"", "é".repeat(150));
        let value: Value = serde_json::from_str(&long).unwrap();
        let seen = SeenValue::of(&value, Some(long.as_bytes()));
        assert!(!seen.whole && seen.text.len() <= VALUE_TEXT_BYTES + 3);
    }

    #[test]
    fn a_packet_time_is_its_event_time_or_its_time_in_seconds() {
        assert_eq!(
            packet_time_ms(&json!({"EventTime": 1739956145123u64})),
            Some(1739956145123)
        );
        assert_eq!(
            packet_time_ms(&json!({"EventTime": "1739956145123"})),
            Some(1739956145123)
        );
        assert_eq!(
            packet_time_ms(&json!({"MsgTime": 1739956145})),
            Some(1739956145000)
        );
        assert_eq!(
            packet_time_ms(&json!({"GiftWater": {"Time": 1739956145}})),
            Some(1739956145000)
        );
        assert_eq!(packet_time_ms(&json!({"EventTime": "soon"})), None);
    }
}

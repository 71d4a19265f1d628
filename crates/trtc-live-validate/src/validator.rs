//! The validator: schemas compiled once, packets routed by `CallbackCommand`.

use std::collections::HashMap;

use serde_json::Value;
use trtc_live_types::{Command, DecodeError, Webhook, WebhookResponse, WebhookUrlParameters};

use crate::fast_path::{self, decode_directly};
use crate::locate::Source;
use crate::registry::SchemaDocuments;
use crate::warning::Warning;
use crate::{
    parse_json, parse_jsonc, warnings, written, Rejection, SyntaxError, UnknownCommand, Violation,
};

/// How strict the validator is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Report fields that the schemas do not name. Off by default: Tencent may add fields, and
    /// the published schemas accept them.
    pub strict: bool,
}

/// The embedded schemas could not be compiled. It cannot happen with the schemas this crate
/// was built with (a test compiles them); the type exists so that nothing panics.
#[derive(Clone, Debug, thiserror::Error)]
#[error("cannot compile schema {schema_id}: {message}")]
pub struct BuildError {
    /// `$id` of the schema that failed (empty for the registry as a whole).
    pub schema_id: String,
    /// What failed.
    pub message: String,
}

/// What [`Validator::check`] finds in a valid request packet: its command and its warnings,
/// found without typing it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// The packet's command.
    pub command: Command,
    /// Its warnings, as [`crate::warnings`] gives them: semantic warnings, members it lacks as
    /// an older revision, values of open enumerations outside their known values.
    pub warnings: Vec<Warning>,
}

impl Checked {
    /// What a typed packet gives.
    fn of(webhook: Webhook) -> Self {
        Self {
            command: webhook.command(),
            warnings: warnings(&webhook),
        }
    }
}

/// A valid request packet, typed, with its warnings: what [`Validator::validate_with_warnings`]
/// gives, for a receiver that logs them.
#[derive(Clone, Debug, PartialEq)]
pub struct Validated {
    /// The packet.
    pub webhook: Webhook,
    /// Its warnings, as [`crate::warnings`] gives them.
    pub warnings: Vec<Warning>,
}

/// Validates webhook packets against the schemas of `schemas/`.
///
/// Build it once and share it: compiling the schemas is the expensive part, and validation
/// takes `&self`.
pub struct Validator {
    options: Options,
    requests: HashMap<Command, jsonschema::Validator>,
    responses: HashMap<Command, jsonschema::Validator>,
    url_parameters: jsonschema::Validator,
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator")
            .field("options", &self.options)
            .field("commands", &Command::ALL.len())
            .finish_non_exhaustive()
    }
}

impl Validator {
    /// A validator with the default [`Options`] (unknown fields allowed).
    pub fn new() -> Result<Self, BuildError> {
        Self::with_options(Options::default())
    }

    /// A validator with the given options.
    pub fn with_options(options: Options) -> Result<Self, BuildError> {
        let documents = SchemaDocuments::load(options.strict)?;
        let registry = documents.registry()?;
        let mut requests = HashMap::new();
        let mut responses = HashMap::new();
        for &command in Command::ALL {
            requests.insert(
                command,
                documents.compile(&registry, command.request_schema_id())?,
            );
            responses.insert(
                command,
                documents.compile(&registry, command.response_schema_id())?,
            );
        }
        let url_parameters = documents.compile(&registry, crate::URL_PARAMETERS_SCHEMA_ID)?;
        Ok(Self {
            options,
            requests,
            responses,
            url_parameters,
        })
    }

    /// The options this validator was built with.
    pub fn options(&self) -> Options {
        self.options
    }

    /// Validates a request packet given as JSON bytes.
    ///
    /// A valid packet is decoded straight into its type, without building a
    /// `serde_json::Value` (see the fast path in this crate's source); any other packet is
    /// checked against its schema, for the verdict and the complete report. The strict mode
    /// always takes the schema path.
    pub fn validate(&self, bytes: &[u8]) -> Result<Webhook, Rejection> {
        if !self.options.strict {
            if let Some(webhook) = decode_directly(bytes) {
                return Ok(webhook);
            }
        }
        self.schema_path(bytes)
    }

    /// Validates a request packet given as JSON bytes, as [`Self::validate`] does, and gives it
    /// typed with its warnings: the members it lacks as an older revision, its values of open
    /// enumerations outside their known values, and its semantic warnings. A packet with warnings
    /// is valid: the warnings are for the caller to log.
    pub fn validate_with_warnings(&self, bytes: &[u8]) -> Result<Validated, Rejection> {
        self.validate(bytes).map(|webhook| Validated {
            warnings: warnings(&webhook),
            webhook,
        })
    }

    /// A request checked against its schema, then decoded: the verdict and the full report.
    fn schema_path(&self, bytes: &[u8]) -> Result<Webhook, Rejection> {
        from_text(bytes, parse_json, |packet, source| {
            self.request(packet, Some(source))
        })
    }

    /// The verdict alone on a request packet given as JSON bytes: exactly
    /// `self.validate(bytes).is_ok()`, without the typed value or the report. The bytes are
    /// judged against the type of the command they name in one pass that builds nothing and
    /// reads a member given twice as the schema path does (the last one wins), so an invalid
    /// packet costs what a valid one does. The strict mode takes the schema path.
    pub fn is_valid(&self, bytes: &[u8]) -> bool {
        if self.options.strict {
            // The schema's verdict, then the decode's, without a report.
            return parse_json(bytes).is_ok_and(|packet| {
                route(&packet).is_ok_and(|command| {
                    self.requests[&command].is_valid(&packet)
                        && Webhook::from_value_as(command, packet).is_ok()
                })
            });
        }
        fast_path::valid_command(bytes).is_some()
    }

    /// Validates a request packet given as JSON bytes, as [`Self::validate`] does, and gives its
    /// command and warnings (see [`Checked`]) without typing it: the packet is judged as
    /// [`Self::is_valid`] judges it, in one pass that builds nothing, and that pass keeps the
    /// few numbers the semantic checks read. An invalid packet gets the full report. For tools
    /// that count packets and report what is wrong with them.
    pub fn check(&self, bytes: &[u8]) -> Result<Checked, Rejection> {
        if !self.options.strict {
            if let Some((command, warnings)) = fast_path::valid_command_with_warnings(bytes) {
                return Ok(Checked { command, warnings });
            }
        }
        self.schema_path(bytes).map(Checked::of)
    }

    /// Validates a request packet given as JSON with `//` or `/* */` comments (documentation
    /// samples); syntax errors are located in the original text.
    pub fn validate_jsonc(&self, bytes: &[u8]) -> Result<Webhook, Rejection> {
        from_text(bytes, parse_jsonc, |packet, source| {
            self.request(packet, Some(source))
        })
    }

    /// Validates a parsed request packet: routes it by `CallbackCommand`, checks it against
    /// that command's schema (every violation is reported), then decodes it into its type.
    pub fn validate_value(&self, packet: Value) -> Result<Webhook, Rejection> {
        self.request(packet, None)
    }

    /// [`Self::validate_value`], any violation located in `source` (the text the packet was
    /// read from) and its value printed from there.
    fn request(&self, packet: Value, source: Option<&Source>) -> Result<Webhook, Rejection> {
        let command = route(&packet).map_err(Rejection::UnknownCommand)?;
        check(&self.requests[&command], command, &packet, source)
            .map_err(|rejection| crate::revision_report::explain(rejection, command, &packet))?;
        Webhook::from_value_as(command, packet)
            .map_err(|error| decode_rejection(command, error, source))
    }

    /// Validates a response packet to `command`, given as JSON bytes; like [`Self::validate`],
    /// a valid response is decoded straight into its type (but for
    /// `Group.CallbackBeforeSendMsg`, whose schema has a rule across members that its type does
    /// not check).
    pub fn validate_response(
        &self,
        command: Command,
        bytes: &[u8],
    ) -> Result<WebhookResponse, Rejection> {
        if !self.options.strict {
            if let Some(response) = fast_path::decode_response_directly(command, bytes) {
                return Ok(response);
            }
        }
        from_text(bytes, parse_json, |packet, source| {
            self.response(command, packet, Some(source))
        })
    }

    /// The verdict alone on a response packet to `command` given as JSON bytes: exactly
    /// `self.validate_response(command, bytes).is_ok()`, judged as [`Self::is_valid`] judges a
    /// request. A response to `Group.CallbackBeforeSendMsg`, whose schema relates two members,
    /// and the strict mode take the schema path.
    pub fn is_valid_response(&self, command: Command, bytes: &[u8]) -> bool {
        if !self.options.strict {
            if let Some(verdict) = fast_path::response_verdict(command, bytes) {
                return verdict;
            }
        }
        // The schema's verdict, then the decode's, without a report.
        parse_json(bytes).is_ok_and(|packet| {
            self.responses[&command].is_valid(&packet)
                && WebhookResponse::from_value_as(command, packet).is_ok()
        })
    }

    /// Validates a response packet to `command`, given as JSON with comments.
    pub fn validate_response_jsonc(
        &self,
        command: Command,
        bytes: &[u8],
    ) -> Result<WebhookResponse, Rejection> {
        from_text(bytes, parse_jsonc, |packet, source| {
            self.response(command, packet, Some(source))
        })
    }

    /// Validates a parsed response packet to `command`.
    pub fn validate_response_value(
        &self,
        command: Command,
        packet: Value,
    ) -> Result<WebhookResponse, Rejection> {
        self.response(command, packet, None)
    }

    /// [`Self::validate_response_value`], any violation located in `source` (the text the
    /// packet was read from) and its value printed from there.
    fn response(
        &self,
        command: Command,
        packet: Value,
        source: Option<&Source>,
    ) -> Result<WebhookResponse, Rejection> {
        check(&self.responses[&command], command, &packet, source)?;
        WebhookResponse::from_value_as(command, packet)
            .map_err(|error| decode_rejection(command, error, source))
    }

    /// Validates the webhook URL's query parameters, as [`Self::validate_url_parameters`] does,
    /// and gives them typed with their warnings: values of open enumerations outside their known
    /// values (an `OptPlatform` of a new client platform), which do not make them invalid.
    pub fn check_url_parameters(
        &self,
        parameters: &Value,
    ) -> Result<(WebhookUrlParameters, Vec<Warning>), Vec<Violation>> {
        let typed = self.validate_url_parameters(parameters)?;
        let warnings = trtc_live_types::open_enum::unknown_values_of(&typed)
            .into_iter()
            .map(Warning::from)
            .collect();
        Ok((typed, warnings))
    }

    /// Validates the webhook URL's query parameters, given as an object of strings (the query
    /// string decoded), against the URL parameter schema; returns them typed, or every
    /// violation.
    pub fn validate_url_parameters(
        &self,
        parameters: &Value,
    ) -> Result<WebhookUrlParameters, Vec<Violation>> {
        let mut violations = violations(&self.url_parameters, parameters, None);
        if !violations.is_empty() {
            for violation in &mut violations {
                // The schema's `not` says "CallbackCommand and WebhookCommand are not both
                // absent"; the validator would print the schema and the whole query.
                if violation.schema_path == "/not" {
                    violation.message =
                        "\"CallbackCommand\" (or \"WebhookCommand\") is a required property"
                            .to_owned();
                }
            }
            return Err(violations);
        }
        serde_json::from_value(parameters.clone()).map_err(|error| {
            vec![Violation {
                instance_path: String::new(),
                schema_path: String::new(),
                keyword_location: String::new(),
                message: error.to_string(),
                span: None,
            }]
        })
    }
}

/// Parses `bytes` with `parse` and validates the packet with `validate`, which gets `bytes` as
/// the source to locate violations in.
fn from_text<T>(
    bytes: &[u8],
    parse: fn(&[u8]) -> Result<Value, SyntaxError>,
    validate: impl FnOnce(Value, &Source) -> Result<T, Rejection>,
) -> Result<T, Rejection> {
    let packet = parse(bytes).map_err(Rejection::Syntax)?;
    validate(packet, &Source::new(bytes))
}

/// The known command named by the packet's `CallbackCommand`.
fn route(packet: &Value) -> Result<Command, UnknownCommand> {
    Command::of_packet(packet).map_err(|error| match error {
        DecodeError::NotAnObject => UnknownCommand::NotAnObject,
        DecodeError::CommandNotAString => UnknownCommand::NotAString,
        DecodeError::UnknownCommand(word) => UnknownCommand::Unknown(word),
        DecodeError::MissingCommand => UnknownCommand::Missing,
        // `of_packet` only reads the command: it never parses or decodes.
        DecodeError::Syntax(_) | DecodeError::Invalid { .. } => UnknownCommand::Missing,
    })
}

/// Every violation of `packet` against `schema`, or nothing.
fn check(
    schema: &jsonschema::Validator,
    command: Command,
    packet: &Value,
    source: Option<&Source>,
) -> Result<(), Rejection> {
    let violations = violations(schema, packet, source);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(Rejection::Schema {
            command,
            violations,
        })
    }
}

/// Every violation of `instance` against `schema`, sorted by instance path then schema path;
/// each located in `source`, the text `instance` was read from, if there is one, and its value
/// printed as written there.
fn violations(
    schema: &jsonschema::Validator,
    instance: &Value,
    source: Option<&Source>,
) -> Vec<Violation> {
    let mut violations: Vec<Violation> = schema
        .iter_errors(instance)
        .map(|error| {
            let instance_path = error.instance_path().as_str().to_owned();
            let span = source.and_then(|source| source.locate(&instance_path));
            let message = source
                .zip(span)
                .and_then(|(source, span)| written::schema_message(&error, source, span))
                .unwrap_or_else(|| error.to_string());
            Violation {
                instance_path,
                schema_path: error.evaluation_path().as_str().to_owned(),
                keyword_location: error
                    .absolute_keyword_location()
                    .map(|uri| uri.as_str().to_owned())
                    .unwrap_or_default(),
                message,
                span,
            }
        })
        .collect();
    violations.sort_by(|a, b| {
        (&a.instance_path, &a.schema_path).cmp(&(&b.instance_path, &b.schema_path))
    });
    crate::open_enum_report::explain(&mut violations, instance, source);
    violations
}

/// The rejection of a packet the typed model refuses; the value located in `source`, the text
/// the packet was read from, if there is one, and a number in the message printed as written
/// there.
fn decode_rejection(command: Command, error: DecodeError, source: Option<&Source>) -> Rejection {
    let (instance_path, message) = match error {
        DecodeError::Invalid {
            pointer,
            source: error,
            ..
        } => (pointer, error.to_string()),
        other => (String::new(), other.to_string()),
    };
    let span = source.and_then(|source| source.locate(&instance_path));
    let message = source
        .zip(span)
        .and_then(|(source, span)| written::decode_message(&message, source, span))
        .unwrap_or(message);
    Rejection::Decode {
        command,
        instance_path,
        message,
        span,
    }
}

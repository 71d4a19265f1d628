//! The receiver: every check of a request, in order, and the typed delivery.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use trtc_live_types::{Command, Webhook, WebhookUrlParameters};
use trtc_live_validate::{parse_json, Issue, Rejection, Validator, Violation, Warning};

use crate::auth::authenticate;
use crate::query::Query;
use crate::{ConfigError, ReceiveError, ReceiverConfig};

/// An accepted webhook: its URL parameters, its packet (both typed and valid), the body exactly
/// as received, and what they are still worth a warning for.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    /// The URL's query parameters (`OptPlatform` as an open enum, `Sign` and `RequestTime` when
    /// sent, unknown parameters in `extra`).
    pub parameters: WebhookUrlParameters,
    /// The packet.
    pub webhook: Webhook,
    /// The body exactly as received, byte for byte (to store, forward or hash it: the typed
    /// packet serialized again is the same JSON but not the same bytes).
    pub body: Bytes,
    /// The validator's warnings on the URL parameters and on the packet, each with its kind and
    /// the JSON pointer of the member concerned: values of open enumerations outside their known
    /// values (`unknown_enum_value`, such as an `OptPlatform` of a new client platform), members
    /// the packet lacks as an older revision (`older_revision`), semantic warnings (`semantic`,
    /// see `trtc_live_validate::SEMANTIC_CHECKS`). They never change the verdict: the delivery
    /// is accepted all the same; log them, count them.
    pub warnings: Vec<Warning>,
}

impl Delivery {
    /// The webhook's command.
    pub fn command(&self) -> Command {
        self.webhook.command()
    }
}

/// An authenticated request whose payload is not a valid packet, handed to the application that
/// asked for it ([`Receiver::receive_genuine`]) instead of being refused: everything the
/// receiver could read of it.
///
/// Authenticated means the `SdkAppid` is ours and, with a token, `Sign` and `RequestTime` are
/// right: the request is Tencent's (or, without a token, at least addressed to this
/// application). Its body is still not covered by the signature (see
/// [Replays and duplicates](crate#replays-and-duplicates)): read it defensively.
#[derive(Clone, Debug, PartialEq)]
pub struct InvalidDelivery {
    /// The error the request would have been refused with: the first check that failed, in the
    /// documented order ([`Receiver::receive`]). Its answer, with the receiver's policy, is
    /// [`Receiver::response_for`].
    pub error: ReceiveError,
    /// The request's query string, as received.
    pub query: String,
    /// The URL parameters typed, when they match their schema.
    pub parameters: Option<WebhookUrlParameters>,
    /// What is wrong with the URL parameters (empty when they match their schema).
    pub url_violations: Vec<Violation>,
    /// The body exactly as received.
    pub body: Bytes,
    /// The command word as received: the body's `CallbackCommand` when it is a string, else the
    /// URL's.
    pub command_word: Option<String>,
    /// The command, when the command word is a known one.
    pub command: Option<Command>,
    /// Why the body is not a valid packet: its syntax error, unknown command, or every schema
    /// violation, located in the body. `None` when the body is valid and only the URL
    /// parameters are not.
    pub rejection: Option<Rejection>,
    /// The body parsed, when it is JSON (integers up to 64 bits exact).
    pub packet: Option<serde_json::Value>,
    /// The typed packet, when it could still be built: the body is valid and only the URL
    /// parameters are not, or the validator is strict and only refused members it does not
    /// name.
    pub webhook: Option<Webhook>,
}

impl InvalidDelivery {
    /// Every problem of the body, flattened (the validator's [`Issue`]s, with line and column
    /// in the body where they were located); empty when only the URL parameters are wrong
    /// (those are in [`InvalidDelivery::url_violations`]).
    pub fn issues(&self) -> Vec<Issue> {
        self.rejection
            .as_ref()
            .map_or_else(Vec::new, Rejection::issues)
    }
}

/// What an authenticated request is: a valid delivery, or an invalid one the application asked
/// to receive ([`Receiver::receive_genuine`]).
#[derive(Clone, Debug, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "both variants are large (a typed packet each); one is made per request and moved"
)]
pub enum Genuine {
    /// A valid packet: exactly what [`Receiver::receive`] gives.
    Valid(Delivery),
    /// An authenticated request whose URL parameters or packet are not valid.
    Invalid(InvalidDelivery),
}

/// Checks webhook requests and turns them into typed [`Delivery`]s.
///
/// Build it once and share it (`Arc<Receiver>`): it is `Send + Sync`, and
/// [`Receiver::receive`] takes `&self`. Its `Debug` never shows the token.
pub struct Receiver {
    config: ReceiverConfig,
    validator: Arc<Validator>,
}

impl fmt::Debug for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("config", &self.config)
            .field("validator", &self.validator)
            .finish()
    }
}

impl Receiver {
    /// A receiver with its own validator (default options: unknown fields accepted, as
    /// Tencent may add fields). Refuses a configuration it cannot work with.
    pub fn new(config: ReceiverConfig) -> Result<Self, ConfigError> {
        Self::with_validator(config, Arc::new(Validator::new()?))
    }

    /// A receiver sharing `validator` (built once for several receivers, or strict).
    pub fn with_validator(
        config: ReceiverConfig,
        validator: Arc<Validator>,
    ) -> Result<Self, ConfigError> {
        config.check()?;
        Ok(Self { config, validator })
    }

    /// The configuration.
    pub fn config(&self) -> &ReceiverConfig {
        &self.config
    }

    /// The validator.
    pub fn validator(&self) -> &Arc<Validator> {
        &self.validator
    }

    /// Checks a request (`method`, `uri` with its query string, `body`) received at `now`, and
    /// returns the typed delivery, or the first check that failed.
    ///
    /// The checks run in this order, and the first failure is returned, so a request that is
    /// wrong in several ways gets the error of the earliest check:
    ///
    /// 1. the method is POST ([`ReceiveError::MethodNotAllowed`]);
    /// 2. the body is at most `max_body_bytes` ([`ReceiveError::BodyTooLarge`]);
    /// 3. the query string names no parameter twice ([`ReceiveError::RepeatedParameter`]);
    /// 4. `SdkAppid` is present and is ours ([`ReceiveError::SdkAppIdMissing`],
    ///    [`ReceiveError::SdkAppIdMismatch`]);
    /// 5. with a token: `Sign` is present, `RequestTime` is present and is Unix seconds, `Sign`
    ///    is right, and `RequestTime` is within the tolerance of `now`, past or future
    ///    ([`ReceiveError::SignMissing`], [`ReceiveError::RequestTimeMissing`],
    ///    [`ReceiveError::RequestTimeInvalid`], [`ReceiveError::SignMismatch`],
    ///    [`ReceiveError::RequestTimeTooOld`], [`ReceiveError::RequestTimeInFuture`]). The
    ///    signature comes before the time, so a wrong token is reported as such even when the
    ///    clocks also differ;
    /// 6. the URL's command word: `CallbackCommand`, or `WebhookCommand` (the newest English
    ///    overview's name for it); both present with different words are refused
    ///    ([`ReceiveError::UrlCommandConflict`]);
    /// 7. the URL parameters match their schema ([`ReceiveError::UrlParameters`]);
    /// 8. the body is JSON ([`ReceiveError::NotJson`]);
    /// 9. the body's `CallbackCommand` is a known command ([`ReceiveError::UnknownCommand`]);
    /// 10. the URL's command word is the body's ([`ReceiveError::CommandMismatch`]);
    /// 11. the packet matches its command's schema and decodes exactly
    ///     ([`ReceiveError::Schema`]).
    ///
    /// Cheap checks on what the sender cannot avoid come first, and authentication (4, 5)
    /// before anything else of the request is read: the body of a request that is not
    /// authenticated is never parsed. Every error from 6 on is
    /// [authenticated](ReceiveError::is_authenticated).
    ///
    /// Tencent's signature covers the token and `RequestTime` only: anyone who sees a signed
    /// URL can send another body with it within the tolerance. Serve the webhook URL over
    /// HTTPS. Nothing is remembered between calls: the same request is accepted each time it
    /// is received within the tolerance (see [Replays and duplicates](crate#replays-and-duplicates)).
    ///
    /// The body is copied into [`Delivery::body`]; [`Receiver::receive_bytes`] takes it without
    /// a copy.
    pub fn receive(
        &self,
        method: &http::Method,
        uri: &http::Uri,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Delivery, ReceiveError> {
        self.precheck(method, body.len())?;
        self.receive_bytes(method, uri, Bytes::copy_from_slice(body), now)
    }

    /// [`Receiver::receive`] with the body as [`Bytes`], kept in the delivery without a copy.
    pub fn receive_bytes(
        &self,
        method: &http::Method,
        uri: &http::Uri,
        body: Bytes,
        now: SystemTime,
    ) -> Result<Delivery, ReceiveError> {
        match self.check(method, uri, body, now, false)? {
            Genuine::Valid(delivery) => Ok(delivery),
            Genuine::Invalid(invalid) => Err(invalid.error),
        }
    }

    /// Checks a request as [`Receiver::receive`] does, but an authenticated request whose
    /// payload is not valid is returned to the application as an [`InvalidDelivery`] (its raw
    /// body, its command word, the issues found, the parsed JSON and the typed packet where they
    /// could be built) instead of an error. The rejections before authentication (method, size,
    /// `SdkAppid`, signature, time), and a request whose command words contradict each other
    /// ([`ReceiveError::UrlCommandConflict`], [`ReceiveError::CommandMismatch`]: what it is
    /// cannot be told), are still errors.
    ///
    /// This is the application's choice: with [`Receiver::receive`], such a request is refused
    /// (its answer: [`Receiver::response_for`]), and Tencent counts a failed delivery; here the
    /// application gets it, and answers it. The trade-offs are in the crate documentation,
    /// [Invalid deliveries](crate#invalid-deliveries).
    pub fn receive_genuine(
        &self,
        method: &http::Method,
        uri: &http::Uri,
        body: Bytes,
        now: SystemTime,
    ) -> Result<Genuine, ReceiveError> {
        self.check(method, uri, body, now, true)
    }

    /// The checks before anything is read: the method and the body's size.
    fn precheck(&self, method: &http::Method, size: usize) -> Result<(), ReceiveError> {
        if method != http::Method::POST {
            return Err(ReceiveError::MethodNotAllowed {
                method: method.clone(),
            });
        }
        if size > self.config.max_body_bytes {
            return Err(ReceiveError::BodyTooLarge {
                size,
                limit: self.config.max_body_bytes,
            });
        }
        Ok(())
    }

    /// Every check, in order; with `describe_invalid`, an authenticated invalid request is
    /// described in full (the parsed JSON, a typed packet where possible), else only its error
    /// is kept.
    fn check(
        &self,
        method: &http::Method,
        uri: &http::Uri,
        body: Bytes,
        now: SystemTime,
        describe_invalid: bool,
    ) -> Result<Genuine, ReceiveError> {
        self.precheck(method, body.len())?;
        let query = Query::parse(uri.query())
            .map_err(|repeated| ReceiveError::RepeatedParameter { name: repeated.0 })?;
        authenticate(&self.config, &query, now)?;

        let url_word = url_command_word(&query)?;
        let url_command = url_word.and_then(Command::from_command_word);
        let url_error = |violations: &[Violation]| ReceiveError::UrlParameters {
            url_command,
            violations: violations.to_vec(),
        };
        let parameters = self.validator.check_url_parameters(&query.to_value());
        if let (Err(violations), false) = (&parameters, describe_invalid) {
            // Refused at the URL: the body is not even parsed.
            return Err(url_error(violations));
        }
        // The validator parses, routes and checks in one pass; the command comparison is
        // placed between routing and the schema by looking at what the rejection got to.
        let verdict = self.validator.validate_with_warnings(&body);
        let body_command = match &verdict {
            Ok(validated) => Some(validated.webhook.command()),
            Err(rejection) => rejection.command(),
        };
        if let Some(body_command) = body_command.filter(|&c| url_command != Some(c)) {
            // A request that contradicts itself is refused, whatever else is wrong with it.
            return Err(ReceiveError::CommandMismatch {
                url: url_word.unwrap_or_default().to_owned(),
                body: body_command,
            });
        }
        let (error, parameters, verdict) = match (parameters, verdict) {
            (Ok((parameters, mut warnings)), Ok(validated)) => {
                // The URL's warnings, then the packet's.
                warnings.extend(validated.warnings);
                return Ok(Genuine::Valid(Delivery {
                    parameters,
                    webhook: validated.webhook,
                    body,
                    warnings,
                }));
            }
            (Err(violations), verdict) => (
                url_error(&violations),
                Err(violations),
                verdict.map(|validated| validated.webhook),
            ),
            (Ok((parameters, _)), Err(rejection)) => (
                body_error(url_command, &rejection),
                Ok(parameters),
                Err(rejection),
            ),
        };
        if !describe_invalid {
            return Err(error);
        }
        let invalid = InvalidDescription {
            error,
            url_word,
            parameters,
            verdict,
        };
        Ok(Genuine::Invalid(invalid.describe(uri, body)))
    }

    /// The answer to `error`, per the [HTTP table](ReceiveError#http-answers), with this
    /// receiver's [`crate::InvalidBeforeWebhookPolicy`].
    pub fn response_for(&self, error: &ReceiveError) -> http::Response<Vec<u8>> {
        error.http_response(self.config.invalid_before_webhook)
    }
}

/// The URL's command word: `CallbackCommand`, or `WebhookCommand` in its place; both present
/// must be the same word.
fn url_command_word(query: &Query) -> Result<Option<&str>, ReceiveError> {
    match (query.get("CallbackCommand"), query.get("WebhookCommand")) {
        (Some(callback), Some(webhook)) if callback != webhook => {
            Err(ReceiveError::UrlCommandConflict {
                callback_command: callback.to_owned(),
                webhook_command: webhook.to_owned(),
            })
        }
        (Some(word), _) | (None, Some(word)) => Ok(Some(word)),
        (None, None) => Ok(None),
    }
}

/// The error of a body the validator refused, for a request whose URL names `url_command`.
fn body_error(url_command: Option<Command>, rejection: &Rejection) -> ReceiveError {
    match rejection {
        Rejection::Syntax(error) => ReceiveError::NotJson {
            url_command,
            error: error.clone(),
        },
        Rejection::UnknownCommand(unknown) => ReceiveError::UnknownCommand {
            url_command,
            unknown: unknown.clone(),
        },
        rejection => ReceiveError::Schema(rejection.clone()),
    }
}

/// What the checks found about an authenticated request that is not valid.
struct InvalidDescription<'a> {
    error: ReceiveError,
    url_word: Option<&'a str>,
    parameters: Result<WebhookUrlParameters, Vec<Violation>>,
    verdict: Result<Webhook, Rejection>,
}

impl InvalidDescription<'_> {
    /// Everything that can be read of the request.
    fn describe(self, uri: &http::Uri, body: Bytes) -> InvalidDelivery {
        let (parameters, url_violations) = match self.parameters {
            Ok(parameters) => (Some(parameters), Vec::new()),
            Err(violations) => (None, violations),
        };
        let (webhook, rejection) = match self.verdict {
            Ok(webhook) => (Some(webhook), None),
            Err(rejection) => (None, Some(rejection)),
        };
        let packet = parse_json(&body).ok();
        let command_word = packet
            .as_ref()
            .and_then(|packet| packet.get("CallbackCommand"))
            .and_then(serde_json::Value::as_str)
            .or(self.url_word)
            .map(str::to_owned);
        let command = command_word.as_deref().and_then(Command::from_command_word);
        // A strict validator refuses members it does not name; the typed model keeps them.
        let webhook = webhook.or_else(|| {
            let (command, packet) = (command?, packet.clone()?);
            Webhook::from_value_as(command, packet).ok()
        });
        InvalidDelivery {
            error: self.error,
            query: uri.query().unwrap_or_default().to_owned(),
            parameters,
            url_violations,
            body,
            command_word,
            command,
            rejection,
            packet,
            webhook,
        }
    }
}

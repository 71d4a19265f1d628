//! The receiver: every check of a request, in order, and the typed delivery.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use trtc_live_types::{Command, Webhook, WebhookUrlParameters};
use trtc_live_validate::{Rejection, Validated, Validator, Warning};

use crate::auth::authenticate;
use crate::query::Query;
use crate::{ConfigError, ReceiveError, ReceiverConfig};

/// An accepted webhook: its URL parameters and its packet, both typed and valid, and what they
/// are still worth a warning for.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    /// The URL's query parameters (`OptPlatform` as an open enum, `Sign` and `RequestTime` when
    /// sent, unknown parameters in `extra`).
    pub parameters: WebhookUrlParameters,
    /// The packet.
    pub webhook: Webhook,
    /// The warnings of the URL parameters and of the packet, for the app to log: values of
    /// open enumerations outside their known values (`unknown_enum_value`, such as an
    /// `OptPlatform` of a new client platform), members the packet lacks as an older revision
    /// (`older_revision`), semantic warnings. A delivery with warnings is accepted all the same.
    pub warnings: Vec<Warning>,
}

impl Delivery {
    /// The webhook's command.
    pub fn command(&self) -> Command {
        self.webhook.command()
    }
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
    /// 6. the URL parameters match their schema ([`ReceiveError::UrlParameters`]);
    /// 7. the body is JSON ([`ReceiveError::NotJson`]);
    /// 8. the body's `CallbackCommand` is a known command ([`ReceiveError::UnknownCommand`]);
    /// 9. the URL's `CallbackCommand` is the body's ([`ReceiveError::CommandMismatch`]);
    /// 10. the packet matches its command's schema and decodes exactly
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
    pub fn receive(
        &self,
        method: &http::Method,
        uri: &http::Uri,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Delivery, ReceiveError> {
        if method != http::Method::POST {
            return Err(ReceiveError::MethodNotAllowed {
                method: method.clone(),
            });
        }
        if body.len() > self.config.max_body_bytes {
            return Err(ReceiveError::BodyTooLarge {
                size: body.len(),
                limit: self.config.max_body_bytes,
            });
        }
        let query = Query::parse(uri.query())
            .map_err(|repeated| ReceiveError::RepeatedParameter { name: repeated.0 })?;
        authenticate(&self.config, &query, now)?;

        let url_word = query.get("CallbackCommand").unwrap_or_default();
        let url_command = Command::from_command_word(url_word);
        let (parameters, mut warnings) = self
            .validator
            .check_url_parameters(&query.to_value())
            .map_err(|violations| ReceiveError::UrlParameters {
                url_command,
                violations,
            })?;
        let mismatch = |body: Command| ReceiveError::CommandMismatch {
            url: url_word.to_owned(),
            body,
        };
        // The validator parses, routes and checks in one pass; the command comparison is
        // placed between routing and the schema by looking at what the rejection got to.
        match self.validator.validate_with_warnings(body) {
            Ok(Validated {
                webhook,
                warnings: packet_warnings,
            }) if url_command == Some(webhook.command()) => {
                warnings.extend(packet_warnings);
                Ok(Delivery {
                    parameters,
                    webhook,
                    warnings,
                })
            }
            Ok(Validated { webhook, .. }) => Err(mismatch(webhook.command())),
            Err(Rejection::Syntax(error)) => Err(ReceiveError::NotJson { url_command, error }),
            Err(Rejection::UnknownCommand(unknown)) => Err(ReceiveError::UnknownCommand {
                url_command,
                unknown,
            }),
            Err(rejection) => match rejection.command() {
                Some(body) if url_command != Some(body) => Err(mismatch(body)),
                _ => Err(ReceiveError::Schema(rejection)),
            },
        }
    }

    /// The answer to `error`, per the [HTTP table](ReceiveError#http-answers), with this
    /// receiver's [`crate::InvalidBeforeWebhookPolicy`].
    pub fn response_for(&self, error: &ReceiveError) -> http::Response<Vec<u8>> {
        error.http_response(self.config.invalid_before_webhook)
    }
}

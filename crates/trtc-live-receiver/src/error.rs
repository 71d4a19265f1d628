//! Why a request was refused, and what it is answered.

use std::fmt;
use std::time::Duration;

use http::header::{HeaderValue, ALLOW, CONNECTION};
use http::{Response, StatusCode};
use trtc_live_types::Command;
use trtc_live_validate::{Rejection, SyntaxError, Violation, ViolationList};

use crate::http_answer::failure_response;
use crate::{Answer, InvalidBeforeWebhookPolicy};

/// Why a request was refused: one variant per check, in the order the checks run (see
/// [`crate::Receiver::receive`]).
///
/// # HTTP answers
///
/// Tencent counts anything but HTTP 200 with a JSON body as a failed delivery. Every rejection
/// is answered with `Content-Type: application/json` and the body
/// `{"ActionStatus": "FAIL", "ErrorCode": 1, "ErrorInfo": <below>}`, which is valid against
/// every response schema (1 is "reject" for a gift and "forbid" for a message; Tencent does not
/// read the body of a failed delivery anyway). `ErrorInfo` is a fixed text per variant: it never
/// repeats what the request carried, nor anything about the token. "Authenticated" is
/// [`ReceiveError::is_authenticated`]: the request passed the `SdkAppid` check and, with a
/// token, the signature and time checks.
///
/// | Variant | Authenticated | HTTP status | `ErrorInfo` |
/// |---|---|---|---|
/// | `MethodNotAllowed` | no | 405 (with `Allow: POST`) | `webhooks are POST requests` |
/// | `BodyTooLarge` | no | 413 | `body too large` |
/// | `BodyNotRead` | no | 400 | `body could not be read` |
/// | `BodyTimeout` | no | 408 (with `Connection: close`) | `the body was not received in time` |
/// | `RepeatedParameter` | no | 400 | `a query parameter is repeated` |
/// | `SdkAppIdMissing` | no | 400 | `SdkAppid missing` |
/// | `SdkAppIdMismatch` | no | 403 | `SdkAppid is not this application's` |
/// | `SignMissing` | no | 401 | `Sign missing` |
/// | `RequestTimeMissing` | no | 401 | `RequestTime missing` |
/// | `RequestTimeInvalid` | no | 401 | `RequestTime is not Unix seconds` |
/// | `SignMismatch` | no | 401 | `Sign does not match` |
/// | `RequestTimeTooOld` | no | 401 | `RequestTime too old` |
/// | `RequestTimeInFuture` | no | 401 | `RequestTime in the future` |
/// | `UrlCommandConflict` | yes | 400, or the policy's 200 | `CallbackCommand and WebhookCommand differ` |
/// | `UrlParameters` | yes | 400, or the policy's 200 | `invalid URL parameters` |
/// | `NotJson` | yes | 400, or the policy's 200 | `body is not JSON` |
/// | `UnknownCommand` | yes | 400, or the policy's 200 | `unknown CallbackCommand` |
/// | `CommandMismatch` | yes | 400, or the policy's 200 | `CallbackCommand differs between URL and body` |
/// | `Schema` | yes | 422, or the policy's 200 | `packet does not match its schema` |
///
/// "The policy's 200": when the URL's command word is one of the two before-webhooks
/// (`Live.CallbackBeforeSendGift`, `Group.CallbackBeforeSendMsg`) and the
/// [`InvalidBeforeWebhookPolicy`] is `Allow` or `Refuse`, the answer is HTTP 200 with that
/// decision instead: `Allow` answers `{"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}`
/// (the gift goes through, the message is sent), `Refuse` answers `ActionStatus` OK,
/// `ErrorCode` 1 and `ErrorInfo` as above (the gift is rejected, the message is not sent). With
/// the default, `FailDelivery`, before-webhooks get the status of the table like every other
/// webhook. The policy is the receiver's: answer with [`crate::Receiver::response_for`], or
/// [`ReceiveError::http_response`] with a policy.
///
/// Statuses: 400 for a request that cannot be read (query string, JSON syntax, command words),
/// 401 for a failed signature or time check, 403 for another application's request, 405, 408,
/// 413, and 422 for a well-formed packet of a known command that breaks its schema.
///
/// Each variant also has a stable name for logs, metrics and alerts, [`ReceiveError::code`]
/// (`sign_mismatch`, `schema`, ...), and [`ReceiveError::log_detail`] says what went wrong
/// without repeating anything of the body.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReceiveError {
    /// The method is not POST (Tencent POSTs every webhook).
    #[error("method {} not allowed: webhooks are POSTed", Shown(.method.as_str()))]
    MethodNotAllowed {
        /// The method received.
        method: http::Method,
    },
    /// The body is over [`crate::ReceiverConfig::max_body_bytes`].
    #[error("body of {size} bytes is over the limit of {limit} bytes")]
    BodyTooLarge {
        /// The body's size in bytes; for a body refused while streaming without a
        /// `Content-Length` (the axum adapter), the bytes read when the limit was passed, a
        /// lower bound.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The body could not be read (the connection failed while it was streamed). Produced by
    /// the axum adapter, never by [`crate::Receiver::receive`], which is given the bytes.
    #[error("the body could not be read: {reason}")]
    BodyNotRead {
        /// What failed.
        reason: String,
    },
    /// The body did not arrive within the server's deadline (a client sending it slowly, or
    /// never finishing it). Produced by the axum adapter under the server of the `server`
    /// feature, never by [`crate::Receiver::receive`]. The answer closes the connection: what
    /// is left of the body is never read.
    #[error("the body was not received within {} s of the headers", .timeout.as_secs_f64())]
    BodyTimeout {
        /// The deadline, from the end of the request's headers.
        timeout: Duration,
    },
    /// A query parameter is given more than once (a proxy and this receiver could read
    /// different copies).
    #[error("query parameter {} is given more than once", Shown(.name))]
    RepeatedParameter {
        /// Its name.
        name: String,
    },
    /// The URL has no `SdkAppid` parameter.
    #[error("the URL has no SdkAppid parameter")]
    SdkAppIdMissing,
    /// `SdkAppid` is not this application's.
    #[error("SdkAppid {} is not this application's", Shown(.found))]
    SdkAppIdMismatch {
        /// The `SdkAppid` received.
        found: String,
    },
    /// A token is configured but the URL has no `Sign`.
    #[error("the URL has no Sign parameter, and a token is configured")]
    SignMissing,
    /// A token is configured but the URL has no `RequestTime`.
    #[error("the URL has no RequestTime parameter, and a token is configured")]
    RequestTimeMissing,
    /// `RequestTime` is not 1 to 20 decimal digits within `u64`.
    #[error("RequestTime {} is not Unix seconds (1 to 20 decimal digits)", Shown(.found))]
    RequestTimeInvalid {
        /// The `RequestTime` received.
        found: String,
    },
    /// `Sign` is not the SHA-256 of the token followed by `RequestTime` (compared in constant
    /// time, hexadecimal case ignored).
    #[error("Sign does not match the token and RequestTime")]
    SignMismatch,
    /// `RequestTime` is more than the tolerance before the receiver's clock (a replay, or a
    /// slow clock here).
    #[error(
        "RequestTime {request_time} is {} s before the receiver's clock ({now}), more \
         than the {} s allowed",
        .now.saturating_sub(*.request_time),
        .tolerance.as_secs_f64()
    )]
    RequestTimeTooOld {
        /// `RequestTime`, Unix seconds.
        request_time: u64,
        /// The receiver's clock, Unix seconds (truncated).
        now: u64,
        /// The tolerance.
        tolerance: Duration,
    },
    /// `RequestTime` is more than the tolerance after the receiver's clock (a clock ahead
    /// there, or behind here).
    #[error(
        "RequestTime {request_time} is {} s after the receiver's clock ({now}), more \
         than the {} s allowed",
        .request_time.saturating_sub(*.now),
        .tolerance.as_secs_f64()
    )]
    RequestTimeInFuture {
        /// `RequestTime`, Unix seconds.
        request_time: u64,
        /// The receiver's clock, Unix seconds (truncated).
        now: u64,
        /// The tolerance.
        tolerance: Duration,
    },
    /// The URL carries both `CallbackCommand` and `WebhookCommand` (the newest English
    /// overview's name for the same parameter), with different words: which one the request is
    /// for cannot be told.
    #[error(
        "the URL names two commands: CallbackCommand {} and WebhookCommand {}",
        Shown(.callback_command),
        Shown(.webhook_command)
    )]
    UrlCommandConflict {
        /// `CallbackCommand`, as received.
        callback_command: String,
        /// `WebhookCommand`, as received.
        webhook_command: String,
    },
    /// The URL parameters break their schema (no `CallbackCommand` nor `WebhookCommand`, a
    /// command word that is not `Prefix.Name`, ...). A value of an open enumeration outside its
    /// known ones (a new `OptPlatform`) is not a violation but a warning of the delivery.
    #[error("the URL parameters break their schema: {}", ViolationList(.violations))]
    UrlParameters {
        /// The URL's command word (`CallbackCommand`, or `WebhookCommand` in its place), when it
        /// names a known command.
        url_command: Option<Command>,
        /// Every violation.
        violations: Vec<Violation>,
    },
    /// The body is not JSON.
    #[error("the body is not JSON: {error}")]
    NotJson {
        /// The URL's command word (`CallbackCommand`, or `WebhookCommand` in its place), when it
        /// names a known command.
        url_command: Option<Command>,
        /// Where and why.
        error: SyntaxError,
    },
    /// The body's `CallbackCommand` is missing, not a string, or not a known command word.
    #[error("{unknown}")]
    UnknownCommand {
        /// The URL's command word (`CallbackCommand`, or `WebhookCommand` in its place), when it
        /// names a known command.
        url_command: Option<Command>,
        /// What is wrong with the body's `CallbackCommand`.
        unknown: trtc_live_validate::UnknownCommand,
    },
    /// The URL's command word (`CallbackCommand`, or `WebhookCommand` in its place) is not the
    /// body's.
    #[error("CallbackCommand differs: {} in the URL, {:?} in the body", Shown(.url), .body.as_str())]
    CommandMismatch {
        /// The URL's command word, as received.
        url: String,
        /// The body's command.
        body: Command,
    },
    /// The packet breaks its command's schema, or holds a number the typed model cannot keep
    /// exactly: the validator's full report, located in the body.
    #[error("{0}")]
    Schema(#[source] Rejection),
}

impl ReceiveError {
    /// Whether the request passed the `SdkAppid` check and, with a token, the signature and
    /// time checks: its payload is genuine (or, without a token, at least addressed to this
    /// application) and worth keeping for inspection, not dropping.
    pub fn is_authenticated(&self) -> bool {
        matches!(
            self,
            Self::UrlCommandConflict { .. }
                | Self::UrlParameters { .. }
                | Self::NotJson { .. }
                | Self::UnknownCommand { .. }
                | Self::CommandMismatch { .. }
                | Self::Schema(_)
        )
    }

    /// The command the request is for, once it is authenticated: the URL's command word
    /// (`CallbackCommand`, or `WebhookCommand` in its place) when it names a known command (for
    /// `Schema`, the body's, which is the same). `None` for the rejections before
    /// authentication, which tell nothing trustworthy, and for a URL naming two commands.
    pub fn command(&self) -> Option<Command> {
        match self {
            Self::UrlParameters { url_command, .. }
            | Self::NotJson { url_command, .. }
            | Self::UnknownCommand { url_command, .. } => *url_command,
            Self::CommandMismatch { url, .. } => Command::from_command_word(url),
            Self::UrlCommandConflict { .. } => None,
            Self::Schema(rejection) => rejection.command(),
            _ => None,
        }
    }

    /// The HTTP status of the table, before any policy.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BodyTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            Self::SdkAppIdMismatch { .. } => StatusCode::FORBIDDEN,
            Self::SignMissing
            | Self::RequestTimeMissing
            | Self::RequestTimeInvalid { .. }
            | Self::SignMismatch
            | Self::RequestTimeTooOld { .. }
            | Self::RequestTimeInFuture { .. } => StatusCode::UNAUTHORIZED,
            Self::Schema(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BodyNotRead { .. }
            | Self::RepeatedParameter { .. }
            | Self::SdkAppIdMissing
            | Self::UrlCommandConflict { .. }
            | Self::UrlParameters { .. }
            | Self::NotJson { .. }
            | Self::UnknownCommand { .. }
            | Self::CommandMismatch { .. } => StatusCode::BAD_REQUEST,
        }
    }

    /// The `ErrorInfo` of the table: a fixed text per variant.
    pub fn error_info(&self) -> &'static str {
        match self {
            Self::MethodNotAllowed { .. } => "webhooks are POST requests",
            Self::BodyTooLarge { .. } => "body too large",
            Self::BodyNotRead { .. } => "body could not be read",
            Self::BodyTimeout { .. } => "the body was not received in time",
            Self::RepeatedParameter { .. } => "a query parameter is repeated",
            Self::SdkAppIdMissing => "SdkAppid missing",
            Self::SdkAppIdMismatch { .. } => "SdkAppid is not this application's",
            Self::SignMissing => "Sign missing",
            Self::RequestTimeMissing => "RequestTime missing",
            Self::RequestTimeInvalid { .. } => "RequestTime is not Unix seconds",
            Self::SignMismatch => "Sign does not match",
            Self::RequestTimeTooOld { .. } => "RequestTime too old",
            Self::RequestTimeInFuture { .. } => "RequestTime in the future",
            Self::UrlCommandConflict { .. } => "CallbackCommand and WebhookCommand differ",
            Self::UrlParameters { .. } => "invalid URL parameters",
            Self::NotJson { .. } => "body is not JSON",
            Self::UnknownCommand { .. } => "unknown CallbackCommand",
            Self::CommandMismatch { .. } => "CallbackCommand differs between URL and body",
            Self::Schema(_) => "packet does not match its schema",
        }
    }

    /// The answer of the [table](#http-answers), with `policy` for an authenticated
    /// before-webhook whose payload is invalid.
    pub fn http_response(&self, policy: InvalidBeforeWebhookPolicy) -> Response<Vec<u8>> {
        if let Some(answer) = self.policy_answer(policy) {
            return answer.http_response();
        }
        let mut response = failure_response(self.status(), self.error_info());
        match self {
            Self::MethodNotAllowed { .. } => {
                response
                    .headers_mut()
                    .insert(ALLOW, HeaderValue::from_static("POST"));
            }
            Self::BodyTimeout { .. } => {
                response
                    .headers_mut()
                    .insert(CONNECTION, HeaderValue::from_static("close"));
            }
            _ => {}
        }
        response
    }

    /// The variant's stable name, in snake case, for logs, metrics and alerts:
    /// `method_not_allowed`, `body_too_large`, `body_not_read`, `body_timeout`,
    /// `repeated_parameter`, `sdk_app_id_missing`, `sdk_app_id_mismatch`, `sign_missing`,
    /// `request_time_missing`, `request_time_invalid`, `sign_mismatch`, `request_time_too_old`,
    /// `request_time_in_future`, `url_command_conflict`, `url_parameters`, `not_json`,
    /// `unknown_command`, `command_mismatch`, `schema`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::BodyTooLarge { .. } => "body_too_large",
            Self::BodyNotRead { .. } => "body_not_read",
            Self::BodyTimeout { .. } => "body_timeout",
            Self::RepeatedParameter { .. } => "repeated_parameter",
            Self::SdkAppIdMissing => "sdk_app_id_missing",
            Self::SdkAppIdMismatch { .. } => "sdk_app_id_mismatch",
            Self::SignMissing => "sign_missing",
            Self::RequestTimeMissing => "request_time_missing",
            Self::RequestTimeInvalid { .. } => "request_time_invalid",
            Self::SignMismatch => "sign_mismatch",
            Self::RequestTimeTooOld { .. } => "request_time_too_old",
            Self::RequestTimeInFuture { .. } => "request_time_in_future",
            Self::UrlCommandConflict { .. } => "url_command_conflict",
            Self::UrlParameters { .. } => "url_parameters",
            Self::NotJson { .. } => "not_json",
            Self::UnknownCommand { .. } => "unknown_command",
            Self::CommandMismatch { .. } => "command_mismatch",
            Self::Schema(_) => "schema",
        }
    }

    /// What went wrong, on one line, for a log: the `ErrorInfo` of the table, and where it
    /// helps, what of the request's URL or structure is at fault (the parameter or the JSON
    /// pointers of the violations, the position of a syntax error, the times compared). It
    /// never repeats a value of the body but its command word (account ids and message texts
    /// are personal data), nor anything about the token; the values it shows are quoted and
    /// cut after 100 characters.
    pub fn log_detail(&self) -> String {
        let info = self.error_info();
        match self {
            Self::MethodNotAllowed { method } => format!("{info}: {}", Shown(method.as_str())),
            Self::BodyTooLarge { size, limit } => format!("{info}: {size} bytes, limit {limit}"),
            Self::BodyNotRead { reason } => format!("{info}: {}", Shown(reason)),
            Self::BodyTimeout { timeout } => {
                format!("{info}: deadline {} s", timeout.as_secs_f64())
            }
            Self::RepeatedParameter { name } => format!("{info}: {}", Shown(name)),
            Self::SdkAppIdMismatch { found } => format!("{info}: {}", Shown(found)),
            Self::RequestTimeInvalid { found } => format!("{info}: {}", Shown(found)),
            Self::RequestTimeTooOld { .. } | Self::RequestTimeInFuture { .. } => {
                // The times only: the message of `Display` says it all on one line.
                self.to_string()
            }
            Self::UrlCommandConflict {
                callback_command,
                webhook_command,
            } => format!(
                "{info}: CallbackCommand {}, WebhookCommand {}",
                Shown(callback_command),
                Shown(webhook_command)
            ),
            Self::UrlParameters { violations, .. } => {
                let at: Vec<&str> = violations
                    .iter()
                    .map(|v| v.instance_path.as_str())
                    .collect();
                format!("{info}: at {}", Paths(&at))
            }
            Self::NotJson { error, .. } => format!(
                "{info}: {} at line {} column {}",
                Shown(&error.message),
                error.line,
                error.column
            ),
            Self::UnknownCommand { unknown, .. } => match unknown {
                trtc_live_validate::UnknownCommand::Unknown(word) => {
                    format!("{info}: {}", Shown(word))
                }
                other => format!("{info}: {other}"),
            },
            Self::CommandMismatch { url, body } => {
                format!("{info}: {} in the URL, {} in the body", Shown(url), body)
            }
            Self::Schema(rejection) => {
                let issues = rejection.issues();
                let at: Vec<&str> = issues.iter().map(|i| i.instance_path.as_str()).collect();
                format!("{info}: {} issue(s) at {}", issues.len(), Paths(&at))
            }
            Self::SdkAppIdMissing
            | Self::SignMissing
            | Self::RequestTimeMissing
            | Self::SignMismatch => info.to_owned(),
        }
    }

    /// The decision `policy` gives instead of a failure, if any.
    fn policy_answer(&self, policy: InvalidBeforeWebhookPolicy) -> Option<Answer> {
        if !self.is_authenticated() {
            return None;
        }
        let command = self.command()?;
        if !command.response_is_a_decision() {
            return None;
        }
        match policy {
            InvalidBeforeWebhookPolicy::FailDelivery => None,
            InvalidBeforeWebhookPolicy::Allow => Some(Answer::letting_through(command)),
            InvalidBeforeWebhookPolicy::Refuse => Answer::stopping(command, self.error_info()),
        }
    }
}

/// JSON pointers for a log line: each distinct one once, quoted (`""` is the packet itself),
/// the first 10, and how many more.
struct Paths<'a>(&'a [&'a str]);

impl fmt::Display for Paths<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX: usize = 10;
        let mut distinct: Vec<&str> = Vec::new();
        for path in self.0 {
            if !distinct.contains(path) {
                distinct.push(path);
            }
        }
        for (i, path) in distinct.iter().take(MAX).enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}", Shown(path))?;
        }
        if distinct.len() > MAX {
            write!(f, " and {} more", distinct.len() - MAX)?;
        }
        Ok(())
    }
}

/// `text` for a message: quoted and escaped, and cut after 100 characters (it comes from the
/// request, and ends up in logs).
struct Shown<'a>(&'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX: usize = 100;
        match self.0.char_indices().nth(MAX) {
            None => write!(f, "{:?}", self.0),
            Some((cut, _)) => write!(f, "{:?}... ({} bytes)", &self.0[..cut], self.0.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Shown;

    #[test]
    fn long_values_are_cut_in_messages() {
        assert_eq!(Shown("abc").to_string(), "\"abc\"");
        assert_eq!(Shown("a\nb").to_string(), "\"a\\nb\"");
        let long = "é".repeat(150);
        assert_eq!(
            Shown(&long).to_string(),
            format!("{:?}... (300 bytes)", "é".repeat(100))
        );
    }
}

//! Fuzz target `receiver`: bytes split into flags, a clock offset, a query string and a body,
//! through [`Receiver::receive`] and its answers.
//!
//! An input is read as
//!
//! ```text
//! [flags: 1 byte] [clock offset: i16, little-endian seconds] [query string] \n [body]
//! ```
//!
//! The flags pick the receiver (with or without a token, a normal or a 64-byte body limit, the
//! policy for invalid before-webhooks), the method (POST or GET), whether the right `Sign` for
//! the query's `RequestTime` is appended to the query (a fuzzer cannot guess a SHA-256, and
//! without it every input with a token would stop at the signature), and a fraction of a
//! second for the clock. The clock is the query's `RequestTime` (when it is Unix seconds)
//! plus the offset, so the time window's edges are within reach.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{Method, StatusCode, Uri};
use trtc_live_receiver::{
    sign, Answer, Delivery, InvalidBeforeWebhookPolicy, ReceiveError, Receiver, ReceiverConfig,
    Token,
};
use trtc_live_types::Command;
use trtc_live_validate::parse_json;

/// The application the receivers are configured for.
pub const SDK_APP_ID: &str = "1400000000";
/// The token of the receivers that have one; nothing they answer may contain it.
pub const TOKEN: &str = "fuzz-token-7d1e";
/// The tolerance of the receivers (the default).
const TOLERANCE: Duration = Duration::from_secs(60);
/// The clock's `RequestTime` when the query has none that is Unix seconds.
const DEFAULT_REQUEST_TIME: u64 = 1_669_872_112;
/// The body limit of the receivers that have a small one.
const SMALL_BODY_LIMIT: usize = 64;

const WITH_TOKEN: u8 = 1;
const APPEND_SIGN: u8 = 1 << 1;
const GET: u8 = 1 << 2;
const SMALL_BODY: u8 = 1 << 3;
const POLICY_SHIFT: u32 = 4;
const MILLIS_SHIFT: u32 = 6;

/// One request as the fuzzer describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request<'a> {
    /// The flags byte (see the module documentation).
    pub flags: u8,
    /// Seconds added to `RequestTime` to make the clock.
    pub clock_offset: i16,
    /// The query string, without `?`.
    pub query: &'a [u8],
    /// The body.
    pub body: &'a [u8],
}

impl<'a> Request<'a> {
    /// Reads an input: `None` when it is shorter than its three-byte header.
    pub fn decode(data: &'a [u8]) -> Option<Self> {
        let (&[flags, low, high], rest) = data.split_first_chunk::<3>()?;
        let (query, body) = match rest.iter().position(|&b| b == b'\n') {
            Some(newline) => (&rest[..newline], &rest[newline + 1..]),
            None => (rest, &[][..]),
        };
        Some(Self {
            flags,
            clock_offset: i16::from_le_bytes([low, high]),
            query,
            body,
        })
    }

    /// The input that decodes to this request (the query must not hold a newline).
    pub fn encode(&self) -> Vec<u8> {
        let mut data = vec![self.flags];
        data.extend_from_slice(&self.clock_offset.to_le_bytes());
        data.extend_from_slice(self.query);
        data.push(b'\n');
        data.extend_from_slice(self.body);
        data
    }
}

/// The flags of a request signed right, at its `RequestTime`, to the receiver with a token.
pub const SIGNED: u8 = WITH_TOKEN | APPEND_SIGN;

/// Every receiver the flags can pick, sharing one validator: indexed by
/// `token + 2 * small body + 4 * policy`.
fn receivers() -> &'static [Receiver] {
    static RECEIVERS: OnceLock<Vec<Receiver>> = OnceLock::new();
    RECEIVERS.get_or_init(|| {
        let validator = Arc::clone(crate::validator::lenient());
        let mut receivers = Vec::new();
        for policy in [
            InvalidBeforeWebhookPolicy::FailDelivery,
            InvalidBeforeWebhookPolicy::Allow,
            InvalidBeforeWebhookPolicy::Refuse,
        ] {
            for small_body in [false, true] {
                for token in [false, true] {
                    let mut config = ReceiverConfig::new(SDK_APP_ID);
                    if token {
                        config = config.with_token(Token::new(TOKEN));
                    }
                    config.tolerance = TOLERANCE;
                    if small_body {
                        config.max_body_bytes = SMALL_BODY_LIMIT;
                    }
                    config.invalid_before_webhook = policy;
                    receivers.push(
                        Receiver::with_validator(config, Arc::clone(&validator))
                            .expect("a usable configuration"),
                    );
                }
            }
        }
        receivers
    })
}

/// Receives the request `data` describes and asserts:
///
/// - the checks come in their documented order for the method and the body size;
/// - a request is accepted, or refused as authenticated, only if its `SdkAppid` is ours and,
///   with a token, its `Sign` is right and its `RequestTime` within the tolerance of the clock;
/// - an accepted request's packet is what the validator makes of the body, of the URL's
///   command, and its answer is a valid response to that command;
/// - every refusal has an answer: a failure status with a JSON body, or (an authenticated
///   before-webhook, with a policy other than failing) HTTP 200 with a valid decision;
/// - the token appears in no error and no answer (unless the input itself holds it).
///
/// Returns what the receiver made of the request, `None` when `data` describes no request
/// (too short, a query that is not UTF-8 or makes no URI).
pub fn receiver(data: &[u8]) -> Option<Result<Delivery, ReceiveError>> {
    let request = Request::decode(data)?;
    let query = std::str::from_utf8(request.query).ok()?;
    let policy = usize::from((request.flags >> POLICY_SHIFT) & 3).min(2);
    let small_body = request.flags & SMALL_BODY != 0;
    let with_token = request.flags & WITH_TOKEN != 0;
    let receiver = &receivers()[usize::from(with_token) + 2 * usize::from(small_body) + 4 * policy];
    let parameters = Parameters::of(query);
    let mut query = query.to_owned();
    if request.flags & APPEND_SIGN != 0 {
        let time = parameters.request_time.as_deref().unwrap_or_default();
        query.push_str(&format!("&Sign={}", sign(&Token::new(TOKEN), time)));
    }
    let uri = format!("/webhook?{query}").parse::<Uri>().ok()?;
    // What the receiver reads may differ from what was written (`http` keeps the query as
    // given, but be sure): the assertions read the parsed URI's query.
    let parameters = Parameters::of(uri.query().unwrap_or_default());
    let method = if request.flags & GET != 0 {
        Method::GET
    } else {
        Method::POST
    };
    let now = clock(&parameters, &request);

    let received = receiver.receive(&method, &uri, request.body, now);
    let leaks = |text: &str| text.contains(TOKEN) && !contains(data, TOKEN.as_bytes());
    if method != Method::POST {
        assert!(
            matches!(received, Err(ReceiveError::MethodNotAllowed { .. })),
            "{received:?}"
        );
    } else if request.body.len() > receiver.config().max_body_bytes {
        assert!(
            matches!(received, Err(ReceiveError::BodyTooLarge { .. })),
            "{received:?}"
        );
    }
    match &received {
        Ok(delivery) => {
            parameters.assert_authentic(receiver, now);
            accepted(receiver, &parameters, request.body, delivery);
        }
        Err(error) => {
            if error.is_authenticated() {
                parameters.assert_authentic(receiver, now);
            } else {
                assert_eq!(error.command(), None, "{error:?}");
            }
            let response = receiver.response_for(error);
            refused(receiver, error, &response);
            assert!(!leaks(&format!("{error:?} {error}")), "the token leaks");
            assert!(
                !leaks(&String::from_utf8_lossy(response.body())),
                "the token leaks"
            );
        }
    }
    Some(received)
}

/// `haystack` holds `needle`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// The receiver's clock for `request`: its `RequestTime` plus the offset and a fraction.
fn clock(parameters: &Parameters, request: &Request) -> SystemTime {
    let base = parameters
        .request_time
        .as_deref()
        .and_then(|text| text.parse::<u64>().ok())
        .unwrap_or(DEFAULT_REQUEST_TIME);
    let millis = u64::from(request.flags >> MILLIS_SHIFT) * 250;
    let seconds = base
        .checked_add_signed(i64::from(request.clock_offset))
        .unwrap_or(base);
    Duration::from_secs(seconds)
        .checked_add(Duration::from_millis(millis))
        .and_then(|since_epoch| UNIX_EPOCH.checked_add(since_epoch))
        .unwrap_or(UNIX_EPOCH)
}

/// The query parameters the assertions read, decoded independently of the receiver.
struct Parameters {
    sdk_app_id: Option<String>,
    sign: Option<String>,
    request_time: Option<String>,
    command: Option<String>,
    webhook_command: Option<String>,
    repeated: bool,
}

impl Parameters {
    fn of(query: &str) -> Self {
        let mut names = std::collections::HashSet::new();
        let mut parameters = Self {
            sdk_app_id: None,
            sign: None,
            request_time: None,
            command: None,
            webhook_command: None,
            repeated: false,
        };
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            parameters.repeated |= !names.insert(name.clone().into_owned());
            let slot = match name.as_ref() {
                "SdkAppid" => &mut parameters.sdk_app_id,
                "Sign" => &mut parameters.sign,
                "RequestTime" => &mut parameters.request_time,
                "CallbackCommand" => &mut parameters.command,
                "WebhookCommand" => &mut parameters.webhook_command,
                _ => continue,
            };
            slot.get_or_insert_with(|| value.into_owned());
        }
        parameters
    }

    /// The request passes the checks of authentication: no repeated name, our `SdkAppid`,
    /// and, with a token, the right `Sign` and a `RequestTime` within the tolerance of `now`.
    fn assert_authentic(&self, receiver: &Receiver, now: SystemTime) {
        let config = receiver.config();
        assert!(!self.repeated, "a repeated parameter got through");
        assert_eq!(self.sdk_app_id.as_deref(), Some(config.sdk_app_id.as_str()));
        let Some(token) = &config.token else {
            return;
        };
        let time = self.request_time.as_deref().expect("RequestTime checked");
        let sign_text = self.sign.as_deref().expect("Sign checked");
        assert!(
            sign_text.eq_ignore_ascii_case(&sign(token, time)),
            "a wrong Sign got through"
        );
        assert!(
            !time.is_empty() && time.len() <= 20 && time.bytes().all(|b| b.is_ascii_digit()),
            "RequestTime {time:?} got through"
        );
        let signed_at = UNIX_EPOCH
            .checked_add(Duration::from_secs(time.parse().expect("Unix seconds")))
            .expect("a RequestTime within the tolerance of the clock is a SystemTime");
        let distance = now
            .duration_since(signed_at)
            .or_else(|_| signed_at.duration_since(now))
            .expect("one of the two is later");
        assert!(
            distance <= config.tolerance,
            "a RequestTime {distance:?} from the clock got through"
        );
    }
}

/// An accepted request: its packet is the validator's, of the URL's command (`CallbackCommand`
/// or `WebhookCommand`, the same word when both are given), its body the bytes received, and
/// its answer is a valid response.
fn accepted(receiver: &Receiver, parameters: &Parameters, body: &[u8], delivery: &Delivery) {
    let command = delivery.command();
    if let (Some(callback), Some(webhook)) = (&parameters.command, &parameters.webhook_command) {
        assert_eq!(callback, webhook, "accepted with two URL commands");
    }
    assert_eq!(
        parameters
            .command
            .as_deref()
            .or(parameters.webhook_command.as_deref())
            .and_then(Command::from_command_word),
        Some(command),
        "accepted under another URL command"
    );
    assert_eq!(&delivery.body[..], body, "the body is kept exactly");
    assert_eq!(
        receiver.validator().validate(body).as_ref(),
        Ok(&delivery.webhook)
    );
    let answer = Answer::for_delivery(delivery);
    assert!(answer.fits(command) && answer.lets_through());
    let response = answer.http_response();
    assert_eq!(response.status(), StatusCode::OK);
    assert_valid_response(receiver, command, response.body());
}

/// A refused request's answer: the failure of the table, or a decision under a policy.
fn refused(receiver: &Receiver, error: &ReceiveError, response: &http::Response<Vec<u8>>) {
    let decision = error.is_authenticated()
        && receiver.config().invalid_before_webhook != InvalidBeforeWebhookPolicy::FailDelivery
        && error.command().is_some_and(Command::response_is_a_decision);
    if decision {
        assert_eq!(response.status(), StatusCode::OK, "{error:?}");
        let command = error.command().expect("a decision is for a command");
        assert_valid_response(receiver, command, response.body());
    } else {
        assert_eq!(response.status(), error.status(), "{error:?}");
        assert!(response.status().is_client_error(), "{error:?}");
        parse_json(response.body()).expect("a failure answer is JSON");
    }
}

/// `body` is a valid response to `command`.
fn assert_valid_response(receiver: &Receiver, command: Command, body: &[u8]) {
    if let Err(rejection) = receiver.validator().validate_response(command, body) {
        panic!(
            "the answer {} to {command} is not a valid response: {rejection}",
            String::from_utf8_lossy(body)
        );
    }
}

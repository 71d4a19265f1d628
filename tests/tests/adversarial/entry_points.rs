//! Every entry point a packet's bytes can enter by, and their outcomes written as one line each
//! (kind, location, message), so that a test compares them all with one expected line.

use std::sync::{Arc, LazyLock};
use std::time::{Duration, UNIX_EPOCH};

use trtc_live_receiver::{sign, Delivery, ReceiveError, Receiver, ReceiverConfig, Token};
use trtc_live_validate::{
    warnings, Command, Options, Rejection, Validator, Violation, Webhook, WebhookResponse,
};

/// A valid `Live.CallbackBeforeSendGift` packet on one line.
pub const GIFT: &str = r#"{"CallbackCommand": "Live.CallbackBeforeSendGift", "Operator_Account": "brennanli", "RoomId": "room_id", "GiftWater": {"From_Account": "from", "To_Account": ["to1"], "Time": 1703589922, "GiftId": "gift1", "Count": 1, "Coins": 1000}}"#;

/// A valid `Live.CallbackAfterEndBattle` packet (Tencent's sample, without comments).
pub const END_BATTLE: &str = r#"{"CallbackCommand": "Live.CallbackAfterEndBattle",
    "BattleId": "4siHsNsWN/T3aub9zKraqPfGQAimPhdFoe6VWhtz9lY=", "Duration": 30000,
    "CreateTime": 1739956115, "StartTime": 1739956115, "EndTime": 1739956145, "OpType": 0,
    "FromRoomInfo": {"RoomId": "pk-3", "Score": 0, "Owner_Account": 144115245353757792},
    "ToRoomList": [{"RoomId": "pk-5", "Score": 0, "Owner_Account": 144115245442327522}],
    "EventTime": 1739956146119}"#;

/// The validators, built once (compiling the schemas is the slow part).
static VALIDATOR: LazyLock<Arc<Validator>> = LazyLock::new(|| Arc::new(Validator::new().unwrap()));
static STRICT: LazyLock<Validator> =
    LazyLock::new(|| Validator::with_options(Options { strict: true }).unwrap());

/// The validator with the default options.
pub fn validator() -> &'static Validator {
    &VALIDATOR
}

const SDK_APP_ID: &str = "1400000000";
const TOKEN: &str = "xxxxyyyy";
const REQUEST_TIME: u64 = 1_669_872_112;

/// `bytes` POSTed to a receiver with the documented token, signed, for `command`'s URL, with a
/// body limit of `max_body_bytes`.
pub fn receive_for(
    command: &str,
    bytes: &[u8],
    max_body_bytes: usize,
) -> Result<Delivery, ReceiveError> {
    let mut config = ReceiverConfig::new(SDK_APP_ID).with_token(Token::new(TOKEN));
    config.max_body_bytes = max_body_bytes;
    let receiver =
        Receiver::with_validator(config, Arc::clone(&VALIDATOR)).expect("a valid configuration");
    let time = REQUEST_TIME.to_string();
    let uri = format!(
        "/webhook?SdkAppid={SDK_APP_ID}&CallbackCommand={command}&contenttype=json\
         &ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={}&RequestTime={time}",
        sign(&Token::new(TOKEN), &time)
    );
    receiver.receive(
        &axum::http::Method::POST,
        &uri.parse().expect("a URI"),
        bytes,
        UNIX_EPOCH + Duration::from_secs(REQUEST_TIME + 3),
    )
}

/// `bytes` POSTed to the gift's URL (see [`receive_for`]).
pub fn receive(bytes: &[u8], max_body_bytes: usize) -> Result<Delivery, ReceiveError> {
    receive_for("Live.CallbackBeforeSendGift", bytes, max_body_bytes)
}

/// One violation on one line: `schema PATH at LINE:COLUMN: SCHEMA_PATH: MESSAGE`.
fn violation(violation: &Violation) -> String {
    let at = violation
        .span
        .map_or("nowhere".to_owned(), |s| format!("{}:{}", s.line, s.column));
    format!(
        "schema {} at {at}: {}: {}",
        violation.instance_path, violation.schema_path, violation.message
    )
}

/// A rejection on one line: the kind, where, and the message (of the first violation).
pub fn rejection(rejection: &Rejection) -> String {
    match rejection {
        Rejection::Syntax(error) => {
            format!("syntax {}:{} {}", error.line, error.column, error.message)
        }
        Rejection::UnknownCommand(unknown) => format!("unknown_command {unknown}"),
        Rejection::Schema { violations, .. } => violation(&violations[0]),
        Rejection::Decode {
            instance_path,
            message,
            span,
            ..
        } => {
            let at = span.map_or("nowhere".to_owned(), |s| format!("{}:{}", s.line, s.column));
            format!("decode {instance_path} at {at}: {message}")
        }
    }
}

/// An outcome on one line: `ok` or the rejection.
pub fn outcome<T>(result: &Result<T, Rejection>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(error) => rejection(error),
    }
}

/// The receiver's outcome on one line: as [`outcome`] for what the validator found.
pub fn receiver_outcome(result: &Result<Delivery, ReceiveError>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(ReceiveError::NotJson { error, .. }) => rejection(&Rejection::Syntax(error.clone())),
        Err(ReceiveError::UnknownCommand { unknown, .. }) => {
            rejection(&Rejection::UnknownCommand(unknown.clone()))
        }
        Err(ReceiveError::Schema(rejected)) => rejection(rejected),
        Err(ReceiveError::CommandMismatch { url, body }) => {
            format!("command mismatch: URL {url}, body {body}")
        }
        Err(other) => format!("{other:?}"),
    }
}

/// The typed packet of valid `bytes`, the same by the fast path, the schema path and the
/// receiver.
pub fn webhook_of(bytes: &[u8]) -> Webhook {
    let fast = VALIDATOR.validate(bytes).expect("valid");
    let schema_path = STRICT
        .validate(bytes)
        .expect("valid in the strict mode too");
    assert_eq!(fast, schema_path, "the two paths type the packet alike");
    let delivered = receive_for(fast.command().as_str(), bytes, usize::MAX)
        .expect("received")
        .webhook;
    assert_eq!(
        fast, delivered,
        "the receiver delivers what the validator typed"
    );
    fast
}

/// What every request entry point made of the same bytes.
pub struct Everywhere {
    validate: Result<Webhook, Rejection>,
    strict: Result<Webhook, Rejection>,
    is_valid: bool,
    strict_is_valid: bool,
    check: Result<trtc_live_validate::Checked, Rejection>,
    jsonc: Result<Webhook, Rejection>,
    received: Result<Delivery, ReceiveError>,
}

impl Everywhere {
    /// `bytes` through every request entry point, received at the gift's URL.
    pub fn of(bytes: &[u8]) -> Self {
        Self::with_url_command(bytes, "Live.CallbackBeforeSendGift")
    }

    /// `bytes` through every request entry point, received at `command`'s URL.
    pub fn with_url_command(bytes: &[u8], command: &str) -> Self {
        let (validator, strict) = (&*VALIDATOR, &*STRICT);
        Self {
            validate: validator.validate(bytes),
            strict: strict.validate(bytes),
            is_valid: validator.is_valid(bytes),
            strict_is_valid: strict.is_valid(bytes),
            check: validator.check(bytes),
            jsonc: validator.validate_jsonc(bytes),
            received: receive_for(command, bytes, usize::MAX),
        }
    }

    /// The command the (non-strict) validator rejected the packet as.
    pub fn command_of_rejection(&self) -> Option<Command> {
        self.validate.as_ref().err().and_then(Rejection::command)
    }

    /// Every entry point rejects the bytes with `expected` (see [`outcome`]); the strict mode
    /// reports it among its violations (it may report unknown members besides).
    #[track_caller]
    pub fn all_rejected_as(&self, expected: &str) {
        assert_eq!(outcome(&self.validate), expected, "validate");
        assert_eq!(outcome(&self.check), expected, "check");
        assert_eq!(outcome(&self.jsonc), expected, "validate_jsonc");
        assert_eq!(receiver_outcome(&self.received), expected, "receive");
        assert!(!self.is_valid, "is_valid");
        assert!(!self.strict_is_valid, "is_valid (strict)");
        match &self.strict {
            Err(Rejection::Schema { violations, .. }) => assert!(
                violations.iter().any(|v| violation(v) == expected),
                "strict: {violations:#?}"
            ),
            other => assert_eq!(outcome(other), expected, "validate (strict)"),
        }
    }

    /// Every entry point accepts the bytes, types them alike and finds the same warnings.
    #[track_caller]
    pub fn all_accepted(&self) {
        let webhook = self.validate.as_ref().expect("validate");
        assert_eq!(self.strict.as_ref().expect("strict"), webhook);
        assert_eq!(self.jsonc.as_ref().expect("validate_jsonc"), webhook);
        assert_eq!(
            &self.received.as_ref().expect("receive").webhook,
            webhook,
            "receive"
        );
        assert!(self.is_valid && self.strict_is_valid, "is_valid");
        let checked = self.check.as_ref().expect("check");
        assert_eq!(checked.command, webhook.command());
        assert_eq!(checked.warnings, warnings(webhook));
    }
}

/// What every response entry point made of the same bytes, as responses to `command`.
pub struct ResponseEverywhere {
    validate: Result<WebhookResponse, Rejection>,
    strict: Result<WebhookResponse, Rejection>,
    is_valid: bool,
    strict_is_valid: bool,
    jsonc: Result<WebhookResponse, Rejection>,
}

/// `bytes` through every response entry point, as a response to `command`.
pub fn response_everywhere(command: Command, bytes: &[u8]) -> ResponseEverywhere {
    let (validator, strict) = (&*VALIDATOR, &*STRICT);
    ResponseEverywhere {
        validate: validator.validate_response(command, bytes),
        strict: strict.validate_response(command, bytes),
        is_valid: validator.is_valid_response(command, bytes),
        strict_is_valid: strict.is_valid_response(command, bytes),
        jsonc: validator.validate_response_jsonc(command, bytes),
    }
}

impl ResponseEverywhere {
    /// Every response entry point rejects the bytes with `expected`.
    #[track_caller]
    pub fn all_rejected_as(&self, expected: &str) {
        assert_eq!(outcome(&self.validate), expected, "validate_response");
        assert_eq!(
            outcome(&self.strict),
            expected,
            "validate_response (strict)"
        );
        assert_eq!(outcome(&self.jsonc), expected, "validate_response_jsonc");
        assert!(!self.is_valid, "is_valid_response");
        assert!(!self.strict_is_valid, "is_valid_response (strict)");
    }
}

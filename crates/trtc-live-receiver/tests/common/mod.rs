//! Requests built by hand, as Tencent would send them, and the receiver they are sent to.

#![allow(dead_code)] // Each test file uses a part.

#[cfg(all(feature = "axum", feature = "journal", feature = "server"))]
pub mod server;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use trtc_live_receiver::{
    sign, InvalidBeforeWebhookPolicy, ReceiveError, Receiver, ReceiverConfig, Token,
};

/// Our application.
pub const SDK_APP_ID: &str = "1400000000";
/// Tencent's documented token and time, and the signature they give.
pub const TOKEN: &str = "xxxxyyyy";
pub const REQUEST_TIME: u64 = 1_669_872_112;
pub const DOCUMENTED_SIGN: &str =
    "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";

/// A valid `Live.CallbackAfterEndBattle` packet (Tencent's sample, without comments).
pub const END_BATTLE: &str = r#"{"CallbackCommand": "Live.CallbackAfterEndBattle",
    "BattleId": "4siHsNsWN/T3aub9zKraqPfGQAimPhdFoe6VWhtz9lY=", "Duration": 30000,
    "CreateTime": 1739956115, "StartTime": 1739956115, "EndTime": 1739956145, "OpType": 0,
    "FromRoomInfo": {"RoomId": "pk-3", "Score": 0, "Owner_Account": 144115245353757792},
    "ToRoomList": [{"RoomId": "pk-5", "Score": 0, "Owner_Account": 144115245442327522}],
    "EventTime": 1739956146119}"#;

/// A valid `Live.CallbackBeforeSendGift` packet.
pub const GIFT: &str = r#"{"CallbackCommand": "Live.CallbackBeforeSendGift",
    "Operator_Account": "brennanli", "RoomId": "room_id",
    "GiftWater": {"From_Account": "from", "To_Account": ["to1"], "Time": 1703589922,
                  "GiftId": "gift1", "Count": 1, "Coins": 1000}}"#;

/// A valid `Group.CallbackBeforeSendMsg` packet.
pub const MESSAGE: &str = r#"{"CallbackCommand": "Group.CallbackBeforeSendMsg",
    "GroupId": "@TGS#2J4SZEAEL", "Type": "Live", "From_Account": "jared",
    "Operator_Account": "admin", "Random": 123456, "MsgId": "144115233406643804-1727580296-4467",
    "EventTime": "1670574414123", "OnlineOnlyFlag": 0,
    "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "red packet"}}],
    "CloudCustomData": "your cloud custom data"}"#;

/// `seconds` after the epoch, plus `millis`.
pub fn at(seconds: u64, millis: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds) + Duration::from_millis(millis)
}

/// When the documented request is received: 3 s after it was signed.
pub fn now() -> SystemTime {
    at(REQUEST_TIME + 3, 0)
}

/// The documented token.
pub fn token() -> Token {
    Token::new(TOKEN)
}

/// A receiver for our application with the documented token and `policy`.
pub fn receiver_with(policy: InvalidBeforeWebhookPolicy) -> Receiver {
    let mut config = ReceiverConfig::new(SDK_APP_ID).with_token(token());
    config.invalid_before_webhook = policy;
    config.max_body_bytes = 4096;
    Receiver::new(config).expect("a valid configuration")
}

/// A receiver for our application with the documented token and the default policy.
pub fn receiver() -> Receiver {
    receiver_with(InvalidBeforeWebhookPolicy::default())
}

/// The query string Tencent appends for `command`, signed with the documented token at
/// `request_time`.
pub fn signed_query(command: &str, request_time: u64) -> String {
    let time = request_time.to_string();
    format!(
        "SdkAppid={SDK_APP_ID}&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1\
         &OptPlatform=RESTAPI&Sign={}&RequestTime={time}",
        sign(&token(), &time)
    )
}

/// `/webhook?query`.
pub fn uri(query: &str) -> http::Uri {
    format!("/webhook?{query}").parse().expect("a valid URI")
}

/// POSTs `body` with `query` to `receiver` at `now`.
pub fn post(
    receiver: &Receiver,
    query: &str,
    body: &str,
    now: SystemTime,
) -> Result<trtc_live_receiver::Delivery, ReceiveError> {
    receiver.receive(&http::Method::POST, &uri(query), body.as_bytes(), now)
}

/// The name of `error`'s variant, as in the HTTP table of the documentation.
pub fn variant(error: &ReceiveError) -> &'static str {
    match error {
        ReceiveError::MethodNotAllowed { .. } => "MethodNotAllowed",
        ReceiveError::BodyTooLarge { .. } => "BodyTooLarge",
        ReceiveError::BodyNotRead { .. } => "BodyNotRead",
        ReceiveError::BodyTimeout { .. } => "BodyTimeout",
        ReceiveError::RepeatedParameter { .. } => "RepeatedParameter",
        ReceiveError::SdkAppIdMissing => "SdkAppIdMissing",
        ReceiveError::SdkAppIdMismatch { .. } => "SdkAppIdMismatch",
        ReceiveError::SignMissing => "SignMissing",
        ReceiveError::RequestTimeMissing => "RequestTimeMissing",
        ReceiveError::RequestTimeInvalid { .. } => "RequestTimeInvalid",
        ReceiveError::SignMismatch => "SignMismatch",
        ReceiveError::RequestTimeTooOld { .. } => "RequestTimeTooOld",
        ReceiveError::RequestTimeInFuture { .. } => "RequestTimeInFuture",
        ReceiveError::UrlCommandConflict { .. } => "UrlCommandConflict",
        ReceiveError::UrlParameters { .. } => "UrlParameters",
        ReceiveError::NotJson { .. } => "NotJson",
        ReceiveError::UnknownCommand { .. } => "UnknownCommand",
        ReceiveError::CommandMismatch { .. } => "CommandMismatch",
        ReceiveError::Schema(_) => "Schema",
    }
}

/// `BodyNotRead` and `BodyTimeout` are produced only by the axum adapter (tested there); every
/// other variant is reached by [`rejections`].
pub const ONLY_FROM_THE_ADAPTER: &[&str] = &["BodyNotRead", "BodyTimeout"];

/// One request per rejection that `Receiver::receive` can produce, built by hand, with the
/// variant it must get: (what, method, query, body, now, expected variant).
pub fn rejections() -> Vec<(
    &'static str,
    http::Method,
    String,
    String,
    SystemTime,
    &'static str,
)> {
    let good = || signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let body = || END_BATTLE.to_owned();
    let post = http::Method::POST;
    let sign = DOCUMENTED_SIGN;
    let t = REQUEST_TIME;
    vec![
        ("GET", http::Method::GET, good(), body(), now(), "MethodNotAllowed"),
        ("PUT", http::Method::PUT, good(), body(), now(), "MethodNotAllowed"),
        ("body over the limit", post.clone(), good(), format!("{:4097}", END_BATTLE), now(), "BodyTooLarge"),
        ("SdkAppid twice", post.clone(), format!("{}&SdkAppid={SDK_APP_ID}", good()), body(), now(), "RepeatedParameter"),
        ("no query", post.clone(), String::new(), body(), now(), "SdkAppIdMissing"),
        ("SdkAppId spelt as in the overview", post.clone(), good().replace("SdkAppid", "SdkAppId"), body(), now(), "SdkAppIdMissing"),
        ("another application", post.clone(), good().replace(SDK_APP_ID, "1400000001"), body(), now(), "SdkAppIdMismatch"),
        ("empty SdkAppid", post.clone(), good().replace(SDK_APP_ID, ""), body(), now(), "SdkAppIdMismatch"),
        ("no Sign", post.clone(), format!("SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&RequestTime={t}"), body(), now(), "SignMissing"),
        ("no Sign nor RequestTime", post.clone(), format!("SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle"), body(), now(), "SignMissing"),
        ("no RequestTime", post.clone(), format!("SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&Sign={sign}"), body(), now(), "RequestTimeMissing"),
        ("RequestTime with a fraction", post.clone(), format!("SdkAppid={SDK_APP_ID}&Sign={sign}&RequestTime={t}.0"), body(), now(), "RequestTimeInvalid"),
        ("RequestTime over u64", post.clone(), format!("SdkAppid={SDK_APP_ID}&Sign={sign}&RequestTime=18446744073709551616"), body(), now(), "RequestTimeInvalid"),
        ("wrong Sign", post.clone(), good().replace(sign, &"0".repeat(64)), body(), now(), "SignMismatch"),
        ("Sign of another time", post.clone(), format!("SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&Sign={sign}&RequestTime={}", t + 1), body(), at(t + 1, 0), "SignMismatch"),
        ("61 s old", post.clone(), good(), body(), at(t + 61, 0), "RequestTimeTooOld"),
        ("61 s ahead", post.clone(), good(), body(), at(t - 61, 0), "RequestTimeInFuture"),
        ("CallbackCommand and WebhookCommand differ", post.clone(), format!("{}&WebhookCommand=Live.CallbackAfterStartBattle", good()), body(), now(), "UrlCommandConflict"),
        ("no CallbackCommand in the URL", post.clone(), format!("SdkAppid={SDK_APP_ID}&Sign={sign}&RequestTime={t}"), body(), now(), "UrlParameters"),
        ("WebhookCommand alone, not a command word", post.clone(), good().replace("CallbackCommand=Live.", "WebhookCommand=Live-"), body(), now(), "UrlParameters"),
        ("not JSON", post.clone(), good(), "{\"CallbackCommand\": ".to_owned(), now(), "NotJson"),
        ("empty body", post.clone(), good(), String::new(), now(), "NotJson"),
        ("unknown command in the body", post.clone(), good(), r#"{"CallbackCommand": "Live.CallbackAfterNothing"}"#.to_owned(), now(), "UnknownCommand"),
        ("no command in the body", post.clone(), good(), "{}".to_owned(), now(), "UnknownCommand"),
        ("a JSON array", post.clone(), good(), "[]".to_owned(), now(), "UnknownCommand"),
        ("URL says StartBattle, body EndBattle", post.clone(), signed_query("Live.CallbackAfterStartBattle", t), body(), now(), "CommandMismatch"),
        ("unknown URL command, known body", post.clone(), signed_query("Live.CallbackAfterNothing", t), body(), now(), "CommandMismatch"),
        ("schema violation", post.clone(), good(), r#"{"CallbackCommand": "Live.CallbackAfterEndBattle", "OpType": -1}"#.to_owned(), now(), "Schema"),
        ("integer with a fraction", post.clone(), good(), END_BATTLE.replace("30000", "30000.0"), now(), "Schema"),
    ]
}

/// One row of the HTTP table.
pub struct Row {
    pub variant: String,
    pub authenticated: bool,
    pub status: u16,
    pub error_info: String,
}

/// The HTTP table, read from the documentation of `ReceiveError` (`src/error.rs`).
pub fn documented_table() -> Vec<Row> {
    let source = include_str!("../../src/error.rs");
    source
        .lines()
        .filter_map(|line| line.trim().strip_prefix("/// | `"))
        .map(|row| {
            let cells: Vec<&str> = row
                .split(" | ")
                .map(|c| c.trim().trim_matches('`'))
                .collect();
            Row {
                variant: cells[0].trim_end_matches('`').to_owned(),
                authenticated: cells[1] == "yes",
                status: cells[2][..3].parse().expect("a status"),
                error_info: cells[3].trim_end_matches(" |").trim_matches('`').to_owned(),
            }
        })
        .collect()
}

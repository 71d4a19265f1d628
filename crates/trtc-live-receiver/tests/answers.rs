//! Every answer, accepted or rejected, is what Tencent expects: HTTP status and JSON body as the
//! table says, and a body valid against the response schema.

mod common;

use std::sync::OnceLock;

use common::*;
use trtc_live_receiver::{Answer, Command, InvalidBeforeWebhookPolicy, ReceiveError};
use trtc_live_types::{
    GiftPassThroughCode, GroupCallbackBeforeSendMsg, GroupCallbackBeforeSendMsgResponse,
    LiveCallbackBeforeSendGift, LiveCallbackBeforeSendGiftResponse, MessageElement,
    MsgPassThroughCode, Webhook,
};
use trtc_live_validate::Validator;

fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| Validator::new().unwrap())
}

fn gift() -> LiveCallbackBeforeSendGift {
    match validator().validate(GIFT.as_bytes()).unwrap() {
        Webhook::LiveCallbackBeforeSendGift(gift) => gift,
        other => panic!("{other:?}"),
    }
}

fn message() -> GroupCallbackBeforeSendMsg {
    match validator().validate(MESSAGE.as_bytes()).unwrap() {
        Webhook::GroupCallbackBeforeSendMsg(message) => message,
        other => panic!("{other:?}"),
    }
}

/// Every kind of answer, with the command it answers.
fn every_answer() -> Vec<(&'static str, Command, Answer)> {
    let gift = gift();
    let message = message();
    let gift_code = |code| GiftPassThroughCode::new(code).unwrap();
    let msg_code = |code| MsgPassThroughCode::new(code).unwrap();
    let element: MessageElement = serde_json::from_value(serde_json::json!(
        {"MsgType": "TIMTextElem", "MsgContent": {"Text": "***"}}
    ))
    .unwrap();
    let mut answers = vec![
        (
            "gift allowed",
            Command::LiveCallbackBeforeSendGift,
            Answer::gift(&gift, LiveCallbackBeforeSendGiftResponse::allow()),
        ),
        (
            "gift rejected",
            Command::LiveCallbackBeforeSendGift,
            Answer::gift(&gift, LiveCallbackBeforeSendGiftResponse::reject("no")),
        ),
        (
            "gift rejected with 102100",
            Command::LiveCallbackBeforeSendGift,
            Answer::gift(
                &gift,
                LiveCallbackBeforeSendGiftResponse::reject_with_code(gift_code(102_100), "low"),
            ),
        ),
        (
            "gift rejected with 102200",
            Command::LiveCallbackBeforeSendGift,
            Answer::gift(
                &gift,
                LiveCallbackBeforeSendGiftResponse::reject_with_code(gift_code(102_200), "high"),
            ),
        ),
        (
            "message sent",
            Command::GroupCallbackBeforeSendMsg,
            Answer::message(&message, GroupCallbackBeforeSendMsgResponse::send()),
        ),
        (
            "message rewritten",
            Command::GroupCallbackBeforeSendMsg,
            Answer::message(
                &message,
                GroupCallbackBeforeSendMsgResponse::send_rewritten(
                    Some(vec![element]),
                    Some("vip".into()),
                ),
            ),
        ),
        (
            "message custom data replaced",
            Command::GroupCallbackBeforeSendMsg,
            Answer::message(
                &message,
                GroupCallbackBeforeSendMsgResponse::send_rewritten(None, Some(String::new())),
            ),
        ),
        (
            "message forbidden",
            Command::GroupCallbackBeforeSendMsg,
            Answer::message(&message, GroupCallbackBeforeSendMsgResponse::forbid("spam")),
        ),
        (
            "message dropped",
            Command::GroupCallbackBeforeSendMsg,
            Answer::message(
                &message,
                GroupCallbackBeforeSendMsgResponse::drop_silently(),
            ),
        ),
        (
            "message forbidden with 10100",
            Command::GroupCallbackBeforeSendMsg,
            Answer::message(
                &message,
                GroupCallbackBeforeSendMsgResponse::forbid_with_code(msg_code(10_100), "muted"),
            ),
        ),
        (
            "message forbidden with 10200",
            Command::GroupCallbackBeforeSendMsg,
            Answer::message(
                &message,
                GroupCallbackBeforeSendMsgResponse::forbid_with_code(msg_code(10_200), "banned"),
            ),
        ),
    ];
    for &command in Command::ALL {
        answers.push(("ok", command, Answer::ok()));
    }
    answers
}

#[test]
fn every_answer_is_http_200_json_and_valid_against_the_response_schema() {
    for (what, command, answer) in every_answer() {
        assert!(answer.fits(command), "{what}");
        let response = answer.http_response_to(command).expect(what);
        assert_eq!(response.status(), 200, "{what}");
        assert_eq!(
            response.headers()["content-type"],
            "application/json",
            "{what}"
        );
        assert_eq!(response.body(), &answer.to_json(), "{what}");
        let decoded = validator()
            .validate_response(command, response.body())
            .unwrap_or_else(|rejection| panic!("{what} to {command}: {rejection}"));
        assert_eq!(decoded.command(), command);
    }
}

#[test]
fn only_the_decisions_that_let_the_event_happen_say_so() {
    let through: Vec<&str> = every_answer()
        .into_iter()
        .filter(|(what, _, answer)| answer.lets_through() && *what != "ok")
        .map(|(what, _, _)| what)
        .collect();
    assert_eq!(
        through,
        [
            "gift allowed",
            "message sent",
            "message rewritten",
            "message custom data replaced"
        ]
    );
}

#[test]
fn a_decision_cannot_answer_another_command() {
    // At compile time, `Answer::gift` takes a gift webhook (see the compile_fail doctest of
    // `Answer`). An answer carried to another command is refused at run time.
    let gift_answer = Answer::gift(&gift(), LiveCallbackBeforeSendGiftResponse::reject("no"));
    let message_answer =
        Answer::message(&message(), GroupCallbackBeforeSendMsgResponse::forbid("no"));
    for &command in Command::ALL {
        assert_eq!(
            gift_answer.http_response_to(command).is_ok(),
            command == Command::LiveCallbackBeforeSendGift,
            "{command}"
        );
        assert_eq!(
            message_answer.http_response_to(command).is_ok(),
            command == Command::GroupCallbackBeforeSendMsg,
            "{command}"
        );
    }
    let mismatch = gift_answer
        .http_response_to(Command::GroupCallbackBeforeSendMsg)
        .unwrap_err();
    assert_eq!(
        mismatch.to_string(),
        "a gift decision cannot answer Group.CallbackBeforeSendMsg"
    );
    // And it matters: a pass-through gift code means nothing to a message.
    let code = GiftPassThroughCode::new(102_150).unwrap();
    let gift_packet = Answer::gift(
        &gift(),
        LiveCallbackBeforeSendGiftResponse::reject_with_code(code, "x"),
    )
    .to_json();
    assert!(validator()
        .validate_response(Command::GroupCallbackBeforeSendMsg, &gift_packet)
        .is_err());
}

#[test]
fn the_default_answer_lets_every_webhook_through() {
    for sample in trtc_live_tests::documentation_samples() {
        if sample.role != trtc_live_tests::Role::Request {
            continue;
        }
        let webhook = validator().validate_jsonc(&sample.bytes()).unwrap();
        let answer = Answer::for_webhook(&webhook);
        assert!(answer.lets_through());
        assert!(answer.fits(webhook.command()));
        let response = answer.http_response();
        validator()
            .validate_response(webhook.command(), response.body())
            .unwrap_or_else(|r| panic!("{}: {r}", sample.name));
    }
}

/// The response schema to check a rejection body against: the command's when known, every
/// command's otherwise (all of them include the common response schema).
fn commands_to_check(error: &ReceiveError) -> Vec<Command> {
    match error.command() {
        Some(command) => vec![command],
        None => Command::ALL.to_vec(),
    }
}

#[test]
fn every_rejection_is_answered_as_the_table_says_with_a_valid_body() {
    let table = documented_table();
    for policy in [
        InvalidBeforeWebhookPolicy::FailDelivery,
        InvalidBeforeWebhookPolicy::Allow,
        InvalidBeforeWebhookPolicy::Refuse,
    ] {
        let receiver = receiver_with(policy);
        let adapter_only = ReceiveError::BodyNotRead {
            reason: "connection reset".into(),
        };
        let errors = rejections()
            .into_iter()
            .map(|(what, method, query, body, now, _)| {
                (
                    what,
                    receiver
                        .receive(&method, &uri(&query), body.as_bytes(), now)
                        .unwrap_err(),
                )
            })
            .chain([("body not read", adapter_only)]);
        for (what, error) in errors {
            let row = table
                .iter()
                .find(|row| row.variant == variant(&error))
                .unwrap_or_else(|| panic!("{what}: no row for {error:?}"));
            let response = receiver.response_for(&error);
            let same = error.http_response(policy);
            assert_eq!(
                (response.status(), response.headers(), response.body()),
                (same.status(), same.headers(), same.body()),
                "{what}"
            );
            // None of these requests is a before-webhook: the policy changes nothing.
            assert_eq!(response.status().as_u16(), row.status, "{what}");
            assert_eq!(error.status().as_u16(), row.status, "{what}");
            assert_eq!(error.is_authenticated(), row.authenticated, "{what}");
            assert_eq!(
                response.headers()["content-type"],
                "application/json",
                "{what}"
            );
            let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
            assert_eq!(
                body,
                serde_json::json!({"ActionStatus": "FAIL", "ErrorCode": 1, "ErrorInfo": row.error_info}),
                "{what}"
            );
            assert_eq!(error.error_info(), row.error_info, "{what}");
            if row.variant == "MethodNotAllowed" {
                assert_eq!(response.headers()["allow"], "POST", "{what}");
            } else {
                assert!(response.headers().get("allow").is_none(), "{what}");
            }
            for command in commands_to_check(&error) {
                validator()
                    .validate_response(command, response.body())
                    .unwrap_or_else(|r| panic!("{what}: the body to {command}: {r}"));
            }
        }
    }
}

/// Authenticated before-webhooks whose payload is invalid, one per kind of problem. Invalid URL
/// parameters are not among them: once `SdkAppid`, `Sign` and `RequestTime` have passed and the
/// command word is a known one, every other parameter the schema names takes any string (an
/// unknown `OptPlatform` or `contenttype` is a warning), and unknown ones are kept.
fn invalid_before_webhooks(command: &str, valid: &str) -> Vec<(&'static str, String, String)> {
    let query = signed_query(command, REQUEST_TIME);
    vec![
        ("not JSON", query.clone(), valid[..20].to_owned()),
        (
            "unknown command",
            query.clone(),
            r#"{"CallbackCommand": "Live.CallbackBeforeCallBackNotBlock"}"#.to_owned(),
        ),
        ("command mismatch", query.clone(), END_BATTLE.to_owned()),
        (
            "schema violation",
            query,
            format!(r#"{{"CallbackCommand": "{command}"}}"#),
        ),
    ]
}

#[test]
fn invalid_before_webhooks_are_answered_per_the_policy() {
    for (command, valid) in [
        (Command::LiveCallbackBeforeSendGift, GIFT),
        (Command::GroupCallbackBeforeSendMsg, MESSAGE),
    ] {
        for (what, query, body) in invalid_before_webhooks(command.as_str(), valid) {
            let what = format!("{command}, {what}");
            let fail = receiver_with(InvalidBeforeWebhookPolicy::FailDelivery);
            let error = post(&fail, &query, &body, now()).unwrap_err();
            assert!(error.is_authenticated(), "{what}");
            assert_eq!(error.command(), Some(command), "{what}");
            let response = fail.response_for(&error);
            assert_eq!(response.status(), error.status(), "{what}");
            assert!(response.status().as_u16() >= 400, "{what}");

            for (policy, code) in [
                (InvalidBeforeWebhookPolicy::Allow, 0),
                (InvalidBeforeWebhookPolicy::Refuse, 1),
            ] {
                let receiver = receiver_with(policy);
                let error = post(&receiver, &query, &body, now()).unwrap_err();
                let response = receiver.response_for(&error);
                assert_eq!(response.status(), 200, "{what} {policy:?}");
                assert_eq!(response.headers()["content-type"], "application/json");
                let packet: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
                assert_eq!(packet["ActionStatus"], "OK", "{what} {policy:?}");
                assert_eq!(packet["ErrorCode"], code, "{what} {policy:?}");
                let info = if code == 0 { "" } else { error.error_info() };
                assert_eq!(packet["ErrorInfo"], info, "{what} {policy:?}");
                validator()
                    .validate_response(command, response.body())
                    .unwrap_or_else(|r| panic!("{what} {policy:?}: {r}"));
            }
        }
    }
}

#[test]
fn the_policy_never_applies_before_authentication_nor_to_notifications() {
    let receiver = receiver_with(InvalidBeforeWebhookPolicy::Allow);
    // A gift with a wrong signature: 401 whatever the policy.
    let query = signed_query("Live.CallbackBeforeSendGift", REQUEST_TIME)
        .replace(DOCUMENTED_SIGN, &"0".repeat(64));
    let error = post(&receiver, &query, GIFT, now()).unwrap_err();
    assert_eq!(receiver.response_for(&error).status(), 401);
    // A notification with an invalid payload: the table's status.
    let query = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let error = post(&receiver, &query, "{}", now()).unwrap_err();
    assert_eq!(receiver.response_for(&error).status(), 400);
}

#[test]
fn answers_to_rejections() {
    let mut transcript = String::new();
    let default = receiver();
    for (what, method, query, body, now, _) in rejections() {
        let error = default
            .receive(&method, &uri(&query), body.as_bytes(), now)
            .unwrap_err();
        let response = default.response_for(&error);
        transcript.push_str(&format!(
            "{what}: {} {}\n  {error}\n",
            response.status().as_u16(),
            String::from_utf8_lossy(response.body())
        ));
    }
    for policy in [
        InvalidBeforeWebhookPolicy::Allow,
        InvalidBeforeWebhookPolicy::Refuse,
    ] {
        let receiver = receiver_with(policy);
        for (command, valid) in [
            ("Live.CallbackBeforeSendGift", GIFT),
            ("Group.CallbackBeforeSendMsg", MESSAGE),
        ] {
            let (what, query, body) = invalid_before_webhooks(command, valid)
                .into_iter()
                .find(|(what, _, _)| *what == "schema violation")
                .expect("a schema violation");
            let error = post(&receiver, &query, &body, now()).unwrap_err();
            let response = receiver.response_for(&error);
            transcript.push_str(&format!(
                "{command} {what}, {policy:?}: {} {}\n",
                response.status().as_u16(),
                String::from_utf8_lossy(response.body())
            ));
        }
    }
    insta::assert_snapshot!(trtc_live_tests::redact_known_commands(&transcript));
}

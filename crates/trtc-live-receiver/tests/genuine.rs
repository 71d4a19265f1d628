//! What the application gets of a genuine request: the raw body and the warnings of a valid
//! one, `WebhookCommand` in place of `CallbackCommand`, and, when it asks for them
//! (`Receiver::receive_genuine`), the authenticated requests whose packet is not valid.

mod common;

use bytes::Bytes;
use common::*;
use trtc_live_receiver::{Command, Genuine, IssueKind, ReceiveError, Receiver, ReceiverConfig};
use trtc_live_validate::{Options, Validator};

fn genuine(receiver: &Receiver, query: &str, body: &str) -> Result<Genuine, ReceiveError> {
    receiver.receive_genuine(
        &http::Method::POST,
        &uri(query),
        Bytes::copy_from_slice(body.as_bytes()),
        now(),
    )
}

fn invalid(receiver: &Receiver, query: &str, body: &str) -> trtc_live_receiver::InvalidDelivery {
    match genuine(receiver, query, body) {
        Ok(Genuine::Invalid(invalid)) => invalid,
        other => panic!("not an invalid delivery: {other:?}"),
    }
}

#[test]
fn a_delivery_carries_the_body_exactly_as_received() {
    // Spaces, member order and the 64-bit ids as sent: not the typed packet serialized again.
    let delivery = post(
        &receiver(),
        &signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME),
        END_BATTLE,
        now(),
    )
    .unwrap();
    assert_eq!(&delivery.body[..], END_BATTLE.as_bytes());
    assert_ne!(
        serde_json::to_string(&delivery.webhook).unwrap(),
        END_BATTLE
    );
    assert!(delivery.warnings.is_empty());
}

#[test]
fn a_delivery_carries_the_validators_warnings() {
    // EndTime before StartTime: valid, with the semantic warning `battle-time-order`.
    let body = END_BATTLE.replace("\"EndTime\": 1739956145", "\"EndTime\": 1739956105");
    let query = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let delivery = post(&receiver(), &query, &body, now()).unwrap();
    let kinds: Vec<(IssueKind, Option<&str>, &str)> = delivery
        .warnings
        .iter()
        .map(|w| (w.kind, w.check, w.instance_path.as_str()))
        .collect();
    assert!(
        kinds.contains(&(IssueKind::Semantic, Some("battle-time-order"), "/EndTime")),
        "{kinds:?}"
    );
}

#[test]
fn webhook_command_is_accepted_in_place_of_callback_command() {
    let receiver = receiver();
    let callback = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let webhook = callback.replace("CallbackCommand=", "WebhookCommand=");
    let delivery = post(&receiver, &webhook, END_BATTLE, now()).unwrap();
    assert_eq!(delivery.command(), Command::LiveCallbackAfterEndBattle);
    assert_eq!(delivery.parameters.callback_command, None);
    assert_eq!(
        delivery
            .parameters
            .webhook_command
            .as_deref()
            .map(String::as_str),
        Some("Live.CallbackAfterEndBattle")
    );
    // Both, with the same word: accepted.
    let both = format!("{callback}&WebhookCommand=Live.CallbackAfterEndBattle");
    assert!(post(&receiver, &both, END_BATTLE, now()).is_ok());
    // Both, with different words: refused, even for an application receiving invalid ones.
    let conflict = format!("{callback}&WebhookCommand=Live.CallbackAfterStartBattle");
    let error = post(&receiver, &conflict, END_BATTLE, now()).unwrap_err();
    assert_eq!(
        error,
        ReceiveError::UrlCommandConflict {
            callback_command: "Live.CallbackAfterEndBattle".into(),
            webhook_command: "Live.CallbackAfterStartBattle".into(),
        }
    );
    assert!(error.is_authenticated());
    assert_eq!(receiver.response_for(&error).status(), 400);
    assert_eq!(genuine(&receiver, &conflict, END_BATTLE), Err(error));
    // WebhookCommand against the body's command: a mismatch, as CallbackCommand would be.
    let other = webhook.replace("EndBattle", "StartBattle");
    assert!(matches!(
        post(&receiver, &other, END_BATTLE, now()),
        Err(ReceiveError::CommandMismatch { .. })
    ));
    // Neither: the URL parameters are refused, saying what is missing.
    let neither = callback.replace("CallbackCommand=Live.CallbackAfterEndBattle&", "");
    let Err(ReceiveError::UrlParameters { violations, .. }) =
        post(&receiver, &neither, END_BATTLE, now())
    else {
        panic!("neither command is refused")
    };
    assert_eq!(
        violations[0].message,
        "\"CallbackCommand\" (or \"WebhookCommand\") is a required property"
    );
}

#[test]
fn a_valid_request_is_the_same_delivery_either_way() {
    let receiver = receiver();
    let query = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let delivery = post(&receiver, &query, END_BATTLE, now()).unwrap();
    assert_eq!(
        genuine(&receiver, &query, END_BATTLE),
        Ok(Genuine::Valid(delivery))
    );
}

#[test]
fn a_packet_that_breaks_its_schema_is_given_with_its_issues_and_bytes() {
    let receiver = receiver();
    let query = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let body = END_BATTLE.replace("\"OpType\": 0", "\"OpType\": -1");
    let invalid = invalid(&receiver, &query, &body);
    assert_eq!(&invalid.body[..], body.as_bytes());
    assert_eq!(invalid.command, Some(Command::LiveCallbackAfterEndBattle));
    assert_eq!(
        invalid.command_word.as_deref(),
        Some("Live.CallbackAfterEndBattle")
    );
    assert!(matches!(invalid.error, ReceiveError::Schema(_)));
    assert_eq!(
        invalid.error,
        post(&receiver, &query, &body, now()).unwrap_err()
    );
    let issues = invalid.issues();
    assert!(
        issues.iter().any(|i| i.instance_path == "/OpType"),
        "{issues:?}"
    );
    assert!(
        issues.iter().all(|i| i.line.is_some()),
        "located in the body"
    );
    // The parsed packet keeps the 64-bit ids exact; the typed one cannot be built.
    let packet = invalid.packet.as_ref().unwrap();
    assert_eq!(
        packet["ToRoomList"][0]["Owner_Account"].as_u64(),
        Some(144_115_245_442_327_522)
    );
    assert_eq!(invalid.webhook, None);
    assert!(invalid.parameters.is_some());
    assert!(invalid.url_violations.is_empty());
    assert!(invalid.query.starts_with("SdkAppid="));
}

#[test]
fn an_unknown_command_and_a_body_that_is_not_json_are_given_too() {
    let receiver = receiver();
    let query = signed_query("Live.CallbackAfterSomethingNew", REQUEST_TIME);
    let body = r#"{"CallbackCommand": "Live.CallbackAfterSomethingNew", "RoomId": "r"}"#;
    let new_webhook = invalid(&receiver, &query, body);
    assert!(matches!(
        new_webhook.error,
        ReceiveError::UnknownCommand { .. }
    ));
    assert_eq!(new_webhook.command, None);
    assert_eq!(
        new_webhook.command_word.as_deref(),
        Some("Live.CallbackAfterSomethingNew")
    );
    assert_eq!(new_webhook.packet.as_ref().unwrap()["RoomId"], "r");

    let query = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let truncated = &END_BATTLE[..100];
    let not_json = invalid(&receiver, &query, truncated);
    assert!(matches!(not_json.error, ReceiveError::NotJson { .. }));
    assert_eq!(not_json.packet, None);
    assert_eq!(not_json.command, Some(Command::LiveCallbackAfterEndBattle));
    assert_eq!(&not_json.body[..], truncated.as_bytes());
}

#[test]
fn url_parameters_that_break_their_schema_still_give_the_typed_packet() {
    // A parameter the schema does not name, refused by a strict validator, with a valid packet
    // (a platform the schema does not know yet is only a warning).
    let config = ReceiverConfig::new(SDK_APP_ID).with_token(token());
    let strict = Validator::with_options(Options { strict: true }).unwrap();
    let receiver = Receiver::with_validator(config, std::sync::Arc::new(strict)).unwrap();
    let query = format!(
        "{}&AddedLater=1",
        signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME)
    );
    let invalid = invalid(&receiver, &query, END_BATTLE);
    assert!(matches!(invalid.error, ReceiveError::UrlParameters { .. }));
    assert_eq!(invalid.parameters, None);
    assert!(
        invalid.url_violations[0].message.contains("AddedLater"),
        "{:?}",
        invalid.url_violations
    );
    assert!(invalid.rejection.is_none());
    assert!(invalid.issues().is_empty());
    assert_eq!(
        invalid.webhook.as_ref().map(|w| w.command()),
        Some(Command::LiveCallbackAfterEndBattle)
    );
}

#[test]
fn under_a_strict_validator_an_unknown_member_still_gives_the_typed_packet() {
    let config = ReceiverConfig::new(SDK_APP_ID).with_token(token());
    let strict = Validator::with_options(Options { strict: true }).unwrap();
    let receiver = Receiver::with_validator(config, std::sync::Arc::new(strict)).unwrap();
    let body = END_BATTLE.replacen('{', "{\"AddedLater\": 1, ", 1);
    let query = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let invalid = invalid(&receiver, &query, &body);
    assert!(matches!(invalid.error, ReceiveError::Schema(_)));
    let Some(trtc_live_receiver::Webhook::LiveCallbackAfterEndBattle(battle)) = &invalid.webhook
    else {
        panic!("typed: {:?}", invalid.webhook)
    };
    assert_eq!(battle.extra["AddedLater"], 1);
}

#[test]
fn rejections_before_authentication_and_contradictions_stay_errors() {
    let receiver = receiver();
    let query = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    for (what, query, body, expected) in [
        (
            "wrong Sign",
            query.replace(DOCUMENTED_SIGN, &"0".repeat(64)),
            END_BATTLE.to_owned(),
            "SignMismatch",
        ),
        (
            "another application",
            query.replace(SDK_APP_ID, "1400000001"),
            END_BATTLE.to_owned(),
            "SdkAppIdMismatch",
        ),
        (
            "URL and body commands differ",
            signed_query("Live.CallbackAfterStartBattle", REQUEST_TIME),
            END_BATTLE.to_owned(),
            "CommandMismatch",
        ),
        (
            "URL and body commands differ, and the body breaks its schema",
            signed_query("Live.CallbackAfterStartBattle", REQUEST_TIME),
            END_BATTLE.replace("\"OpType\": 0", "\"OpType\": -1"),
            "CommandMismatch",
        ),
    ] {
        let error = genuine(&receiver, &query, &body).expect_err(what);
        assert_eq!(variant(&error), expected, "{what}");
    }
}

//! `Receiver::receive`: the signature, its window, every rejection and the order of the checks.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::*;
use trtc_live_receiver::{
    sign, Command, IssueKind, ReceiveError, Receiver, ReceiverConfig, Token, Webhook,
    WebhookUrlParameters,
};
use trtc_live_types::OptPlatform;

#[test]
fn the_documented_vector_signs_the_documented_request() {
    assert_eq!(sign(&token(), &REQUEST_TIME.to_string()), DOCUMENTED_SIGN);
    let query = format!(
        "SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&contenttype=json\
         &ClientIP=127.0.0.1&OptPlatform=iOS&Sign={DOCUMENTED_SIGN}&RequestTime={REQUEST_TIME}"
    );
    let delivery = post(&receiver(), &query, END_BATTLE, now()).unwrap();
    assert_eq!(delivery.command(), Command::LiveCallbackAfterEndBattle);
    let WebhookUrlParameters {
        opt_platform,
        client_ip,
        sign,
        request_time,
        ..
    } = &delivery.parameters;
    assert_eq!(*opt_platform, Some(OptPlatform::Ios));
    assert_eq!(client_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(sign.as_deref().map(|s| s.as_str()), Some(DOCUMENTED_SIGN));
    assert_eq!(
        request_time.as_deref().map(|s| s.as_str()),
        Some("1669872112")
    );
    // Exact integers: the 64-bit id is not rounded.
    let json = serde_json::to_string(&delivery.webhook).unwrap();
    assert!(json.contains("144115245442327522"), "{json}");
}

#[test]
fn what_tencent_really_sends_is_accepted_with_warnings_to_log() {
    // A delivery shaped like one captured in 2022 (RequestID, no MsgId: Tencent began sending
    // it later), from a platform the documentation does not list.
    let query = format!(
        "{}&RequestID=80b98a8d-b1f9-4ea0-9320-22cc0dd0d8f2",
        signed_query("Group.CallbackAfterSendMsg", REQUEST_TIME).replace("RESTAPI", "HarmonyOS")
    );
    let body = r#"{"CallbackCommand": "Group.CallbackAfterSendMsg", "GroupId": "@TGS#aC5SZEAEF",
        "Type": "Public", "From_Account": "@TLS#NOT_FOUND", "Operator_Account": "@TLS#NOT_FOUND",
        "Random": 2287524101, "MsgSeq": 21, "MsgTime": 1657612269, "OnlineOnlyFlag": 0,
        "MsgPriority": "Normal", "EventTime": 1657612269059,
        "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hello"}}]}"#;
    let delivery = post(&receiver(), &query, body, now()).unwrap();
    assert_eq!(
        delivery.parameters.opt_platform,
        Some(OptPlatform::Other("HarmonyOS".into()))
    );
    assert_eq!(
        delivery.parameters.request_id.as_deref(),
        Some("80b98a8d-b1f9-4ea0-9320-22cc0dd0d8f2")
    );
    let Webhook::GroupCallbackAfterSendMsg(message) = &delivery.webhook else {
        panic!("{:?}", delivery.webhook)
    };
    assert_eq!(message.msg_id, None);
    let warnings: Vec<_> = delivery
        .warnings
        .iter()
        .map(|w| (w.kind, w.instance_path.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (IssueKind::UnknownEnumValue, "/OptPlatform"),
            (IssueKind::OlderRevision, "/MsgId"),
        ]
    );
    // The same packet stamped after MsgId appeared is refused.
    let recent = body.replace("1657612269059", "1757612269059");
    assert!(matches!(
        post(&receiver(), &query, &recent, now()),
        Err(ReceiveError::Schema(_))
    ));
}

#[test]
fn the_window_is_60_seconds_either_way_edges_included() {
    let receiver = receiver();
    let query = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let t = REQUEST_TIME;
    for (now, accepted) in [
        (at(t, 0), true),
        (at(t + 60, 0), true),
        (at(t - 60, 0), true),
        (at(t + 61, 0), false),
        (at(t - 61, 0), false),
        (at(t + 60, 1), false),
        (at(t - 60, 0) - Duration::from_millis(1), false),
    ] {
        let result = post(&receiver, &query, END_BATTLE, now);
        assert_eq!(result.is_ok(), accepted, "{now:?}: {result:?}");
    }
    assert_eq!(
        post(&receiver, &query, END_BATTLE, at(t + 61, 0)).unwrap_err(),
        ReceiveError::RequestTimeTooOld {
            request_time: t,
            now: t + 61,
            tolerance: Duration::from_secs(60)
        }
    );
    assert_eq!(
        post(&receiver, &query, END_BATTLE, at(t - 61, 0)).unwrap_err(),
        ReceiveError::RequestTimeInFuture {
            request_time: t,
            now: t - 61,
            tolerance: Duration::from_secs(60)
        }
    );
}

#[test]
fn the_tolerance_is_configurable() {
    let mut config = ReceiverConfig::new(SDK_APP_ID).with_token(token());
    config.tolerance = Duration::from_secs(300);
    let receiver = Receiver::new(config).unwrap();
    let query = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    assert!(post(&receiver, &query, END_BATTLE, at(REQUEST_TIME + 300, 0)).is_ok());
    assert!(post(&receiver, &query, END_BATTLE, at(REQUEST_TIME + 301, 0)).is_err());
}

#[test]
fn sign_is_compared_without_case_and_anything_else_is_refused() {
    let receiver = receiver();
    let query = |sign: &str| {
        format!(
            "SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&Sign={sign}\
             &RequestTime={REQUEST_TIME}"
        )
    };
    let upper = DOCUMENTED_SIGN.to_ascii_uppercase();
    assert!(post(&receiver, &query(&upper), END_BATTLE, now()).is_ok());
    let mut mixed: String = DOCUMENTED_SIGN.to_owned();
    mixed.replace_range(..8, &DOCUMENTED_SIGN[..8].to_ascii_uppercase());
    assert!(post(&receiver, &query(&mixed), END_BATTLE, now()).is_ok());
    let mut flipped = DOCUMENTED_SIGN.to_owned();
    flipped.replace_range(63.., "0");
    for bad in [
        String::new(),
        DOCUMENTED_SIGN[..63].to_owned(),
        format!("{DOCUMENTED_SIGN}1"),
        flipped,
        "z".repeat(64),
        "%00".repeat(64),
        sign(&Token::exact("xxxxyyyy "), &REQUEST_TIME.to_string()),
        sign(&token(), &(REQUEST_TIME + 1).to_string()),
    ] {
        assert_eq!(
            post(&receiver, &query(&bad), END_BATTLE, now()).unwrap_err(),
            ReceiveError::SignMismatch,
            "{bad:?}"
        );
    }
}

#[test]
fn without_a_token_sign_and_request_time_are_not_required_nor_checked() {
    let receiver = Receiver::new(ReceiverConfig::new(SDK_APP_ID)).unwrap();
    let plain = format!("SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle");
    assert!(post(&receiver, &plain, END_BATTLE, now()).is_ok());
    // A stale, wrongly signed URL is not refused for it: there is nothing to check it with.
    let stale = format!("{plain}&Sign={}&RequestTime=1000", "0".repeat(64));
    assert!(post(&receiver, &stale, END_BATTLE, now()).is_ok());
    // SdkAppid is still checked.
    let other = plain.replace(SDK_APP_ID, "1400000001");
    assert!(matches!(
        post(&receiver, &other, END_BATTLE, now()),
        Err(ReceiveError::SdkAppIdMismatch { found }) if found == "1400000001"
    ));
}

#[test]
fn every_rejection_is_reachable_with_a_request_built_by_hand() {
    let receiver = receiver();
    let mut reached = BTreeSet::new();
    for (what, method, query, body, now, expected) in rejections() {
        let error = receiver
            .receive(&method, &uri(&query), body.as_bytes(), now)
            .expect_err(what);
        assert_eq!(variant(&error), expected, "{what}: {error}");
        reached.insert(variant(&error));
    }
    let table = documented_variants();
    let expected: BTreeSet<&str> = table
        .iter()
        .map(String::as_str)
        .filter(|name| !ONLY_FROM_THE_ADAPTER.contains(name))
        .collect();
    assert_eq!(reached, expected);
}

#[test]
fn errors_carry_what_was_found() {
    let receiver = receiver();
    let good = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let error = post(
        &receiver,
        &good.replace(SDK_APP_ID, "1400000001"),
        END_BATTLE,
        now(),
    );
    assert_eq!(
        error.unwrap_err(),
        ReceiveError::SdkAppIdMismatch {
            found: "1400000001".into()
        }
    );
    let error = post(&receiver, &good, &format!("{:5000}", "{}"), now()).unwrap_err();
    assert_eq!(
        error,
        ReceiveError::BodyTooLarge {
            size: 5000,
            limit: 4096
        }
    );
    let error = post(
        &receiver,
        &signed_query("Live.CallbackAfterStartBattle", REQUEST_TIME),
        END_BATTLE,
        now(),
    )
    .unwrap_err();
    assert_eq!(
        error,
        ReceiveError::CommandMismatch {
            url: "Live.CallbackAfterStartBattle".into(),
            body: Command::LiveCallbackAfterEndBattle
        }
    );
    let ReceiveError::NotJson { error, url_command } =
        post(&receiver, &good, "{\n  \"a\": x\n}", now()).unwrap_err()
    else {
        panic!("not JSON")
    };
    assert_eq!(
        (error.line, url_command),
        (2, Some(Command::LiveCallbackAfterEndBattle))
    );
    let ReceiveError::Schema(rejection) = post(
        &receiver,
        &good,
        r#"{"CallbackCommand": "Live.CallbackAfterEndBattle", "OpType": -1}"#,
        now(),
    )
    .unwrap_err() else {
        panic!("schema")
    };
    let issues = rejection.issues();
    assert!(
        issues.iter().any(|i| i.instance_path == "/OpType"),
        "{issues:?}"
    );
    assert!(
        issues
            .iter()
            .any(|i| i.message.contains("\"BattleId\" is a required property")),
        "the full report: {issues:?}"
    );
    assert!(
        issues.iter().all(|i| i.line == Some(1)),
        "located in the body: {issues:?}"
    );
    let error = post(
        &receiver,
        &good.replace("CallbackCommand=Live.", "WebhookCommand=Live-"),
        END_BATTLE,
        now(),
    )
    .unwrap_err();
    let ReceiveError::UrlParameters {
        violations,
        url_command,
    } = &error
    else {
        panic!("{error}")
    };
    assert_eq!(*url_command, None);
    assert_eq!(violations[0].instance_path, "/WebhookCommand");
}

/// Each request is wrong in several ways; the earliest check in the documented order wins.
#[test]
fn the_first_failed_check_in_the_documented_order_is_reported() {
    let receiver = receiver();
    let t = REQUEST_TIME;
    let stale = at(t + 3600, 0);
    let huge = format!("{:5000}", "not json");
    let cases: Vec<(&str, http::Method, String, &str, _, &str)> = vec![
        (
            "GET, too large, not ours",
            http::Method::GET,
            "SdkAppid=1".into(),
            huge.as_str(),
            stale,
            "MethodNotAllowed",
        ),
        (
            "too large, not ours, unsigned",
            http::Method::POST,
            "SdkAppid=1".into(),
            huge.as_str(),
            stale,
            "BodyTooLarge",
        ),
        (
            "repeated, not ours",
            http::Method::POST,
            "SdkAppid=1&SdkAppid=2".into(),
            "x",
            stale,
            "RepeatedParameter",
        ),
        (
            "not ours, unsigned, not JSON",
            http::Method::POST,
            "SdkAppid=1".into(),
            "x",
            stale,
            "SdkAppIdMismatch",
        ),
        (
            "no Sign, no RequestTime",
            http::Method::POST,
            format!("SdkAppid={SDK_APP_ID}"),
            "x",
            stale,
            "SignMissing",
        ),
        (
            "wrong Sign and stale",
            http::Method::POST,
            format!(
                "SdkAppid={SDK_APP_ID}&Sign={}&RequestTime={t}",
                "a".repeat(64)
            ),
            "x",
            stale,
            "SignMismatch",
        ),
        (
            "stale, no URL command, not JSON",
            http::Method::POST,
            format!("SdkAppid={SDK_APP_ID}&Sign={DOCUMENTED_SIGN}&RequestTime={t}"),
            "x",
            stale,
            "RequestTimeTooOld",
        ),
        (
            "no URL command, not JSON",
            http::Method::POST,
            format!("SdkAppid={SDK_APP_ID}&Sign={DOCUMENTED_SIGN}&RequestTime={t}"),
            "x",
            now(),
            "UrlParameters",
        ),
        (
            "not JSON, with a mismatching URL",
            http::Method::POST,
            signed_query("Live.CallbackAfterStartBattle", t),
            "x",
            now(),
            "NotJson",
        ),
        (
            "unknown body command, mismatching URL",
            http::Method::POST,
            signed_query("Live.CallbackAfterStartBattle", t),
            r#"{"CallbackCommand": "X.Y"}"#,
            now(),
            "UnknownCommand",
        ),
        (
            "mismatch and schema violation",
            http::Method::POST,
            signed_query("Live.CallbackAfterStartBattle", t),
            r#"{"CallbackCommand": "Live.CallbackAfterEndBattle"}"#,
            now(),
            "CommandMismatch",
        ),
    ];
    for (what, method, query, body, now, expected) in cases {
        let error = receiver
            .receive(&method, &uri(&query), body.as_bytes(), now)
            .expect_err(what);
        assert_eq!(variant(&error), expected, "{what}: {error}");
    }
}

#[test]
fn only_errors_after_authentication_are_authenticated_and_carry_a_command() {
    let receiver = receiver();
    for (what, method, query, body, now, expected) in rejections() {
        let error = receiver
            .receive(&method, &uri(&query), body.as_bytes(), now)
            .unwrap_err();
        let after_auth = matches!(
            expected,
            "UrlCommandConflict"
                | "UrlParameters"
                | "NotJson"
                | "UnknownCommand"
                | "CommandMismatch"
                | "Schema"
        );
        assert_eq!(error.is_authenticated(), after_auth, "{what}");
        if !after_auth {
            assert_eq!(error.command(), None, "{what}");
        }
    }
    let good = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let error = post(&receiver, &good, "nope", now()).unwrap_err();
    assert_eq!(error.command(), Some(Command::LiveCallbackAfterEndBattle));
    let error = post(
        &receiver,
        &good,
        r#"{"CallbackCommand": "Live.CallbackAfterEndBattle"}"#,
        now(),
    );
    assert_eq!(
        error.unwrap_err().command(),
        Some(Command::LiveCallbackAfterEndBattle)
    );
}

#[test]
fn an_unauthenticated_body_is_never_parsed() {
    // A body that would be a schema error, sent unsigned: the error says nothing about it.
    let receiver = receiver();
    let query = format!("SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle");
    let error = post(&receiver, &query, "{\"CallbackCommand\": 5", now()).unwrap_err();
    assert_eq!(error, ReceiveError::SignMissing);
}

#[test]
fn bad_configurations_are_refused_with_a_clear_error() {
    for id in ["", "14000abc", "1400000000 ", "123456789012345678901", "-1"] {
        let error = Receiver::new(ReceiverConfig::new(id)).unwrap_err();
        assert!(
            error.to_string().contains("1 to 20 decimal digits"),
            "{id:?}: {error}"
        );
    }
    assert!(Receiver::new(ReceiverConfig::new("12345678901234567890")).is_ok());
    let error =
        Receiver::new(ReceiverConfig::new(SDK_APP_ID).with_token(Token::new(""))).unwrap_err();
    assert_eq!(error.to_string(), "the webhook token is empty");
    let mut config = ReceiverConfig::new(SDK_APP_ID);
    config.max_body_bytes = 0;
    assert_eq!(
        Receiver::new(config).unwrap_err().to_string(),
        "the body size limit is 0 bytes"
    );
}

#[test]
fn defaults_are_as_documented() {
    let config = ReceiverConfig::new(SDK_APP_ID);
    assert_eq!(config.sdk_app_id, SDK_APP_ID);
    assert!(config.token.is_none());
    assert_eq!(config.tolerance, Duration::from_secs(60));
    assert_eq!(config.max_body_bytes, 1024 * 1024);
    assert_eq!(
        config.invalid_before_webhook,
        trtc_live_receiver::InvalidBeforeWebhookPolicy::FailDelivery
    );
}

#[test]
fn the_receiver_is_send_and_sync() {
    fn shared<T: Send + Sync + 'static>() {}
    shared::<Receiver>();
    shared::<ReceiveError>();
    shared::<trtc_live_receiver::Delivery>();
    shared::<trtc_live_receiver::Answer>();
}

/// The variant names of the HTTP table in `ReceiveError`'s documentation.
fn documented_variants() -> Vec<String> {
    documented_table()
        .into_iter()
        .map(|row| row.variant)
        .collect()
}

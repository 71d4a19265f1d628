//! The token never appears in `Debug` output, error messages or answers.

mod common;

use common::*;
use trtc_live_receiver::{sign, Receiver, ReceiverConfig, Token};

const SECRET: &str = "s3cr3t-token-value";

#[test]
fn debug_of_token_config_and_receiver_never_shows_the_token() {
    let token = Token::new(SECRET);
    assert_eq!(format!("{token:?}"), "Token(***)");
    let config = ReceiverConfig::new(SDK_APP_ID).with_token(token);
    let receiver = Receiver::new(config.clone()).unwrap();
    for text in [
        format!("{config:?}"),
        format!("{config:#?}"),
        format!("{receiver:?}"),
        format!("{receiver:#?}"),
    ] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(text.contains("Token(***)"), "{text}");
        assert!(text.contains(SDK_APP_ID), "{text}");
    }
}

#[test]
fn no_rejection_message_or_answer_shows_the_token() {
    let receiver =
        Receiver::new(ReceiverConfig::new(SDK_APP_ID).with_token(Token::new(SECRET))).unwrap();
    let time = REQUEST_TIME.to_string();
    let good_sign = sign(&Token::new(SECRET), &time);
    let queries = [
        format!("SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&Sign={}&RequestTime={time}", "0".repeat(64)),
        format!("SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&Sign={good_sign}&RequestTime={time}"),
        format!("SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&RequestTime={time}"),
    ];
    for query in queries {
        for (body, now) in [("{}", now()), (END_BATTLE, at(REQUEST_TIME + 3600, 0))] {
            let error = post(&receiver, &query, body, now).unwrap_err();
            let response = receiver.response_for(&error);
            for text in [
                error.to_string(),
                format!("{error:?}"),
                String::from_utf8_lossy(response.body()).into_owned(),
            ] {
                assert!(!text.contains(SECRET), "{text}");
            }
        }
    }
}

//! Forged signatures and times, and replays, at the receiver's core with an explicit `now`:
//! every one-character change of `Sign` is refused 401, every malformed `RequestTime` is
//! refused 401 without a panic, and what a replay inside the window does is pinned down. The
//! window's edges are in `receive.rs`.

mod common;

use common::*;
use trtc_live_receiver::{sign, ReceiveError, Receiver};

const HEX: &str = "0123456789abcdef";

/// The documented request's query with `sign` and `request_time` as they are (not encoded).
fn query(sign: &str, request_time: &str) -> String {
    format!(
        "SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&contenttype=json\
         &Sign={sign}&RequestTime={request_time}"
    )
}

/// The error of the documented request with `sign` and `request_time`, received by `receiver`
/// at `now()`, and the status it is answered with.
fn refusal(receiver: &Receiver, sign: &str, request_time: &str) -> (ReceiveError, u16) {
    let error = post(receiver, &query(sign, request_time), END_BATTLE, now()).expect_err("refused");
    let status = receiver.response_for(&error).status().as_u16();
    (error, status)
}

#[test]
fn every_one_digit_change_of_the_sign_is_refused_401() {
    let receiver = receiver();
    let time = REQUEST_TIME.to_string();
    assert!(post(&receiver, &query(DOCUMENTED_SIGN, &time), END_BATTLE, now()).is_ok());
    let mut tried = 0;
    for position in 0..64 {
        for digit in HEX.chars() {
            let mut forged = DOCUMENTED_SIGN.to_owned();
            if forged[position..].starts_with(digit) {
                continue;
            }
            forged.replace_range(position..=position, &digit.to_string());
            for forged in [forged.clone(), forged.to_ascii_uppercase()] {
                assert_eq!(
                    refusal(&receiver, &forged, &time),
                    (ReceiveError::SignMismatch, 401),
                    "{forged}"
                );
                tried += 1;
            }
        }
    }
    assert_eq!(tried, 64 * 15 * 2);
}

#[test]
fn any_one_digit_in_upper_case_is_the_same_sign() {
    let receiver = receiver();
    // The documented rule (token.rs): hexadecimal digits are compared without regard to case
    // (the whole Sign in upper case is in receive.rs).
    let time = REQUEST_TIME.to_string();
    for position in 0..64 {
        let mut one_upper = DOCUMENTED_SIGN.to_owned();
        let upper = one_upper[position..=position].to_ascii_uppercase();
        one_upper.replace_range(position..=position, &upper);
        assert!(post(&receiver, &query(&one_upper, &time), END_BATTLE, now()).is_ok());
    }
}

#[test]
fn a_sign_of_another_length_or_with_a_non_hex_character_is_refused_401() {
    let receiver = receiver();
    let time = REQUEST_TIME.to_string();
    let mut forged: Vec<String> = Vec::new();
    for position in 0..64 {
        // 63 characters: one removed, wherever it is.
        let mut shorter = DOCUMENTED_SIGN.to_owned();
        shorter.remove(position);
        forged.push(shorter);
        // 65 characters: one inserted, wherever it is.
        let mut longer = DOCUMENTED_SIGN.to_owned();
        longer.insert(position, '0');
        forged.push(longer);
        // 64 characters, one of them not hexadecimal; percent-encoded ones are decoded first.
        for other in ["g", "G", "x", "-", "%20", "+", "%00", "%C3%A9", "%FF"] {
            let mut changed = DOCUMENTED_SIGN.to_owned();
            changed.replace_range(position..=position, other);
            forged.push(changed);
        }
    }
    forged.push(format!("{DOCUMENTED_SIGN}0"));
    forged.push(format!("{DOCUMENTED_SIGN}%00"));
    forged.push(format!("0x{}", &DOCUMENTED_SIGN[2..]));
    forged.push(String::new());
    forged.push("0".repeat(4096));
    for forged in forged {
        assert_eq!(
            refusal(&receiver, &forged, &time),
            (ReceiveError::SignMismatch, 401),
            "{forged}"
        );
    }
}

#[test]
fn a_request_time_that_is_not_unix_seconds_is_refused_401_whatever_the_sign() {
    let receiver = receiver();
    for time in [
        "",
        "abc",
        "-1",
        "-1669872112",
        "+1669872112",
        "1669872112.5",
        "1.669872112e9",
        "0x63887a70",
        "%201669872112",
        "1669872112%00",
        "\u{661}\u{666}\u{666}\u{669}",
        // Beyond u64, and far beyond.
        "18446744073709551616",
        "99999999999999999999",
        "123456789012345678901",
        &"9".repeat(1000),
    ] {
        // Signed right for its text, or not: the time is refused first.
        for sign in [sign(&token(), time), DOCUMENTED_SIGN.to_owned()] {
            let (error, status) = refusal(&receiver, &sign, time);
            assert!(
                matches!(error, ReceiveError::RequestTimeInvalid { .. }),
                "{time:?}: {error}"
            );
            assert_eq!(status, 401, "{time:?}");
        }
    }
}

#[test]
fn extreme_request_times_signed_right_are_refused_as_out_of_the_window() {
    let receiver = receiver();
    for (time, expected) in [
        ("0", "RequestTimeTooOld"),
        ("1", "RequestTimeTooOld"),
        ("18446744073709551615", "RequestTimeInFuture"),
        ("00000000000000000000", "RequestTimeTooOld"),
    ] {
        let (error, status) = refusal(&receiver, &sign(&token(), time), time);
        assert_eq!((variant(&error), status), (expected, 401), "{time}");
    }
    // Leading zeros are another text, so another Sign: the documented Sign does not carry over.
    let padded = format!("0{REQUEST_TIME}");
    assert_eq!(
        refusal(&receiver, DOCUMENTED_SIGN, &padded),
        (ReceiveError::SignMismatch, 401)
    );
    let signed = sign(&token(), &padded);
    assert!(post(&receiver, &query(&signed, &padded), END_BATTLE, now()).is_ok());
}

/// What the receiver does with replays, stated as tests: it keeps no memory of what it
/// received, and Tencent's signature covers neither the body nor the other URL parameters.
#[test]
fn a_replay_inside_the_window_is_accepted_and_one_outside_is_refused() {
    let receiver = receiver();
    let query = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    // The same request, verbatim, any number of times inside the window: accepted each time.
    for seconds_later in [0, 1, 30, 60] {
        let at_time = at(REQUEST_TIME + seconds_later, 0);
        assert!(post(&receiver, &query, END_BATTLE, at_time).is_ok());
    }
    // One second past the window: refused.
    let late = post(&receiver, &query, END_BATTLE, at(REQUEST_TIME + 61, 0));
    assert!(matches!(late, Err(ReceiveError::RequestTimeTooOld { .. })));
    // And a millisecond past it.
    let late = post(&receiver, &query, END_BATTLE, at(REQUEST_TIME + 60, 1));
    assert!(matches!(late, Err(ReceiveError::RequestTimeTooOld { .. })));
}

#[test]
fn a_captured_sign_carries_any_body_and_any_command_inside_the_window() {
    // A limitation of Tencent's scheme, not of this receiver: Sign = sha256(Token RequestTime).
    let receiver = receiver();
    let captured = signed_query("Live.CallbackAfterEndBattle", REQUEST_TIME);
    let forged_battle = END_BATTLE.replace("pk-3", "forged-room");
    let delivery = post(&receiver, &captured, &forged_battle, now()).expect("accepted");
    assert!(serde_json::to_string(&delivery.webhook)
        .unwrap()
        .contains("forged-room"));
    // Another command: the URL's CallbackCommand is not signed either.
    let gift_query = captured.replace("Live.CallbackAfterEndBattle", "Live.CallbackBeforeSendGift");
    assert!(post(&receiver, &gift_query, GIFT, now()).is_ok());
    // So every delivery signed in the same second carries the same Sign: a Sign does not
    // identify a delivery, and cannot key a duplicate check.
}

//! The hand-written test cases of `tests/cases/<command>/`: the error report of every invalid
//! one is snapshotted, and every valid one round-trips exactly.

use serde_json::Value;
use trtc_live_tests::{assert_round_trips, redact_known_commands_in, test_cases, PacketFile, Role};
use trtc_live_validate::{parse_json, Command, Options, Rejection, Validator};

fn lenient() -> Validator {
    Validator::new().unwrap()
}

fn strict() -> Validator {
    Validator::with_options(Options { strict: true }).unwrap()
}

/// Validates a case as what its name says: a request packet, or (`response-*.json`) a response
/// to its folder's command. Returns the typed value serialized again.
fn check(validator: &Validator, case: &PacketFile) -> Result<Value, Rejection> {
    let bytes = case.bytes();
    let typed = match case.role {
        Role::Request => serde_json::to_value(validator.validate(&bytes)?),
        Role::Response => serde_json::to_value(validator.validate_response(case.command, &bytes)?),
    };
    Ok(typed.expect("a typed packet serializes"))
}

/// `issues` as JSON, the list of every command word redacted (a webhook added later changes no
/// snapshot of the others).
fn redacted(issues: impl serde::Serialize) -> Value {
    let mut value = serde_json::to_value(issues).expect("issues serialize");
    redact_known_commands_in(&mut value);
    value
}

#[test]
fn invalid_cases_are_rejected_with_complete_reports() {
    let (lenient, strict) = (lenient(), strict());
    let cases = test_cases("invalid");
    assert!(cases.len() >= 8, "the invalid cases are missing");
    for case in cases {
        let rejection = check(&lenient, &case).expect_err(&case.name);
        assert!(
            !matches!(rejection, Rejection::Decode { .. }),
            "{}: {rejection}",
            case.name
        );
        // Strict mode reports the same problems (the cases have no unknown fields).
        assert_eq!(
            check(&strict, &case).expect_err(&case.name),
            rejection,
            "{}",
            case.name
        );
        insta::assert_json_snapshot!(case.name.clone(), redacted(rejection.issues()));
    }
}

#[test]
fn unknown_fields_are_accepted_but_reported_in_strict_mode() {
    let (lenient, strict) = (lenient(), strict());
    let cases = test_cases("strict-invalid");
    assert!(!cases.is_empty());
    for case in cases {
        let webhook = check(&lenient, &case).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        // Unknown fields are kept in the typed value, not dropped.
        let original = parse_json(&case.bytes()).unwrap();
        assert_round_trips(&case.name, &webhook, &original);
        let rejection = check(&strict, &case).expect_err(&case.name);
        insta::assert_json_snapshot!(case.name.clone(), redacted(rejection.issues()));
    }
}

#[test]
fn integers_written_as_floats_pass_the_schema_but_not_the_typed_model() {
    let cases = test_cases("decode-invalid");
    assert!(!cases.is_empty());
    let lenient = lenient();
    for case in cases {
        let rejection = check(&lenient, &case).expect_err(&case.name);
        assert!(
            matches!(rejection, Rejection::Decode { .. }),
            "{}: {rejection}",
            case.name
        );
        insta::assert_json_snapshot!(case.name.clone(), redacted(rejection.issues()));
    }
}

#[test]
fn valid_cases_are_accepted_and_round_trip_exactly() {
    let (lenient, strict) = (lenient(), strict());
    let cases = test_cases("valid");
    assert!(!cases.is_empty());
    for case in cases {
        let original: Value = parse_json(&case.bytes()).unwrap();
        let webhook = check(&lenient, &case).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert!(check(&strict, &case).is_ok(), "{}", case.name);
        assert_round_trips(&case.name, &webhook, &original);
    }
}

#[test]
fn every_webhook_has_three_invalid_requests_and_every_decision_three_invalid_responses() {
    let cases = test_cases("invalid");
    for &command in Command::ALL {
        let count = |role| {
            cases
                .iter()
                .filter(|c| c.command == command && c.role == role)
                .count()
        };
        assert!(
            count(Role::Request) >= 3,
            "tests/cases/{command}/invalid/ needs at least 3 invalid requests"
        );
        if command.response_is_a_decision() {
            assert!(
                count(Role::Response) >= 3,
                "tests/cases/{command}/invalid/ needs at least 3 invalid response-*.json"
            );
        }
    }
}

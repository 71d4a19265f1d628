//! The hand-written test cases of `tests/cases/<command>/`: the error report of every invalid
//! one is snapshotted, and every valid one round-trips exactly.

use serde_json::Value;
use trtc_live_tests::{assert_round_trips, test_cases};
use trtc_live_validate::{parse_json, Options, Rejection, Validator};

fn lenient() -> Validator {
    Validator::new().unwrap()
}

fn strict() -> Validator {
    Validator::with_options(Options { strict: true }).unwrap()
}

#[test]
fn invalid_cases_are_rejected_with_complete_reports() {
    let (lenient, strict) = (lenient(), strict());
    let cases = test_cases("invalid");
    assert!(cases.len() >= 8, "the invalid cases are missing");
    for case in cases {
        let rejection = lenient.validate(&case.bytes()).expect_err(&case.name);
        assert!(
            !matches!(rejection, Rejection::Decode { .. }),
            "{}: {rejection}",
            case.name
        );
        // Strict mode reports the same problems (the cases have no unknown fields).
        assert_eq!(
            strict.validate(&case.bytes()).expect_err(&case.name),
            rejection,
            "{}",
            case.name
        );
        insta::assert_json_snapshot!(case.name.clone(), rejection.issues());
    }
}

#[test]
fn unknown_fields_are_accepted_but_reported_in_strict_mode() {
    let (lenient, strict) = (lenient(), strict());
    let cases = test_cases("strict-invalid");
    assert!(!cases.is_empty());
    for case in cases {
        let webhook = lenient
            .validate(&case.bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        // Unknown fields are kept in the typed value, not dropped.
        let original = parse_json(&case.bytes()).unwrap();
        assert_round_trips(&case.name, &webhook, &original);
        let rejection = strict.validate(&case.bytes()).expect_err(&case.name);
        insta::assert_json_snapshot!(case.name.clone(), rejection.issues());
    }
}

#[test]
fn integers_written_as_floats_pass_the_schema_but_not_the_typed_model() {
    let cases = test_cases("decode-invalid");
    assert!(!cases.is_empty());
    let lenient = lenient();
    for case in cases {
        let rejection = lenient.validate(&case.bytes()).expect_err(&case.name);
        assert!(
            matches!(rejection, Rejection::Decode { .. }),
            "{}: {rejection}",
            case.name
        );
        insta::assert_json_snapshot!(case.name.clone(), rejection.issues());
    }
}

#[test]
fn valid_cases_are_accepted_and_round_trip_exactly() {
    let (lenient, strict) = (lenient(), strict());
    let cases = test_cases("valid");
    assert!(!cases.is_empty());
    for case in cases {
        let original: Value = parse_json(&case.bytes()).unwrap();
        let webhook = lenient
            .validate(&case.bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert!(strict.validate(&case.bytes()).is_ok(), "{}", case.name);
        assert_round_trips(&case.name, &webhook, &original);
    }
}

//! Fuzz target `validator`: bytes as a request packet and as a response packet, through every
//! verdict of the validator and the report.

use std::sync::{Arc, OnceLock};

use trtc_live_types::Command;
use trtc_live_validate::{parse_json, warnings, Options, Validator};

use crate::consistency::{as_from_a_value, assert_report_of};

/// The lenient (default) and strict validators, built once per process.
struct Validators {
    lenient: Arc<Validator>,
    strict: Validator,
}

/// The default validator, shared by the targets.
pub(crate) fn lenient() -> &'static Arc<Validator> {
    &validators().lenient
}

fn validators() -> &'static Validators {
    static VALIDATORS: OnceLock<Validators> = OnceLock::new();
    VALIDATORS.get_or_init(|| Validators {
        lenient: Arc::new(Validator::new().expect("the embedded schemas compile")),
        strict: Validator::with_options(Options { strict: true })
            .expect("the embedded schemas compile"),
    })
}

/// Validates `data` as a request packet, and as a response packet to the command its length
/// picks, and asserts:
///
/// - `is_valid`, `validate` and `check` agree, `check` gives the command and the
///   warnings of the typed packet, and an invalid packet gets the same report from both;
/// - the fast path and the schema path agree: `validate` gives what `validate_value` gives on
///   the parsed packet (the same typed packet, or the same report but for the source spans
///   and the spelling of numbers);
/// - a typed packet serializes to a packet that validates to the same typed packet;
/// - the strict validator's verdicts agree, and what it accepts the lenient one accepts;
/// - every report is consistent with the text (see `consistency`);
/// - the same of `is_valid_response`, `validate_response` and `validate_response_value`.
pub fn validator(data: &[u8]) {
    let Validators { lenient, strict } = validators();
    let parsed = parse_json(data);

    let validated = lenient.validate(data);
    assert_eq!(
        lenient.is_valid(data),
        validated.is_ok(),
        "is_valid and validate disagree: {validated:?}"
    );
    match (&validated, lenient.check(data)) {
        (Ok(webhook), Ok(checked)) => {
            assert_eq!(checked.command, webhook.command());
            assert_eq!(checked.warnings, warnings(webhook));
        }
        (Err(by_validate), Err(by_check)) => assert_eq!(by_validate, &by_check),
        (validated, checked) => {
            panic!("validate and check disagree: {validated:?} against {checked:?}")
        }
    }
    match &parsed {
        Ok(value) => {
            let by_schema = lenient.validate_value(value.clone());
            match (&validated, by_schema) {
                (Ok(fast), Ok(schema)) => assert_eq!(fast, &schema),
                (Err(fast), Err(schema)) => {
                    assert_eq!(as_from_a_value(fast.clone()), as_from_a_value(schema))
                }
                (fast, schema) => {
                    panic!(
                        "the fast path and the schema path disagree: {fast:?} against {schema:?}"
                    )
                }
            }
        }
        Err(syntax) => assert!(
            matches!(&validated, Err(trtc_live_validate::Rejection::Syntax(error)) if error == syntax),
            "parse_json fails but validate says {validated:?}"
        ),
    }
    match &validated {
        Ok(webhook) => {
            let again = serde_json::to_vec(webhook).expect("a typed packet serializes");
            assert_eq!(
                lenient.validate(&again).as_ref(),
                Ok(webhook),
                "the serialized packet does not validate to itself: {}",
                String::from_utf8_lossy(&again)
            );
        }
        Err(rejection) => assert_report_of(data, rejection),
    }

    let strictly = strict.validate(data);
    assert_eq!(
        strict.is_valid(data),
        strictly.is_ok(),
        "strict is_valid and validate disagree: {strictly:?}"
    );
    match (&strictly, strict.check(data)) {
        (Ok(webhook), Ok(checked)) => assert_eq!(checked.command, webhook.command()),
        (Err(by_validate), Err(by_check)) => assert_eq!(by_validate, &by_check),
        (strictly, checked) => {
            panic!("strict validate and check disagree: {strictly:?} against {checked:?}")
        }
    }
    match &strictly {
        Ok(webhook) => assert_eq!(
            validated.as_ref(),
            Ok(webhook),
            "strict accepts, lenient not"
        ),
        Err(rejection) => assert_report_of(data, rejection),
    }

    response(lenient, Command::ALL[data.len() % Command::ALL.len()], data);
}

/// `data` as a response to `command`: the verdicts agree with each other and with the schema
/// path.
fn response(validator: &Validator, command: Command, data: &[u8]) {
    let validated = validator.validate_response(command, data);
    assert_eq!(
        validator.is_valid_response(command, data),
        validated.is_ok(),
        "is_valid_response and validate_response disagree for {command}: {validated:?}"
    );
    match &validated {
        Ok(response) => {
            let value = parse_json(data).expect("a valid response is JSON");
            assert_eq!(
                validator.validate_response_value(command, value).as_ref(),
                Ok(response),
                "the fast path and the schema path disagree on a response to {command}"
            );
        }
        Err(rejection) => assert_report_of(data, rejection),
    }
}

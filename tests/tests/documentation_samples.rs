//! Every documentation sample, kept verbatim (comments included), validates; its typed value
//! is snapshotted; and the typed value serialized back equals the original JSON exactly.

use serde_json::Value;
use trtc_live_tests::{assert_round_trips, documentation_samples, Role};
use trtc_live_validate::{parse_jsonc, Validator};

#[test]
fn every_webhook_has_a_request_and_a_response_sample() {
    let samples = documentation_samples();
    for &command in trtc_live_types::Command::ALL {
        for role in [Role::Request, Role::Response] {
            assert!(
                samples
                    .iter()
                    .any(|s| s.command == command && s.role == role),
                "schemas/{command}/samples/ has no {role:?} sample"
            );
        }
    }
}

#[test]
fn documentation_samples_validate_and_round_trip_exactly() {
    let validator = Validator::new().unwrap();
    let strict = Validator::with_options(trtc_live_validate::Options { strict: true }).unwrap();
    for sample in documentation_samples() {
        let bytes = sample.bytes();
        let original: Value =
            parse_jsonc(&bytes).unwrap_or_else(|e| panic!("{}: {e}", sample.name));
        let (typed, reserialized) = match sample.role {
            Role::Request => {
                let webhook = validator
                    .validate_jsonc(&bytes)
                    .unwrap_or_else(|e| panic!("{} is not valid: {e}", sample.name));
                assert!(
                    strict.validate_jsonc(&bytes).is_ok(),
                    "{} has fields the schema does not name",
                    sample.name
                );
                let reserialized = assert_round_trips(&sample.name, &webhook, &original);
                (format!("{webhook:#?}"), reserialized)
            }
            Role::Response => {
                let response = validator
                    .validate_response_jsonc(sample.command, &bytes)
                    .unwrap_or_else(|e| panic!("{} is not valid: {e}", sample.name));
                assert!(
                    strict
                        .validate_response_jsonc(sample.command, &bytes)
                        .is_ok(),
                    "{}",
                    sample.name
                );
                let reserialized = assert_round_trips(&sample.name, &response, &original);
                (format!("{response:#?}"), reserialized)
            }
        };
        insta::assert_snapshot!(format!("{}__typed", sample.name), typed);
        insta::assert_snapshot!(
            format!("{}__reserialized", sample.name),
            serde_json::to_string_pretty(&reserialized).unwrap()
        );
    }
}

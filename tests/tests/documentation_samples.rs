//! Every documentation sample, kept verbatim (comments included), validates; its typed value
//! is snapshotted; and the typed value serialized back equals the original JSON exactly.

use serde_json::Value;
use trtc_live_tests::{
    assert_round_trips, corrected_samples, documentation_samples, has_corrected_copy,
    samples_as_printed, Role, CORRECTION_NOTE,
};
use trtc_live_validate::{parse_jsonc, Validator};

/// A sample is kept as printed. If it cannot be read as JSONC (a comma missing, a trailing
/// comma, line breaks lost), a corrected copy stands beside it; a readable one has none.
#[test]
fn every_sample_as_printed_is_readable_or_has_a_corrected_copy() {
    let samples = samples_as_printed();
    assert!(samples.len() >= 36, "samples are missing: {samples:?}");
    for path in samples {
        let readable = path.extension().is_some_and(|e| e == "jsonc")
            && parse_jsonc(&std::fs::read(&path).unwrap()).is_ok();
        assert_eq!(
            has_corrected_copy(&path),
            !readable,
            "{}: a corrected copy must exist exactly when the sample as printed is unreadable",
            path.display()
        );
    }
}

/// A corrected copy says what it corrects and how in its first line, and differs from the
/// sample as printed by the minimal edit: one comma added or removed, or, for a sample printed
/// flattened, line breaks inserted and nothing else.
#[test]
fn corrected_copies_are_minimal_and_explained() {
    let corrections = corrected_samples();
    assert!(!corrections.is_empty());
    for correction in corrections {
        let printed = std::fs::read_to_string(&correction.as_printed).unwrap();
        let corrected = std::fs::read_to_string(&correction.corrected.path).unwrap();
        let name = correction.corrected.name.as_str();
        let (note, body) = corrected.split_once('\n').unwrap();
        let printed_name = correction.as_printed.file_name().unwrap().to_string_lossy();
        assert!(
            note.starts_with(&format!("{CORRECTION_NOTE}{printed_name}: ")) && note.ends_with('.'),
            "{name}: the first line must say what was corrected: {note:?}"
        );
        let flattened = correction
            .as_printed
            .extension()
            .is_some_and(|e| e == "txt");
        if flattened {
            // Only line breaks inserted: removing them gives the printed text back.
            assert_eq!(
                body.trim_end_matches('\n').replace('\n', ""),
                printed.trim_end_matches('\n'),
                "{name}: only line breaks may be inserted into a flattened sample"
            );
        } else {
            assert_eq!(
                single_character_edits(&printed, body, ','),
                Some(1),
                "{name}: expected exactly one comma added or removed"
            );
        }
    }
}

/// How many `allowed` characters must be inserted or removed to turn `from` into `to`, if
/// nothing else differs.
fn single_character_edits(from: &str, to: &str, allowed: char) -> Option<usize> {
    let (from, to): (Vec<char>, Vec<char>) = (from.chars().collect(), to.chars().collect());
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < from.len() || j < to.len() {
        match (from.get(i), to.get(j)) {
            (Some(a), Some(b)) if a == b => (i, j) = (i + 1, j + 1),
            (_, Some(&b)) if b == allowed => (j, edits) = (j + 1, edits + 1),
            (Some(&a), _) if a == allowed => (i, edits) = (i + 1, edits + 1),
            _ => return None,
        }
    }
    Some(edits)
}

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

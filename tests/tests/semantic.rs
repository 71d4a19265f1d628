//! The semantic checks on real files: each case of `tests/cases/<command>/semantic-warning/`
//! is a valid packet that trips exactly the check its name starts with, and the documentation
//! samples and valid cases trip none.

use std::collections::BTreeMap;

use trtc_live_tests::{documentation_samples, test_cases, PacketFile, Role};
use trtc_live_validate::{
    locate, semantic_warnings, Options, SemanticCheck, SemanticWarning, Validator, SEMANTIC_CHECKS,
};

/// The folder of the cases: `<check name>.<what the case shows>.json`.
const GROUP: &str = "semantic-warning";

/// The documentation samples that trip a check, with the checks they trip (a documentation
/// defect each, to be named in a comment). None does.
const SAMPLES_WITH_WARNINGS: &[(&str, &[&str])] = &[];

fn lenient() -> Validator {
    Validator::new().unwrap()
}

/// The check a case file is named after: its name up to the first `.`.
fn check_named_by(case: &PacketFile) -> &'static SemanticCheck {
    let file_name = case.path.file_name().unwrap().to_string_lossy();
    let name = file_name.split('.').next().unwrap();
    SEMANTIC_CHECKS
        .iter()
        .find(|check| check.name == name)
        .unwrap_or_else(|| panic!("{}: {name} is not a semantic check", case.name))
}

/// Validates a request packet as JSON with comments (samples) and returns its warnings.
fn warnings_of(validator: &Validator, packet: &PacketFile) -> Vec<SemanticWarning> {
    let webhook = validator
        .validate_jsonc(&packet.bytes())
        .unwrap_or_else(|e| panic!("{}: {e}", packet.name));
    semantic_warnings(&webhook)
}

#[test]
fn every_case_is_valid_and_trips_exactly_the_check_it_is_named_after() {
    let (lenient, strict) = (
        lenient(),
        Validator::with_options(Options { strict: true }).unwrap(),
    );
    let cases = test_cases(GROUP);
    assert!(
        cases.len() >= 2 * SEMANTIC_CHECKS.len(),
        "cases are missing"
    );
    let mut report = BTreeMap::new();
    for case in cases {
        assert_eq!(case.role, Role::Request, "{}", case.name);
        let check = check_named_by(&case);
        assert!(
            check.commands.contains(&case.command),
            "{}: {} does not apply to {}",
            case.name,
            check.name,
            case.command.as_str()
        );
        let bytes = case.bytes();
        let webhook = lenient
            .validate(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(
            strict.validate(&bytes).as_ref(),
            Ok(&webhook),
            "{}",
            case.name
        );
        let warnings = semantic_warnings(&webhook);
        assert!(!warnings.is_empty(), "{}: no warning", case.name);
        for warning in &warnings {
            assert_eq!(warning.check, check.name, "{}: {warning:?}", case.name);
            // The CLI places each warning in the text: its value is there.
            assert!(
                locate(&bytes, &warning.instance_path).is_some(),
                "{}: {} is not in the file",
                case.name,
                warning.instance_path
            );
        }
        report.insert(case.name, warnings);
    }
    insta::assert_json_snapshot!("semantic_warnings_of_the_cases", report);
}

#[test]
fn every_check_has_two_cases_and_one_for_each_of_its_webhooks() {
    let cases = test_cases(GROUP);
    for check in SEMANTIC_CHECKS {
        let of_check: Vec<_> = cases
            .iter()
            .filter(|case| check_named_by(case) == check)
            .collect();
        assert!(of_check.len() >= 2, "{} needs two cases", check.name);
        for command in check.commands {
            assert!(
                of_check.iter().any(|case| case.command == *command),
                "{} needs a case in tests/cases/{}/{GROUP}/",
                check.name,
                command.as_str()
            );
        }
    }
}

#[test]
fn the_documentation_samples_trip_no_check() {
    let validator = lenient();
    let mut found: Vec<(String, Vec<&str>)> = Vec::new();
    let requests: Vec<_> = documentation_samples()
        .into_iter()
        .filter(|sample| sample.role == Role::Request)
        .collect();
    for sample in &requests {
        let warnings = warnings_of(&validator, sample);
        if !warnings.is_empty() {
            found.push((
                sample.name.clone(),
                warnings.iter().map(|w| w.check).collect(),
            ));
        }
    }
    let expected: Vec<(String, Vec<&str>)> = SAMPLES_WITH_WARNINGS
        .iter()
        .map(|(name, checks)| ((*name).to_owned(), checks.to_vec()))
        .collect();
    assert_eq!(found, expected);
    // The samples of every webhook that a check applies to were among those checked.
    for check in SEMANTIC_CHECKS {
        for command in check.commands {
            assert!(
                requests.iter().any(|sample| sample.command == *command),
                "no sample of {}",
                command.as_str()
            );
        }
    }
}

#[test]
fn the_valid_cases_trip_no_check() {
    let validator = lenient();
    let requests: Vec<_> = test_cases("valid")
        .into_iter()
        .filter(|case| case.role == Role::Request)
        .collect();
    assert!(!requests.is_empty());
    for case in requests {
        let warnings = warnings_of(&validator, &case);
        assert!(warnings.is_empty(), "{}: {warnings:#?}", case.name);
    }
}

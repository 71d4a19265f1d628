//! The warnings of valid packets that are not semantic: the cases of
//! `tests/cases/<command>/warning/`, each named `<kind>.<what the case shows>.json`, are valid
//! (in strict mode too) and get warnings of that kind only, from every entry point alike; their
//! warnings are snapshotted. The documentation samples of `schemas/` and the valid cases get
//! none of these kinds.

use std::collections::BTreeMap;

use trtc_live_tests::{documentation_samples, test_cases, PacketFile, Role};
use trtc_live_validate::{warnings, IssueKind, Options, Validator, Warning};

/// The folder of the cases.
const GROUP: &str = "warning";

/// The kind a case file is named after: its name up to the first `.`.
fn kind_named_by(case: &PacketFile) -> IssueKind {
    let file_name = case.path.file_name().unwrap().to_string_lossy();
    match file_name.split('.').next().unwrap() {
        "older_revision" => IssueKind::OlderRevision,
        "unknown_enum_value" => IssueKind::UnknownEnumValue,
        other => panic!(
            "{}: {other} is not a warning kind of this folder",
            case.name
        ),
    }
}

#[test]
fn every_case_is_valid_and_gets_warnings_of_the_kind_it_is_named_after() {
    let lenient = Validator::new().unwrap();
    let strict = Validator::with_options(Options { strict: true }).unwrap();
    let cases = test_cases(GROUP);
    assert!(cases.len() >= 12, "cases are missing");
    let mut kinds = BTreeMap::new();
    let mut report = BTreeMap::new();
    for case in cases {
        assert_eq!(case.role, Role::Request, "{}", case.name);
        let kind = kind_named_by(&case);
        let bytes = case.bytes();
        let validated = lenient
            .validate_with_warnings(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let found: &Vec<Warning> = &validated.warnings;
        assert!(!found.is_empty(), "{}: no warning", case.name);
        assert!(
            found.iter().all(|w| w.kind == kind),
            "{}: {found:#?}",
            case.name
        );
        // The same warnings from the typed packet, from the one pass that types nothing, and
        // in strict mode (the cases name no unknown member).
        assert_eq!(&warnings(&validated.webhook), found, "{}", case.name);
        assert_eq!(
            &lenient.check(&bytes).unwrap().warnings,
            found,
            "{}",
            case.name
        );
        assert_eq!(
            &strict.check(&bytes).unwrap().warnings,
            found,
            "{}",
            case.name
        );
        *kinds.entry(kind.as_str()).or_insert(0) += 1;
        report.insert(case.name.clone(), found.clone());
    }
    assert!(
        kinds.values().all(|count| *count >= 4),
        "each kind needs cases: {kinds:?}"
    );
    insta::assert_json_snapshot!("warnings_of_the_cases", report);
}

#[test]
fn samples_and_valid_cases_are_neither_older_revisions_nor_unknown_values() {
    let validator = Validator::new().unwrap();
    let packets = documentation_samples()
        .into_iter()
        .chain(test_cases("valid"))
        .filter(|packet| packet.role == Role::Request);
    for packet in packets {
        let webhook = validator
            .validate_jsonc(&trtc_live_tests::readable_text(&packet.path).into_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", packet.name));
        let other: Vec<Warning> = warnings(&webhook)
            .into_iter()
            .filter(|w| w.kind != IssueKind::Semantic)
            .collect();
        assert!(other.is_empty(), "{}: {other:#?}", packet.name);
    }
}

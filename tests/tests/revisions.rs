//! The older-revision rule on both sides of every recorded date, for every clock
//! (`trtc_live_tests::boundaries`): just before a member's date, a packet without the member is
//! valid with a warning `older_revision` for it, on every entry point; at the date it is invalid,
//! the member required. The jsonschema crate, reading the bundle alone (the draft-07 rules, no
//! vendor keyword), gives the same verdicts; ajv and Python's jsonschema get the same packets in
//! `tests/tests/interop`.

use std::collections::BTreeSet;

use trtc_live_tests::boundaries::boundaries;
use trtc_live_validate::{parse_json, IssueKind, Options, Rejection, Validator, BUNDLED_SCHEMA};

#[test]
fn every_date_switches_from_older_revision_to_required_for_every_clock() {
    let lenient = Validator::new().unwrap();
    let strict = Validator::with_options(Options { strict: true }).unwrap();
    let bundle = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(&serde_json::from_str(BUNDLED_SCHEMA).unwrap())
        .unwrap();
    let all = boundaries();
    let (valid, invalid) = (
        all.iter().filter(|b| b.valid).count(),
        all.iter().filter(|b| !b.valid).count(),
    );
    assert!(
        valid >= 10 && invalid >= 9,
        "{valid} valid, {invalid} invalid"
    );
    for boundary in &all {
        let name = &boundary.name;
        let bytes = serde_json::to_vec(&boundary.packet).unwrap();
        let validated = lenient.validate_with_warnings(&bytes);
        assert_eq!(validated.is_ok(), boundary.valid, "{name}: {validated:?}");
        assert_eq!(lenient.is_valid(&bytes), boundary.valid, "{name}");
        assert_eq!(strict.is_valid(&bytes), boundary.valid, "{name}");
        assert_eq!(bundle.is_valid(&boundary.packet), boundary.valid, "{name}");
        // The fast path and the schema path agree, report included.
        let by_schema = lenient.validate_value(parse_json(&bytes).unwrap());
        match (&validated, &by_schema) {
            (Ok(fast), Ok(schema)) => assert_eq!(&fast.webhook, schema, "{name}"),
            (
                Err(Rejection::Schema { violations, .. }),
                Err(Rejection::Schema { violations: v2, .. }),
            ) => {
                assert_eq!(violations.len(), v2.len(), "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
        match validated {
            Ok(validated) => {
                let older: BTreeSet<&str> = validated
                    .warnings
                    .iter()
                    .filter(|w| w.kind == IssueKind::OlderRevision)
                    .map(|w| w.instance_path.trim_start_matches('/'))
                    .collect();
                let expected: BTreeSet<&str> = boundary.missing.iter().copied().collect();
                assert_eq!(older, expected, "{name}");
                assert_eq!(
                    lenient.check(&bytes).unwrap().warnings,
                    validated.warnings,
                    "{name}"
                );
                assert_eq!(
                    strict.check(&bytes).unwrap().warnings,
                    validated.warnings,
                    "{name}"
                );
            }
            Err(Rejection::Schema { violations, .. }) => {
                let member = boundary.missing[0];
                let required =
                    format!("\"{member}\" is a required property: Tencent sends it since");
                assert!(
                    violations.iter().any(|v| v.message.starts_with(&required)
                        && v.schema_path.starts_with("/allOf/")
                        && v.schema_path.ends_with("/then/required")),
                    "{name}: {violations:#?}"
                );
            }
            Err(other) => panic!("{name}: {other}"),
        }
    }
}

#[test]
fn the_revision_rules_are_where_the_schema_says() {
    let bundle: serde_json::Value = serde_json::from_str(BUNDLED_SCHEMA).unwrap();
    for &command in trtc_live_validate::Command::ALL {
        let revisions = command.revisions();
        let schema = &bundle["definitions"][command.request_type_name()];
        for dated in revisions.members {
            assert_eq!(
                schema["properties"][dated.member]["x-trtc-since"], dated.since,
                "{command} {}",
                dated.member
            );
        }
        let clocks: Vec<&str> = revisions.clocks.iter().map(|c| c.member).collect();
        match schema.get("x-trtc-clock") {
            Some(written) => assert_eq!(written, &serde_json::json!(clocks), "{command}"),
            None => assert!(revisions.members.is_empty(), "{command}"),
        }
    }
}

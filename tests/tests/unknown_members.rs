//! The one-pass reading counts the members no struct names (`conform::counting_unknown_members`),
//! which `trtc-live drift` uses to tell, at the cost of the verdict alone, whether a valid packet
//! also passes the strict mode. Over the mutation corpus (unknown members added to every object,
//! members removed, retyped and given twice) and every test case: a packet that the lenient
//! validator accepts passes the strict mode exactly when no unknown member was counted.

use trtc_live_tests::mutation::{self, mutants, Scope};
use trtc_live_tests::{test_cases, Role};
use trtc_live_types::conform::counting_unknown_members;
use trtc_live_validate::{Options, Validator};

#[test]
fn a_valid_packet_counts_unknown_members_exactly_when_the_strict_mode_refuses_it() {
    let lenient = Validator::new().unwrap();
    let strict = Validator::with_options(Options { strict: true }).unwrap();
    let scope = Scope::from_env();
    let mut texts: Vec<(String, String)> = mutants(&mutation::seeds(Role::Request, scope), scope)
        .into_iter()
        .map(|mutant| (mutant.name(), mutant.text))
        .collect();
    for group in ["valid", "invalid", "strict-invalid", "semantic-warning"] {
        texts.extend(
            test_cases(group)
                .into_iter()
                .filter(|case| case.role == Role::Request)
                .map(|case| {
                    let text = String::from_utf8(case.bytes()).unwrap();
                    (case.relative_path(), text)
                }),
        );
    }
    let (mut valid, mut with_unknown, mut failures) = (0, 0, Vec::new());
    for (name, text) in &texts {
        let (checked, unknown) = counting_unknown_members(|| lenient.check(text.as_bytes()));
        if checked.is_err() {
            continue;
        }
        valid += 1;
        with_unknown += usize::from(unknown > 0);
        let strictly_valid = strict.validate(text.as_bytes()).is_ok();
        if strictly_valid != (unknown == 0) {
            failures.push(format!(
                "{name}: {unknown} unknown members counted, strict mode {}",
                if strictly_valid { "accepts" } else { "refuses" }
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {valid}:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        valid >= 1_000 && with_unknown >= 50,
        "{valid} valid packets, {with_unknown} with unknown members"
    );
    eprintln!("{valid} valid packets agree, {with_unknown} of them with unknown members");
}

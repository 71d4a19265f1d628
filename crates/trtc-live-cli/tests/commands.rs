//! `trtc-live example`, `schema` and `list`, driven through the real binary.

mod common;

use std::collections::BTreeSet;

use common::{json_lines, run};
use trtc_live_tests::Role;
use trtc_live_validate::Command;

#[test]
fn examples_are_reproducible_with_a_seed_and_vary_without() {
    let args = [
        "example",
        "Live.CallbackAfterEndBattle",
        "--count",
        "3",
        "--seed",
        "7",
    ];
    let first = run(&args, b"");
    assert_eq!(first.code, 0, "{}", first.transcript);
    assert_eq!(first.stdout.lines().count(), 3, "NDJSON when --count > 1");
    assert_eq!(
        run(&args, b"").stdout,
        first.stdout,
        "same seed, same examples"
    );
    let other = run(
        &[
            "example",
            "Live.CallbackAfterEndBattle",
            "--count",
            "3",
            "--seed",
            "8",
        ],
        b"",
    );
    assert_ne!(other.stdout, first.stdout, "another seed, other examples");
    insta::assert_snapshot!(first.transcript);
}

#[test]
fn without_a_seed_the_seed_used_is_printed_and_reproduces_the_example() {
    let unseeded = run(&["example", "Live.CallbackBeforeSendGift"], b"");
    assert_eq!(unseeded.code, 0, "{}", unseeded.transcript);
    let seed = unseeded
        .stderr
        .split_whitespace()
        .skip_while(|word| *word != "--seed")
        .nth(1)
        .expect("the seed is printed");
    let again = run(
        &["example", "Live.CallbackBeforeSendGift", "--seed", seed],
        b"",
    );
    assert_eq!(again.stdout, unseeded.stdout);
    let example: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    assert!(
        again.stdout.contains("\n  \""),
        "one example is indented JSON"
    );
    assert_eq!(example["CallbackCommand"], "Live.CallbackBeforeSendGift");
}

#[test]
fn every_example_of_every_command_validates_strictly_without_warnings() {
    for &command in Command::ALL {
        for response in [false, true] {
            let mut args = vec![
                "example",
                command.as_str(),
                "--count",
                "60",
                "--seed",
                "2026",
            ];
            if response {
                args.push("--response");
            }
            let examples = run(&args, b"");
            assert_eq!(examples.code, 0, "{}", examples.transcript);
            let mut check = vec![
                "validate",
                "--ndjson",
                "--strict",
                "--deny-warnings",
                "--quiet",
            ];
            if response {
                check.extend(["--response", command.as_str()]);
            }
            check.push("-");
            let verdict = run(&check, examples.stdout.as_bytes());
            assert_eq!(
                verdict.stdout, "60 valid, 0 invalid, 0 malformed, 0 unreadable\n",
                "{command} (response: {response}):\n{}",
                verdict.transcript
            );
        }
    }
}

#[test]
fn schema_prints_the_bundle_or_the_files_as_they_are() {
    let root = common::repo_root();
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    assert_eq!(
        run(&["schema"], b"").stdout,
        read("dist/trtc-live-webhooks.schema.json")
    );
    let request = run(&["schema", "Live.CallbackAfterEndBattle"], b"");
    assert_eq!(
        request.stdout,
        read("schemas/Live.CallbackAfterEndBattle/request.schema.json")
    );
    let response = run(
        &["schema", "Group.CallbackBeforeSendMsg", "--response"],
        b"",
    );
    assert_eq!(
        response.stdout,
        read("schemas/Group.CallbackBeforeSendMsg/response.schema.json")
    );
    let url = run(&["schema", "--url-parameters"], b"");
    assert_eq!(
        url.stdout,
        read("schemas/common/url-parameters.schema.json")
    );
    // `--bundle` asks for a self-contained schema: without COMMAND, that is the bundle.
    let bundle = run(&["schema", "--bundle"], b"");
    assert_eq!(bundle.code, 0, "{}", bundle.transcript);
    assert_eq!(bundle.stdout, read("dist/trtc-live-webhooks.schema.json"));
    // So is the URL parameter schema, which refers only to its own definitions.
    let url_bundle = run(&["schema", "--url-parameters", "--bundle"], b"");
    assert_eq!(url_bundle.stdout, url.stdout, "{}", url_bundle.transcript);
    let url_schema: serde_json::Value = serde_json::from_str(&url.stdout).unwrap();
    let mut refs = Vec::new();
    references(&url_schema, &mut refs);
    for reference in refs {
        let inside = reference
            .strip_prefix('#')
            .and_then(|pointer| url_schema.pointer(pointer));
        assert!(inside.is_some(), "{reference} is not inside the file");
    }
    // A response schema is a command's: `--response` alone is a usage error that says so.
    let usage = run(&["schema", "--response"], b"");
    assert_eq!(usage.code, 2, "{}", usage.transcript);
    assert!(usage.stderr.contains("<COMMAND>"), "{}", usage.transcript);
}

/// Every `$ref` of a schema: they must all point inside it.
fn references(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(object) => {
            if let Some(reference) = object.get("$ref").and_then(|r| r.as_str()) {
                found.push(reference.to_owned());
            }
            object.values().for_each(|v| references(v, found));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| references(v, found)),
        _ => {}
    }
}

#[test]
fn a_bundled_command_schema_stands_alone_and_gives_the_validators_verdicts() {
    let validator = trtc_live_validate::Validator::new().unwrap();
    let samples = trtc_live_tests::documentation_samples();
    let cases: Vec<_> = ["valid", "invalid", "semantic-warning"]
        .iter()
        .flat_map(|group| trtc_live_tests::test_cases(group))
        .collect();
    let mut checked = 0;
    for &command in Command::ALL {
        for role in [Role::Request, Role::Response] {
            let mut args = vec!["schema", command.as_str(), "--bundle"];
            if role == Role::Response {
                args.push("--response");
            }
            let printed = run(&args, b"");
            assert_eq!(printed.code, 0, "{}", printed.transcript);
            let schema: serde_json::Value = serde_json::from_str(&printed.stdout).unwrap();
            let mut refs = Vec::new();
            references(&schema, &mut refs);
            for reference in &refs {
                let pointer = reference.strip_prefix('#').expect("only local references");
                assert!(
                    schema.pointer(pointer).is_some(),
                    "{command}: {reference} resolves"
                );
            }
            // Compiled with no retriever and no registry: anything external would fail here.
            let compiled = jsonschema::draft7::new(&schema).unwrap();
            let packets = samples
                .iter()
                .chain(&cases)
                .filter(|p| p.command == command && p.role == role);
            for packet in packets {
                let Ok(value) = trtc_live_validate::parse_jsonc(&packet.bytes()) else {
                    continue; // Malformed cases: no schema is involved.
                };
                let expected = match role {
                    Role::Request => validator.validate_value(value.clone()).is_ok(),
                    Role::Response => validator
                        .validate_response_value(command, value.clone())
                        .is_ok(),
                };
                assert_eq!(
                    compiled.is_valid(&value),
                    expected,
                    "{}",
                    packet.relative_path()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 250, "{checked} packets checked");
}

#[test]
fn list_names_every_command_with_its_group() {
    let human = run(&["list"], b"");
    assert_eq!(human.code, 0, "{}", human.transcript);
    assert_eq!(human.stdout.lines().count(), Command::ALL.len());
    let json = run(&["list", "--format", "json"], b"");
    let listed = json_lines(&json.stdout);
    let words: Vec<&str> = listed
        .iter()
        .map(|l| l["command"].as_str().unwrap())
        .collect();
    let all: Vec<&str> = Command::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(words, all);
    assert_eq!(human.stderr, "", "{}", human.transcript);
    assert_eq!(json.stderr, "", "{}", json.transcript);
    // The columns line up: each line's description starts at the same place.
    let starts: BTreeSet<usize> = all
        .iter()
        .zip(human.stdout.lines())
        .map(|(command, line)| {
            let after_word = line.find(command).expect("the line names its word") + command.len();
            line.len() - line[after_word..].trim_start().len()
        })
        .collect();
    assert_eq!(starts.len(), 1, "{}", human.stdout);
    // One snapshot per command word, its columns separated by two spaces (the padding depends
    // on the longest word), so that a webhook added later changes none of the others.
    let lines = all
        .iter()
        .zip(human.stdout.lines())
        .zip(json.stdout.lines());
    for ((command, human_line), json_line) in lines {
        let columns: Vec<&str> = human_line
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        insta::assert_snapshot!(
            format!("list_names_every_command_with_its_group__{command}"),
            format!("{}\n{json_line}", columns.join("  "))
        );
    }
}

#[test]
fn a_misspelt_command_word_gets_the_closest_known_one_wherever_it_is_given() {
    let close = "Live.CallbackAfterEndBatle";
    let far = "Live.Nothing";
    let every_use = |word: &'static str| -> Vec<Vec<&'static str>> {
        vec![
            vec!["example", word],
            vec!["example", word, "--response"],
            vec!["schema", word],
            vec!["schema", word, "--bundle"],
            vec!["validate", "--response", word, "-"],
            vec![
                "send",
                "--url",
                "http://127.0.0.1:9",
                "--sdkappid",
                "1",
                word,
            ],
        ]
    };
    for args in every_use(close) {
        let refused = run(&args, b"");
        assert_eq!(refused.code, 2, "{}", refused.transcript);
        let usage_error = refused.stderr.lines().next().unwrap_or_default();
        assert!(
            usage_error.starts_with(&format!("error: invalid value '{close}' for "))
                && usage_error.ends_with("; did you mean Live.CallbackAfterEndBattle?"),
            "{}",
            refused.transcript
        );
        assert!(
            !refused.stderr.contains("Mic.CallbackAfterSeatInfoChanged"),
            "a close word is not followed by the whole list: {}",
            refused.transcript
        );
    }
    for args in every_use(far) {
        let refused = run(&args, b"");
        assert_eq!(refused.code, 2, "{}", refused.transcript);
        assert!(
            !refused.stderr.contains("did you mean"),
            "{}",
            refused.transcript
        );
        for &command in Command::ALL {
            assert!(
                refused.stderr.contains(command.as_str()),
                "nothing is close: every word is listed\n{}",
                refused.transcript
            );
        }
    }
    // Letter case and a missing prefix are misspellings too.
    let refused = run(&["example", "callbackbeforesendgift"], b"");
    assert!(
        refused
            .stderr
            .contains("did you mean Live.CallbackBeforeSendGift?"),
        "{}",
        refused.transcript
    );
}

//! `dist/` beyond the bundle: the self-contained file of each packet gives the verdict of the
//! bundle's definition on every sample and test case, and `dist/openapi.json` describes every
//! webhook with its parameters, schemas, samples and decisions.

use serde_json::Value;
use trtc_live_tests::{
    documentation_samples, repo_root, schema_references, test_cases, PacketFile, Role,
};
use trtc_live_validate::{parse_jsonc, Command, BUNDLED_SCHEMA};

fn read_json(path: &str) -> Value {
    let text =
        std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The packets of one command and role: documentation samples and test cases of every group.
fn packets(command: Command, role: Role) -> Vec<PacketFile> {
    let mut packets: Vec<PacketFile> = documentation_samples();
    for group in [
        "valid",
        "invalid",
        "strict-invalid",
        "decode-invalid",
        "semantic-warning",
    ] {
        packets.extend(test_cases(group));
    }
    packets.retain(|p| p.command == command && p.role == role);
    packets
}

#[test]
fn each_packet_file_stands_alone_and_judges_as_the_bundle_does() {
    let bundle: Value = serde_json::from_str(BUNDLED_SCHEMA).unwrap();
    let mut judged = 0;
    for &command in Command::ALL {
        for (role, file, name, id) in [
            (
                Role::Request,
                "request",
                command.request_type_name(),
                command.request_schema_id(),
            ),
            (
                Role::Response,
                "response",
                command.response_type_name(),
                command.response_schema_id(),
            ),
        ] {
            let path = format!("dist/schemas/{}/{file}.schema.json", command.as_str());
            let alone = read_json(&path);
            assert_eq!(alone["$id"], id, "{path}");
            assert_eq!(alone["title"], name, "{path}");
            for reference in schema_references(&alone) {
                let local = reference
                    .strip_prefix("#/definitions/")
                    .unwrap_or_else(|| panic!("{path}: a reference outside the file: {reference}"));
                assert!(
                    alone["definitions"].get(local).is_some(),
                    "{path}: {reference} is not defined"
                );
            }
            let alone = jsonschema::draft7::new(&alone).unwrap_or_else(|e| panic!("{path}: {e}"));
            let from_bundle = jsonschema::draft7::new(&serde_json::json!({
                "$ref": format!("#/definitions/{name}"),
                "definitions": bundle["definitions"],
            }))
            .unwrap();
            for packet in packets(command, role) {
                // Malformed packets have no verdict to compare.
                let text = trtc_live_tests::readable_text(&packet.path);
                let Ok(value) = parse_jsonc(text.as_bytes()) else {
                    continue;
                };
                assert_eq!(
                    alone.is_valid(&value),
                    from_bundle.is_valid(&value),
                    "{path} and the bundle disagree on {}",
                    packet.relative_path()
                );
                judged += 1;
            }
        }
    }
    assert!(judged > 300, "only {judged} packets judged");
}

#[test]
fn the_url_parameters_have_a_file_of_their_own() {
    let alone = read_json("dist/schemas/common/url-parameters.schema.json");
    assert_eq!(alone["title"], "WebhookUrlParameters");
    let schema = jsonschema::draft7::new(&alone).unwrap();
    let signed = serde_json::json!({
        "SdkAppid": "1400000000", "CallbackCommand": "Live.CallbackAfterEndBattle",
        "contenttype": "json", "Sign": "0".repeat(64), "RequestTime": "1669872112",
    });
    assert!(schema.is_valid(&signed));
    let mut unsigned_time = signed.clone();
    unsigned_time.as_object_mut().unwrap().remove("Sign");
    assert!(
        !schema.is_valid(&unsigned_time),
        "RequestTime goes with Sign"
    );
}

#[test]
fn the_openapi_document_describes_every_webhook() {
    let document = read_json("dist/openapi.json");
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(
        document["info"]["version"],
        env!("CARGO_PKG_VERSION"),
        "the workspace version"
    );
    let webhooks = document["webhooks"].as_object().unwrap();
    assert_eq!(webhooks.len(), Command::ALL.len());
    let schemas = &document["components"]["schemas"];
    for &command in Command::ALL {
        let word = command.as_str();
        let operation = &webhooks[word]["post"];
        assert!(operation.is_object(), "{word}: no POST");

        let parameters: Vec<String> = operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| match p.get("$ref").and_then(Value::as_str) {
                Some(reference) => reference.rsplit('/').next().unwrap().to_owned(),
                None => p["name"].as_str().unwrap().to_owned(),
            })
            .collect();
        for name in [
            "SdkAppid",
            "CallbackCommand",
            "contenttype",
            "ClientIP",
            "OptPlatform",
            "Sign",
            "RequestTime",
        ] {
            assert!(
                parameters.iter().any(|p| p == name),
                "{word}: no parameter {name}"
            );
        }
        // The command word, under either name, is the webhook's own.
        for name in ["CallbackCommand", "WebhookCommand"] {
            let command_parameter = operation["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == name)
                .unwrap_or_else(|| panic!("{word}: no parameter {name}"));
            assert_eq!(
                command_parameter["schema"]["enum"],
                serde_json::json!([word])
            );
        }

        let body = &operation["requestBody"]["content"]["application/json"];
        let answer = &operation["responses"]["200"]["content"]["application/json"];
        assert_eq!(
            body["schema"]["$ref"],
            format!("#/components/schemas/{}", command.request_type_name())
        );
        assert_eq!(
            answer["schema"]["$ref"],
            format!("#/components/schemas/{}", command.response_type_name())
        );
        assert!(schemas.get(command.request_type_name()).is_some());

        // Every documentation sample is an example, the corrected copy where there is one.
        for (role, examples) in [
            (Role::Request, &body["examples"]),
            (Role::Response, &answer["examples"]),
        ] {
            let samples: Vec<PacketFile> = documentation_samples()
                .into_iter()
                .filter(|s| s.command == command && s.role == role)
                .collect();
            let examples = examples.as_object().unwrap();
            assert_eq!(
                examples.len(),
                samples.len(),
                "{word} {role:?}: {:?}",
                examples.keys()
            );
            for sample in samples {
                let value = sample.readable_value();
                assert!(
                    examples.values().any(|example| example["value"] == value),
                    "{word}: {} is not an example",
                    sample.relative_path()
                );
            }
        }
    }
    let decides = |word: &str, codes: &[&str]| {
        let description = webhooks[word]["post"]["description"].as_str().unwrap();
        assert!(
            description.contains("Its answer decides"),
            "{word}: {description}"
        );
        for code in codes {
            assert!(
                description.contains(code),
                "{word}: no {code} in {description}"
            );
        }
    };
    decides(
        "Live.CallbackBeforeSendGift",
        &["ErrorCode 0", "102100 to 102200"],
    );
    decides(
        "Group.CallbackBeforeSendMsg",
        &["ErrorCode 0", "10100 to 10200", "drops it silently"],
    );
    // The draft-07 keywords OpenAPI 3.1's dialect reads otherwise are converted.
    let text = serde_json::to_string(&document).unwrap();
    assert!(
        !text.contains("\"dependencies\""),
        "dependencies left in the OpenAPI dialect"
    );
    assert!(!text.contains("#/definitions/"), "a bundle reference left");
    assert!(text.contains("\"dependentRequired\"") && text.contains("\"dependentSchemas\""));
}

#[test]
fn the_bundle_root_judges_as_its_routing_alone() {
    // The root's oneOf is there for code generators; without it, the known command check and
    // the if/then routing of allOf must give every packet the same verdict.
    let bundle: Value = serde_json::from_str(BUNDLED_SCHEMA).unwrap();
    let mut routing = bundle.clone();
    assert!(routing
        .as_object_mut()
        .unwrap()
        .shift_remove("oneOf")
        .is_some());
    let root = jsonschema::draft7::new(&bundle).unwrap();
    let routing = jsonschema::draft7::new(&routing).unwrap();
    let mut judged = 0;
    let mut refused = 0;
    for &command in Command::ALL {
        for packet in packets(command, Role::Request) {
            let text = trtc_live_tests::readable_text(&packet.path);
            let Ok(value) = parse_jsonc(text.as_bytes()) else {
                continue;
            };
            let verdict = root.is_valid(&value);
            assert_eq!(
                verdict,
                routing.is_valid(&value),
                "{}",
                packet.relative_path()
            );
            judged += 1;
            refused += usize::from(!verdict);
        }
    }
    // The cases of unknown, misspelt, missing and configuration command words are among them.
    assert!(
        judged > 200 && refused > 100,
        "{judged} judged, {refused} refused"
    );
    let unknown = serde_json::json!({ "CallbackCommand": "Live.CallbackAfterEndBattel" });
    assert!(!root.is_valid(&unknown) && !routing.is_valid(&unknown));
}

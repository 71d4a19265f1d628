//! The webhook URL's query parameters, against the documented example URL and the parameters of
//! captured deliveries.

use serde_json::{json, Value};
use trtc_live_types::OptPlatform;
use trtc_live_validate::{IssueKind, Options, Validator};

/// The parameters of Tencent's example, with the signature of the documented worked example
/// (token `xxxxyyyy`, RequestTime `1669872112`).
fn documented() -> Value {
    json!({
        "SdkAppid": "1400000000",
        "CallbackCommand": "Live.CallbackAfterEndBattle",
        "contenttype": "json",
        "ClientIP": "127.0.0.1",
        "OptPlatform": "RESTAPI",
        "Sign": "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061",
        "RequestTime": "1669872112"
    })
}

#[test]
fn the_documented_parameters_are_valid_and_typed() {
    let validator = Validator::new().unwrap();
    let typed = validator.validate_url_parameters(&documented()).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), documented());
    insta::assert_debug_snapshot!(typed);
}

#[test]
fn only_the_two_required_parameters_are_needed() {
    let validator = Validator::new().unwrap();
    let minimal =
        json!({"SdkAppid": "1400000000", "CallbackCommand": "Live.CallbackAfterEndBattle"});
    assert!(validator.validate_url_parameters(&minimal).is_ok());
}

#[test]
fn the_command_word_is_required_under_either_name() {
    let validator = Validator::new().unwrap();
    let word = "Live.CallbackAfterEndBattle";
    let newest_name = json!({"SdkAppid": "1400000000", "WebhookCommand": word});
    let typed = validator.validate_url_parameters(&newest_name).unwrap();
    assert_eq!(
        typed.webhook_command.as_deref().map(String::as_str),
        Some(word)
    );
    assert_eq!(typed.callback_command, None);
    let both = json!({"SdkAppid": "1400000000", "CallbackCommand": word, "WebhookCommand": word});
    assert!(validator.validate_url_parameters(&both).is_ok());
    let neither = json!({"SdkAppid": "1400000000", "ClientIP": "127.0.0.1"});
    let violations = validator.validate_url_parameters(&neither).unwrap_err();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(
        violations[0].message,
        "\"CallbackCommand\" (or \"WebhookCommand\") is a required property"
    );
    assert_eq!(violations[0].schema_path, "/not");
    let malformed = json!({"SdkAppid": "1", "WebhookCommand": "not a word"});
    assert!(validator.validate_url_parameters(&malformed).is_err());
}

#[test]
fn every_platform_documented_is_accepted() {
    let validator = Validator::new().unwrap();
    for platform in [
        "RESTAPI", "Web", "Android", "iOS", "Windows", "Mac", "iPad", "Unknown",
    ] {
        let mut parameters = documented();
        parameters["OptPlatform"] = json!(platform);
        let (_, warnings) = validator.check_url_parameters(&parameters).unwrap();
        assert!(warnings.is_empty(), "{platform}: {warnings:?}");
    }
}

#[test]
fn bad_parameters_are_all_reported() {
    let validator = Validator::new().unwrap();
    let mut parameters = documented();
    let object = parameters.as_object_mut().unwrap();
    object.remove("RequestTime"); // Sign without RequestTime
    object.insert("SdkAppid".into(), json!("14000x"));
    object.insert("OptPlatform".into(), json!(7));
    object.insert("contenttype".into(), json!(["json"]));
    let violations = validator.validate_url_parameters(&parameters).unwrap_err();
    insta::assert_json_snapshot!(violations);
}

#[test]
fn the_parameters_of_real_deliveries_are_typed() {
    // As captured in 2022 (tests/real-traffic/Group.CallbackBeforeSendMsg/2022-07-13-*.query).
    let captured = json!({
        "CallbackCommand": "Group.CallbackBeforeSendMsg",
        "ClientIP": "112.95.228.195",
        "OptPlatform": "Web",
        "RequestID": "80b98a8d-b1f9-4ea0-9320-22cc0dd0d8f2",
        "SdkAppid": "1400701118",
        "contenttype": "json"
    });
    for validator in [
        Validator::new().unwrap(),
        Validator::with_options(Options { strict: true }).unwrap(),
    ] {
        let (typed, warnings) = validator.check_url_parameters(&captured).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            typed.request_id.as_deref(),
            Some("80b98a8d-b1f9-4ea0-9320-22cc0dd0d8f2")
        );
        assert_eq!(typed.opt_platform, Some(OptPlatform::Web));
        assert_eq!(serde_json::to_value(&typed).unwrap(), captured);
    }
}

#[test]
fn unknown_platforms_and_content_types_are_warnings() {
    let validator = Validator::new().unwrap();
    let mut parameters = documented();
    parameters["OptPlatform"] = json!("HarmonyOS");
    parameters["contenttype"] = json!("JSON");
    let (typed, warnings) = validator.check_url_parameters(&parameters).unwrap();
    assert_eq!(
        typed.opt_platform,
        Some(OptPlatform::Other("HarmonyOS".into()))
    );
    assert_eq!(serde_json::to_value(&typed).unwrap(), parameters);
    let found: Vec<(IssueKind, &str)> = warnings
        .iter()
        .map(|w| (w.kind, w.instance_path.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (IssueKind::UnknownEnumValue, "/contenttype"),
            (IssueKind::UnknownEnumValue, "/OptPlatform")
        ]
    );
    // A value of another type is still refused.
    parameters["OptPlatform"] = json!(3);
    assert!(validator.check_url_parameters(&parameters).is_err());
}

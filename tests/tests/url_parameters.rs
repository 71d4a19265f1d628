//! The webhook URL's query parameters, against the documented example URL.

use serde_json::{json, Value};
use trtc_live_validate::Validator;

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
}

#[test]
fn every_platform_documented_is_accepted() {
    let validator = Validator::new().unwrap();
    for platform in [
        "RESTAPI", "Web", "Android", "iOS", "Windows", "Mac", "iPad", "Unknown",
    ] {
        let mut parameters = documented();
        parameters["OptPlatform"] = json!(platform);
        assert!(
            validator.validate_url_parameters(&parameters).is_ok(),
            "{platform}"
        );
    }
}

#[test]
fn bad_parameters_are_all_reported() {
    let validator = Validator::new().unwrap();
    let mut parameters = documented();
    let object = parameters.as_object_mut().unwrap();
    object.remove("RequestTime"); // Sign without RequestTime
    object.insert("SdkAppid".into(), json!("14000x"));
    object.insert("OptPlatform".into(), json!("iOs"));
    object.insert("contenttype".into(), json!("xml"));
    let violations = validator.validate_url_parameters(&parameters).unwrap_err();
    insta::assert_json_snapshot!(violations);
}

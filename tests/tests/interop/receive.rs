//! The npm package's `receive` and `receiveGenuine` against the Rust receiver's `receive` and
//! `receive_genuine` (`trtc_live_receiver::Receiver`) on the same requests: every corpus packet
//! signed for its command and for another, the rejections of every check in its order, the
//! time window's edges, both names of the URL's command word, tokens with whitespace around
//! them, hostile bodies, and the policies of the before-webhooks. Each request must get the same
//! outcome from both: accepted with the same packet, body and warnings, or refused by the same
//! check with the same HTTP status, headers and body, and in the genuine mode the same
//! description of an invalid delivery.

use std::collections::BTreeMap;
use std::time::{Duration, UNIX_EPOCH};

use axum::body::Bytes;
use serde::Serialize;
use serde_json::{json, Value};
use trtc_live_receiver::{
    sign, Genuine, InvalidBeforeWebhookPolicy, InvalidDelivery, ReceiveError, Receiver,
    ReceiverConfig, Token,
};

use crate::corpus::{corpus, Verdict};
use crate::{consumer, scratch};

const SDK_APP_ID: &str = "1400000000";
/// Tencent's documented token and time.
const TOKEN: &str = "xxxxyyyy";
const T: u64 = 1_669_872_112;

/// A receiver's options, as the npm package takes them.
#[derive(Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
struct Options {
    sdk_app_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'static str>,
    tolerance_seconds: u64,
    max_body_bytes: usize,
    invalid_before_webhook: &'static str,
}

impl Options {
    fn signed() -> Self {
        Self {
            sdk_app_id: SDK_APP_ID,
            token: Some(TOKEN),
            tolerance_seconds: 60,
            max_body_bytes: 1 << 20,
            invalid_before_webhook: "fail-delivery",
        }
    }

    fn receiver(&self) -> Receiver {
        let mut config = ReceiverConfig::new(self.sdk_app_id);
        config.token = self.token.map(Token::new);
        config.tolerance = Duration::from_secs(self.tolerance_seconds);
        config.max_body_bytes = self.max_body_bytes;
        config.invalid_before_webhook = match self.invalid_before_webhook {
            "allow" => InvalidBeforeWebhookPolicy::Allow,
            "refuse" => InvalidBeforeWebhookPolicy::Refuse,
            _ => InvalidBeforeWebhookPolicy::FailDelivery,
        };
        Receiver::new(config).expect("a valid configuration")
    }
}

/// One request, as the npm package's program reads it.
#[derive(Serialize)]
struct Request {
    name: String,
    method: &'static str,
    url: String,
    body_hex: String,
    now_ms: u64,
    options: Options,
    /// `receiveGenuine` / `receive_genuine` instead of `receive`.
    genuine: bool,
}

fn request(name: impl Into<String>, url: String, body: &[u8]) -> Request {
    Request {
        name: name.into(),
        method: "POST",
        url,
        body_hex: hex::encode(body),
        now_ms: (T + 3) * 1000,
        options: Options::signed(),
        genuine: false,
    }
}

/// Tencent's query string for `command`, signed with the documented token at `time`.
fn signed_url(command: &str, time: u64) -> String {
    format!(
        "/webhook?SdkAppid={SDK_APP_ID}&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1\
         &OptPlatform=RESTAPI&Sign={}&RequestTime={time}",
        sign(&Token::new(TOKEN), &time.to_string())
    )
}

const END_BATTLE: &str = r#"{"CallbackCommand": "Live.CallbackAfterEndBattle",
    "BattleId": "4siHsNsWN/T3aub9zKraqPfGQAimPhdFoe6VWhtz9lY=", "Duration": 30000,
    "CreateTime": 1739956115, "StartTime": 1739956115, "EndTime": 1739956145, "OpType": 0,
    "FromRoomInfo": {"RoomId": "pk-3", "Score": 0, "Owner_Account": 144115245353757792},
    "ToRoomList": [{"RoomId": "pk-5", "Score": 0, "Owner_Account": 144115245442327522}],
    "EventTime": 1739956146119}"#;

/// Requests built by hand: each check of the order, its edges, and hostile bodies.
fn hand_made() -> Vec<Request> {
    let good = || signed_url("Live.CallbackAfterEndBattle", T);
    let body = END_BATTLE.as_bytes();
    let documented = sign(&Token::new(TOKEN), &T.to_string());
    let plain =
        format!("/webhook?SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle");
    let deep = |levels: usize| {
        let inner = format!("{}{}", "[".repeat(levels - 1), "]".repeat(levels - 1));
        END_BATTLE.replacen('{', &format!("{{\"Deep\": {inner}, "), 1)
    };
    let mut requests = vec![
        request("accepted", good(), body),
        request(
            "an OptPlatform and an OpType Tencent added since: accepted with warnings",
            good().replace("OptPlatform=RESTAPI", "OptPlatform=HarmonyOS"),
            END_BATTLE
                .replace("\"OpType\": 0", "\"OpType\": 3")
                .as_bytes(),
        ),
        request(
            "a content type spelled otherwise, no OptPlatform",
            good()
                .replace("contenttype=json", "contenttype=JSON")
                .replace("&OptPlatform=RESTAPI", ""),
            body,
        ),
        request("GET", good(), body),
        request("PUT", good(), body),
        request(
            "SdkAppid twice",
            format!("{}&SdkAppid={SDK_APP_ID}", good()),
            body,
        ),
        request(
            "SdkAppid twice, encoded differently",
            format!("{}&Sdk%41ppid=1", good()),
            body,
        ),
        request("no query", "/webhook".into(), body),
        request("an empty query", "/webhook?".into(), body),
        request(
            "SdkAppId spelt as in the overview",
            good().replace("SdkAppid", "SdkAppId"),
            body,
        ),
        request(
            "another application",
            good().replace(SDK_APP_ID, "1400000001"),
            body,
        ),
        request("empty SdkAppid", good().replace(SDK_APP_ID, ""), body),
        request("no Sign", format!("{plain}&RequestTime={T}"), body),
        request("no Sign nor RequestTime", plain.clone(), body),
        request("no RequestTime", format!("{plain}&Sign={documented}"), body),
        request(
            "RequestTime with a fraction",
            format!("{plain}&Sign={documented}&RequestTime={T}.0"),
            body,
        ),
        request(
            "RequestTime over u64",
            format!("{plain}&Sign={documented}&RequestTime=18446744073709551616"),
            body,
        ),
        request(
            "RequestTime u64::MAX",
            format!(
                "{plain}&Sign={}&RequestTime=18446744073709551615",
                sign(&Token::new(TOKEN), "18446744073709551615")
            ),
            body,
        ),
        request(
            "RequestTime with leading zeros",
            format!(
                "{plain}&Sign={}&RequestTime=000{T}",
                sign(&Token::new(TOKEN), &format!("000{T}"))
            ),
            body,
        ),
        request(
            "RequestTime 0",
            format!(
                "{plain}&Sign={}&RequestTime=0",
                sign(&Token::new(TOKEN), "0")
            ),
            body,
        ),
        request(
            "wrong Sign",
            good().replace(&documented, &"0".repeat(64)),
            body,
        ),
        request(
            "Sign in upper case",
            good().replace(&documented, &documented.to_ascii_uppercase()),
            body,
        ),
        request(
            "Sign one digit short",
            good().replace(&documented, &documented[..63]),
            body,
        ),
        request(
            "Sign percent-encoded",
            good().replace(
                &documented,
                &documented
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect::<String>(),
            ),
            body,
        ),
        request(
            "Sign of another time",
            format!("{plain}&Sign={documented}&RequestTime={}", T + 1),
            body,
        ),
        request(
            "no CallbackCommand in the URL",
            format!("/webhook?SdkAppid={SDK_APP_ID}&Sign={documented}&RequestTime={T}"),
            body,
        ),
        request(
            "unknown OptPlatform",
            good().replace("RESTAPI", "HarmonyOS"),
            body,
        ),
        request(
            "contenttype not json",
            good().replace("contenttype=json", "contenttype=xml"),
            body,
        ),
        request(
            "a + in ClientIP",
            good().replace("127.0.0.1", "127.0.0.1+x"),
            body,
        ),
        request("a whole URL", format!("http://example.com{}", good()), body),
        request("an unknown parameter", format!("{}&Extra=1", good()), body),
        request("not JSON", good(), b"{\"CallbackCommand\": "),
        request("empty body", good(), b""),
        request(
            "a byte order mark",
            good(),
            format!("\u{feff}{END_BATTLE}").as_bytes(),
        ),
        request("not UTF-8", good(), b"{\"CallbackCommand\": \"\xff\"}"),
        request(
            "a lone surrogate",
            good(),
            END_BATTLE.replace("pk-3", "\\ud800").as_bytes(),
        ),
        request(
            "an escaped pair",
            good(),
            END_BATTLE.replace("pk-3", "\\ud83d\\ude00").as_bytes(),
        ),
        request(
            "a number beyond a double",
            good(),
            END_BATTLE.replace("30000", "1e400").as_bytes(),
        ),
        request(
            "an integer of 400 digits",
            good(),
            END_BATTLE
                .replacen("{", &format!("{{\"Big\": {}, ", "9".repeat(400)), 1)
                .as_bytes(),
        ),
        request(
            "a tab in a string",
            good(),
            END_BATTLE.replace("pk-3", "pk\t3").as_bytes(),
        ),
        request(
            "a non-breaking space",
            good(),
            format!("{END_BATTLE}\u{a0}").as_bytes(),
        ),
        request(
            "trailing text",
            good(),
            format!("{END_BATTLE} x").as_bytes(),
        ),
        request("126 levels", good(), deep(126).as_bytes()),
        request("127 levels", good(), deep(127).as_bytes()),
        request("128 levels", good(), deep(128).as_bytes()),
        request("100000 levels", good(), deep(100_000).as_bytes()),
        request(
            "unknown command in the body",
            good(),
            br#"{"CallbackCommand": "Live.CallbackAfterNothing"}"#,
        ),
        request(
            "the configuration word",
            good(),
            br#"{"CallbackCommand": "Live.CallbackBeforeCallBackNotBlock"}"#,
        ),
        request("no command in the body", good(), b"{}"),
        request(
            "a command that is not a string",
            good(),
            br#"{"CallbackCommand": 5}"#,
        ),
        request("a JSON array", good(), b"[]"),
        request("a JSON string", good(), b"\"Live.CallbackAfterEndBattle\""),
        request(
            "URL says StartBattle, body EndBattle",
            signed_url("Live.CallbackAfterStartBattle", T),
            body,
        ),
        request(
            "unknown URL command, known body",
            signed_url("Live.CallbackAfterNothing", T),
            body,
        ),
        request(
            "schema violation",
            good(),
            br#"{"CallbackCommand": "Live.CallbackAfterEndBattle", "OpType": 7}"#,
        ),
        request(
            "integer with a fraction",
            good(),
            END_BATTLE.replace("30000", "30000.0").as_bytes(),
        ),
        request(
            "integer with an exponent",
            good(),
            END_BATTLE.replace("30000", "3e4").as_bytes(),
        ),
        request(
            "minus zero",
            good(),
            END_BATTLE
                .replace("\"Score\": 0", "\"Score\": -0")
                .as_bytes(),
        ),
        request(
            "a float in an unknown member",
            good(),
            END_BATTLE.replacen("{", "{\"Extra\": 1.5, ", 1).as_bytes(),
        ),
        request(
            "u64::MAX",
            good(),
            END_BATTLE
                .replace("144115245442327522", "18446744073709551615")
                .as_bytes(),
        ),
        request(
            "u64::MAX + 1",
            good(),
            END_BATTLE
                .replace("144115245442327522", "18446744073709551616")
                .as_bytes(),
        ),
        request(
            "u64::MAX as a float",
            good(),
            END_BATTLE
                .replace("144115245442327522", "18446744073709551615.0")
                .as_bytes(),
        ),
        request(
            "i64::MIN - 1",
            good(),
            END_BATTLE
                .replace("\"Score\": 0", "\"Score\": -9223372036854775809")
                .as_bytes(),
        ),
        request(
            "a member given twice",
            good(),
            END_BATTLE
                .replace("\"OpType\": 0", "\"OpType\": 7, \"OpType\": 0")
                .as_bytes(),
        ),
        request(
            "__proto__",
            good(),
            END_BATTLE
                .replacen("{", "{\"__proto__\": {\"x\": 1}, ", 1)
                .as_bytes(),
        ),
    ];
    let bodies: [(&str, u64, u64); 6] = [
        ("on time", T, 0),
        ("60 s late", T + 60, 0),
        ("60.001 s late", T + 60, 1),
        ("61 s late", T + 61, 0),
        ("60 s early", T - 60, 0),
        ("61 s early", T - 61, 0),
    ];
    for (what, seconds, millis) in bodies {
        let mut request = request(what, good(), body);
        request.now_ms = seconds * 1000 + millis;
        requests.push(request);
    }
    for method in ["GET", "PUT", "DELETE", "post"] {
        let mut request = request(format!("method {method}"), good(), body);
        request.method = method;
        requests.push(request);
    }
    let mut over = request(
        "body over the limit",
        good(),
        format!("{END_BATTLE:4097}").as_bytes(),
    );
    over.options.max_body_bytes = 4096;
    requests.push(over);
    let mut at = request(
        "body at the limit",
        good(),
        format!("{END_BATTLE:4096}").as_bytes(),
    );
    at.options.max_body_bytes = 4096;
    requests.push(at);
    let mut over_and_get = request(
        "over the limit and GET",
        good(),
        format!("{END_BATTLE:4097}").as_bytes(),
    );
    over_and_get.options.max_body_bytes = 4096;
    over_and_get.method = "GET";
    requests.push(over_and_get);
    for (what, url) in [
        ("no token: plain", plain.clone()),
        (
            "no token: stale and wrongly signed",
            format!("{plain}&Sign={}&RequestTime=1000", "0".repeat(64)),
        ),
        (
            "no token: Sign without RequestTime",
            format!("{plain}&Sign={documented}"),
        ),
        (
            "no token: another application",
            plain.replace(SDK_APP_ID, "1"),
        ),
    ] {
        let mut request = request(what, url, body);
        request.options.token = None;
        requests.push(request);
    }
    let webhook_command = good().replace("CallbackCommand=", "WebhookCommand=");
    requests.extend([
        request(
            "WebhookCommand in place of CallbackCommand",
            webhook_command.clone(),
            body,
        ),
        request(
            "both names, the same word",
            format!("{}&WebhookCommand=Live.CallbackAfterEndBattle", good()),
            body,
        ),
        request(
            "both names, different words",
            format!("{}&WebhookCommand=Live.CallbackAfterStartBattle", good()),
            body,
        ),
        request(
            "both names, different words, not JSON",
            format!("{}&WebhookCommand=X.Y", good()),
            b"x",
        ),
        request(
            "WebhookCommand naming another command",
            signed_url("Live.CallbackAfterStartBattle", T)
                .replace("CallbackCommand=", "WebhookCommand="),
            body,
        ),
        request(
            "WebhookCommand, an invalid packet",
            webhook_command,
            br#"{"CallbackCommand": "Live.CallbackAfterEndBattle"}"#,
        ),
        request(
            "no command word at all, an invalid packet",
            format!("/webhook?SdkAppid={SDK_APP_ID}&Sign={documented}&RequestTime={T}"),
            b"{}",
        ),
    ]);
    for (what, token) in [
        ("a token file's line break", "xxxxyyyy\n"),
        ("spaces and a tab around the token", " \txxxxyyyy  "),
        ("a Unicode space around the token", "\u{3000}xxxxyyyy"),
        ("a space inside the token", "xxxx yyyy"),
    ] {
        let mut request = request(what, good(), body);
        request.options.token = Some(token);
        requests.push(request);
    }
    let mut tolerant = request("a 300 s tolerance, 300 s late", good(), body);
    tolerant.options.tolerance_seconds = 300;
    tolerant.now_ms = (T + 300) * 1000;
    requests.push(tolerant);
    requests
}

/// Every request packet of the corpus, signed for its own command and for another one; and the
/// before-webhooks' refused packets under each policy.
fn from_the_corpus() -> Vec<Request> {
    let mut requests = Vec::new();
    for entry in corpus().into_iter().filter(|entry| entry.role == "request") {
        let body = entry.text.as_bytes();
        requests.push(request(
            format!("own URL: {}", entry.name),
            signed_url(entry.command, T),
            body,
        ));
        let other = if entry.command == "Live.CallbackBeforeSendGift" {
            "Group.CallbackBeforeSendMsg"
        } else {
            "Live.CallbackBeforeSendGift"
        };
        requests.push(request(
            format!("other URL: {}", entry.name),
            signed_url(other, T),
            body,
        ));
        let before = ["Live.CallbackBeforeSendGift", "Group.CallbackBeforeSendMsg"];
        if before.contains(&entry.command)
            && (entry.expected != Verdict::Valid || entry.decode_refused)
        {
            for policy in ["allow", "refuse"] {
                for (url_kind, url) in [
                    ("own", signed_url(entry.command, T)),
                    ("other", signed_url(other, T)),
                ] {
                    let mut request = request(
                        format!("{policy}, {url_kind} URL: {}", entry.name),
                        url,
                        body,
                    );
                    request.options.invalid_before_webhook = policy;
                    requests.push(request);
                }
            }
        }
    }
    requests
}

/// The Rust receiver's outcome, as the npm package's program prints it.
fn rust_outcome(receivers: &mut BTreeMap<Options, Receiver>, request: &Request) -> Value {
    let receiver = receivers
        .entry(request.options.clone())
        .or_insert_with(|| request.options.receiver());
    let body = hex::decode(&request.body_hex).expect("a body in hexadecimal");
    let method = http::Method::from_bytes(request.method.as_bytes()).unwrap();
    let uri: http::Uri = request
        .url
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", request.url));
    let now = UNIX_EPOCH + Duration::from_millis(request.now_ms);
    let received = if request.genuine {
        receiver.receive_genuine(&method, &uri, Bytes::from(body), now)
    } else {
        receiver
            .receive(&method, &uri, &body, now)
            .map(Genuine::Valid)
    };
    let (error, invalid) = match received {
        Ok(Genuine::Valid(delivery)) => {
            return json!({
                "accepted": true,
                "command": delivery.command().as_str(),
                "webhook": serde_json::to_value(&delivery.webhook).unwrap(),
                "body_hex": hex::encode(&delivery.body),
                "warnings": serde_json::to_value(&delivery.warnings).unwrap(),
            })
        }
        Ok(Genuine::Invalid(invalid)) => (invalid.error.clone(), Some(invalid)),
        Err(error) => (error, None),
    };
    let response = receiver.response_for(&error);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    json!({
        "accepted": false,
        "code": variant(&error),
        "authenticated": error.is_authenticated(),
        "command": error.command().map(|command| command.as_str()),
        "status": response.status().as_u16(),
        "allow": header("allow"),
        "content_type": header("content-type"),
        "body": String::from_utf8(response.body().clone()).unwrap(),
        "invalid": invalid.as_ref().map(described),
    })
}

/// What an invalid delivery holds, as the npm package's program prints it.
fn described(invalid: &InvalidDelivery) -> Value {
    json!({
        "code": variant(&invalid.error),
        "query": invalid.query,
        "parameters": invalid.parameters.is_some(),
        "url_issues": !invalid.url_violations.is_empty(),
        "body_hex": hex::encode(&invalid.body),
        "command_word": invalid.command_word,
        "command": invalid.command.map(|command| command.as_str()),
        "issues": !invalid.issues().is_empty(),
        "packet": invalid.packet.as_ref().map(integral),
        "webhook": invalid.webhook.is_some(),
    })
}

/// `value` with every double that holds an integer written as one (serde_json keeps `30000.0`
/// as a double, the npm package as the number 30000: the same value).
fn integral(value: &Value) -> Value {
    match value {
        Value::Number(number) if number.is_f64() => {
            // Exact conversions: an integral double below 2^64 (or from -2^63) is that integer.
            let double = number.as_f64().expect("a double");
            if double.fract() != 0.0 {
                value.clone()
            } else if (0.0..18_446_744_073_709_551_616.0).contains(&double) {
                json!(double as u64)
            } else if (-9_223_372_036_854_775_808.0..0.0).contains(&double) {
                json!(double as i64)
            } else {
                value.clone()
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(integral).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, value)| (key.clone(), integral(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The name of `error`'s variant (`SignMismatch`, `Schema`, ...): the npm package's
/// `ReceiveError.code`.
fn variant(error: &ReceiveError) -> String {
    let debug = format!("{error:?}");
    let end = debug.find([' ', '(', '{']).unwrap_or(debug.len());
    debug[..end].to_owned()
}

/// What the npm package printed, made comparable: its packets parsed as JSON.
fn package_outcome(mut line: Value) -> Value {
    let object = line.as_object_mut().expect("an object");
    object.remove("name");
    let parsed = |text: &str| -> Value {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    };
    if let Some(text) = object.get("webhook").and_then(Value::as_str) {
        let webhook = parsed(text);
        object.insert("webhook".into(), webhook);
    }
    if let Some(invalid) = object.get_mut("invalid").and_then(Value::as_object_mut) {
        if let Some(text) = invalid.get("packet").and_then(Value::as_str) {
            let packet = integral(&parsed(text));
            invalid.insert("packet".into(), packet);
        }
    }
    line
}

#[test]
fn receive_answers_every_request_as_the_rust_receiver_does() {
    let mut requests = hand_made();
    let hand_made_count = requests.len();
    requests.extend(from_the_corpus());
    // Each again, received by the application that asks for invalid deliveries.
    let genuine: Vec<Request> = requests
        .iter()
        .map(|request| Request {
            name: format!("{} (genuine)", request.name),
            method: request.method,
            url: request.url.clone(),
            body_hex: request.body_hex.clone(),
            now_ms: request.now_ms,
            options: request.options.clone(),
            genuine: true,
        })
        .collect();
    requests.extend(genuine);
    let ndjson: String = requests
        .iter()
        .map(|request| serde_json::to_string(request).unwrap() + "\n")
        .collect();
    let path = scratch("interop-receive.ndjson", &ndjson);
    let output = consumer().node("receive-parity", &[&path], b"");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(printed.len(), requests.len());

    let mut receivers = BTreeMap::new();
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut invalid_deliveries = 0;
    let mut differences = Vec::new();
    for (request, line) in requests.iter().zip(printed) {
        assert_eq!(line["name"], request.name.as_str());
        let rust = rust_outcome(&mut receivers, request);
        let package = package_outcome(line);
        let code = rust["code"].as_str().unwrap_or("accepted").to_owned();
        *codes.entry(code).or_default() += 1;
        if rust["invalid"].is_object() {
            invalid_deliveries += 1;
        }
        if rust != package {
            differences.push(format!(
                "{}:\n  Rust    {rust}\n  the npm package {package}",
                request.name
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} requests answered differently:\n{}",
        differences.len(),
        requests.len(),
        differences.join("\n")
    );
    // Every rejection `receive` can give was reached (BodyNotRead is the adapters').
    for code in [
        "accepted",
        "MethodNotAllowed",
        "BodyTooLarge",
        "RepeatedParameter",
        "SdkAppIdMissing",
        "SdkAppIdMismatch",
        "SignMissing",
        "RequestTimeMissing",
        "RequestTimeInvalid",
        "SignMismatch",
        "RequestTimeTooOld",
        "RequestTimeInFuture",
        "UrlCommandConflict",
        "UrlParameters",
        "NotJson",
        "UnknownCommand",
        "CommandMismatch",
        "Schema",
    ] {
        assert!(codes.contains_key(code), "no request got {code}: {codes:?}");
    }
    assert!(
        invalid_deliveries >= 100,
        "{invalid_deliveries} invalid deliveries described"
    );
    eprintln!(
        "{} requests ({hand_made_count} built by hand, each also received in the genuine mode), \
         one outcome from both receivers: {codes:?}, {invalid_deliveries} invalid deliveries",
        requests.len()
    );
}

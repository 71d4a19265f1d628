//! The examples validate, cover every enumerated value and the forms of account ids, are
//! reproducible, and keep times consistent.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use serde_json::{json, Value};
use trtc_live_examples::ExampleGenerator;
use trtc_live_types::Command;
use trtc_live_validate::{Options, Validator};

/// The bundle the generator reads, for the tests' own walk of the schemas.
/// Seeds of the examples checked; [`PER_SEED`] packets each, 300 per command.
const SEEDS: [u64; 6] = [0, 1, 42, 2025, 0xDEAD_BEEF, u64::MAX];
const PER_SEED: usize = 50;
/// 2^53: integers above it may not survive a double.
const TWO_POW_53: u64 = 1 << 53;
/// 2025-01-01 and 2027-01-01, Unix seconds.
const RECENT: std::ops::Range<u64> = 1_735_689_600..1_798_761_600;

struct Examples {
    requests: Vec<Value>,
    responses: Vec<Value>,
}

static EXAMPLES: LazyLock<HashMap<Command, Examples>> = LazyLock::new(|| {
    let mut examples = HashMap::new();
    for &command in Command::ALL {
        let mut requests = Vec::new();
        let mut responses = Vec::new();
        for seed in SEEDS {
            let mut generator = ExampleGenerator::new(seed);
            for _ in 0..PER_SEED {
                requests.push(generator.request(command));
                responses.push(generator.response(command));
            }
        }
        examples.insert(
            command,
            Examples {
                requests,
                responses,
            },
        );
    }
    examples
});

static BUNDLE: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(trtc_live_types::BUNDLED_SCHEMA).unwrap());

fn examples(command: Command) -> &'static Examples {
    &EXAMPLES[&command]
}

fn validators() -> [(&'static str, Validator); 2] {
    [
        ("lenient", Validator::new().unwrap()),
        (
            "strict",
            Validator::with_options(Options { strict: true }).unwrap(),
        ),
    ]
}

fn definition(name: &str) -> &'static Value {
    &BUNDLE["definitions"][name]
}

fn request_definition(command: Command) -> &'static Value {
    definition(command.request_type_name())
}

fn response_definition(command: Command) -> &'static Value {
    definition(command.response_type_name())
}

#[test]
fn every_request_validates_in_strict_and_lenient_mode() {
    for (mode, validator) in validators() {
        for &command in Command::ALL {
            let requests = &examples(command).requests;
            assert_eq!(requests.len(), 300);
            for packet in requests {
                let webhook = validator
                    .validate_value(packet.clone())
                    .unwrap_or_else(|e| panic!("{mode} {command:?}: {e:?}\n{packet}"));
                assert_eq!(webhook.command(), command);
                assert_eq!(packet["CallbackCommand"], command.as_str());
            }
        }
    }
}

#[test]
fn every_response_validates_in_strict_and_lenient_mode() {
    for (mode, validator) in validators() {
        for &command in Command::ALL {
            for packet in &examples(command).responses {
                validator
                    .validate_response_value(command, packet.clone())
                    .unwrap_or_else(|e| panic!("{mode} {command:?}: {e:?}\n{packet}"));
            }
        }
    }
}

#[test]
fn many_seeds_give_valid_packets() {
    let validator = Validator::with_options(Options { strict: true }).unwrap();
    let seeds = (0..40).chain([u64::MAX, u64::MAX - 1, 1 << 63, 0x5EED]);
    for seed in seeds {
        let mut generator = ExampleGenerator::new(seed);
        for &command in Command::ALL {
            let packet = generator.request(command);
            assert!(validator.validate_value(packet.clone()).is_ok(), "{packet}");
            let answer = generator.response(command);
            let verdict = validator.validate_response_value(command, answer.clone());
            assert!(verdict.is_ok(), "{answer}");
        }
    }
}

/// `(property name, value as JSON)` of every `enum` value below `schema` (array items count
/// under the array's name; the root's under "").
fn enum_values(schema: &Value, name: &str, depth: usize, out: &mut BTreeSet<(String, String)>) {
    assert!(depth < 32, "schema too deep");
    let Some(map) = schema.as_object() else {
        return;
    };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        let target = reference.strip_prefix("#/definitions/").unwrap();
        return enum_values(definition(target), name, depth + 1, out);
    }
    for value in map
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.insert((name.to_owned(), value.to_string()));
    }
    for (key, sub) in map
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        enum_values(sub, key, depth + 1, out);
    }
    for keyword in ["items"] {
        if let Some(sub) = map.get(keyword) {
            enum_values(sub, name, depth + 1, out);
        }
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        for sub in map
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            enum_values(sub, name, depth + 1, out);
        }
    }
    for (_, sub) in map
        .get("dependencies")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if sub.is_object() {
            enum_values(sub, name, depth + 1, out);
        }
    }
}

/// `(member name, value as JSON)` of every member of `value`, at any depth (array items
/// count under the array's name).
fn member_values(value: &Value, name: &str, out: &mut BTreeSet<(String, String)>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                member_values(member, key, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                member_values(item, name, out);
            }
        }
        _ => {}
    }
    out.insert((name.to_owned(), value.to_string()));
}

#[test]
fn every_enum_value_of_every_schema_occurs() {
    for &command in Command::ALL {
        let packets = examples(command);
        for (schema, values) in [
            (request_definition(command), &packets.requests),
            (response_definition(command), &packets.responses),
        ] {
            let mut expected = BTreeSet::new();
            enum_values(schema, "", 0, &mut expected);
            assert!(!expected.is_empty() || schema["allOf"].is_array());
            let mut seen = BTreeSet::new();
            for value in values {
                member_values(value, "", &mut seen);
            }
            let missing: Vec<_> = expected.difference(&seen).collect();
            assert!(
                missing.is_empty(),
                "{command:?}: never generated {missing:?}"
            );
        }
    }
}

#[test]
fn the_enum_walk_finds_the_enums_it_should() {
    let mut found = BTreeSet::new();
    enum_values(
        request_definition(Command::LiveCallbackAfterEndBattle),
        "",
        0,
        &mut found,
    );
    assert!(found.contains(&("OpType".to_owned(), "2".to_owned())));
    let mut found = BTreeSet::new();
    let response = response_definition(Command::GroupCallbackBeforeSendMsg);
    enum_values(response, "", 0, &mut found);
    for value in ["0", "1", "2"] {
        assert!(found.contains(&("ErrorCode".to_owned(), value.to_owned())));
    }
    assert!(found.contains(&("ActionStatus".to_owned(), "\"FAIL\"".to_owned())));
}

/// Names of the properties whose values are account ids, from the schemas.
fn account_properties() -> BTreeSet<String> {
    let is_account = |schema: &Value| {
        schema["$ref"] == "#/definitions/AccountId"
            || schema["items"]["$ref"] == "#/definitions/AccountId"
    };
    let mut names = BTreeSet::new();
    for definition in BUNDLE["definitions"].as_object().unwrap().values() {
        for (name, schema) in definition["properties"].as_object().into_iter().flatten() {
            if is_account(schema) {
                names.insert(name.clone());
            }
        }
    }
    names
}

fn collect_accounts(value: &Value, names: &BTreeSet<String>, out: &mut Vec<Value>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                if names.contains(key) {
                    match member {
                        Value::Array(items) => out.extend(items.iter().cloned()),
                        other => out.push(other.clone()),
                    }
                }
                collect_accounts(member, names, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_accounts(i, names, out)),
        _ => {}
    }
}

#[test]
fn account_ids_come_in_every_form() {
    let names = account_properties();
    assert!(names.contains("Owner_Account") && names.contains("To_Account"));
    let mut accounts = Vec::new();
    for &command in Command::ALL {
        for packet in &examples(command).requests {
            collect_accounts(packet, &names, &mut accounts);
        }
    }
    let large_integer = |v: &Value| v.as_u64().is_some_and(|n| n > TWO_POW_53);
    let not_a_double = |v: &Value| v.as_u64().is_some_and(|n| (n as f64) as u64 != n);
    let name = |v: &Value| {
        v.as_str()
            .is_some_and(|s| !s.bytes().all(|b| b.is_ascii_digit()))
    };
    let large_digits = |v: &Value| {
        v.as_str().is_some_and(|s| {
            s.bytes().all(|b| b.is_ascii_digit())
                && s.parse::<u128>().is_ok_and(|n| n > u128::from(TWO_POW_53))
        })
    };
    let small_integer = |v: &Value| v.as_u64().is_some_and(|n| n <= TWO_POW_53);
    for (what, check) in [
        (
            "an integer beyond 2^53",
            &large_integer as &dyn Fn(&Value) -> bool,
        ),
        ("an integer a double cannot hold", &not_a_double),
        ("a name", &name),
        ("a digit string beyond 2^53", &large_digits),
        ("an integer within 2^53", &small_integer),
    ] {
        let count = accounts.iter().filter(|v| check(v)).count();
        assert!(
            count * 20 >= accounts.len(),
            "{what}: {count} of {}",
            accounts.len()
        );
    }
    assert!(accounts.iter().all(|v| v.is_string() || v.is_u64()));
}

#[test]
fn an_integer_id_beyond_2_pow_53_survives_serialization_exactly() {
    let packet = examples(Command::LiveCallbackAfterEndBattle)
        .requests
        .iter()
        .find(|p| {
            let owner = &p["FromRoomInfo"]["Owner_Account"];
            owner.as_u64().is_some_and(|n| (n as f64) as u64 != n)
        })
        .expect("an owner id that a double cannot hold");
    let id = packet["FromRoomInfo"]["Owner_Account"].as_u64().unwrap();
    let text = serde_json::to_string(packet).unwrap();
    assert!(text.contains(&format!("\"Owner_Account\":{id}")), "{text}");
    let back: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back["FromRoomInfo"]["Owner_Account"].as_u64(), Some(id));
    assert_eq!(&back, packet);
}

#[test]
fn the_same_seed_gives_the_same_packets_and_another_seed_others() {
    let run = |seed| {
        let mut generator = ExampleGenerator::new(seed);
        let mut out = Vec::new();
        for _ in 0..5 {
            for &command in Command::ALL {
                out.push(generator.request(command).to_string());
                out.push(generator.response(command).to_string());
            }
        }
        out
    };
    assert_eq!(run(9), run(9));
    let (nine, ten) = (run(9), run(10));
    assert_ne!(nine, ten);
    let differing = nine.iter().zip(&ten).filter(|(a, b)| a != b).count();
    assert!(
        differing * 2 > nine.len(),
        "only {differing} packets differ"
    );
}

fn number(value: &Value) -> u64 {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("not a time: {value}"))
}

#[test]
fn battle_times_are_consistent() {
    let mut reasons = BTreeSet::new();
    for packet in &examples(Command::LiveCallbackAfterEndBattle).requests {
        let [created, started, ended, duration, event, reason] = [
            "CreateTime",
            "StartTime",
            "EndTime",
            "Duration",
            "EventTime",
            "OpType",
        ]
        .map(|name| number(&packet[name]));
        assert!(created <= started && started <= ended, "{packet}");
        assert!(event >= ended * 1000, "{packet}");
        match reason {
            0 => assert_eq!(duration, (ended - started) * 1000, "{packet}"),
            1 => assert!(duration > (ended - started) * 1000, "{packet}"),
            _ => assert_eq!(started, created, "{packet}"),
        }
        reasons.insert(reason);
    }
    assert_eq!(reasons, BTreeSet::from([0, 1, 2]));
    for packet in &examples(Command::LiveCallbackAfterStartBattle).requests {
        let [created, started, duration, event] =
            ["CreateTime", "StartTime", "Duration", "EventTime"].map(|name| number(&packet[name]));
        assert!(created <= started && event >= started * 1000, "{packet}");
        assert!(duration >= 1000 && duration % 1000 == 0, "{packet}");
    }
}

/// Every member named like a time in seconds, at any depth.
fn seconds_fields(value: &Value, out: &mut Vec<(String, u64)>) {
    const SECONDS: [&str; 5] = ["CreateTime", "StartTime", "EndTime", "Time", "MsgTime"];
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                if SECONDS.contains(&key.as_str()) {
                    out.push((key.clone(), number(member)));
                }
                seconds_fields(member, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| seconds_fields(i, out)),
        _ => {}
    }
}

#[test]
fn times_are_recent_and_never_after_the_event() {
    let mut string_event_times = 0;
    for &command in Command::ALL {
        for packet in &examples(command).requests {
            let mut seconds = Vec::new();
            seconds_fields(packet, &mut seconds);
            for (name, value) in &seconds {
                assert!(RECENT.contains(value), "{name} {packet}");
            }
            let Some(event) = packet.get("EventTime") else {
                continue;
            };
            string_event_times += usize::from(event.is_string());
            let event = number(event);
            assert!(RECENT.contains(&(event / 1000)), "{packet}");
            for (name, value) in seconds {
                assert!(event >= value * 1000, "{name} {packet}");
            }
        }
    }
    assert!(string_event_times > 100, "{string_event_times}");
}

#[test]
fn a_room_is_created_at_its_creation_event_and_before_other_events() {
    let mut checked = 0;
    for packet in &examples(Command::LiveCallbackAfterCreateRoom).requests {
        if let (Some(created), Some(event)) = (
            packet["RoomInfo"].get("CreateTime"),
            packet.get("EventTime"),
        ) {
            assert_eq!(number(created), number(event) / 1000, "{packet}");
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked}");
    for packet in &examples(Command::LiveCallbackAfterDestroyRoom).requests {
        if let Some(created) = packet["RoomInfo"].get("CreateTime") {
            assert!(
                number(created) + 60 <= number(&packet["EventTime"]) / 1000,
                "{packet}"
            );
        }
    }
}

#[test]
fn members_follow_the_schema_property_order() {
    fn check(value: &Value, schema: &Value) {
        let schema = match schema["$ref"].as_str() {
            Some(r) => definition(r.trim_start_matches("#/definitions/")),
            None => schema,
        };
        let wrapper = schema.get("properties").is_none();
        let schema = if let Some(first) = schema["allOf"].get(0).filter(|_| wrapper) {
            let target = first["$ref"].as_str().unwrap();
            definition(target.trim_start_matches("#/definitions/"))
        } else {
            schema
        };
        match value {
            Value::Object(members) => {
                let order: Vec<&String> = schema["properties"]
                    .as_object()
                    .map(|p| p.keys().collect())
                    .unwrap_or_default();
                let positions: Vec<usize> = members
                    .keys()
                    .filter_map(|k| order.iter().position(|o| *o == k))
                    .collect();
                if !order.is_empty() {
                    assert_eq!(positions.len(), members.len(), "{value}");
                    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{value}");
                }
                for (key, member) in members {
                    check(member, &schema["properties"][key]);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| check(i, &schema["items"])),
            _ => {}
        }
    }
    for &command in Command::ALL {
        for packet in examples(command).requests.iter().take(60) {
            check(packet, request_definition(command));
        }
        for packet in examples(command).responses.iter().take(60) {
            check(packet, response_definition(command));
        }
    }
}

#[test]
fn before_webhook_answers_vary_their_decision() {
    let gift = &examples(Command::LiveCallbackBeforeSendGift).responses;
    let codes: Vec<i64> = gift
        .iter()
        .map(|r| r["ErrorCode"].as_i64().unwrap())
        .collect();
    assert!(codes.contains(&0) && codes.contains(&1));
    assert!(codes.iter().any(|c| (102_100..=102_200).contains(c)));
    for answer in gift {
        let code = answer["ErrorCode"].as_i64().unwrap();
        if (102_100..=102_200).contains(&code) {
            assert_ne!(answer["ErrorInfo"], "", "{answer}");
        }
    }

    let message = &examples(Command::GroupCallbackBeforeSendMsg).responses;
    let decision = |answer: &Value| -> &'static str {
        match answer["ErrorCode"].as_i64().unwrap() {
            0 if answer.get("MsgBody").is_some() => "rewrite body",
            0 if answer.get("CloudCustomData").is_some() => "rewrite data",
            0 => "send",
            1 => "forbid",
            2 => "drop",
            10_100..=10_200 => "forbid with code",
            _ => "other",
        }
    };
    let decisions: BTreeSet<&str> = message.iter().map(decision).collect();
    let expected = BTreeSet::from([
        "rewrite body",
        "rewrite data",
        "send",
        "forbid",
        "drop",
        "forbid with code",
    ]);
    assert_eq!(decisions, expected);
}

#[test]
fn notification_answers_are_mostly_ok() {
    let answers = &examples(Command::LiveCallbackAfterEndBattle).responses;
    let ok = answers.iter().filter(|a| a["ActionStatus"] == "OK").count();
    assert!(ok * 10 >= answers.len() * 8 && ok < answers.len(), "{ok}");
    for answer in answers {
        let is_ok = answer["ActionStatus"] == "OK";
        assert_eq!(is_ok, answer["ErrorCode"] == 0, "{answer}");
        assert_eq!(is_ok, answer["ErrorInfo"] == "", "{answer}");
    }
}

#[test]
fn message_bodies_hold_chat_elements() {
    let mut types = BTreeSet::new();
    for command in [
        Command::GroupCallbackAfterSendMsg,
        Command::GroupCallbackBeforeSendMsg,
    ] {
        for packet in &examples(command).requests {
            let body = packet["MsgBody"].as_array().unwrap();
            assert!(!body.is_empty());
            for element in body {
                let kind = element["MsgType"].as_str().unwrap();
                let content = &element["MsgContent"];
                match kind {
                    "TIMTextElem" => assert!(content["Text"].is_string()),
                    "TIMCustomElem" => assert!(content["Data"].is_string()),
                    "TIMFaceElem" => assert!(content["Index"].is_u64()),
                    "TIMLocationElem" => assert!(content["Latitude"].is_f64()),
                    other => panic!("unexpected element type {other}"),
                }
                types.insert(kind.to_owned());
            }
        }
    }
    assert_eq!(types.len(), 4);
}

#[test]
fn a_packet_speaks_of_one_room_and_invites_others() {
    for packet in &examples(Command::LiveCallbackAfterDestroyRoom).requests {
        if let Some(inner) = packet["RoomInfo"].get("RoomId") {
            assert_eq!(inner, &packet["RoomId"], "{packet}");
        }
    }
    for packet in &examples(Command::LiveCallbackAfterEndBattle).requests {
        let mut rooms = vec![packet["FromRoomInfo"]["RoomId"].clone()];
        rooms.extend(
            packet["ToRoomList"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["RoomId"].clone()),
        );
        let distinct: BTreeSet<String> = rooms.iter().map(Value::to_string).collect();
        assert_eq!(distinct.len(), rooms.len(), "{packet}");
    }
}

/// One snapshot per webhook, each from a generator of its own (seed 1), so that a webhook added
/// later adds its snapshot and changes none of the others.
#[test]
fn one_example_of_each_packet() {
    for &command in Command::ALL {
        let mut generator = ExampleGenerator::new(1);
        let request = generator.request(command);
        let response = generator.response(command);
        insta::assert_json_snapshot!(
            format!("one_example_of_each_packet__{command}"),
            json!({"request": request, "response": response})
        );
    }
}

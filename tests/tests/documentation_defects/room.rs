//! Documentation defects of the room webhooks, asserted on the verbatim samples.

use serde_json::Value;
use trtc_live_tests::{sample_text, sample_value as sample};
use trtc_live_validate::parse_jsonc;

const CREATE_ROOM: &str = "Live.CallbackAfterCreateRoom";
const DESTROY_ROOM: &str = "Live.CallbackAfterDestroyRoom";
const UPDATE_ROOM_INFO: &str = "Live.CallbackAfterUpdateRoomInfo";
const SET_METADATA: &str = "Live.CallbackAfterSetMetadata";
const DEL_METADATA: &str = "Live.CallbackAfterDelMetadata";
const THRESHOLD: &str = "Live.CallbackAfterCreateRoomReachingThreshold";

/// Discrepancy D: the Create Room table lists `EventTime`, but the sample does not print it (so
/// the schema makes it optional).
#[test]
fn create_room_sample_lacks_the_documented_event_time() {
    let request = sample(CREATE_ROOM, "request.jsonc");
    assert!(request.get("EventTime").is_none());
    assert!(!sample_text(CREATE_ROOM, "request.jsonc").contains("EventTime"));
    // Every other room webhook prints it.
    for (command, file) in [
        (DESTROY_ROOM, "request.jsonc"),
        (DESTROY_ROOM, "request.older-revision.corrected.jsonc"),
        (DESTROY_ROOM, "request.third-party-capture.jsonc"),
        (UPDATE_ROOM_INFO, "request.corrected.jsonc"),
        (SET_METADATA, "request.jsonc"),
        (DEL_METADATA, "request.jsonc"),
        (THRESHOLD, "request.jsonc"),
    ] {
        assert!(
            sample(command, file)["EventTime"].is_u64(),
            "{command}/{file}"
        );
    }
}

/// Discrepancy D: `RoomInfo` (and `Statistic`) are not rows of the field tables, which list their
/// members flat; the samples print them as objects.
#[test]
fn room_info_and_statistic_are_objects_not_flat_members() {
    for (command, file) in [
        (CREATE_ROOM, "request.jsonc"),
        (DESTROY_ROOM, "request.jsonc"),
        (DESTROY_ROOM, "request.third-party-capture.jsonc"),
        (UPDATE_ROOM_INFO, "request.corrected.jsonc"),
    ] {
        let request = sample(command, file);
        assert!(request["RoomInfo"].is_object(), "{command}/{file}");
        assert!(request.get("RoomName").is_none(), "{command}/{file}");
    }
    let destroy = sample(DESTROY_ROOM, "request.jsonc");
    let statistic = destroy["Statistic"].as_object().unwrap();
    assert_eq!(statistic.len(), 5);
    assert!(statistic.values().all(Value::is_u64));
    assert!(destroy.get("TotalViewers").is_none());
}

/// Discrepancy A9: the tables describe `RoomType` as "Meeting (Meeting Room)"; every sample
/// prints `Live`.
#[test]
fn room_type_is_live_not_meeting() {
    for (command, file) in [
        (CREATE_ROOM, "request.jsonc"),
        (DESTROY_ROOM, "request.jsonc"),
        (DESTROY_ROOM, "request.third-party-capture.jsonc"),
    ] {
        assert_eq!(
            sample(command, file)["RoomInfo"]["RoomType"],
            "Live",
            "{command}/{file}"
        );
    }
}

/// Discrepancy E: Create Room's `CreateTime` is described as a "scheduled meeting start time";
/// the sample prints a 10-digit creation time in seconds. It is the Destroy Room sample's
/// `EventTime` (milliseconds, 13 digits) of the same room, `tandy-test-rest`, cut to seconds.
#[test]
fn create_room_create_time_is_unix_seconds() {
    let create = sample(CREATE_ROOM, "request.jsonc");
    let create_time = create["RoomInfo"]["CreateTime"].as_u64().unwrap();
    assert_eq!(create_time, 1_703_589_922);
    assert_eq!(create_time.to_string().len(), 10);
    let destroy = sample(DESTROY_ROOM, "request.jsonc");
    assert_eq!(destroy["RoomId"], create["RoomInfo"]["RoomId"]);
    let event_time = destroy["EventTime"].as_u64().unwrap();
    assert_eq!(event_time.to_string().len(), 13);
    assert_eq!(event_time / 1000, create_time);
}

/// Discrepancies A2 and B: Destroy Room's `Owner_Account` is documented as String but printed as
/// the bare integer 144115216631667826, beyond 2^53: a double changes it to 144115216631667840.
/// The captured real payload prints a string; Create Room prints a quoted name (I).
#[test]
fn destroy_room_owner_account_is_an_integer_beyond_2_pow_53() {
    let text = sample_text(DESTROY_ROOM, "request.jsonc");
    assert!(text.contains("\"Owner_Account\": 144115216631667826,"));
    let request = sample(DESTROY_ROOM, "request.jsonc");
    let owner = &request["RoomInfo"]["Owner_Account"];
    assert_eq!(owner.as_u64(), Some(144_115_216_631_667_826));
    assert_eq!(
        144_115_216_631_667_826_u64 as f64 as u64,
        144_115_216_631_667_840
    );
    // Through a double (what JavaScript's JSON.parse does), the digits change.
    let through_f64: Value = serde_json::from_str(&format!("{}", owner.as_f64().unwrap())).unwrap();
    assert_ne!(through_f64.as_u64(), Some(144_115_216_631_667_826));

    let capture = sample(DESTROY_ROOM, "request.third-party-capture.jsonc");
    assert_eq!(capture["RoomInfo"]["Owner_Account"], "10100015411");
    let create = sample(CREATE_ROOM, "request.jsonc");
    assert_eq!(create["RoomInfo"]["Owner_Account"], "user3");
}

/// Discrepancy D: the Destroy Room sample's `RoomInfo` has no `RoomId`; the captured real payload
/// has one. Every `RoomInfo` member is therefore optional.
#[test]
fn destroy_room_sample_room_info_lacks_room_id_but_the_capture_has_it() {
    let request = sample(DESTROY_ROOM, "request.jsonc");
    assert!(request["RoomInfo"].get("RoomId").is_none());
    let capture = sample(DESTROY_ROOM, "request.third-party-capture.jsonc");
    assert_eq!(capture["RoomInfo"]["RoomId"], "436");
    assert_eq!(capture["RoomInfo"]["RoomId"], capture["RoomId"]);
}

/// Discrepancy C: the older revision of the Destroy Room sample has no comma after
/// `"EventType":"DestroyByUser"`. The spec's machine check (Python, comments removed) stops at
/// line 6 column 1; ours stops at the same place: the `"` that opens `"EventTime"`.
#[test]
fn destroy_room_older_revision_misses_a_comma() {
    let text = sample_text(DESTROY_ROOM, "request.older-revision.jsonc");
    assert!(text.contains("\"EventType\":\"DestroyByUser\" //"));
    assert_eq!(text.lines().nth(5), Some("\"EventTime\":1703589922780"));
    let error = parse_jsonc(text.as_bytes()).unwrap_err();
    assert_eq!((error.line, error.column), (6, 1), "{error}");
    let corrected = sample(DESTROY_ROOM, "request.older-revision.corrected.jsonc");
    assert_eq!(corrected["EventType"], "DestroyByUser");
}

/// Discrepancy J: the older revision of Destroy Room prints five fields, without `RoomInfo` and
/// `Statistic`; the captured real payload has no `Statistic` either. Both are optional.
#[test]
fn destroy_room_room_info_and_statistic_are_not_always_printed() {
    let older = sample(DESTROY_ROOM, "request.older-revision.corrected.jsonc");
    let mut keys: Vec<&str> = older
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "CallbackCommand",
            "EventTime",
            "EventType",
            "Operator_Account",
            "RoomId"
        ]
    );
    let capture = sample(DESTROY_ROOM, "request.third-party-capture.jsonc");
    assert!(capture["RoomInfo"].is_object());
    assert!(capture.get("Statistic").is_none());
    // The capture is a system destroy, by the system account.
    assert_eq!(capture["EventType"], "DestroyBySystem");
    assert_eq!(capture["Operator_Account"], "@TIM#SYSTEM");
}

/// The captured payload is kept byte for byte: plain JSON with `\u` escapes, as captured.
#[test]
fn destroy_room_capture_is_plain_json_with_its_escapes() {
    let text = sample_text(DESTROY_ROOM, "request.third-party-capture.jsonc");
    assert!(text.contains(r#""RoomName":"\u590f\u5b6340\u5ea6""#));
    let capture: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        capture["RoomInfo"]["RoomName"],
        "\u{590f}\u{5b63}40\u{5ea6}"
    );
}

/// Discrepancy C: the Update Room Info sample has no comma between the `}` that closes
/// `RoomInfo` (line 15) and `"EventTime"`. The spec's machine check stops at line 16 column 1;
/// ours too.
#[test]
fn update_room_info_sample_misses_a_comma() {
    let text = sample_text(UPDATE_ROOM_INFO, "request.jsonc");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[14], "}");
    assert!(lines[15].starts_with("\"EventTime\""));
    let error = parse_jsonc(text.as_bytes()).unwrap_err();
    assert_eq!((error.line, error.column), (16, 1), "{error}");
    let corrected = sample(UPDATE_ROOM_INFO, "request.corrected.jsonc");
    assert_eq!(corrected["RoomInfo"]["RoomId"], "live-room");
}

/// Discrepancy C: the Update Room Info sample glues its comment to the value; that is still
/// JSONC, and the value is the 13-digit millisecond time.
#[test]
fn update_room_info_comment_is_glued_to_the_event_time() {
    let text = sample_text(UPDATE_ROOM_INFO, "request.jsonc");
    assert!(text.contains("\"EventTime\":1670574414123// Millisecond level"));
    let corrected = sample(UPDATE_ROOM_INFO, "request.corrected.jsonc");
    assert_eq!(corrected["EventTime"].as_u64(), Some(1_670_574_414_123));
}

/// Discrepancy F: Delete Metadata's parameter table says the command word is
/// `Live.CallbackAfterSetMetadata`; the sample prints `Live.CallbackAfterDelMetadata`, with the
/// deleted `Keys` rather than Set Metadata's `Metadata` entries.
#[test]
fn del_metadata_sample_uses_its_own_command_word() {
    let request = sample(DEL_METADATA, "request.jsonc");
    assert_eq!(request["CallbackCommand"], DEL_METADATA);
    assert_ne!(request["CallbackCommand"], SET_METADATA);
    assert_eq!(request["Keys"], serde_json::json!(["key1", "key2"]));
    assert!(request.get("Metadata").is_none());
    let set = sample(SET_METADATA, "request.jsonc");
    assert_eq!(set["CallbackCommand"], SET_METADATA);
    assert!(set["Metadata"].is_array());
}

/// Discrepancy D: Set Metadata's entries are described only by their members (`Key`, `Value`
/// rows); the sample prints an array of `{Key, Value}` objects of strings.
#[test]
fn set_metadata_entries_are_key_value_objects() {
    let request = sample(SET_METADATA, "request.jsonc");
    let entries = request["Metadata"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    for entry in entries {
        let entry = entry.as_object().unwrap();
        assert_eq!(entry.len(), 2);
        assert!(entry["Key"].is_string() && entry["Value"].is_string());
    }
}

/// Discrepancies A5 and A6: `CurRoomCount` is documented as String and `MaxRoomCount` as Array;
/// the sample prints both as bare integers (400 of 500 rooms).
#[test]
fn threshold_room_counts_are_integers() {
    let text = sample_text(THRESHOLD, "request.jsonc");
    assert!(text.contains("\"CurRoomCount\": 400,"));
    assert!(text.contains("\"MaxRoomCount\": 500\n"));
    let request = sample(THRESHOLD, "request.jsonc");
    assert_eq!(request["CurRoomCount"].as_u64(), Some(400));
    assert_eq!(request["MaxRoomCount"].as_u64(), Some(500));
    assert!(!request["CurRoomCount"].is_string());
    assert!(!request["MaxRoomCount"].is_array());
}

//! Documentation defects of the user mic battle webhooks, asserted on the verbatim samples.
//!
//! Webhooks: Live.CallbackAfterMemberStateChanged, Live.CallbackAfterChangeOwner,
//! Live.CallbackAfterModifyAdmin, Mic.CallbackAfterSeatInfoChanged,
//! Live.CallbackAfterCreateBattle and Live.CallbackAfterStartBattle (End Battle is tested in
//! the parent module). Each test names the discrepancy it covers; the decision is written in
//! the schema's description.

use serde_json::Value;
use trtc_live_tests::{sample_text, sample_value as sample};
use trtc_live_types::Command;
use trtc_live_validate::{parse_jsonc, Validator};

/// The corrected copy without its first line (the comment saying what was edited).
fn corrected_body(command: &str) -> String {
    let text = sample_text(command, "request.corrected.jsonc");
    let (first, body) = text.split_once('\n').unwrap();
    assert!(
        first.starts_with("// Corrected copy of request.jsonc: "),
        "{command}: {first}"
    );
    body.to_owned()
}

const MEMBER_STATE: &str = "Live.CallbackAfterMemberStateChanged";
const CHANGE_OWNER: &str = "Live.CallbackAfterChangeOwner";
const MODIFY_ADMIN: &str = "Live.CallbackAfterModifyAdmin";
const SEAT_INFO: &str = "Mic.CallbackAfterSeatInfoChanged";
const CREATE_BATTLE: &str = "Live.CallbackAfterCreateBattle";
const START_BATTLE: &str = "Live.CallbackAfterStartBattle";

const MEMBER_STATE_SAMPLES: [&str; 2] = ["request.jsonc", "request.older-revision.jsonc"];

// --- Live.CallbackAfterMemberStateChanged -----------------------------------------------------

/// Discrepancy F: the request-parameter table says the command word is
/// `Live.CallbackMemberStateChanged`; both samples print `Live.CallbackAfterMemberStateChanged`,
/// the word we accept. The table's word is not a command word at all.
#[test]
fn member_state_changed_samples_print_the_after_command_word() {
    for name in MEMBER_STATE_SAMPLES {
        let sample = sample(MEMBER_STATE, name);
        assert_eq!(sample["CallbackCommand"], MEMBER_STATE, "{name}");
    }
    assert!(Command::from_command_word("Live.CallbackMemberStateChanged").is_none());
    assert!(Command::from_command_word(MEMBER_STATE).is_some());
}

/// Discrepancy D: the English field table has no row for `MemberList[].Member_Account`; every
/// element of both samples prints it (as a quoted name), so the schema requires it.
#[test]
fn member_state_changed_member_account_is_in_every_element() {
    for name in MEMBER_STATE_SAMPLES {
        let sample = sample(MEMBER_STATE, name);
        let members = sample["MemberList"].as_array().unwrap();
        assert_eq!(members.len(), 2, "{name}");
        for member in members {
            assert!(member["Member_Account"].is_string(), "{name}: {member}");
        }
        assert_eq!(sample["MemberList"][0]["Member_Account"], "jared");
    }
}

/// Discrepancy J: the newest revision lists five causes (adds `Kicked`), the older one four; the
/// two samples differ only in that comment. The schema accepts all five.
#[test]
fn member_state_changed_kicked_is_only_in_the_newest_revision() {
    let newest = sample_text(MEMBER_STATE, "request.jsonc");
    let older = sample_text(MEMBER_STATE, "request.older-revision.jsonc");
    assert!(newest.contains("// Five types:") && newest.contains("Kicked (kicked out)"));
    assert!(older.contains("// Four types:") && !older.contains("Kicked"));
    let differing: Vec<(&str, &str)> = newest
        .lines()
        .zip(older.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(differing.len(), 1, "{differing:#?}");
    assert!(differing[0]
        .0
        .trim_start()
        .starts_with("\"EventCause\":\"Enter\","));
    assert_eq!(newest.lines().count(), older.lines().count());
    // Same tokens: the parsed values are equal.
    assert_eq!(
        sample(MEMBER_STATE, "request.jsonc"),
        sample(MEMBER_STATE, "request.older-revision.jsonc")
    );
    // Both revisions' causes validate, Kicked included.
    let validator = Validator::new().unwrap();
    for cause in [
        "Enter",
        "Leave",
        "HeartbeatInterrupt",
        "HeartbeatRecover",
        "Kicked",
    ] {
        let mut packet = sample(MEMBER_STATE, "request.jsonc");
        packet["EventCause"] = Value::from(cause);
        assert!(validator.validate_value(packet).is_ok(), "{cause}");
    }
}

/// The samples carry `//` comments: they are not JSON as printed.
#[test]
fn member_state_changed_samples_carry_comments() {
    for name in MEMBER_STATE_SAMPLES {
        let text = sample_text(MEMBER_STATE, name);
        assert!(serde_json::from_str::<Value>(&text).is_err(), "{name}");
        assert!(
            text.contains("\"EventType\":\"Online\", // Online or Offline"),
            "{name}"
        );
    }
}

// --- Live.CallbackAfterChangeOwner and Live.CallbackAfterModifyAdmin --------------------------

/// Discrepancy A10: both tables spell the type of `EventTime` "Interger"; the samples print an
/// integer (milliseconds). The request samples are printed without comments: plain JSON.
#[test]
fn change_owner_and_modify_admin_event_time_is_an_integer() {
    for command in [CHANGE_OWNER, MODIFY_ADMIN] {
        let text = sample_text(command, "request.jsonc");
        assert!(serde_json::from_str::<Value>(&text).is_ok(), "{command}");
        let sample = sample(command, "request.jsonc");
        assert_eq!(
            sample["EventTime"].as_u64(),
            Some(1_703_589_922_780),
            "{command}"
        );
    }
}

/// The owner-change accounts are quoted names in the sample; the schema takes any AccountId.
#[test]
fn change_owner_accounts_are_strings() {
    let sample = sample(CHANGE_OWNER, "request.jsonc");
    assert_eq!(sample["Operator_Account"], "admin");
    assert_eq!(sample["CurrentOwner_Account"], "user2");
    assert_eq!(sample["OriginalOwner_Account"], "user1");
}

/// Discrepancy I: `opType` is the only lower-camel key of every webhook; the table and the sample
/// agree, so the schema takes it as printed, and `OpType` is not a name for it.
#[test]
fn modify_admin_op_type_is_lower_camel() {
    let text = sample_text(MODIFY_ADMIN, "request.jsonc");
    let sample = sample(MODIFY_ADMIN, "request.jsonc");
    assert_eq!(sample["opType"], "add");
    assert!(sample.get("OpType").is_none());
    assert!(text.contains("\"opType\": \"add\""));
    assert_eq!(
        sample["Admin_Account"],
        serde_json::json!(["user1", "user2"])
    );
    let validator = Validator::new().unwrap();
    let mut renamed = sample.clone();
    let object = renamed.as_object_mut().unwrap();
    let op_type = object.remove("opType").unwrap();
    object.insert("OpType".into(), op_type);
    assert!(validator.validate_value(renamed).is_err());
}

// --- Mic.CallbackAfterSeatInfoChanged ---------------------------------------------------------

/// Discrepancy C: no comma between the `]` that closes `SeatList` and `"EventTime"`, so the
/// sample is not JSON even without its comments. The spec's machine check (Python) says line 18
/// column 5; our parser reports the same place: the `"` of `"EventTime"`.
#[test]
fn seat_info_changed_sample_lacks_the_comma_after_seat_list() {
    let text = sample_text(SEAT_INFO, "request.jsonc");
    let error = parse_jsonc(text.as_bytes()).unwrap_err();
    assert_eq!((error.line, error.column), (18, 5), "{error}");
    let line = text.lines().nth(17).unwrap();
    assert_eq!(&line[4..15], "\"EventTime\"");
    assert_eq!(text.lines().nth(16).unwrap(), "    ]");
    // The corrected copy differs by that one comma only, and parses.
    assert_eq!(
        corrected_body(SEAT_INFO),
        text.replacen("    ]\n", "    ],\n", 1)
    );
    assert!(parse_jsonc(sample_text(SEAT_INFO, "request.corrected.jsonc").as_bytes()).is_ok());
}

/// Discrepancies A3 and B: `Member_Account` is documented as String but printed as a bare
/// integer beyond 2^53, which a double changes (144115233775727695 -> 144115233775727680). The
/// schema takes an AccountId, and the typed value keeps every digit.
#[test]
fn seat_info_changed_member_account_is_an_integer_beyond_2_pow_53() {
    let text = sample_text(SEAT_INFO, "request.jsonc");
    assert!(text.contains("\"Member_Account\": 144115233775727695,"));
    let corrected = sample(SEAT_INFO, "request.corrected.jsonc");
    let account = corrected.pointer("/SeatList/0/Member_Account").unwrap();
    assert_eq!(account.as_u64(), Some(144_115_233_775_727_695));
    assert_eq!(
        144_115_233_775_727_695_u64 as f64 as u64,
        144_115_233_775_727_680
    );
    // The same text read through a double loses the digits.
    let as_double: f64 = "144115233775727695".parse().unwrap();
    assert_eq!(format!("{as_double:.0}"), "144115233775727680");
    let validator = Validator::new().unwrap();
    let webhook = validator
        .validate_jsonc(sample_text(SEAT_INFO, "request.corrected.jsonc").as_bytes())
        .unwrap();
    let back = serde_json::to_value(&webhook).unwrap();
    assert_eq!(
        back.pointer("/SeatList/0/Member_Account").unwrap().as_u64(),
        Some(144_115_233_775_727_695)
    );
}

/// Discrepancy D: `EventTime` is printed (with a comment glued to the value) but has no row in
/// the English field table; the schema requires it, in milliseconds.
#[test]
fn seat_info_changed_event_time_is_printed_but_not_in_the_table() {
    let text = sample_text(SEAT_INFO, "request.jsonc");
    assert!(text.contains("\"EventTime\":1670574414123// Millisecond level"));
    let corrected = sample(SEAT_INFO, "request.corrected.jsonc");
    assert_eq!(corrected["EventTime"].as_u64(), Some(1_670_574_414_123));
}

/// Discrepancy F: the seat webhook's command word has the `Mic.` prefix.
#[test]
fn seat_info_changed_command_word_has_the_mic_prefix() {
    let corrected = sample(SEAT_INFO, "request.corrected.jsonc");
    assert_eq!(corrected["CallbackCommand"], SEAT_INFO);
    assert!(Command::from_command_word("Live.CallbackAfterSeatInfoChanged").is_none());
}

// --- Live.CallbackAfterCreateBattle -----------------------------------------------------------

/// Discrepancy E: the table gives `Duration` no unit; only the sample's comment says
/// milliseconds. `Timeout` is milliseconds too (30000 = 30 s).
#[test]
fn create_battle_duration_unit_is_only_in_the_comment() {
    let text = sample_text(CREATE_BATTLE, "request.jsonc");
    assert!(
        text.contains("\"Duration\": 60000, // Duration after the battle starts, in milliseconds")
    );
    let sample = sample(CREATE_BATTLE, "request.jsonc");
    assert_eq!(sample["Duration"].as_u64(), Some(60_000));
    assert_eq!(sample["Timeout"].as_u64(), Some(30_000));
    assert_eq!(sample["ToRoomIdList"], serde_json::json!(["pk-5"]));
    // EventTime is milliseconds: 13 digits.
    assert_eq!(sample["EventTime"].as_u64().unwrap().to_string().len(), 13);
}

// --- Live.CallbackAfterStartBattle ------------------------------------------------------------

/// Discrepancy C: a trailing comma after the last member (`"EventTime": 1739954005000, //...`)
/// before `}`, so the sample is not JSON even without its comments. The spec's machine check
/// (Python) says line 18 column 1; our parser (serde_json) reports the same place: the `}`.
#[test]
fn start_battle_sample_has_a_trailing_comma() {
    let text = sample_text(START_BATTLE, "request.jsonc");
    let error = parse_jsonc(text.as_bytes()).unwrap_err();
    assert_eq!((error.line, error.column), (18, 1), "{error}");
    assert_eq!(text.lines().nth(17).unwrap(), "}");
    // The corrected copy differs by that one comma only, and parses.
    assert_eq!(
        corrected_body(START_BATTLE),
        text.replacen("1739954005000, //", "1739954005000 //", 1)
    );
    assert!(parse_jsonc(sample_text(START_BATTLE, "request.corrected.jsonc").as_bytes()).is_ok());
}

/// Discrepancy A4: the table says `FromRoomInfo` is a String; the sample prints an object.
/// Discrepancy I: its `Owner_Account`s are quoted names here, bare integers in End Battle.
#[test]
fn start_battle_from_room_info_is_an_object_with_quoted_owners() {
    let sample = sample(START_BATTLE, "request.corrected.jsonc");
    assert!(sample["FromRoomInfo"].is_object());
    assert_eq!(sample["FromRoomInfo"]["Owner_Account"], "brennan");
    assert_eq!(sample["ToRoomList"][0]["Owner_Account"], "tandy");
    assert!(sample["FromRoomInfo"].get("Score").is_none());
}

/// Discrepancy E: `Duration` has no unit in the English table (milliseconds per the Chinese
/// page); `CreateTime`/`StartTime` are seconds and `EventTime` milliseconds in one packet.
#[test]
fn start_battle_mixes_seconds_and_milliseconds() {
    let text = sample_text(START_BATTLE, "request.jsonc");
    assert!(text.contains("\"Duration\": 60000, // battle duration\n"));
    assert!(text.contains("// battle start time, in seconds"));
    let sample = sample(START_BATTLE, "request.corrected.jsonc");
    assert_eq!(sample["Duration"].as_u64(), Some(60_000));
    assert_eq!(
        sample["EventTime"].as_u64().unwrap(),
        sample["StartTime"].as_u64().unwrap() * 1000
    );
}

//! Documentation defects of the gift message follow webhooks, asserted on the verbatim samples.

use serde_json::Value;
use trtc_live_tests::{sample_text as sample, sample_value as parsed};
use trtc_live_validate::parse_jsonc;

const GIFT: &str = "Live.CallbackBeforeSendGift";
const AFTER_SEND: &str = "Group.CallbackAfterSendMsg";
const BEFORE_SEND: &str = "Group.CallbackBeforeSendMsg";
const FOLLOW_ADD: &str = "Follow.CallbackAfterFollowAdd";
const FOLLOW_DELETE: &str = "Follow.CallbackAfterFollowDelete";

/// The request samples of the two `Group.` webhooks that are JSONC as printed.
const GROUP_REQUESTS: [(&str, &str); 2] = [
    (AFTER_SEND, "request.jsonc"),
    (BEFORE_SEND, "request.jsonc"),
];

/// Discrepancy A7: the tables document `EventTime` as Integer, but the samples of both `Group.`
/// webhooks (and both revisions of the after-send page) print a quoted string of digits, with
/// the comment glued to it. Decision: `UnixMillisecondsOrDigits`, the form kept.
#[test]
fn group_event_time_is_a_quoted_string() {
    let corrected = (AFTER_SEND, "request.online-only-flag.corrected.jsonc");
    for (command, name) in GROUP_REQUESTS.into_iter().chain([corrected]) {
        let text = sample(command, name);
        let packet = parse_jsonc(text.as_bytes()).unwrap();
        assert_eq!(
            packet["EventTime"],
            Value::from("1670574414123"),
            "{command}/{name}"
        );
        assert!(!packet["EventTime"].is_number(), "{command}/{name}");
        assert!(
            text.contains(
                r#""EventTime":"1670574414123"// Event trigger timestamp in milliseconds"#
            ),
            "{command}/{name}"
        );
    }
    let flattened = sample(AFTER_SEND, "request.online-only-flag.txt");
    assert!(flattened.contains(r#""EventTime":"1670574414123"//"#));
    // Every other webhook of the group prints EventTime as an integer (the gift has none).
    for command in [FOLLOW_ADD, FOLLOW_DELETE] {
        assert_eq!(
            parsed(command, "request.jsonc")["EventTime"].as_u64(),
            Some(1_702_018_343_678)
        );
    }
}

/// Discrepancy C: the `Group.` request samples end with two TAB characters before the closing
/// brace (which samples carry comments is asserted for every webhook in the parent module).
#[test]
fn group_requests_end_with_two_tabs() {
    for (command, name) in GROUP_REQUESTS {
        let text = sample(command, name);
        assert!(text.ends_with("\n\t\t}\n"), "{command}/{name}");
    }
}

/// Discrepancy J: the two English revisions of the after-send page differ. The mirrored one
/// (`request.jsonc`) has no `OnlineOnlyFlag` and says "Room ID"/"Room type"; the other, seen
/// only as flattened page text, prints `"OnlineOnlyFlag": 1` and says "Group ID"/"Group type".
/// Decision: `OnlineOnlyFlag` is optional.
#[test]
fn after_send_revisions_differ_in_online_only_flag() {
    let mirrored = sample(AFTER_SEND, "request.jsonc");
    let mirrored_packet = parse_jsonc(mirrored.as_bytes()).unwrap();
    assert!(mirrored_packet.get("OnlineOnlyFlag").is_none());
    assert!(mirrored.contains("// Room ID") && mirrored.contains("// Room type"));

    let flattened = sample(AFTER_SEND, "request.online-only-flag.txt");
    assert!(flattened
        .contains(r#""OnlineOnlyFlag": 1, // The value is `1` if it is an online message"#));
    assert!(flattened.contains("// Group ID") && flattened.contains("// Group type"));
    let corrected = parsed(AFTER_SEND, "request.online-only-flag.corrected.jsonc");
    assert_eq!(corrected["OnlineOnlyFlag"].as_u64(), Some(1));

    // Apart from OnlineOnlyFlag, the two revisions carry the same packet.
    let mut without_flag = corrected.clone();
    without_flag
        .as_object_mut()
        .unwrap()
        .remove("OnlineOnlyFlag");
    assert_eq!(without_flag, mirrored_packet);
}

/// The `OnlineOnlyFlag` revision survives only as flattened page text (line breaks stripped),
/// so each `//` comment runs to the end of the text and swallows the rest of the packet: it is
/// not JSONC as printed. The corrected copy only inserts a line break after each comment.
#[test]
fn after_send_online_only_flag_revision_is_not_jsonc_as_printed() {
    let flattened = sample(AFTER_SEND, "request.online-only-flag.txt");
    assert_eq!(flattened.lines().count(), 1);
    let error = parse_jsonc(flattened.as_bytes()).unwrap_err();
    // The spec gives no machine check for this text. What is left after comment removal is
    // `{"CallbackCommand": "Group.CallbackAfterSendMsg", ` and blanks up to the final line
    // break, so the parser runs out of input where the next member's name should follow the
    // comma: serde_json reports the end of input, right after the final "\n", as line 2
    // column 0 (the text has one line; the packet is cut off after its first member).
    assert_eq!(
        (error.line, error.column, error.message.as_str()),
        (2, 0, "EOF while parsing a value")
    );

    let corrected = sample(AFTER_SEND, "request.online-only-flag.corrected.jsonc");
    let (first_line, rest) = corrected.split_once('\n').unwrap();
    assert!(first_line.starts_with(
        "// Corrected copy of request.online-only-flag.txt: inserted a line break right after each of the 13"
    ));
    // Only line breaks were inserted, one after each of the 13 comments.
    assert_eq!(rest.replace('\n', ""), flattened.replace('\n', ""));
    assert_eq!(rest.lines().count(), 14);
    assert_eq!(flattened.matches("//").count(), 13);
    for line in rest.lines().take(13) {
        let comment = line.find("//").expect("each inserted break ends a comment");
        assert!(!line[comment..].contains('"'), "{line}");
    }
    assert!(parse_jsonc(rest.as_bytes()).is_ok());
}

/// Discrepancy A8: the FollowDelete table calls `To_Account` an array of user objects; the
/// sample prints plain user IDs. The mirror event, FollowAdd, prints `FollowList`, an array of
/// `{"To_Account": ...}` objects. Decision: `To_Account` is an array of `AccountId`.
#[test]
fn follow_delete_to_account_is_an_array_of_plain_ids() {
    let delete = parsed(FOLLOW_DELETE, "request.jsonc");
    let to_account = delete["To_Account"].as_array().unwrap();
    assert_eq!(to_account.len(), 2);
    assert!(to_account.iter().all(Value::is_string));
    assert_eq!(to_account[0], "UserID_002");
    assert!(delete.get("FollowList").is_none());

    let add = parsed(FOLLOW_ADD, "request.jsonc");
    let follow_list = add["FollowList"].as_array().unwrap();
    assert!(follow_list.iter().all(Value::is_object));
    assert_eq!(follow_list[0]["To_Account"], "UserID_002");
    assert!(add.get("To_Account").is_none());
}

/// Discrepancy I: the Follow response samples order `ErrorCode` before `ErrorInfo`, the Live
/// pages `ErrorInfo` before `ErrorCode`; the gift response has no comment after `ErrorCode`.
/// The samples keep the printed order; JSON objects are unordered, so both validate.
#[test]
fn follow_responses_order_error_code_before_error_info() {
    for command in [FOLLOW_ADD, FOLLOW_DELETE] {
        let text = sample(command, "response.jsonc");
        let code = text.find("\"ErrorCode\"").unwrap();
        let info = text.find("\"ErrorInfo\"").unwrap();
        assert!(code < info, "{command}");
    }
    let live = [
        (GIFT, "response.jsonc"),
        (AFTER_SEND, "response.jsonc"),
        (BEFORE_SEND, "response.allow.jsonc"),
    ];
    for (command, name) in live {
        let text = sample(command, name);
        assert!(
            text.find("\"ErrorInfo\"").unwrap() < text.find("\"ErrorCode\"").unwrap(),
            "{command}/{name}"
        );
    }
    assert!(sample(GIFT, "response.jsonc").contains("\"ErrorCode\": 0\n}"));
}

/// Discrepancy D: the gift page's field table has no `GiftWater` row and lists its members flat;
/// the sample nests them in the `GiftWater` object. Neither the table nor the sample has an
/// `EventTime`.
#[test]
fn gift_water_is_an_object_missing_from_the_table() {
    let gift = parsed(GIFT, "request.jsonc");
    let water = gift["GiftWater"].as_object().unwrap();
    let members: Vec<&str> = water.keys().map(String::as_str).collect();
    assert_eq!(
        members,
        [
            "From_Account",
            "To_Account",
            "Time",
            "GiftId",
            "Count",
            "Coins"
        ]
    );
    for member in members {
        assert!(gift.get(member).is_none(), "{member} is not flat");
    }
    assert!(water["To_Account"].is_array());
    assert!(gift.get("EventTime").is_none());
}

/// Discrepancy E: gift `Time` and message `MsgTime` have no unit in the tables; their 10-digit
/// values are Unix seconds, while `EventTime` in the same message packet is 13-digit
/// milliseconds.
#[test]
fn gift_time_and_msg_time_are_seconds() {
    let seconds = 1_000_000_000..10_000_000_000_u64;
    let time = parsed(GIFT, "request.jsonc")["GiftWater"]["Time"]
        .as_u64()
        .unwrap();
    assert_eq!(time, 1_703_589_922);
    assert!(seconds.contains(&time));
    let after = parsed(AFTER_SEND, "request.jsonc");
    let msg_time = after["MsgTime"].as_u64().unwrap();
    assert_eq!(msg_time, 1_490_686_222);
    assert!(seconds.contains(&msg_time));
    let event_time: u64 = after["EventTime"].as_str().unwrap().parse().unwrap();
    assert_eq!(event_time.to_string().len(), 13);
}

/// Discrepancy F: an older rendering of the gift page's parameter table names the command
/// `Live.CallbackAfterCreateBattle`; the sample (like the current table) says
/// `Live.CallbackBeforeSendGift`, which is the schema's one value.
#[test]
fn gift_sample_prints_its_own_command_word() {
    assert_eq!(
        parsed(GIFT, "request.jsonc")["CallbackCommand"],
        "Live.CallbackBeforeSendGift"
    );
}

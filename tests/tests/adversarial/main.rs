//! Adversarial JSON through every entry point: the validator (`validate` by its fast and its
//! schema path, `is_valid`, `check`, `validate_jsonc`, the response entry points), the locator,
//! the semantic checks and the receiver core (signed, so that the body is parsed). Each input
//! class gets a clear error that says what and where, the same at every entry point, and no
//! panic or stack overflow on the default 2 MiB test thread stack. Memory is measured by
//! `memory.rs`; the CLI has its own tests (`crates/trtc-live-cli/tests/adversarial.rs`).

mod entry_points;

use entry_points::{receive, response_everywhere, webhook_of, Everywhere, END_BATTLE, GIFT};
use trtc_live_types::AccountId;
use trtc_live_validate::{locate, Command, Webhook};

/// `depth` opening brackets then `depth` closing ones.
fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// `{"a":{"a":...1...}}`, `depth` objects deep.
fn nested_objects(depth: usize) -> String {
    format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
}

/// The gift packet with `member` (`"Name": value`) inserted before `RoomId`.
fn gift_with(member: &str) -> String {
    GIFT.replace("\"RoomId\"", &format!("{member}, \"RoomId\""))
}

/// Deeper than anything reads.
const DEPTH: usize = 100_000;

/// The column of the first bracket 128 levels deep in `text` (whose strings hold no bracket):
/// where serde_json stops, the packet's own braces counted.
fn column_at_depth_128(text: &str) -> usize {
    let mut depth = 0;
    for (at, byte) in text.bytes().enumerate() {
        match byte {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth -= 1,
            _ => {}
        }
        if depth == 128 {
            return at + 1;
        }
    }
    panic!("not 128 deep")
}

#[test]
fn nesting_100000_deep_is_a_syntax_error_at_the_128th_level_everywhere() {
    let rejected = |text: &str| {
        let column = column_at_depth_128(text);
        Everywhere::of(text.as_bytes())
            .all_rejected_as(&format!("syntax 1:{column} recursion limit exceeded"));
        column
    };
    // The whole packet (objects take 5 bytes a level), closed and unclosed.
    assert_eq!(rejected(&nested_arrays(DEPTH)), 128);
    assert_eq!(rejected(&nested_objects(DEPTH)), 636);
    assert_eq!(rejected(&"[".repeat(DEPTH)), 128);
    assert_eq!(rejected(&"{\"a\":".repeat(DEPTH)), 636);
    // As an unknown member, as a known string member and as an account id: the packet's
    // braces count.
    rejected(&gift_with(&format!("\"X\": {}", nested_arrays(DEPTH))));
    rejected(&GIFT.replace("\"gift1\"", &nested_arrays(DEPTH)));
    rejected(&GIFT.replace("\"brennanli\"", &nested_objects(DEPTH)));
    // With comments (`validate_jsonc`): the error is placed in the original text.
    let commented = format!("// a comment\n{}", nested_arrays(DEPTH));
    let rejection = entry_points::validator().validate_jsonc(commented.as_bytes());
    assert_eq!(
        entry_points::outcome(&rejection.map(|w| w.command())),
        "syntax 2:128 recursion limit exceeded"
    );
    // The responses.
    response_everywhere(
        Command::LiveCallbackBeforeSendGift,
        nested_arrays(DEPTH).as_bytes(),
    )
    .all_rejected_as("syntax 1:128 recursion limit exceeded");
}

#[test]
fn the_locator_walks_100000_levels_without_recursing() {
    // Plain JSON is walked in place: a member after a deep one is found.
    let unknown = gift_with(&format!("\"X\": {}", nested_arrays(DEPTH)));
    let span = locate(unknown.as_bytes(), "/GiftWater/Count").unwrap();
    assert_eq!(&unknown.as_bytes()[span.start..span.end], b"1");
    assert_eq!(span.line, 1);
    // A pointer into the deep value itself.
    let deep = nested_arrays(DEPTH);
    let pointer = "/0".repeat(1000);
    let span = locate(deep.as_bytes(), &pointer).unwrap();
    assert_eq!((span.start, span.end), (1000, 2 * DEPTH - 1000));
    // Unclosed: nothing there, no panic.
    assert_eq!(locate("[".repeat(DEPTH).as_bytes(), "/0/0"), None);
    // Text with comments is walked the same way, in place, on its comment-stripped copy (the
    // text the loader parses, offsets kept): 100000 levels are crossed without recursing.
    let commented = format!(
        "// a comment\n{{\"a\": {}, \"b\": 1}}",
        nested_arrays(DEPTH)
    );
    let span = locate(commented.as_bytes(), "/b").unwrap();
    assert_eq!((span.line, span.column), (2, 2 * DEPTH + 14));
    assert_eq!(&commented.as_bytes()[span.start..span.end], b"1");
    let commented = format!("// a comment\n{{\"a\": {}, \"b\": 1}}", nested_arrays(500));
    let span = locate(commented.as_bytes(), "/b").unwrap();
    assert_eq!((span.line, span.column), (2, 1014));
}

#[test]
fn text_that_is_not_utf8_is_located_at_its_first_bad_byte() {
    let not_utf8 = |text: &str, bad: &[u8]| {
        let at = text.find('~').unwrap();
        let mut bytes = text.as_bytes().to_vec();
        bytes.splice(at..=at, bad.iter().copied());
        (bytes, at)
    };
    let cases: [(&str, &[u8], u8); 6] = [
        // In an account id (a string value).
        (&GIFT.replace("brennanli", "bren~nanli"), &[0xFF], 0xFF),
        // In a member name.
        (&gift_with("\"X~\": 1"), &[0xC3], 0xC3),
        // A truncated multibyte sequence (é is C3 A9).
        (&GIFT.replace("room_id", "room~"), &[0xC3, b'"'], 0xC3),
        // An overlong encoding of `/` (C0 AF), and of NUL (C0 80).
        (&gift_with("\"X\": \"~\""), &[0xC0, 0xAF], 0xC0),
        (&gift_with("\"X\": \"~\""), &[0xC0, 0x80], 0xC0),
        // A surrogate encoded in UTF-8 (ED A0 80, which is U+D800).
        (&gift_with("\"X\": \"~\""), &[0xED, 0xA0, 0x80], 0xED),
    ];
    for (text, bad, first) in cases {
        let (bytes, at) = not_utf8(text, bad);
        Everywhere::of(&bytes).all_rejected_as(&format!(
            "syntax 1:{} byte 0x{first:02X} is not UTF-8 (JSON text must be UTF-8)",
            at + 1
        ));
    }
}

#[test]
fn lone_surrogate_escapes_are_syntax_errors_where_they_end() {
    let cases = [
        // A leading surrogate followed by the end of the string: the error is at the quote.
        (
            gift_with(r#""X": "\ud800""#),
            "unexpected end of hex escape",
            13,
        ),
        // A trailing surrogate alone, as a value and as a member name.
        (
            gift_with(r#""X": "\udc00""#),
            "lone leading surrogate in hex escape",
            12,
        ),
        (
            gift_with(r#""\udc00": 1"#),
            "lone leading surrogate in hex escape",
            7,
        ),
        (
            gift_with(r#""\ud800": 1"#),
            "unexpected end of hex escape",
            8,
        ),
        // A leading surrogate followed by something that is not a trailing one.
        (
            gift_with(r#""X": "\ud800\u0041""#),
            "lone leading surrogate in hex escape",
            18,
        ),
    ];
    let inserted_at = GIFT.find("\"RoomId\"").unwrap();
    for (packet, message, column_in_member) in cases {
        Everywhere::of(packet.as_bytes()).all_rejected_as(&format!(
            "syntax 1:{} {message}",
            inserted_at + column_in_member
        ));
    }
    // As an account id.
    let packet = GIFT.replace("brennanli", r"\ud800");
    let column = GIFT.find("brennanli").unwrap() + 7;
    Everywhere::of(packet.as_bytes())
        .all_rejected_as(&format!("syntax 1:{column} unexpected end of hex escape"));
    // A pair is fine: U+1F600.
    let packet = GIFT.replace("brennanli", r"\ud83d\ude00");
    Everywhere::of(packet.as_bytes()).all_accepted();
    let Webhook::LiveCallbackBeforeSendGift(gift) = webhook_of(packet.as_bytes()) else {
        panic!("a gift")
    };
    assert_eq!(gift.operator_account, AccountId::Text("\u{1F600}".into()));
}

#[test]
fn a_raw_nul_is_a_syntax_error_and_an_escaped_one_is_a_character() {
    // A raw 0x00 in a string is a control character, which JSON forbids.
    let packet = GIFT.replace("brennanli", "bren\0nanli");
    let column = GIFT.find("brennanli").unwrap() + 5;
    Everywhere::of(packet.as_bytes()).all_rejected_as(&format!(
        "syntax 1:{column} control character (\\u0000-\\u001F) found while parsing a string"
    ));
    // Between tokens, it is not JSON either.
    let packet = GIFT.replace(", \"RoomId\"", ",\0\"RoomId\"");
    let column = GIFT.find(", \"RoomId\"").unwrap() + 2;
    Everywhere::of(packet.as_bytes())
        .all_rejected_as(&format!("syntax 1:{column} key must be a string"));
    // `\u0000` is valid JSON: an account id is any string, so it is accepted everywhere and the
    // app gets the NUL character (account ids are opaque; an app that hands them to C strings
    // must check).
    let packet = GIFT.replace("brennanli", r"bren\u0000nanli");
    Everywhere::of(packet.as_bytes()).all_accepted();
    let Webhook::LiveCallbackBeforeSendGift(gift) = webhook_of(packet.as_bytes()) else {
        panic!("a gift")
    };
    assert_eq!(gift.operator_account, AccountId::Text("bren\0nanli".into()));
}

#[test]
fn byte_order_marks_are_refused_with_a_message_that_names_them() {
    let bom = format!("\u{feff}{GIFT}");
    Everywhere::of(bom.as_bytes()).all_rejected_as(
        "syntax 1:1 the text starts with a byte order mark, which JSON does not allow (RFC 8259, section 8.1)",
    );
    // With comments too, and after a comment the BOM is just a stray character.
    let rejection = entry_points::validator().validate_jsonc(bom.as_bytes());
    assert!(entry_points::outcome(&rejection.map(|w| w.command()))
        .starts_with("syntax 1:1 the text starts with a byte order mark"));
    // UTF-16, little and big endian, with their BOMs: not UTF-8, at the first byte.
    let utf16 = |bom: [u8; 2], big: bool| {
        let mut bytes = bom.to_vec();
        for unit in GIFT.encode_utf16() {
            let pair = if big {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend(pair);
        }
        bytes
    };
    Everywhere::of(&utf16([0xFF, 0xFE], false))
        .all_rejected_as("syntax 1:1 byte 0xFF is not UTF-8 (JSON text must be UTF-8)");
    Everywhere::of(&utf16([0xFE, 0xFF], true))
        .all_rejected_as("syntax 1:1 byte 0xFE is not UTF-8 (JSON text must be UTF-8)");
}

#[test]
fn anything_but_whitespace_after_the_packet_is_trailing_characters() {
    let end = GIFT.len();
    for (trailer, column) in [
        ("x", end + 1),
        (" {}", end + 2),
        ("\0", end + 1),
        ("}", end + 1),
    ] {
        let packet = format!("{GIFT}{trailer}");
        Everywhere::of(packet.as_bytes())
            .all_rejected_as(&format!("syntax 1:{column} trailing characters"));
    }
    // Whitespace is fine, CRLF included.
    Everywhere::of(format!("\r\n\t {GIFT} \r\n\t").as_bytes()).all_accepted();
    // A second packet on the same line.
    let two = format!("{GIFT}{GIFT}");
    Everywhere::of(two.as_bytes())
        .all_rejected_as(&format!("syntax 1:{} trailing characters", end + 1));
}

#[test]
fn a_number_beyond_f64_is_out_of_range_wherever_it_stands() {
    let at = |text: &str, needle: &str| text.find(needle).unwrap() + needle.len();
    // In an integer field, in an unknown member, as the whole packet, in an account id.
    let count = GIFT.replace("\"Count\": 1", "\"Count\": 1e400");
    Everywhere::of(count.as_bytes()).all_rejected_as(&format!(
        "syntax 1:{} number out of range",
        at(&count, "1e400")
    ));
    let unknown = gift_with("\"X\": 1e400");
    Everywhere::of(unknown.as_bytes()).all_rejected_as(&format!(
        "syntax 1:{} number out of range",
        at(&unknown, "1e400")
    ));
    Everywhere::of(b"1e400").all_rejected_as("syntax 1:5 number out of range");
    let account = GIFT.replace("\"brennanli\"", "-1e400");
    Everywhere::of(account.as_bytes()).all_rejected_as(&format!(
        "syntax 1:{} number out of range",
        at(&account, "-1e400")
    ));
    // A tiny one underflows to 0 without error: a float, so not an account id or an integer
    // (the message quotes it as written, not as the 0.0 it was read as).
    let tiny = GIFT.replace("\"Count\": 1", "\"Count\": 1e-400");
    Everywhere::of(tiny.as_bytes()).all_rejected_as(
        "decode /GiftWater/Count at 1:215: invalid type: floating point `1e-400`, expected u64",
    );
    response_everywhere(
        Command::LiveCallbackBeforeSendGift,
        br#"{"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 1e400}"#,
    )
    .all_rejected_as("syntax 1:58 number out of range");
}

#[test]
fn negative_zero_passes_the_schema_and_is_refused_by_the_decoder() {
    // Draft-07 counts -0 and -0.0 as the integer 0 (the schema passes), but serde_json reads
    // them as the float -0.0, which no integer field of the typed model holds: a decode error
    // at the value, at every entry point.
    // The messages quote the number as the packet writes it.
    for (zero, width) in [("-0", 2), ("-0.0", 4)] {
        let count = GIFT.replace("\"Count\": 1", &format!("\"Count\": {zero}"));
        Everywhere::of(count.as_bytes()).all_rejected_as(&format!(
            "decode /GiftWater/Count at 1:215: invalid type: floating point `{zero}`, expected u64",
        ));
        let span = locate(count.as_bytes(), "/GiftWater/Count").unwrap();
        assert_eq!(span.end - span.start, width);
        // An account id number must be a u64: the same.
        let account = GIFT.replace("\"brennanli\"", zero);
        Everywhere::of(account.as_bytes()).all_rejected_as(&format!(
            "decode /Operator_Account at 1:{}: invalid value: floating point `{zero}`, expected an account id: a string, or an integer from 0 to 18446744073709551615",
            GIFT.find("\"brennanli\"").unwrap() + 1
        ));
        response_everywhere(
            Command::LiveCallbackBeforeSendGift,
            format!(r#"{{"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": {zero}}}"#).as_bytes(),
        )
        .all_rejected_as(&format!(
            "decode /ErrorCode at 1:54: invalid type: floating point `{zero}`, expected i64"
        ));
    }
}

#[test]
fn integers_at_and_beyond_u64_max() {
    let column = GIFT.find("\"brennanli\"").unwrap() + 1;
    // u64::MAX and 2^63 are account ids, kept exact.
    for number in [u64::MAX, 1 << 63] {
        let packet = GIFT.replace("\"brennanli\"", &number.to_string());
        Everywhere::of(packet.as_bytes()).all_accepted();
        let Webhook::LiveCallbackBeforeSendGift(gift) = webhook_of(packet.as_bytes()) else {
            panic!("a gift")
        };
        assert_eq!(gift.operator_account, AccountId::Number(number));
    }
    // 2^64 is read as a float (1.8446744073709552e+19) and broken by the schema's maximum;
    // every message prints it as the packet writes it.
    let packet = GIFT.replace("\"brennanli\"", "18446744073709551616");
    Everywhere::of(packet.as_bytes()).all_rejected_as(&format!(
        "schema /Operator_Account at 1:{column}: /properties/Operator_Account/$ref/maximum: \
         18446744073709551616 is greater than the maximum of 18446744073709551615"
    ));
    // So is a quoted id that looks like a number: it is a string, so it is an account id.
    let packet = GIFT.replace("\"brennanli\"", "\"18446744073709551616\"");
    Everywhere::of(packet.as_bytes()).all_accepted();
    // Where the schema says string (`RoomId`): a number of any size is the wrong type.
    for number in [
        "18446744073709551616",
        "18446744073709551615",
        "9223372036854775808",
    ] {
        let packet = GIFT.replace("\"room_id\"", number);
        let column = GIFT.find("\"room_id\"").unwrap() + 1;
        Everywhere::of(packet.as_bytes()).all_rejected_as(&format!(
            "schema /RoomId at 1:{column}: /properties/RoomId/type: {number} is not of type \"string\""
        ));
    }
    // In integer fields: a count is bounded within 2^53 - 1 (a JavaScript number), exact.
    let packet = GIFT.replace("\"Count\": 1", "\"Count\": 9007199254740991");
    let Webhook::LiveCallbackBeforeSendGift(gift) = webhook_of(packet.as_bytes()) else {
        panic!("a gift")
    };
    assert_eq!(gift.gift_water.count, trtc_live_types::MAX_SAFE_INTEGER);
    // Over the maximum, by one or beyond 64 bits, or under the minimum.
    for number in [
        "9007199254740992",
        "18446744073709551615",
        "18446744073709551616",
    ] {
        let packet = GIFT.replace("\"Count\": 1", &format!("\"Count\": {number}"));
        Everywhere::of(packet.as_bytes()).all_rejected_as(&format!(
            "schema /GiftWater/Count at 1:215: /properties/GiftWater/$ref/properties/Count/maximum: \
             {number} is greater than the maximum of 9007199254740991"
        ));
    }
    let packet = GIFT.replace("\"Count\": 1", "\"Count\": -9223372036854775809");
    Everywhere::of(packet.as_bytes()).all_rejected_as(
        "schema /GiftWater/Count at 1:215: /properties/GiftWater/$ref/properties/Count/minimum: \
         -9223372036854775809 is less than the minimum of 0",
    );
    response_everywhere(
        Command::LiveCallbackBeforeSendGift,
        br#"{"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 9223372036854775808}"#,
    )
    .all_rejected_as(
        "schema /ErrorCode at 1:54: /properties/ErrorCode/$ref/anyOf: \
         9223372036854775808 is not valid under any of the schemas listed in the 'anyOf' keyword",
    );
}

#[test]
fn every_message_prints_a_number_as_the_packet_writes_it() {
    // serde_json reads these as floats, which the schema messages used to print
    // (`1.8446744073709552e+19`, `-0.0`, `0.1`); now every entry point prints them as written,
    // inside arrays and objects too.
    let column = GIFT.find("\"room_id\"").unwrap() + 1;
    for (written, printed) in [
        ("18446744073709551616", "18446744073709551616"),
        ("-18446744073709551616", "-18446744073709551616"),
        ("-0", "-0"),
        ("1e2", "1e2"),
        ("1.0000000000000000000000001", "1.0000000000000000000000001"),
        ("[18446744073709551616, -0]", "[18446744073709551616,-0]"),
        (
            "{\"a\": {\"b\": [0.30000000000000000001]}}",
            "{\"a\":{\"b\":[0.30000000000000000001]}}",
        ),
    ] {
        let packet = GIFT.replace("\"room_id\"", written);
        let expected = format!(
            "schema /RoomId at 1:{column}: /properties/RoomId/type: {printed} is not of type \"string\""
        );
        Everywhere::of(packet.as_bytes()).all_rejected_as(&expected);
        // The receiver's error, as it is logged.
        let error = receive(packet.as_bytes(), 1 << 20).unwrap_err();
        assert!(
            error
                .to_string()
                .contains(&format!("{printed} is not of type")),
            "{error}"
        );
    }
    // 1e400 is beyond a double: a syntax error (at its last digit) that prints no number.
    let packet = GIFT.replace("\"room_id\"", "1e400");
    Everywhere::of(packet.as_bytes())
        .all_rejected_as(&format!("syntax 1:{} number out of range", column + 4));
}

#[test]
fn a_member_given_twice_is_read_as_its_last_value_by_every_path() {
    // CallbackCommand twice: the last one routes, everywhere; the receiver sees a body of
    // another command than its URL's.
    let packet = gift_with(r#""CallbackCommand": "Live.CallbackAfterEndBattle""#);
    let everywhere = Everywhere::with_url_command(packet.as_bytes(), "Live.CallbackAfterEndBattle");
    everywhere.all_rejected_as("schema  at 1:1: /required: \"BattleId\" is a required property");
    assert_eq!(
        everywhere.command_of_rejection(),
        Some(Command::LiveCallbackAfterEndBattle)
    );
    // Sent to the gift's URL, the receiver refuses a body of another command.
    assert_eq!(
        entry_points::receiver_outcome(&receive(packet.as_bytes(), 1 << 20)),
        "command mismatch: URL Live.CallbackBeforeSendGift, body Live.CallbackAfterEndBattle"
    );
    // The other way round: the last is the gift's, and the packet is a valid gift.
    let packet = GIFT.replace(
        "{\"CallbackCommand\"",
        "{\"CallbackCommand\": \"Live.CallbackAfterEndBattle\", \"CallbackCommand\"",
    );
    Everywhere::of(packet.as_bytes()).all_accepted();
    // The same with the name escaped, which the fast path's guess does not see.
    let packet = gift_with(r#""Callback\u0043ommand": "Live.CallbackAfterEndBattle""#);
    Everywhere::with_url_command(packet.as_bytes(), "Live.CallbackAfterEndBattle")
        .all_rejected_as("schema  at 1:1: /required: \"BattleId\" is a required property");

    // Operator_Account invalid then valid: valid, and the app gets the valid one.
    let packet = GIFT.replace(
        "\"Operator_Account\"",
        "\"Operator_Account\": [1], \"Operator_Account\"",
    );
    Everywhere::of(packet.as_bytes()).all_accepted();
    let first_valid_then_other = gift_with(r#""Operator\u005fAccount": "mallory""#);
    Everywhere::of(first_valid_then_other.as_bytes()).all_accepted();
    let Webhook::LiveCallbackBeforeSendGift(gift) = webhook_of(first_valid_then_other.as_bytes())
    else {
        panic!("a gift")
    };
    assert_eq!(gift.operator_account, AccountId::Text("mallory".into()));
    // The fast path's typed decode refuses a field given twice (serde's derive), so such a
    // packet is typed by the schema path, from a `Value` that kept the last.
    let decoded = Webhook::from_slice_as(
        Command::LiveCallbackBeforeSendGift,
        first_valid_then_other.as_bytes(),
    );
    assert!(
        decoded
            .as_ref()
            .is_err_and(|e| e.to_string().contains("duplicate field `Operator_Account`")),
        "{decoded:?}"
    );
    // Valid then invalid: invalid, located at the last one.
    let packet = gift_with(r#""Operator_Account": [1]"#);
    let column = packet.rfind("[1]").unwrap() + 1;
    Everywhere::of(packet.as_bytes()).all_rejected_as(&format!(
        "schema /Operator_Account at 1:{column}: /properties/Operator_Account/$ref/type: \
         [1] is not of types \"integer\", \"string\""
    ));

    // Nested: GiftWater twice, and Count twice inside it.
    let packet = GIFT.replace(
        "\"GiftWater\": {",
        "\"GiftWater\": {\"Count\": \"x\"}, \"GiftWater\": {\"Count\": 5, ",
    );
    let Webhook::LiveCallbackBeforeSendGift(gift) = webhook_of(packet.as_bytes()) else {
        panic!("a gift")
    };
    // The last GiftWater; in it, the last Count (1, after the 5).
    assert_eq!(gift.gift_water.count, 1);
    Everywhere::of(packet.as_bytes()).all_accepted();
    let packet = GIFT.replace("\"Coins\": 1000", "\"Coins\": 1000, \"Count\": -1");
    let column = packet.rfind("-1").unwrap() + 1;
    Everywhere::of(packet.as_bytes()).all_rejected_as(&format!(
        "schema /GiftWater/Count at 1:{column}: /properties/GiftWater/$ref/properties/Count/minimum: \
         -1 is less than the minimum of 0"
    ));

    // The receiver's delivery carries the last value too.
    let packet = gift_with(r#""Operator_Account": "last""#);
    let delivery = receive(packet.as_bytes(), 1 << 20).unwrap();
    let Webhook::LiveCallbackBeforeSendGift(gift) = delivery.webhook else {
        panic!("a gift")
    };
    assert_eq!(gift.operator_account, AccountId::Text("last".into()));
}

#[test]
fn the_semantic_checks_read_the_last_of_a_member_given_twice() {
    // End Battle: Duration must match EndTime - StartTime. The first EndTime agrees, the last
    // does not: a warning, from the kept values (`check`) and from the typed packet alike.
    let inconsistent_last = END_BATTLE.replace(
        "\"EndTime\": 1739956145",
        "\"EndTime\": 1739956145, \"EndTime\": 1739956999",
    );
    let validator = entry_points::validator();
    let checked = validator.check(inconsistent_last.as_bytes()).unwrap();
    let typed = trtc_live_validate::warnings(&webhook_of(inconsistent_last.as_bytes()));
    assert_eq!(checked.warnings, typed);
    let checks: Vec<&str> = checked.warnings.iter().filter_map(|w| w.check).collect();
    assert_eq!(
        checks,
        ["battle-duration-window", "event-time-after-battle-times"]
    );
    assert!(checked
        .warnings
        .iter()
        .all(|w| w.message.contains("EndTime 1739956999") || w.message.contains("1739956999 - ")));
    // The other way round: no warning from either.
    let consistent_last = END_BATTLE.replace(
        "\"EndTime\": 1739956145",
        "\"EndTime\": 1739956999, \"EndTime\": 1739956145",
    );
    let checked = validator.check(consistent_last.as_bytes()).unwrap();
    assert_eq!(checked.warnings, Vec::new());
    assert_eq!(
        trtc_live_validate::warnings(&webhook_of(consistent_last.as_bytes())),
        Vec::new()
    );
}

#[test]
fn the_receiver_refuses_a_body_over_its_limit_before_parsing_it() {
    // 20 MB of a deep, unclosed array: over the default 1 MiB, refused by its length alone
    // (the axum adapter refuses it by `Content-Length`, or after the limit when streamed:
    // `crates/trtc-live-receiver/tests/adversarial_body.rs`).
    let body = "[".repeat(20_000_000);
    let refused = receive(body.as_bytes(), trtc_live_receiver::DEFAULT_MAX_BODY_BYTES);
    assert!(
        matches!(
            refused,
            Err(trtc_live_receiver::ReceiveError::BodyTooLarge {
                size: 20_000_000,
                limit: 1_048_576
            })
        ),
        "{refused:?}"
    );
}

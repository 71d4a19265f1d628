//! The project's vendor keywords: open enumerations and revisions (see `schemas/README.md`).
//!
//! | keyword | where | meaning |
//! |---|---|---|
//! | `"x-trtc-open-enum": true` | a named definition | an open enumeration: `anyOf` of the `enum` of known values and the bare type |
//! | `"x-trtc-since": "<RFC 3339 UTC>"` | a top-level property of a packet | Tencent sends the member since then; not in `required` |
//! | `"x-trtc-clock": [members]` | a packet with dated members | the packet's own times that date it, in order of preference |
//!
//! Validators of other languages ignore these keywords, so a packet's schema also says the
//! revision rules in draft-07: its `allOf` holds, for each date, "if the clock is at or after
//! the date, then the members of that date are required". [`read`] checks that this `allOf` is
//! exactly what [`revision_rules`] derives from the keywords (and says what to write if not),
//! that every open enumeration has the one form generators and the Rust types understand, and
//! that no keyword is misplaced.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::Error;

/// Every vendor keyword, and where each may be written.
const KEYWORDS: [&str; 3] = [OPEN_ENUM, SINCE, CLOCK];
const OPEN_ENUM: &str = "x-trtc-open-enum";
const SINCE: &str = "x-trtc-since";
const CLOCK: &str = "x-trtc-clock";

/// The bound of the open integer enumerations' second branch: 2^53 - 1, the largest integer a
/// JavaScript number holds exactly (see `schemas/README.md`, Numbers), so that every language
/// types such a value as a plain number.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// What the vendor keywords of the bundle say.
#[derive(Clone, Debug, Default)]
pub struct Extensions {
    /// Every open enumeration, by definition name.
    pub open_enums: BTreeMap<String, OpenEnum>,
    /// The revision rules of every packet that has dated members, by definition name.
    pub revisions: BTreeMap<String, Revisions>,
}

/// One open enumeration.
#[derive(Clone, Debug)]
pub struct OpenEnum {
    /// Its definition's description.
    pub description: String,
    /// Whether its values are strings (else integers, from 0 to 2^53 - 1).
    pub strings: bool,
    /// The known values.
    pub known: Vec<Value>,
}

/// The revision rules of one packet.
#[derive(Clone, Debug)]
pub struct Revisions {
    /// The clocks, in order of preference.
    pub clocks: Vec<Clock>,
    /// The dated members, in property order.
    pub members: Vec<Dated>,
}

/// One of a packet's own times.
#[derive(Clone, Debug)]
pub struct Clock {
    /// The member.
    pub member: String,
    /// Its unit and form.
    pub unit: ClockUnit,
}

/// The unit and form of a clock, from the definition its member refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockUnit {
    /// `UnixSeconds`: an integer of seconds.
    Seconds,
    /// `UnixMilliseconds`: an integer of milliseconds.
    Millis,
    /// `UnixMillisecondsOrDigits`: milliseconds, an integer or a string of digits.
    MillisOrDigits,
}

impl ClockUnit {
    fn of_definition(name: &str) -> Option<Self> {
        match name {
            "UnixSeconds" => Some(Self::Seconds),
            "UnixMilliseconds" => Some(Self::Millis),
            "UnixMillisecondsOrDigits" => Some(Self::MillisOrDigits),
            _ => None,
        }
    }
}

/// A member added later, with its date.
#[derive(Clone, Debug)]
pub struct Dated {
    /// The member.
    pub member: String,
    /// The date as written.
    pub since: String,
    /// The date in Unix milliseconds.
    pub since_millis: u64,
}

/// Reads and checks the vendor keywords of `bundle`.
pub fn read(bundle: &Value) -> Result<Extensions, Error> {
    let definitions = bundle["definitions"]
        .as_object()
        .ok_or_else(|| Error::msg("the bundle has no definitions"))?;
    let mut extensions = Extensions::default();
    for (name, schema) in definitions {
        let at = source_of(schema, name);
        check_placement(schema, &at, "")?;
        if schema.get(OPEN_ENUM).is_some() {
            let open = open_enum(schema, &at)?;
            extensions.open_enums.insert(name.clone(), open);
        }
        if let Some(revisions) = revisions(schema, &at)? {
            let expected = revision_rules(&revisions);
            if schema.get("allOf") != Some(&expected) {
                return Err(Error::msg(format!(
                    "{at}: \"allOf\" must be exactly the revision rules that x-trtc-since and \
                     x-trtc-clock imply, and nothing else. Write:\n\"allOf\": {}",
                    serde_json::to_string_pretty(&expected).unwrap_or_default()
                )));
            }
            extensions.revisions.insert(name.clone(), revisions);
        }
    }
    check_arrays(definitions, &extensions)?;
    Ok(extensions)
}

/// `schemas/<file>` (from the definition's `$comment`), or the definition's name.
fn source_of(schema: &Value, name: &str) -> String {
    schema["$comment"]
        .as_str()
        .and_then(|comment| comment.strip_prefix("From "))
        .and_then(|rest| rest.split(' ').next())
        .map_or_else(|| format!("definition {name}"), str::to_owned)
}

/// Fails on a vendor keyword written anywhere but where it belongs: `x-trtc-open-enum` at a
/// definition's root, `x-trtc-clock` at a definition's root, `x-trtc-since` in a property of a
/// definition's root. `pointer` is where `schema` stands in its definition.
fn check_placement(schema: &Value, at: &str, pointer: &str) -> Result<(), Error> {
    match schema {
        Value::Object(object) => {
            for (key, child) in object {
                let allowed = match key.as_str() {
                    OPEN_ENUM | CLOCK => pointer.is_empty(),
                    SINCE => pointer.starts_with("/properties/") && pointer.matches('/').count() == 2,
                    other if other.starts_with("x-") => {
                        return Err(Error::msg(format!(
                            "{at}: unknown vendor keyword {other:?} at {pointer:?}; the known ones are {}",
                            KEYWORDS.join(", ")
                        )))
                    }
                    _ => true,
                };
                if !allowed {
                    return Err(Error::msg(format!(
                        "{at}: {key:?} is not allowed at {pointer:?} (see xtask/src/extensions.rs)"
                    )));
                }
                if key != "enum" && key != "examples" && key != "default" {
                    check_placement(child, at, &format!("{pointer}/{key}"))?;
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                check_placement(item, at, &format!("{pointer}/{index}"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// An open enumeration's definition, checked: `"type": T`, `"anyOf": [{"type": T, "enum":
/// [...]}, {"type": T}]` (integers: the second branch from 0 to 2^53 - 1), and `true`.
fn open_enum(schema: &Value, at: &str) -> Result<OpenEnum, Error> {
    let fail = |why: &str| {
        Err(Error::msg(format!(
            "{at}: an open enumeration must be {{\"type\": T, \"anyOf\": [{{\"type\": T, \"enum\": [known values]}}, \
             {{\"type\": T}}], \"x-trtc-open-enum\": true}} with T string, or integer with the second branch \
             bounded by 0 and 18446744073709551615: {why}"
        )))
    };
    if schema[OPEN_ENUM] != Value::Bool(true) {
        return fail("the keyword's value must be true");
    }
    let strings = match schema["type"].as_str() {
        Some("string") => true,
        Some("integer") => false,
        _ => return fail("T is neither string nor integer"),
    };
    let Some([known, any]) = schema["anyOf"].as_array().map(Vec::as_slice) else {
        return fail("anyOf must have exactly two branches");
    };
    let values = known["enum"].as_array().cloned().unwrap_or_default();
    let known_keys: BTreeSet<&String> = known
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    if known["type"] != schema["type"]
        || values.is_empty()
        || known_keys.len() != 2
        || !values
            .iter()
            .all(|v| if strings { v.is_string() } else { v.is_u64() })
    {
        return fail(
            "the first branch must be the type and a non-empty enum of values of that type",
        );
    }
    if values
        .iter()
        .map(Value::to_string)
        .collect::<BTreeSet<_>>()
        .len()
        != values.len()
    {
        return fail("a known value is listed twice");
    }
    let expected_any = if strings {
        json!({"type": "string"})
    } else {
        json!({"type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER})
    };
    if any != &expected_any {
        return fail(&format!("the second branch must be {expected_any}"));
    }
    Ok(OpenEnum {
        description: schema["description"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        strings,
        known: values,
    })
}

/// The revision rules of a packet definition, if it has dated members, checked.
fn revisions(schema: &Value, at: &str) -> Result<Option<Revisions>, Error> {
    let empty = serde_json::Map::new();
    let properties = schema["properties"].as_object().unwrap_or(&empty);
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut members = Vec::new();
    for (name, property) in properties {
        let Some(since) = property.get(SINCE) else {
            continue;
        };
        let since = since
            .as_str()
            .ok_or_else(|| Error::msg(format!("{at}: x-trtc-since of {name} must be a string")))?;
        let since_millis = parse_rfc3339_utc(since).ok_or_else(|| {
            Error::msg(format!(
                "{at}: x-trtc-since of {name} is {since:?}; write an RFC 3339 UTC time, \
                 YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS.mmmZ"
            ))
        })?;
        if required.contains(name.as_str()) {
            return Err(Error::msg(format!(
                "{at}: {name} has x-trtc-since, so it must not be in \"required\": the revision \
                 rules in allOf require it for packets dated at or after {since}"
            )));
        }
        members.push(Dated {
            member: name.clone(),
            since: since.to_owned(),
            since_millis,
        });
    }
    let clocks = match (schema.get(CLOCK), members.is_empty()) {
        (None, true) => return Ok(None),
        (None, false) => {
            return Err(Error::msg(format!(
                "{at}: it has members with x-trtc-since, so it needs \"x-trtc-clock\": the members \
                 holding the packet's own times, in order of preference"
            )))
        }
        (Some(_), true) => {
            return Err(Error::msg(format!(
                "{at}: \"x-trtc-clock\" without any member with x-trtc-since"
            )))
        }
        (Some(clocks), false) => clocks,
    };
    let names: Vec<&str> = clocks
        .as_array()
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if names.is_empty() || Some(names.len()) != clocks.as_array().map(Vec::len) {
        return Err(Error::msg(format!(
            "{at}: \"x-trtc-clock\" must be a non-empty array of member names"
        )));
    }
    let mut parsed = Vec::new();
    for name in names {
        let unit = properties
            .get(name)
            .and_then(|property| property["$ref"].as_str())
            .and_then(|reference| reference.strip_prefix("#/definitions/"))
            .and_then(ClockUnit::of_definition)
            .ok_or_else(|| {
                Error::msg(format!(
                    "{at}: the clock {name} must be a property referring to UnixSeconds, \
                     UnixMilliseconds or UnixMillisecondsOrDigits"
                ))
            })?;
        parsed.push(Clock {
            member: name.to_owned(),
            unit,
        });
    }
    Ok(Some(Revisions {
        clocks: parsed,
        members,
    }))
}

/// The draft-07 form of the revision rules: for each date, from the earliest, "if the packet's
/// clock is at or after the date, then its members of that date are required".
pub fn revision_rules(revisions: &Revisions) -> Value {
    let mut dates: BTreeMap<u64, (&str, Vec<&str>)> = BTreeMap::new();
    for dated in &revisions.members {
        dates
            .entry(dated.since_millis)
            .or_insert((&dated.since, Vec::new()))
            .1
            .push(&dated.member);
    }
    let clock_names: Vec<&str> = revisions.clocks.iter().map(|c| c.member.as_str()).collect();
    let rules: Vec<Value> = dates
        .into_iter()
        .map(|(millis, (since, members))| {
            json!({
                "$comment": format!(
                    "Revision rule, as x-trtc-since and x-trtc-clock imply it (`cargo xtask codegen` checks it): \
                     a packet whose clock ({}) is at or after {since} must carry {}.",
                    clock_names.join(", else "),
                    members.join(", ")
                ),
                "if": clock_at_or_after(&revisions.clocks, millis),
                // Each required member is named in `properties` too (with the schema `true`),
                // as ajv's strict mode wants of every `required`.
                "then": {
                    "required": members,
                    "properties": members.iter().map(|m| (m.to_string(), Value::Bool(true))).collect::<serde_json::Map<_, _>>(),
                },
            })
        })
        .collect();
    Value::Array(rules)
}

/// "The packet's clock (the first clock it carries) is at or after `millis`": for some clock,
/// the packet carries it at or after `millis`, and none of the clocks it prefers (each of them
/// with the schema `false`, which fails only when the member is there).
fn clock_at_or_after(clocks: &[Clock], millis: u64) -> Value {
    let branch = |index: usize| {
        let clock = &clocks[index];
        let mut properties: serde_json::Map<String, Value> = clocks[..index]
            .iter()
            .map(|earlier| (earlier.member.clone(), Value::Bool(false)))
            .collect();
        properties.insert(clock.member.clone(), at_or_after(clock.unit, millis));
        json!({ "required": [clock.member], "properties": properties })
    };
    if clocks.len() == 1 {
        return branch(0);
    }
    json!({ "anyOf": (0..clocks.len()).map(branch).collect::<Vec<_>>() })
}

/// A time of `unit` at or after `millis` (a time in seconds counts from the start of its second).
fn at_or_after(unit: ClockUnit, millis: u64) -> Value {
    match unit {
        ClockUnit::Seconds => json!({ "type": "integer", "minimum": millis.div_ceil(1000) }),
        ClockUnit::Millis => json!({ "type": "integer", "minimum": millis }),
        ClockUnit::MillisOrDigits => json!({
            "type": ["integer", "string"],
            "minimum": millis,
            "pattern": digits_at_least(millis),
        }),
    }
}

/// An ECMA-262 pattern matching the strings of decimal digits (leading zeros allowed) whose
/// value is at least `floor`.
pub fn digits_at_least(floor: u64) -> String {
    let digits: Vec<u8> = floor.to_string().into_bytes();
    let len = digits.len();
    let mut alternatives = vec![format!("[1-9][0-9]{{{len},}}")];
    if floor == 0 {
        return "^[0-9]+$".to_owned();
    }
    alternatives.push(String::from_utf8(digits.clone()).unwrap_or_default());
    for index in 0..len {
        let digit = digits[index];
        if digit == b'9' {
            continue;
        }
        let prefix = String::from_utf8(digits[..index].to_vec()).unwrap_or_default();
        let next = digit + 1;
        let class = if next == b'9' {
            "9".to_owned()
        } else {
            format!("[{}-9]", next as char)
        };
        let rest = match len - index - 1 {
            0 => String::new(),
            1 => "[0-9]".to_owned(),
            n => format!("[0-9]{{{n}}}"),
        };
        alternatives.push(format!("{prefix}{class}{rest}"));
    }
    format!("^0*(?:{})$", alternatives.join("|"))
}

/// Unix milliseconds of `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.mmmZ` (from 1970).
pub fn parse_rfc3339_utc(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let millis = match bytes.len() {
        20 if bytes[19] == b'Z' => 0,
        24 if bytes[19] == b'.' && bytes[23] == b'Z' => number(20..23)?,
        _ => return None,
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(i, c)| bytes[i] != c) {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let days_in_month = [
        31,
        28 + u64::from(is_leap(year)),
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if year < 1970
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month[(month - 1) as usize]
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis)
}

fn is_leap(year: u64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar, 1970 or later (Howard
/// Hinnant's `days_from_civil`).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Fails when an open enumeration can be reached inside an array's items: the typed model's
/// one-pass reading keeps nothing of array items, so it could not report such values.
fn check_arrays(
    definitions: &serde_json::Map<String, Value>,
    extensions: &Extensions,
) -> Result<(), Error> {
    for (name, schema) in definitions {
        let mut found = None;
        visit_items(schema, &mut |items| {
            if found.is_none() {
                found = reaches_open_enum(items, definitions, extensions, &mut BTreeSet::new());
            }
        });
        if let Some(open) = found {
            return Err(Error::msg(format!(
                "{}: the open enumeration {open} is reachable inside an array's items; the \
                 one-pass reading keeps nothing of array items, so its unknown values could not be \
                 reported (see xtask/src/extensions.rs)",
                source_of(schema, name)
            )));
        }
    }
    Ok(())
}

/// Calls `f` on every `items` schema of `schema`, at any depth inside it (not through `$ref`).
fn visit_items(schema: &Value, f: &mut impl FnMut(&Value)) {
    match schema {
        Value::Object(object) => {
            for (key, child) in object {
                if key == "items" {
                    f(child);
                }
                if key != "enum" {
                    visit_items(child, f);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| visit_items(item, f)),
        _ => {}
    }
}

/// The open enumeration that `schema` is or holds in its members (through `$ref` and
/// `properties`), if any.
fn reaches_open_enum(
    schema: &Value,
    definitions: &serde_json::Map<String, Value>,
    extensions: &Extensions,
    seen: &mut BTreeSet<String>,
) -> Option<String> {
    if let Some(name) = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/definitions/"))
    {
        if extensions.open_enums.contains_key(name) {
            return Some(name.to_owned());
        }
        if !seen.insert(name.to_owned()) {
            return None;
        }
        return reaches_open_enum(definitions.get(name)?, definitions, extensions, seen);
    }
    schema["properties"]
        .as_object()?
        .values()
        .find_map(|member| reaches_open_enum(member, definitions, extensions, seen))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_utc_with_or_without_milliseconds() {
        assert_eq!(parse_rfc3339_utc("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339_utc("2019-08-28T22:53:39Z"),
            Some(1_567_032_819_000)
        );
        assert_eq!(
            parse_rfc3339_utc("2022-07-12T07:51:09.059Z"),
            Some(1_657_612_269_059)
        );
        assert_eq!(
            parse_rfc3339_utc("2024-02-29T00:00:00Z"),
            Some(1_709_164_800_000)
        );
        for bad in [
            "2019-08-28 22:53:39Z",
            "2019-08-28T22:53:39",
            "2019-08-28T22:53:39+08:00",
            "2019-02-29T00:00:00Z",
            "2019-13-01T00:00:00Z",
            "2019-08-28T24:00:00Z",
            "2019-08-28T22:53:39.5Z",
            "1969-12-31T23:59:59Z",
        ] {
            assert_eq!(parse_rfc3339_utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_digits_pattern_is_written_per_position() {
        assert_eq!(
            digits_at_least(1_657_612_269_059),
            "^0*(?:[1-9][0-9]{13,}|1657612269059|[2-9][0-9]{12}|1[7-9][0-9]{11}|16[6-9][0-9]{10}|\
             165[8-9][0-9]{9}|1657[7-9][0-9]{8}|16576[2-9][0-9]{7}|165761[3-9][0-9]{6}|\
             1657612[3-9][0-9]{5}|16576122[7-9][0-9]{4}|1657612269[1-9][0-9]{2}|16576122690[6-9][0-9])$"
        );
        assert_eq!(digits_at_least(89), "^0*(?:[1-9][0-9]{2,}|89|9[0-9])$");
    }

    #[test]
    fn rules_say_if_the_clock_is_recent_then_the_members_are_required() {
        let revisions = Revisions {
            clocks: vec![
                Clock {
                    member: "EventTime".into(),
                    unit: ClockUnit::Millis,
                },
                Clock {
                    member: "MsgTime".into(),
                    unit: ClockUnit::Seconds,
                },
            ],
            members: vec![Dated {
                member: "MsgId".into(),
                since: "2024-09-29T03:24:56.001Z".into(),
                since_millis: 1_727_580_296_001,
            }],
        };
        let rules = revision_rules(&revisions);
        assert_eq!(
            rules[0]["if"],
            json!({"anyOf": [
                {"required": ["EventTime"], "properties": {"EventTime": {"type": "integer", "minimum": 1_727_580_296_001_u64}}},
                {"required": ["MsgTime"], "properties": {"EventTime": false, "MsgTime": {"type": "integer", "minimum": 1_727_580_297}}}
            ]})
        );
        assert_eq!(
            rules[0]["then"],
            json!({"required": ["MsgId"], "properties": {"MsgId": true}})
        );
    }
}

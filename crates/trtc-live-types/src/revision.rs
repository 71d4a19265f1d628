//! Members that Tencent added to a packet over the years, and how an older packet is told apart.
//!
//! A member that a webhook's packet did not always carry has, in its schema, the date from which
//! Tencent demonstrably sends it (`x-trtc-since`), and the packet schema names the packet's own
//! times that date it, in order of preference (`x-trtc-clock`: `EventTime`, else `MsgTime`...).
//! The packet's clock is the first of them it carries. A packet whose clock is at or after a
//! member's date must carry the member; a packet whose clock is before it, or that carries no
//! clock at all (it cannot claim to be recent), may lack it, and is then an older revision: valid,
//! with a warning. The schemas say the same in draft-07 (`allOf` of `if`/`then`, written as
//! `cargo xtask codegen` checks), so that every validator gives the same verdict.
//!
//! The generated types implement [`Revised`]; their `Deserialize` and their conformance refuse a
//! packet that the rule refuses, so a recent packet without the member is invalid on every path.

use std::fmt;

/// A member of a packet and the date from which Tencent sends it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberSince {
    /// The member's name (a top-level member of the packet).
    pub member: &'static str,
    /// The date, as written in the schema (RFC 3339, UTC).
    pub since: &'static str,
    /// The date in Unix milliseconds.
    pub since_millis: u64,
}

/// The unit of a packet's time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// Unix seconds (`MsgTime`, `CreateTime`...).
    Seconds,
    /// Unix milliseconds (`EventTime`), as an integer or a string of digits.
    Milliseconds,
}

/// A member holding one of the packet's own times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Clock {
    /// The member.
    pub member: &'static str,
    /// Its unit.
    pub unit: TimeUnit,
}

impl Clock {
    /// The reading of the member's JSON value: an integer, or a string of 1 to 19 digits (as
    /// `UnixMillisecondsOrDigits` takes it); `None` for anything else.
    pub fn read(&self, value: &serde_json::Value) -> Option<u128> {
        let number = match value {
            serde_json::Value::Number(number) => number.as_u64()?,
            serde_json::Value::String(digits) => {
                crate::timestamp::UnixMillisecondsOrDigits::from_digits(digits)
                    .ok()?
                    .millis()
            }
            _ => return None,
        };
        Some(match self.unit {
            TimeUnit::Seconds => from_seconds(number),
            TimeUnit::Milliseconds => from_millis(number),
        })
    }
}

/// The revision rules of a packet type: its clocks and its dated members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Revisions {
    /// The members that date a packet, in order of preference.
    pub clocks: &'static [Clock],
    /// The members Tencent added later, with their dates.
    pub members: &'static [MemberSince],
}

impl Revisions {
    /// No rule: every member of the packet has always been sent.
    pub const NONE: Revisions = Revisions {
        clocks: &[],
        members: &[],
    };
}

/// The clock a packet was dated by: one of its own times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClockReading {
    /// The member read (`EventTime`, `MsgTime`, ...).
    pub member: &'static str,
    /// Its value in Unix milliseconds (a time in seconds counts from the start of its second).
    pub millis: u128,
}

/// A member that a valid packet lacks because the packet is older than the member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OlderRevision {
    /// The missing member.
    pub member: &'static str,
    /// Since when Tencent sends it (RFC 3339, UTC).
    pub since: &'static str,
    /// The packet's clock, before that date; `None` when the packet carries no time at all.
    pub clock: Option<ClockReading>,
}

impl fmt::Display for OlderRevision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is missing: Tencent sends it since {}, and ",
            self.member, self.since
        )?;
        match self.clock {
            Some(clock) => write!(
                f,
                "this packet's {} ({}) is before that: an older revision of the packet",
                clock.member,
                format_millis(clock.millis)
            ),
            None => f.write_str(
                "this packet carries no time of its own to date it by: taken as an older revision of the packet",
            ),
        }
    }
}

/// A time in Unix seconds, as a clock reading in milliseconds.
pub fn from_seconds(seconds: u64) -> u128 {
    u128::from(seconds) * 1000
}

/// A time in Unix milliseconds, as a clock reading.
pub fn from_millis(millis: u64) -> u128 {
    u128::from(millis)
}

/// The packet's clock: the first of `readings` (in the order of [`Revisions::clocks`]) that the
/// packet carries.
fn clock(revisions: &Revisions, readings: &[Option<u128>]) -> Option<ClockReading> {
    revisions
        .clocks
        .iter()
        .zip(readings)
        .find_map(|(member, reading)| {
            reading.map(|millis| ClockReading {
                member: member.member,
                millis,
            })
        })
}

/// The first dated member that a packet must carry but does not: one whose date its clock has
/// reached. `readings` are the packet's clocks (see [`Revisions::clocks`]), `present` whether it
/// carries each member of [`Revisions::members`]. `None` when the packet keeps the rule.
pub fn required_missing(
    revisions: &Revisions,
    readings: &[Option<u128>],
    present: &[bool],
) -> Option<&'static MemberSince> {
    let clock = clock(revisions, readings)?;
    revisions
        .members
        .iter()
        .zip(present)
        .find(|(member, present)| !**present && clock.millis >= u128::from(member.since_millis))
        .map(|(member, _)| member)
}

/// The error of a packet that lacks `member` although its clock has reached the member's date.
pub fn missing_message(member: &MemberSince) -> String {
    format!(
        "missing field `{}`: Tencent sends it since {}, and the packet's own time is not before that",
        member.member, member.since
    )
}

/// The dated members that a packet lacks as an older revision (its clock before their date, or
/// no clock at all), in the order of [`Revisions::members`]. Members it lacks although its clock
/// has reached their date are not listed: [`required_missing`] refuses such a packet.
pub fn older_revisions(
    revisions: &Revisions,
    readings: &[Option<u128>],
    present: &[bool],
) -> Vec<OlderRevision> {
    if present.iter().all(|present| *present) {
        return Vec::new();
    }
    let clock = clock(revisions, readings);
    revisions
        .members
        .iter()
        .zip(present)
        .filter(|(member, present)| {
            !**present && clock.is_none_or(|clock| clock.millis < u128::from(member.since_millis))
        })
        .map(|(member, _)| OlderRevision {
            member: member.member,
            since: member.since,
            clock,
        })
        .collect()
}

/// A packet type whose members may have been added over the years.
pub trait Revised {
    /// The type's revision rules ([`Revisions::NONE`] for most).
    const REVISIONS: Revisions;

    /// The dated members this packet lacks as an older revision.
    fn older_revisions(&self) -> Vec<OlderRevision>;
}

/// What a packet read without building it keeps of its revision: the members it lacks as an
/// older revision. Implemented by the generated `kept` structs of the request types.
pub trait KeptRevision {
    /// The dated members the packet lacks as an older revision.
    fn older_revisions(&self) -> Vec<OlderRevision>;
}

/// `1970-01-01T00:00:00.000Z` for a time in Unix milliseconds; the bare number when the year
/// would be beyond 9999.
pub fn format_millis(millis: u128) -> String {
    const MILLIS_PER_DAY: u128 = 86_400_000;
    let days = millis / MILLIS_PER_DAY;
    let rest = millis % MILLIS_PER_DAY;
    let Ok(days) = i64::try_from(days) else {
        return format!("{millis} ms");
    };
    let (year, month, day) = civil_from_days(days);
    if year > 9999 {
        return format!("{millis} ms");
    }
    let (hours, minutes, seconds, ms) = (
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000,
    );
    format!("{year:04}-{month:02}-{day:02}T{hours:02}:{minutes:02}:{seconds:02}.{ms:03}Z")
}

/// The proleptic Gregorian date of a number of days since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: Revisions = Revisions {
        clocks: &[
            Clock {
                member: "EventTime",
                unit: TimeUnit::Milliseconds,
            },
            Clock {
                member: "MsgTime",
                unit: TimeUnit::Seconds,
            },
        ],
        members: &[
            MemberSince {
                member: "MsgTime",
                since: "2019-08-28T22:53:39Z",
                since_millis: 1_567_032_819_000,
            },
            MemberSince {
                member: "MsgId",
                since: "2024-09-29T03:24:56Z",
                since_millis: 1_727_580_296_000,
            },
        ],
    };

    #[test]
    fn the_first_clock_carried_dates_the_packet() {
        let recent = Some(1_727_580_296_000);
        let old = Some(from_seconds(1_600_000_000));
        // EventTime recent, MsgTime old: EventTime decides.
        assert_eq!(
            required_missing(&RULES, &[recent, old], &[true, false]).map(|m| m.member),
            Some("MsgId")
        );
        // No EventTime: MsgTime decides.
        assert_eq!(required_missing(&RULES, &[None, old], &[true, false]), None);
        let older = older_revisions(&RULES, &[None, old], &[true, false]);
        assert_eq!(older.len(), 1);
        assert_eq!(older[0].member, "MsgId");
        assert_eq!(older[0].clock.unwrap().member, "MsgTime");
    }

    #[test]
    fn the_date_itself_is_recent_and_a_millisecond_before_is_not() {
        let at = Some(1_727_580_296_000);
        let before = Some(1_727_580_295_999);
        assert!(required_missing(&RULES, &[at, None], &[true, false]).is_some());
        assert!(required_missing(&RULES, &[before, None], &[true, false]).is_none());
        assert_eq!(
            older_revisions(&RULES, &[before, None], &[true, false]).len(),
            1
        );
        assert!(older_revisions(&RULES, &[at, None], &[true, false]).is_empty());
    }

    #[test]
    fn a_packet_without_a_clock_is_an_older_revision() {
        let older = older_revisions(&RULES, &[None, None], &[false, false]);
        assert_eq!(older.len(), 2);
        assert!(older.iter().all(|o| o.clock.is_none()));
        assert!(required_missing(&RULES, &[None, None], &[false, false]).is_none());
        assert!(older[0].to_string().contains("carries no time"));
    }

    #[test]
    fn clocks_read_integers_and_digit_strings_in_their_unit() {
        let [event, msg] = RULES.clocks else {
            unreachable!()
        };
        assert_eq!(event.read(&serde_json::json!(1_700)), Some(1_700));
        assert_eq!(event.read(&serde_json::json!("0001700")), Some(1_700));
        assert_eq!(msg.read(&serde_json::json!(1_700)), Some(1_700_000));
        assert_eq!(msg.read(&serde_json::json!(-1)), None);
        assert_eq!(msg.read(&serde_json::json!("x")), None);
    }

    #[test]
    fn times_are_written_in_utc() {
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(1_657_612_269_059), "2022-07-12T07:51:09.059Z");
        assert_eq!(format_millis(1_567_032_819_000), "2019-08-28T22:53:39.000Z");
        assert_eq!(format_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(
            format_millis(from_seconds(u64::MAX)),
            format!("{} ms", from_seconds(u64::MAX))
        );
    }
}

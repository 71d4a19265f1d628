//! Packets on both sides of every revision date, for every clock: the older-revision rule
//! tested where it switches (see `schemas/README.md`, Revisions).
//!
//! For each request packet with revision rules (`Command::revisions`), each dated member and
//! each clock that is not the member itself, a recent example packet is made to be dated by that
//! clock (the clocks it prefers are removed), the member is removed, and the clock is set just
//! before the member's date (one millisecond for a clock in milliseconds, one second for a clock
//! in seconds: a time in seconds stands for the start of its second) and at the date. Before, the
//! packet is valid and an older revision: it lacks the member with a warning. At the date, it is
//! invalid: the member is required. A clock in milliseconds that the schema also takes as a
//! string of digits (`UnixMillisecondsOrDigits`) is tried in both forms, the string with leading
//! zeros. And a packet without any clock lacks every dated member as an older revision.

use serde_json::Value;
use trtc_live_examples::ExampleGenerator;
use trtc_live_types::revision::TimeUnit;
use trtc_live_types::Command;

/// How a clock's value is written in a packet.
type Write = fn(u64) -> Value;

/// One packet at a revision boundary.
#[derive(Clone, Debug)]
pub struct Boundary {
    /// What it shows, unique: `Group.CallbackAfterSendMsg MsgId by EventTime (digits) 1 ms before`.
    pub name: String,
    /// Its command.
    pub command: Command,
    /// The packet.
    pub packet: Value,
    /// Whether it is valid (before the date, or without a clock).
    pub valid: bool,
    /// The members it lacks: older revisions when valid, required when not.
    pub missing: Vec<&'static str>,
}

/// Whether the request schema of `command` takes `member` as a string of digits too.
fn takes_digits(command: Command, member: &str) -> bool {
    let bundle: Value =
        serde_json::from_str(trtc_live_types::BUNDLED_SCHEMA).expect("the bundle is JSON");
    bundle["definitions"][command.request_type_name()]["properties"][member]["$ref"]
        == "#/definitions/UnixMillisecondsOrDigits"
}

/// Every boundary packet of every command.
pub fn boundaries() -> Vec<Boundary> {
    let mut out = Vec::new();
    let mut examples = ExampleGenerator::new(0xda7e);
    for &command in Command::ALL {
        let revisions = command.revisions();
        if revisions.members.is_empty() {
            continue;
        }
        let base = examples.request(command);
        for (index, clock) in revisions.clocks.iter().enumerate() {
            for dated in revisions.members {
                if dated.member == clock.member {
                    continue;
                }
                let mut packet = base.clone();
                let members = packet.as_object_mut().expect("an example is an object");
                let mut missing = vec![dated.member];
                for earlier in &revisions.clocks[..index] {
                    members.remove(earlier.member);
                    // A clock that is itself a dated member is missing too (older, or required).
                    if earlier.member != dated.member
                        && revisions.members.iter().any(|m| m.member == earlier.member)
                    {
                        missing.push(earlier.member);
                    }
                }
                members.remove(dated.member);
                let (before, at) = match clock.unit {
                    TimeUnit::Milliseconds => (dated.since_millis - 1, dated.since_millis),
                    TimeUnit::Seconds => {
                        let at = dated.since_millis.div_ceil(1000);
                        (at - 1, at)
                    }
                };
                let before_millis = match clock.unit {
                    TimeUnit::Milliseconds => before,
                    TimeUnit::Seconds => before * 1000,
                };
                // A preferred clock removed to date the packet by this one, when it is itself a
                // member dated before this member, is required just before this member's date:
                // that packet could not be an older revision (MsgId cannot be dated by MsgTime,
                // since a packet that recent must carry EventTime).
                let impossible = missing.iter().any(|member| {
                    revisions
                        .members
                        .iter()
                        .any(|m| m.member == *member && m.since_millis <= before_millis)
                });
                if impossible {
                    continue;
                }
                let unit = match clock.unit {
                    TimeUnit::Milliseconds => "ms",
                    TimeUnit::Seconds => "s",
                };
                let mut forms: Vec<(&str, Write)> = vec![("integer", Value::from)];
                if takes_digits(command, clock.member) {
                    forms.push(("digits", |n| Value::from(format!("00{n}"))));
                }
                for (form, write) in forms {
                    for (valid, value, side) in [
                        (true, before, format!("1 {unit} before")),
                        (false, at, "at".into()),
                    ] {
                        let mut packet = packet.clone();
                        packet[clock.member] = write(value);
                        // Members dated later than this one, missing too, are only older
                        // revisions before this date; at it, they may be required too: the
                        // tests look for this member among the reported ones.
                        out.push(Boundary {
                            name: format!(
                                "{} {} by {} ({form}) {side} {}",
                                command.as_str(),
                                dated.member,
                                clock.member,
                                dated.since
                            ),
                            command,
                            packet,
                            valid,
                            missing: missing.clone(),
                        });
                    }
                }
            }
        }
        let mut undated = base.clone();
        let members = undated.as_object_mut().expect("an example is an object");
        for clock in revisions.clocks {
            members.remove(clock.member);
        }
        for dated in revisions.members {
            members.remove(dated.member);
        }
        out.push(Boundary {
            name: format!("{} without any clock", command.as_str()),
            command,
            packet: undated,
            valid: true,
            missing: revisions.members.iter().map(|m| m.member).collect(),
        });
    }
    out
}

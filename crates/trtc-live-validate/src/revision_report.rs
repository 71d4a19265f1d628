//! Errors of the revision rules, explained.
//!
//! A packet whose own time has reached the date of a member it lacks breaks a revision rule of
//! its schema (`allOf/<n>/then/required`: see `schemas/README.md`, Revisions). The schema's
//! message only says that the member is required; this adds since when Tencent sends it and the
//! packet's time that makes it required.

use serde_json::Value;
use trtc_live_types::revision::format_millis;
use trtc_live_types::Command;

use crate::Rejection;

/// `rejection`, with each violation of a revision rule of `command`'s schema explained from
/// `packet`.
pub(crate) fn explain(rejection: Rejection, command: Command, packet: &Value) -> Rejection {
    let Rejection::Schema {
        command: routed,
        mut violations,
    } = rejection
    else {
        return rejection;
    };
    let revisions = command.revisions();
    let mut dates: Vec<(u64, &str)> = revisions
        .members
        .iter()
        .map(|member| (member.since_millis, member.since))
        .collect();
    dates.sort_unstable();
    dates.dedup();
    let clock = revisions.clocks.iter().find_map(|clock| {
        packet
            .get(clock.member)
            .and_then(|value| clock.read(value))
            .map(|millis| (clock.member, millis))
    });
    for violation in &mut violations {
        let rule = violation
            .schema_path
            .strip_prefix("/allOf/")
            .and_then(|rest| rest.strip_suffix("/then/required"))
            .and_then(|index| index.parse::<usize>().ok());
        if let (Some(index), Some((member, millis))) = (rule, clock) {
            if let Some((_, since)) = dates.get(index) {
                violation.message = format!(
                    "{}: Tencent sends it since {since}, and this packet's {member} ({}) is not before that",
                    violation.message,
                    format_millis(millis)
                );
            }
        }
    }
    Rejection::Schema {
        command: routed,
        violations,
    }
}

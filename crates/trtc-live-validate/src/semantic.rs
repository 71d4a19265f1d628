//! Semantic checks: what the documentation says about a packet's times, beyond its schema.
//!
//! A packet can pass its schema and still be odd: a battle that ends before it starts, an
//! event stamped before the thing it reports. These checks run on a validated, typed
//! [`Webhook`] and return warnings, never a rejection: the verdict stays the schema's. They read
//! only a few numbers ([`Facts`]), which [`crate::Validator::check`] takes from what the one
//! pass that judges the bytes keeps, without typing the packet.
//!
//! Only facts the documentation states (or a decision of `schemas/README.md` drawn from it)
//! ground a check, and each check says which in its summary. Units: battle `CreateTime`,
//! `StartTime`, `EndTime`, room `CreateTime` and message `MsgTime` are Unix seconds, `EventTime`
//! is Unix milliseconds and a battle's `Duration` is milliseconds (defect E of the README).
//!
//! A time in Unix seconds is truncated: `T` stands for an instant in `[T, T + 1)` s. So
//! "`EventTime` is not before `T`" means `EventTime >= T * 1000` ms, equality included. All
//! arithmetic is done in 128 bits, where no 64-bit value can overflow (`u64::MAX` s is
//! `u64::MAX * 1000` ms, which fits), so extreme values are compared exactly.
//!
//! Webhooks without a check, and why: `Live.CallbackAfterCreateBattle` carries `EventTime`,
//! `Duration` and `Timeout` but no point in time to compare them with;
//! `Live.CallbackBeforeSendGift` has `GiftWater.Time` but no `EventTime`;
//! `Group.CallbackBeforeSendMsg` has `EventTime` but no `MsgTime`; the other webhooks carry
//! `EventTime` alone.

use serde::Serialize;

use trtc_live_types::conform::{fit_of_bytes_keeping, Conform, Fit};
use trtc_live_types::findings::Findings;
use trtc_live_types::open_enum::UnknownValues;
use trtc_live_types::revision::KeptRevision;
use trtc_live_types::{
    BattleEndReason, Command, GroupCallbackAfterSendMsg, LiveCallbackAfterCreateRoom,
    LiveCallbackAfterDestroyRoom, LiveCallbackAfterEndBattle, LiveCallbackAfterStartBattle,
    LiveCallbackAfterUpdateRoomInfo, RoomInfo, Webhook,
};

use crate::warning::{combine, Warning};
use crate::Issue;

/// One semantic check: its name, what it checks, and the webhooks it applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SemanticCheck {
    /// Kebab-case name, as reported in [`SemanticWarning::check`] (`battle-time-order`).
    pub name: &'static str,
    /// One line for `--help`: the rule, and the documentation fact that grounds it.
    pub summary: &'static str,
    /// The webhooks the check applies to.
    pub commands: &'static [Command],
}

/// A packet that passes its schema but breaks a semantic check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SemanticWarning {
    /// The name of the check ([`SemanticCheck::name`]).
    pub check: &'static str,
    /// JSON pointer to the value the warning is about (`/EndTime`).
    pub instance_path: String,
    /// What is wrong: the values compared and the rule.
    pub message: String,
}

impl SemanticWarning {
    /// The warning as an [`Issue`] of kind [`crate::IssueKind::Semantic`], for reports; the line and
    /// column are left for the caller, who has the text.
    pub fn to_issue(&self) -> Issue {
        crate::Warning::from(self.clone()).to_issue()
    }
}

/// `CreateTime <= StartTime <= EndTime` for battles.
pub const BATTLE_TIME_ORDER: SemanticCheck = SemanticCheck {
    name: "battle-time-order",
    summary: "CreateTime <= StartTime <= EndTime (Unix seconds): the battle pages say a battle \
              is created, then started, then ended (StartTime is not compared when OpType is \
              2, a battle that never started)",
    commands: &[
        Command::LiveCallbackAfterStartBattle,
        Command::LiveCallbackAfterEndBattle,
    ],
};

/// `EndTime - StartTime` matches `Duration` when a battle's time ran out.
pub const BATTLE_DURATION_WINDOW: SemanticCheck = SemanticCheck {
    name: "battle-duration-window",
    summary: "with OpType 0 (the battle's time ran out), EndTime - StartTime (s) equals \
              Duration (ms) within 1 s, 1 s included: Duration is the battle's length after \
              its start (Create Battle's sample comment), as End Battle's sample shows (30000 \
              for a 30 s window)",
    commands: &[Command::LiveCallbackAfterEndBattle],
};

/// `EventTime` is not before the battle's own times.
pub const EVENT_TIME_AFTER_BATTLE_TIMES: SemanticCheck = SemanticCheck {
    name: "event-time-after-battle-times",
    summary: "EventTime (Unix ms) is not before the battle's CreateTime, StartTime or EndTime \
              (Unix s): the pages send Start Battle after the battle started and End Battle \
              after it ended (StartTime is not compared when OpType is 2)",
    commands: &[
        Command::LiveCallbackAfterStartBattle,
        Command::LiveCallbackAfterEndBattle,
    ],
};

/// `EventTime` is not before the room's creation.
pub const EVENT_TIME_AFTER_ROOM_CREATION: SemanticCheck = SemanticCheck {
    name: "event-time-after-room-creation",
    summary: "EventTime (Unix ms) is not before RoomInfo.CreateTime (Unix s), when both are \
              present: the room pages send these after the room was created, updated or \
              destroyed, and CreateTime is the room's creation time (decision E)",
    commands: &[
        Command::LiveCallbackAfterCreateRoom,
        Command::LiveCallbackAfterDestroyRoom,
        Command::LiveCallbackAfterUpdateRoomInfo,
    ],
};

/// `EventTime` is not before the message was sent.
pub const EVENT_TIME_AFTER_MESSAGE_TIME: SemanticCheck = SemanticCheck {
    name: "event-time-after-message-time",
    summary: "EventTime (Unix ms, integer or digit string) is not before MsgTime (Unix s): the \
              page sends the webhook after the message was sent, and MsgTime is the server's \
              send time",
    commands: &[Command::GroupCallbackAfterSendMsg],
};

/// Every semantic check, in a stable order (the order of `--help` and of the warnings).
pub const SEMANTIC_CHECKS: &[SemanticCheck] = &[
    BATTLE_TIME_ORDER,
    BATTLE_DURATION_WINDOW,
    EVENT_TIME_AFTER_BATTLE_TIMES,
    EVENT_TIME_AFTER_ROOM_CREATION,
    EVENT_TIME_AFTER_MESSAGE_TIME,
];

/// How far `Duration` may be from the `EndTime - StartTime` window, in milliseconds, inclusive.
///
/// Both ends are truncated to whole seconds, so the window measured in seconds is off from the
/// real one by less than a second either way; a difference of exactly one second is allowed too,
/// as a battle may end a few milliseconds after its time is up.
pub const DURATION_TOLERANCE_MS: u64 = 1000;

/// The semantic warnings of a packet that passed its schema, check by check in the order of
/// [`SEMANTIC_CHECKS`]. Empty when nothing is wrong or no check applies to its command.
pub fn semantic_warnings(webhook: &Webhook) -> Vec<SemanticWarning> {
    Facts::of_webhook(webhook).map_or_else(Vec::new, |facts| facts.warnings(webhook.command()))
}

/// How the JSON bytes of a request fit the type of `command` ([`Webhook::fit_as`]), with the
/// warnings of a packet that fits: what [`crate::warnings`] gives on its typed value (semantic
/// warnings, older revisions, unknown values of open enumerations). The numbers the checks read
/// and the findings are kept by the one reading that judges the packet
/// ([`trtc_live_types::conform`]), so nothing is typed. An error means the bytes are not JSON.
pub(crate) fn fit_with_warnings(
    command: Command,
    bytes: &[u8],
) -> Result<(Fit, Vec<Warning>), serde_json::Error> {
    match command {
        Command::LiveCallbackAfterStartBattle => {
            judge::<LiveCallbackAfterStartBattle>(command, bytes, |kept| {
                Some(Facts::Battle(Battle::started(
                    kept.create_time?,
                    kept.start_time?,
                    kept.duration?,
                    kept.event_time?,
                )))
            })
        }
        Command::LiveCallbackAfterEndBattle => {
            judge::<LiveCallbackAfterEndBattle>(command, bytes, |kept| {
                Some(Facts::Battle(Battle::ended(
                    [kept.create_time?, kept.start_time?, kept.end_time?],
                    kept.op_type?,
                    kept.duration?,
                    kept.event_time?,
                )))
            })
        }
        Command::LiveCallbackAfterCreateRoom => {
            judge::<LiveCallbackAfterCreateRoom>(command, bytes, |kept| {
                Facts::room(kept.event_time, kept.room_info.create_time)
            })
        }
        Command::LiveCallbackAfterDestroyRoom => {
            judge::<LiveCallbackAfterDestroyRoom>(command, bytes, |kept| {
                Facts::room(kept.event_time, kept.room_info.create_time)
            })
        }
        Command::LiveCallbackAfterUpdateRoomInfo => {
            judge::<LiveCallbackAfterUpdateRoomInfo>(command, bytes, |kept| {
                Facts::room(kept.event_time, kept.room_info.create_time)
            })
        }
        Command::GroupCallbackAfterSendMsg => {
            judge::<GroupCallbackAfterSendMsg>(command, bytes, |kept| {
                Some(Facts::Message {
                    event_time_ms: kept.event_time.as_ref()?.millis(),
                    msg_time: kept.msg_time?,
                })
            })
        }
        _ => {
            let (fit, findings) = Webhook::fit_with_findings(command, bytes)?;
            Ok((fit, combine(Vec::new(), findings)))
        }
    }
}

/// How `bytes` fit `T`, the request type of `command`, with the warnings of a packet that fits:
/// those of the facts that `facts` finds in what the reading kept, and its findings.
fn judge<T: Conform>(
    command: Command,
    bytes: &[u8],
    facts: impl FnOnce(&T::Kept) -> Option<Facts>,
) -> Result<(Fit, Vec<Warning>), serde_json::Error>
where
    T::Kept: KeptRevision + UnknownValues,
{
    let (fit, kept) = fit_of_bytes_keeping::<T>(bytes)?;
    let warnings = match fit {
        Fit::Fits => {
            let semantic = facts(&kept).map_or_else(Vec::new, |facts| facts.warnings(command));
            combine(semantic, Findings::of_kept(&kept))
        }
        Fit::DoesNotFit | Fit::CommandDiffers => Vec::new(),
    };
    Ok((fit, warnings))
}

/// Whether any semantic check applies to packets of `command`.
pub fn semantic_checks_apply_to(command: Command) -> bool {
    SEMANTIC_CHECKS
        .iter()
        .any(|check| check.commands.contains(&command))
}

/// What runs a check on the facts of a packet of one of its commands.
type Run = fn(&Facts) -> Vec<SemanticWarning>;

/// Each check of [`SEMANTIC_CHECKS`], in the same order, with what runs it.
const RUNS: [(&SemanticCheck, Run); 5] = [
    (&BATTLE_TIME_ORDER, |facts| match facts {
        Facts::Battle(battle) => battle.time_order(),
        _ => Vec::new(),
    }),
    (&BATTLE_DURATION_WINDOW, |facts| match facts {
        Facts::Battle(battle) => battle.duration_window().into_iter().collect(),
        _ => Vec::new(),
    }),
    (&EVENT_TIME_AFTER_BATTLE_TIMES, |facts| match facts {
        Facts::Battle(battle) => battle.event_time().into_iter().collect(),
        _ => Vec::new(),
    }),
    (&EVENT_TIME_AFTER_ROOM_CREATION, |facts| match *facts {
        Facts::Room {
            event_time_ms,
            created,
        } => event_time_not_before(
            &EVENT_TIME_AFTER_ROOM_CREATION,
            event_time_ms,
            seconds("RoomInfo/CreateTime", created),
            "the room was created",
        )
        .into_iter()
        .collect(),
        _ => Vec::new(),
    }),
    (&EVENT_TIME_AFTER_MESSAGE_TIME, |facts| match *facts {
        Facts::Message {
            event_time_ms,
            msg_time,
        } => event_time_not_before(
            &EVENT_TIME_AFTER_MESSAGE_TIME,
            event_time_ms,
            seconds("MsgTime", msg_time),
            "the message was sent",
        )
        .into_iter()
        .collect(),
        _ => Vec::new(),
    }),
];

/// What the checks read of a packet: a few numbers, taken from its typed value or from its
/// bytes alike.
enum Facts {
    /// A Start Battle or End Battle packet.
    Battle(Battle),
    /// `EventTime` (ms) and `RoomInfo.CreateTime` (s) of a room webhook that has both.
    Room { event_time_ms: u64, created: u64 },
    /// `EventTime` (ms) and `MsgTime` (s) of a message.
    Message { event_time_ms: u64, msg_time: u64 },
}

impl Facts {
    /// The facts of a typed packet; `None` when no check has anything to read in it.
    fn of_webhook(webhook: &Webhook) -> Option<Self> {
        Some(match webhook {
            Webhook::LiveCallbackAfterStartBattle(packet) => Facts::Battle(Battle::started(
                *packet.create_time,
                *packet.start_time,
                packet.duration,
                *packet.event_time,
            )),
            Webhook::LiveCallbackAfterEndBattle(packet) => Facts::Battle(Battle::ended(
                [*packet.create_time, *packet.start_time, *packet.end_time],
                packet.op_type,
                packet.duration,
                *packet.event_time,
            )),
            Webhook::LiveCallbackAfterCreateRoom(packet) => Facts::room(
                packet.event_time.as_ref().map(|time| time.0),
                created(Some(&packet.room_info)),
            )?,
            Webhook::LiveCallbackAfterDestroyRoom(packet) => {
                Facts::room(Some(*packet.event_time), created(packet.room_info.as_ref()))?
            }
            Webhook::LiveCallbackAfterUpdateRoomInfo(packet) => {
                Facts::room(Some(*packet.event_time), created(Some(&packet.room_info)))?
            }
            Webhook::GroupCallbackAfterSendMsg(packet) => Facts::Message {
                event_time_ms: packet.event_time.as_ref()?.millis(),
                msg_time: packet.msg_time.as_ref()?.0,
            },
            _ => return None,
        })
    }

    /// The facts of a room webhook: its `EventTime` (ms) and its room's `CreateTime` (s), when it
    /// has both.
    fn room(event_time_ms: Option<u64>, created: Option<u64>) -> Option<Self> {
        Some(Facts::Room {
            event_time_ms: event_time_ms?,
            created: created?,
        })
    }

    /// The warnings of the checks that apply to `command`, in the order of [`SEMANTIC_CHECKS`].
    fn warnings(&self, command: Command) -> Vec<SemanticWarning> {
        let mut warnings = Vec::new();
        for (check, run) in RUNS {
            if check.commands.contains(&command) {
                warnings.extend(run(self));
            }
        }
        warnings
    }
}

/// The `CreateTime` of a room, if it has one.
fn created(room_info: Option<&RoomInfo>) -> Option<u64> {
    room_info?.create_time.as_ref().map(|time| time.0)
}

/// A point in time of a packet in Unix seconds, with its member name.
#[derive(Clone, Copy)]
struct Seconds {
    field: &'static str,
    value: u64,
}

/// What the battle checks need of a Start Battle or End Battle packet.
struct Battle {
    /// `CreateTime`, then `StartTime` unless the battle never started, then `EndTime` if the
    /// battle has ended: the order they must be in.
    times: Vec<Seconds>,
    /// `StartTime` and `EndTime` of a battle whose time ran out (`OpType` 0).
    time_up_window: Option<(u64, u64)>,
    /// `Duration`, in milliseconds.
    duration_ms: u64,
    /// `EventTime`, in milliseconds.
    event_time_ms: u64,
    /// What the webhook is sent after, for messages.
    sent_after: &'static str,
}

impl Battle {
    /// A started battle: its `CreateTime` and `StartTime` (s), `Duration` and `EventTime` (ms).
    fn started(create: u64, start: u64, duration_ms: u64, event_time_ms: u64) -> Self {
        Self {
            times: vec![seconds("CreateTime", create), seconds("StartTime", start)],
            time_up_window: None,
            duration_ms,
            event_time_ms,
            sent_after: "the battle started",
        }
    }

    /// An ended battle: its `CreateTime`, `StartTime` and `EndTime` (s), how it ended,
    /// `Duration` and `EventTime` (ms).
    fn ended(
        [create, start, end]: [u64; 3],
        op_type: BattleEndReason,
        duration_ms: u64,
        event_time_ms: u64,
    ) -> Self {
        let mut times = vec![seconds("CreateTime", create)];
        // A battle that never started has no documented StartTime: it is left out.
        if op_type != BattleEndReason::NeverStarted {
            times.push(seconds("StartTime", start));
        }
        times.push(seconds("EndTime", end));
        Self {
            times,
            time_up_window: (op_type == BattleEndReason::TimeUp).then_some((start, end)),
            duration_ms,
            event_time_ms,
            sent_after: "the battle ended",
        }
    }

    /// One warning for each time that is before the one it must follow.
    fn time_order(&self) -> Vec<SemanticWarning> {
        self.times
            .windows(2)
            .filter(|pair| pair[1].value < pair[0].value)
            .map(|pair| {
                let (earlier, later) = (pair[0], pair[1]);
                SemanticWarning {
                    check: BATTLE_TIME_ORDER.name,
                    instance_path: pointer(later.field),
                    message: format!(
                        "{} {} s is before {} {} s: a battle's {} must not be before its {}",
                        later.field,
                        later.value,
                        earlier.field,
                        earlier.value,
                        later.field,
                        earlier.field,
                    ),
                }
            })
            .collect()
    }

    /// A warning when a battle whose time ran out lasted longer or shorter than `Duration`
    /// by more than [`DURATION_TOLERANCE_MS`]. A window whose end is before its start is left
    /// to `battle-time-order`.
    fn duration_window(&self) -> Option<SemanticWarning> {
        let (start, end) = self.time_up_window?;
        let window_ms = u128::from(end.checked_sub(start)?) * 1000;
        let duration_ms = u128::from(self.duration_ms);
        let off_by = window_ms.abs_diff(duration_ms);
        (off_by > u128::from(DURATION_TOLERANCE_MS)).then(|| SemanticWarning {
            check: BATTLE_DURATION_WINDOW.name,
            instance_path: pointer("Duration"),
            message: format!(
                "Duration {} ms is {} ms off EndTime - StartTime = {} - {} = {} s ({} ms): \
                 with OpType 0 the battle's time ran out, so they must match within {} ms",
                self.duration_ms,
                off_by,
                end,
                start,
                end - start,
                window_ms,
                DURATION_TOLERANCE_MS,
            ),
        })
    }

    /// A warning when `EventTime` is before the latest of the battle's times.
    fn event_time(&self) -> Option<SemanticWarning> {
        // max_by_key keeps the last of equal times: EndTime is named when it equals StartTime.
        let latest = self.times.iter().max_by_key(|time| time.value)?;
        event_time_not_before(
            &EVENT_TIME_AFTER_BATTLE_TIMES,
            self.event_time_ms,
            *latest,
            self.sent_after,
        )
    }
}

/// A warning of `check` at `/EventTime` when `event_time_ms` is before the second `time`.
fn event_time_not_before(
    check: &SemanticCheck,
    event_time_ms: u64,
    time: Seconds,
    sent_after: &str,
) -> Option<SemanticWarning> {
    let time_ms = u128::from(time.value) * 1000;
    (u128::from(event_time_ms) < time_ms).then(|| SemanticWarning {
        check: check.name,
        instance_path: pointer("EventTime"),
        message: format!(
            "EventTime {event_time_ms} ms is before {} {} s ({time_ms} ms): the webhook is sent \
             after {sent_after}, so EventTime must not be before {}",
            time.field.replace('/', "."),
            time.value,
            time.field.replace('/', "."),
        ),
    })
}

fn seconds(field: &'static str, value: u64) -> Seconds {
    Seconds { field, value }
}

/// The JSON pointer of a member path such as `RoomInfo/CreateTime` (no escaping needed: no
/// member name here has `~` or `/` of its own).
fn pointer(path: &str) -> String {
    format!("/{path}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// The largest time, count or duration the schemas accept: 2^53 - 1.
    const MAX: u64 = trtc_live_types::MAX_SAFE_INTEGER;

    fn end_battle(op_type: u8, times: (u64, u64, u64), duration: u64, event_time: u64) -> Webhook {
        let (create, start, end) = times;
        webhook(json!({
            "CallbackCommand": "Live.CallbackAfterEndBattle",
            "BattleId": "b",
            "Duration": duration,
            "CreateTime": create,
            "StartTime": start,
            "EndTime": end,
            "OpType": op_type,
            "FromRoomInfo": {"RoomId": "pk-3", "Score": 0, "Owner_Account": "a"},
            "ToRoomList": [],
            "EventTime": event_time,
        }))
    }

    fn start_battle(create: u64, start: u64, event_time: u64) -> Webhook {
        webhook(json!({
            "CallbackCommand": "Live.CallbackAfterStartBattle",
            "BattleId": "b",
            "Duration": 60000,
            "CreateTime": create,
            "StartTime": start,
            "FromRoomInfo": {"RoomId": "pk-3", "Owner_Account": "a"},
            "ToRoomList": [],
            "EventTime": event_time,
        }))
    }

    fn webhook(packet: Value) -> Webhook {
        Webhook::from_value(packet).expect("a well-typed packet")
    }

    /// No warning.
    const NONE: [&str; 0] = [];

    /// The warnings of a typed packet, checked to be those its bytes give.
    fn warnings(webhook: &Webhook) -> Vec<SemanticWarning> {
        let typed = semantic_warnings(webhook);
        let bytes = serde_json::to_vec(webhook).unwrap();
        assert_eq!(
            fit_with_warnings(webhook.command(), &bytes).unwrap(),
            (Fit::Fits, crate::warnings(webhook))
        );
        typed
    }

    /// The checks that fired, in order, each as `<check> at <pointer>`.
    fn fired(webhook: &Webhook) -> Vec<String> {
        warnings(webhook)
            .into_iter()
            .map(|w| format!("{} at {}", w.check, w.instance_path))
            .collect()
    }

    /// The pointers that one check named.
    fn fired_by(check: &SemanticCheck, webhook: &Webhook) -> Vec<String> {
        warnings(webhook)
            .into_iter()
            .filter(|w| w.check == check.name)
            .map(|w| w.instance_path)
            .collect()
    }

    fn one(check: &SemanticCheck, path: &str) -> Vec<String> {
        vec![format!("{} at {path}", check.name)]
    }

    #[test]
    fn the_documentation_samples_values_pass() {
        // End Battle's and Start Battle's samples.
        let sample = end_battle(
            0,
            (1739956115, 1739956115, 1739956145),
            30000,
            1739956146119,
        );
        assert_eq!(fired(&sample), NONE);
        assert_eq!(
            fired(&start_battle(1739954005, 1739954005, 1739954005000)),
            NONE
        );
    }

    #[test]
    fn checks_are_named_in_kebab_case_once_each_with_their_commands() {
        let mut names: Vec<_> = SEMANTIC_CHECKS.iter().map(|c| c.name).collect();
        for check in SEMANTIC_CHECKS {
            assert!(
                check
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                check.name
            );
            assert!(!check.commands.is_empty() && !check.summary.contains('\n'));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SEMANTIC_CHECKS.len());
        let run: Vec<_> = RUNS.iter().map(|(check, _)| **check).collect();
        assert_eq!(run, SEMANTIC_CHECKS);
    }

    #[test]
    fn every_check_runs() {
        // Each check has a packet that trips it: a check listed but not dispatched fails here.
        let tripping = [
            start_battle(10, 9, 10_000),
            end_battle(0, (0, 0, 30), 60_000, 30_000),
            start_battle(10, 10, 9_999),
            webhook(json!({
                "CallbackCommand": "Live.CallbackAfterUpdateRoomInfo",
                "Operator_Account": "bob",
                "RoomInfo": {"CreateTime": 10},
                "EventTime": 9_999,
            })),
            webhook(json!({
                "CallbackCommand": "Group.CallbackAfterSendMsg",
                "GroupId": "g", "Type": "Live", "From_Account": "a", "Operator_Account": "a",
                "Random": 1, "MsgId": "m", "MsgSeq": 1, "MsgTime": 10, "MsgBody": [],
                "EventTime": "9999",
            })),
        ];
        for (check, packet) in SEMANTIC_CHECKS.iter().zip(&tripping) {
            let checks: Vec<_> = warnings(packet).iter().map(|w| w.check).collect();
            assert_eq!(checks, [check.name]);
        }
        assert_eq!(tripping.len(), SEMANTIC_CHECKS.len());
    }

    #[test]
    fn battle_time_order() {
        // Equal times pass.
        assert_eq!(fired(&start_battle(10, 10, 10_000)), NONE);
        assert_eq!(fired(&end_battle(1, (10, 10, 10), 0, 10_000)), NONE);
        // One second off fails, at the later member.
        assert_eq!(
            fired(&start_battle(11, 10, 11_000)),
            one(&BATTLE_TIME_ORDER, "/StartTime")
        );
        assert_eq!(
            fired(&end_battle(1, (10, 11, 10), 0, 11_000)),
            one(&BATTLE_TIME_ORDER, "/EndTime")
        );
        // Both pairs broken: two warnings, in order.
        assert_eq!(
            fired(&end_battle(1, (12, 11, 10), 0, 12_000)),
            [
                "battle-time-order at /StartTime",
                "battle-time-order at /EndTime"
            ]
        );
        // A battle that never started: StartTime is not compared, CreateTime and EndTime are.
        assert_eq!(fired(&end_battle(2, (10, 0, 10), 0, 10_000)), NONE);
        assert_eq!(fired(&end_battle(2, (10, MAX, 10), 0, 10_000)), NONE);
        assert_eq!(
            fired(&end_battle(2, (11, 0, 10), 0, 11_000)),
            one(&BATTLE_TIME_ORDER, "/EndTime")
        );
        // Extremes.
        assert_eq!(
            fired(&start_battle(0, MAX, MAX)),
            one(&EVENT_TIME_AFTER_BATTLE_TIMES, "/EventTime")
        );
        assert_eq!(
            fired(&start_battle(MAX, MAX - 1, MAX)),
            [
                "battle-time-order at /StartTime",
                "event-time-after-battle-times at /EventTime"
            ]
        );
        let warning = &semantic_warnings(&start_battle(11, 10, 11_000))[0];
        assert_eq!(
            warning.message,
            "StartTime 10 s is before CreateTime 11 s: a battle's StartTime must not be before \
             its CreateTime"
        );
    }

    #[test]
    fn battle_duration_window() {
        let window = |op_type, start, end, duration| {
            let packet = end_battle(op_type, (start, start, end), duration, MAX);
            fired_by(&BATTLE_DURATION_WINDOW, &packet)
        };
        let off = ["/Duration"];
        assert_eq!(window(0, 100, 130, 30_000), NONE);
        // Exactly one second off either way passes; one millisecond more fails.
        assert_eq!(window(0, 100, 130, 29_000), NONE);
        assert_eq!(window(0, 100, 130, 31_000), NONE);
        assert_eq!(window(0, 100, 130, 28_999), off);
        assert_eq!(window(0, 100, 130, 31_001), off);
        assert_eq!(window(0, 100, 100, 1_000), NONE);
        assert_eq!(window(0, 100, 100, 1_001), off);
        // Only when the time ran out (OpType 0).
        assert_eq!(window(1, 100, 130, 60_000), NONE);
        assert_eq!(window(2, 100, 130, 60_000), NONE);
        // A window that ends before it starts is left to battle-time-order.
        assert_eq!(
            fired(&end_battle(0, (0, 130, 100), 0, 130_000)),
            one(&BATTLE_TIME_ORDER, "/EndTime")
        );
        // Extremes: the widest window and the largest Duration, exactly compared.
        assert_eq!(window(0, 0, MAX, MAX), off);
        assert_eq!(window(0, MAX, MAX, MAX), off);
        assert_eq!(window(0, MAX, MAX, 0), NONE);
        assert_eq!(window(0, MAX - 1, MAX, 1_000), NONE);
        // 2^53 - 1 ms is 9007199254740.991 s.
        let max_seconds = MAX / 1000;
        assert_eq!(window(0, 0, max_seconds, MAX), NONE);
        assert_eq!(window(0, 0, max_seconds + 1, MAX), NONE);
        assert_eq!(window(0, 0, max_seconds + 2, MAX), off);
        assert_eq!(window(0, 0, max_seconds - 1, MAX), off);
        let warning = &semantic_warnings(&end_battle(0, (100, 100, 160), 30_000, MAX))[0];
        assert_eq!(
            warning.message,
            "Duration 30000 ms is 30000 ms off EndTime - StartTime = 160 - 100 = 60 s (60000 \
             ms): with OpType 0 the battle's time ran out, so they must match within 1000 ms"
        );
    }

    #[test]
    fn event_time_after_battle_times() {
        let early = one(&EVENT_TIME_AFTER_BATTLE_TIMES, "/EventTime");
        // Start Battle: the boundary is StartTime * 1000, included.
        assert_eq!(fired(&start_battle(10, 20, 20_000)), NONE);
        assert_eq!(fired(&start_battle(10, 20, 19_999)), early);
        // End Battle: against EndTime; StartTime too, unless the battle never started.
        assert_eq!(fired(&end_battle(1, (10, 20, 30), 0, 30_000)), NONE);
        assert_eq!(fired(&end_battle(1, (10, 20, 30), 0, 29_999)), early);
        assert_eq!(fired(&end_battle(2, (10, 0, 30), 0, 29_999)), early);
        assert_eq!(fired(&end_battle(2, (10, MAX, 30), 0, 30_000)), NONE);
        // Extremes: 2^53 - 1 seconds is beyond every millisecond the schemas accept.
        assert_eq!(fired(&start_battle(0, MAX, MAX)), early);
        assert_eq!(fired(&start_battle(0, MAX / 1000, MAX)), NONE);
        assert_eq!(fired(&start_battle(0, MAX / 1000 + 1, MAX)), early);
        assert_eq!(fired(&start_battle(0, 0, 0)), NONE);
        let warning = &semantic_warnings(&end_battle(1, (10, 30, 30), 0, 29_999))[0];
        assert_eq!(
            warning.message,
            "EventTime 29999 ms is before EndTime 30 s (30000 ms): the webhook is sent after \
             the battle ended, so EventTime must not be before EndTime"
        );
    }

    fn room(command: &str, create_time: Option<u64>, event_time: Option<u64>) -> Webhook {
        let mut packet = json!({
            "CallbackCommand": command,
            "Operator_Account": "admin",
            "RoomId": "r",
            "EventType": "DestroyByUser",
            "RoomInfo": {"RoomId": "r"},
        });
        if let Some(create_time) = create_time {
            packet["RoomInfo"]["CreateTime"] = create_time.into();
        }
        if let Some(event_time) = event_time {
            packet["EventTime"] = event_time.into();
        }
        webhook(packet)
    }

    #[test]
    fn event_time_after_room_creation() {
        let early = one(&EVENT_TIME_AFTER_ROOM_CREATION, "/EventTime");
        for command in EVENT_TIME_AFTER_ROOM_CREATION.commands {
            let command = command.as_str();
            assert_eq!(
                fired(&room(command, Some(10), Some(10_000))),
                NONE,
                "{command}"
            );
            assert_eq!(
                fired(&room(command, Some(10), Some(9_999))),
                early,
                "{command}"
            );
            assert_eq!(fired(&room(command, None, Some(0))), NONE, "{command}");
            assert_eq!(
                fired(&room(command, Some(MAX), Some(MAX))),
                early,
                "{command}"
            );
            assert_eq!(fired(&room(command, Some(0), Some(0))), NONE, "{command}");
        }
        // Create Room's EventTime is optional; so is Destroy Room's RoomInfo.
        let create_room = Command::LiveCallbackAfterCreateRoom.as_str();
        assert_eq!(fired(&room(create_room, Some(MAX), None)), NONE);
        let destroyed_without_room_info = webhook(json!({
            "CallbackCommand": "Live.CallbackAfterDestroyRoom",
            "Operator_Account": "admin", "RoomId": "r", "EventType": "DestroyByUser",
            "EventTime": 0,
        }));
        assert_eq!(fired(&destroyed_without_room_info), NONE);
        let warning = &semantic_warnings(&room(create_room, Some(10), Some(9_999)))[0];
        assert_eq!(
            warning.message,
            "EventTime 9999 ms is before RoomInfo.CreateTime 10 s (10000 ms): the webhook is \
             sent after the room was created, so EventTime must not be before \
             RoomInfo.CreateTime"
        );
    }

    fn message(msg_time: u64, event_time: Value) -> Webhook {
        webhook(json!({
            "CallbackCommand": "Group.CallbackAfterSendMsg",
            "GroupId": "g", "Type": "Live", "From_Account": "a", "Operator_Account": "a",
            "Random": 1, "MsgId": "m", "MsgSeq": 1, "MsgTime": msg_time, "MsgBody": [],
            "EventTime": event_time,
        }))
    }

    #[test]
    fn event_time_after_message_time() {
        let early = one(&EVENT_TIME_AFTER_MESSAGE_TIME, "/EventTime");
        // Both forms of EventTime, at the boundary.
        assert_eq!(fired(&message(10, json!(10_000))), NONE);
        assert_eq!(fired(&message(10, json!("10000"))), NONE);
        assert_eq!(fired(&message(10, json!("0010000"))), NONE);
        assert_eq!(fired(&message(10, json!(9_999))), early);
        assert_eq!(fired(&message(10, json!("9999"))), early);
        // Extremes: 19 digits is the longest string, and may go beyond every integer time.
        assert_eq!(fired(&message(MAX, json!(MAX))), early);
        assert_eq!(fired(&message(MAX, json!("9007199254740990999"))), early);
        assert_eq!(fired(&message(MAX, json!("9007199254740991000"))), NONE);
        assert_eq!(fired(&message(MAX, json!("9999999999999999999"))), NONE);
        assert_eq!(fired(&message(0, json!("0"))), NONE);
        // Group.CallbackBeforeSendMsg has no MsgTime: no check applies.
        let before = webhook(json!({
            "CallbackCommand": "Group.CallbackBeforeSendMsg",
            "GroupId": "g", "Type": "Live", "From_Account": "a", "Operator_Account": "a",
            "Random": 1, "MsgId": "m", "MsgBody": [], "EventTime": "0",
        }));
        assert_eq!(fired(&before), NONE);
    }

    /// Texts that a typed value does not show: a member given twice (the last counts), an
    /// escaped member name, a nested member of the same name, a room without its `RoomInfo`,
    /// odd whitespace. (An integer written `40.0` or `4e1` fits the schema but not the typed model:
    /// such a packet is refused by `validate` and `check` alike.)
    #[test]
    fn the_reading_keeps_the_facts_that_the_typed_value_holds() {
        let validator = crate::Validator::new().unwrap();
        let texts = [
            r#" { "CallbackCommand" : "Live.CallbackAfterEndBattle", "BattleId": "b",
                "CreateTime": 50, "\u0043reateTime": 10, "StartTime": 10, "EndTime":
                40,
                "Duration": 30000, "OpType": 0, "EventTime": 39999,
                "FromRoomInfo": {"RoomId": "r", "Score": 0, "Owner_Account": "a", "EndTime": 99},
                "ToRoomList": [{"RoomId": "s", "Score": 1, "Owner_Account": "b"}] }"#,
            r#"{"CallbackCommand":"Live.CallbackAfterStartBattle","BattleId":"b","Duration":1,
                "CreateTime":10,"StartTime":9,"EventTime":5,"EventTime":9000,
                "FromRoomInfo":{"RoomId":"r","Owner_Account":"a"},"ToRoomList":[]}"#,
            r#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","Operator_Account":"o",
                "RoomId":"r","EventType":"DestroyBySystem","EventTime":9999,
                "RoomInfo":{"RoomId":"r","CreateTime":20,"CreateTime":10}}"#,
            r#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","Operator_Account":"o",
                "RoomId":"r","EventType":"DestroyBySystem","EventTime":1}"#,
            r#"{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"g","Type":"Live",
                "From_Account":"a","Operator_Account":"a","Random":1,"MsgId":"m","MsgSeq":1,
                "MsgTime":10,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"x",
                "MsgTime":99}}],"EventTime":"9999"}"#,
        ];
        // The warnings each packet has when the right member is read: the last one given.
        let expected = [1, 2, 1, 0, 1];
        for (text, expected) in texts.into_iter().zip(expected) {
            let typed = validator.validate(text.as_bytes()).expect(text);
            let (fit, warnings) = fit_with_warnings(typed.command(), text.as_bytes()).unwrap();
            assert_eq!(fit, Fit::Fits, "{text}");
            assert_eq!(warnings, crate::warnings(&typed), "{text}");
            assert_eq!(warnings.len(), expected, "{text}");
        }
    }

    #[test]
    fn warnings_serialize_with_their_check_pointer_and_message() {
        let warning = &semantic_warnings(&message(10, json!("9999")))[0];
        assert_eq!(
            serde_json::to_value(warning).unwrap(),
            json!({
                "check": "event-time-after-message-time",
                "instance_path": "/EventTime",
                "message": "EventTime 9999 ms is before MsgTime 10 s (10000 ms): the webhook is \
                            sent after the message was sent, so EventTime must not be before \
                            MsgTime",
            })
        );
    }
}

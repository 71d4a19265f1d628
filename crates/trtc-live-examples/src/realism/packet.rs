//! What the fields of one packet share: the moment of the event, the room it happens in, the
//! timing of a battle, offsets that keep array items distinct.
//!
//! Times are consistent: every time in seconds is at most the event time (`EventTime`, in
//! milliseconds) divided by 1000, and a battle was created, then started, then ended
//! (`CreateTime <= StartTime <= EndTime`, Unix seconds). Its `Duration` is in milliseconds:
//! for a battle that ran out its time (`OpType` 0) it equals `(EndTime - StartTime) * 1000`;
//! when every owner left early (1) it is the planned length, longer than the time it ran;
//! when nobody joined (2) the battle never started, and `StartTime` is its `CreateTime`.

use fastrand::Rng;
use serde_json::Value;

use super::{words, Field};
use crate::dice;

/// 2025-02-01T00:00:00Z, in Unix seconds: the earliest event, late enough for the times
/// before it (a room created up to 30 days earlier) to fall in 2025 too.
const EARLIEST_EVENT: u64 = 1_738_368_000;
/// 2027-01-01T00:00:00Z, in Unix seconds: events happen before.
const LATEST_EVENT: u64 = 1_798_761_600;
/// Planned battle lengths, in seconds, most of the time.
const BATTLE_LENGTHS: [u64; 7] = [30, 60, 90, 120, 180, 300, 600];
/// Draws of a distinct room before settling for a repeated one.
const MAX_ROOM_DRAWS: u32 = 16;
/// A day, in seconds.
const DAY: u64 = 86_400;

/// The context shared by the fields of one packet.
#[derive(Debug)]
pub(crate) struct PacketContext {
    /// When the event happened, in Unix milliseconds.
    event_ms: u64,
    /// The room the event is about, once drawn.
    room: Option<String>,
    /// Rooms drawn for array items (invited rooms), to keep them distinct.
    other_rooms: Vec<String>,
    /// Why the battle ended (`OpType`), once generated.
    end_reason: Option<i64>,
    /// Battle timing, once drawn.
    battle: Option<BattleTimes>,
    /// When the room was created, once drawn (Unix seconds).
    room_created: Option<u64>,
    /// Start of the run of distinct values used for array items (metadata keys, seats,
    /// categories).
    item_offset: u64,
}

/// The timing of a battle, in Unix seconds, and its `Duration` in milliseconds.
#[derive(Clone, Copy, Debug)]
struct BattleTimes {
    created: u64,
    started: u64,
    ended: u64,
    duration_ms: u64,
}

impl PacketContext {
    /// A new packet: an event at a random moment of 2025 or 2026 (from February 2025).
    pub(crate) fn new(rng: &mut Rng) -> Self {
        let event_s = dice::between(rng, EARLIEST_EVENT, LATEST_EVENT - 1);
        Self {
            event_ms: event_s * 1000 + dice::between(rng, 0, 999),
            room: None,
            other_rooms: Vec::new(),
            end_reason: None,
            battle: None,
            room_created: None,
            item_offset: dice::between(rng, 0, 50),
        }
    }

    /// The event time, in Unix seconds.
    pub(crate) fn event_s(&self) -> u64 {
        self.event_ms / 1000
    }

    /// Records why the battle ended (`OpType`).
    pub(crate) fn set_end_reason(&mut self, reason: Option<i64>) {
        self.end_reason = reason;
    }

    /// Why the battle ended, if the packet says.
    pub(crate) fn end_reason(&self) -> Option<i64> {
        self.end_reason
    }

    /// Offset for the `index`-th item of an array of distinct values.
    pub(crate) fn item_offset(&self) -> u64 {
        self.item_offset
    }

    /// The room the packet is about (the same for every field that names it).
    pub(crate) fn room(&mut self, rng: &mut Rng) -> String {
        self.room.get_or_insert_with(|| words::room_id(rng)).clone()
    }

    /// Another room (an invited room of a battle), distinct from the packet's room and from
    /// the other rooms drawn.
    pub(crate) fn other_room(&mut self, rng: &mut Rng) -> String {
        let own = self.room(rng);
        let mut room = words::room_id(rng);
        for attempt in 0..MAX_ROOM_DRAWS {
            if room != own && !self.other_rooms.contains(&room) {
                break;
            }
            room = format!("{}{attempt}", words::room_id(rng));
        }
        self.other_rooms.push(room.clone());
        room
    }

    /// A consistent time for a field named like a time, or `None`.
    pub(crate) fn time(&mut self, field: &Field<'_>, rng: &mut Rng) -> Option<Value> {
        let seconds = match field.name? {
            "EventTime" => return Some(self.event_time(field, rng)),
            "CreateTime" if field.within("RoomInfo") => self.room_created(field, rng),
            "CreateTime" => self.battle(field, rng).created,
            "StartTime" => self.battle(field, rng).started,
            "EndTime" => self.battle(field, rng).ended,
            "Duration" => return Some(Value::from(self.battle(field, rng).duration_ms)),
            "Time" => self.event_s(),
            "MsgTime" => self.event_s().saturating_sub(dice::between(rng, 0, 1)),
            _ => return None,
        };
        Some(Value::from(seconds))
    }

    /// `EventTime`: an integer, or (where the schema allows it, as in the `Group.` webhooks)
    /// half of the time a string of digits.
    fn event_time(&self, field: &Field<'_>, rng: &mut Rng) -> Value {
        if field.allows_type("string") && rng.bool() {
            Value::from(self.event_ms.to_string())
        } else {
            Value::from(self.event_ms)
        }
    }

    /// When the room was created: at the event in a packet about creating it (a definition
    /// named `...CreateRoom`), else a minute to 30 days before.
    fn room_created(&mut self, field: &Field<'_>, rng: &mut Rng) -> u64 {
        let event_s = self.event_s();
        let is_creation = field
            .packet_definition()
            .is_some_and(|name| name.ends_with("CreateRoom"));
        *self.room_created.get_or_insert_with(|| {
            if is_creation {
                event_s
            } else {
                event_s.saturating_sub(dice::between(rng, 60, 30 * DAY))
            }
        })
    }

    fn battle(&mut self, field: &Field<'_>, rng: &mut Rng) -> BattleTimes {
        if let Some(battle) = self.battle {
            return battle;
        }
        let has_ended = field.sibling_schemas.contains_key("EndTime");
        let battle = BattleTimes::draw(rng, self.event_s(), has_ended, self.end_reason);
        self.battle = Some(battle);
        battle
    }
}

impl BattleTimes {
    /// Timing of a battle seen at `event_s`: ended just before if `has_ended` (for the reason
    /// `end_reason`), else started just before.
    fn draw(rng: &mut Rng, event_s: u64, has_ended: bool, end_reason: Option<i64>) -> Self {
        let planned = if dice::chance(rng, 70) {
            dice::pick_or(rng, &BATTLE_LENGTHS, 60)
        } else {
            dice::between(rng, 10, 900)
        };
        // Time the invitees took to accept (0: the battle needed no answer).
        let wait = if rng.bool() {
            0
        } else {
            dice::between(rng, 1, 30)
        };
        if !has_ended {
            let started = event_s.saturating_sub(dice::between(rng, 0, 1));
            return Self {
                created: started.saturating_sub(wait),
                started,
                ended: started + planned,
                duration_ms: planned * 1000,
            };
        }
        let ended = event_s.saturating_sub(dice::between(rng, 0, 2));
        match end_reason {
            // Every owner left before the time was up.
            Some(1) => {
                let started =
                    ended.saturating_sub(dice::between(rng, 1, planned.saturating_sub(1)));
                Self {
                    created: started.saturating_sub(wait),
                    started,
                    ended,
                    duration_ms: planned * 1000,
                }
            }
            // Nobody joined: ended when the invitation timed out, never started.
            Some(2) => {
                let created = ended.saturating_sub(dice::between(rng, 5, 60));
                Self {
                    created,
                    started: created,
                    ended,
                    duration_ms: planned * 1000,
                }
            }
            // Time up: ran exactly its duration.
            _ => {
                let started = ended.saturating_sub(planned);
                Self {
                    created: started.saturating_sub(wait),
                    started,
                    ended,
                    duration_ms: (ended - started) * 1000,
                }
            }
        }
    }
}

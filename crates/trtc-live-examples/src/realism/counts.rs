//! Realistic integers, chosen by property name: counts, sizes, scores, sequence numbers.

use fastrand::Rng;
use serde_json::Value;

use super::{Field, PacketContext};
use crate::dice;

const MAX_MEMBER_COUNTS: [u64; 7] = [100, 300, 500, 1000, 2000, 10_000, 100_000];
const MAX_SEAT_COUNTS: [u64; 6] = [1, 4, 6, 9, 12, 16];
const MAX_ROOM_COUNTS: [u64; 5] = [100, 200, 500, 1000, 5000];
const TIMEOUTS_MS: [u64; 5] = [10_000, 15_000, 20_000, 30_000, 60_000];
const GIFT_COUNTS: [u64; 8] = [1, 1, 1, 2, 5, 10, 66, 99];
const GIFT_PRICES: [u64; 7] = [1, 10, 50, 99, 520, 1314, 2000];
/// Codes of a failed answer to a notification (Tencent ignores them).
const FAILURE_CODES: [i64; 4] = [1, 500, 1001, 90_001];
/// Number of room categories an app typically defines.
const CATEGORIES: u64 = 20;

/// A realistic integer for a field named `field.name`, or `None`.
pub(crate) fn integer(field: &Field<'_>, rng: &mut Rng, packet: &PacketContext) -> Option<Value> {
    let n = match field.name? {
        "Random" => u64::from(rng.u32(..)),
        "MsgSeq" => dice::between(rng, 1, 500_000),
        "Timeout" => dice::pick_or(rng, &TIMEOUTS_MS, 30_000),
        "MaxMemberCount" => dice::pick_or(rng, &MAX_MEMBER_COUNTS, 300),
        "MaxSeatCount" => dice::pick_or(rng, &MAX_SEAT_COUNTS, 9),
        "Category" => 1 + (packet.item_offset() + index(field)) % CATEGORIES,
        "ActivityStatus" => dice::between(rng, 0, 3),
        "ViewCount" | "TotalViewers" => {
            if dice::chance(rng, 10) {
                0
            } else {
                dice::between(rng, 1, 50_000)
            }
        }
        // Seats in order, from 0 or 1.
        "Index" => packet.item_offset() % 2 + index(field),
        "Count" => dice::pick_or(rng, &GIFT_COUNTS, 1),
        "Coins" => field.sibling_u64("Count").unwrap_or(1) * dice::pick_or(rng, &GIFT_PRICES, 10),
        // No score when nobody joined.
        "Score" if packet.end_reason() == Some(2) => 0,
        "Score" => dice::between(rng, 0, 3000) * 10,
        "MaxRoomCount" => dice::pick_or(rng, &MAX_ROOM_COUNTS, 500),
        // The webhook fires when the count reaches the threshold.
        "CurRoomCount" => {
            let max = field.sibling_u64("MaxRoomCount").unwrap_or(500);
            dice::between(rng, max * 8 / 10, max)
        }
        "TotalGiftsSent" if field.sibling_u64("TotalViewers") == Some(0) => 0,
        "TotalGiftsSent" => dice::between(rng, 0, 5000),
        "TotalGiftCoins" => {
            field.sibling_u64("TotalGiftsSent").unwrap_or(0) * dice::between(rng, 1, 500)
        }
        "TotalUniqueGiftSenders" => {
            let gifts = field.sibling_u64("TotalGiftsSent").unwrap_or(0);
            let viewers = field.sibling_u64("TotalViewers").unwrap_or(0);
            let most = gifts.min(viewers);
            dice::between(rng, most.min(1), most)
        }
        "TotalLikesReceived" => dice::between(rng, 0, 500_000),
        "ErrorCode" => return error_code(field, rng),
        _ => return None,
    };
    Some(Value::from(n))
}

/// `ErrorCode` of a notification's answer: 0 with OK, a failure code with FAIL. A decision
/// code (an enumerated schema, as for the before-webhooks) is left to the schema.
fn error_code(field: &Field<'_>, rng: &mut Rng) -> Option<Value> {
    if field.is_enumerated() {
        return None;
    }
    match field.sibling_str("ActionStatus") {
        Some("FAIL") => Some(Value::from(dice::pick_or(rng, &FAILURE_CODES, 1))),
        _ => Some(Value::from(0)),
    }
}

fn index(field: &Field<'_>) -> u64 {
    field.item_index().map_or(0, |i| i as u64)
}

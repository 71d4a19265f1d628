//! Account ids (`AccountId`): UserIDs as Tencent prints them, in both forms.
//!
//! Tencent documents a UserID as a string and prints it as a name (`"brennan"`), a quoted
//! number (`"10100015411"`) or a bare integer beyond 2^53 (`144115245442327522`, which a
//! double rounds to ...520). Examples mix all of them, and rarely (2 %) an edge of the
//! schema's range: 2^53 + 1 or `u64::MAX`.

use fastrand::Rng;
use serde_json::Value;

use super::words::{NAMES, UID_PREFIXES};
use crate::dice;

/// 2^57: the numeric UserIDs of Tencent's samples lie just above (144115188075855872).
const TENCENT_UID_BASE: u64 = 1 << 57;
/// Spread of the numeric UserIDs above [`TENCENT_UID_BASE`] (the samples reach 5.7e10).
const TENCENT_UID_SPREAD: u64 = (1 << 36) - 1;
/// The numeric UserIDs printed in Tencent's samples.
const SAMPLE_UIDS: [u64; 5] = [
    144_115_245_442_327_522,
    144_115_245_353_757_792,
    144_115_216_631_667_826,
    144_115_233_775_727_695,
    144_115_233_406_643_804,
];
/// Ids at the edges: 2^53 + 1 (the first integer a double cannot hold) and `u64::MAX`.
const EDGE_UIDS: [u64; 2] = [(1 << 53) + 1, u64::MAX];

/// A UserID for the property `name` (`Operator_Account` is often an admin or the system).
pub(crate) fn account_id(rng: &mut Rng, name: Option<&str>) -> Value {
    if name == Some("Operator_Account") {
        match rng.u64(0..100) {
            0..=19 => return Value::from("admin"),
            20..=24 => return Value::from("@TIM#SYSTEM"),
            _ => {}
        }
    }
    match rng.u64(0..100) {
        0..=29 => Value::from(user_name(rng)),
        30..=54 => Value::from(large_uid(rng)),
        55..=64 => Value::from(small_uid(rng)),
        65..=84 => Value::from(large_uid(rng).to_string()),
        85..=97 => Value::from(small_uid(rng).to_string()),
        _ => {
            let edge = dice::pick_or(rng, &EDGE_UIDS, u64::MAX);
            if rng.bool() {
                Value::from(edge)
            } else {
                Value::from(edge.to_string())
            }
        }
    }
}

/// A UserID chosen by the app: `user_8812`, `jared`, `anchor_42`, ...
fn user_name(rng: &mut Rng) -> String {
    let name = dice::pick_or(rng, NAMES, "user");
    match rng.u64(0..4) {
        0 => name.to_owned(),
        1 => format!("{name}{}", dice::between(rng, 1, 99)),
        _ => format!(
            "{}{}",
            dice::pick_or(rng, UID_PREFIXES, "user_"),
            dice::between(rng, 1, 99_999)
        ),
    }
}

/// A numeric UserID beyond 2^53, like Tencent's (sometimes exactly one of the samples').
fn large_uid(rng: &mut Rng) -> u64 {
    if dice::chance(rng, 10) {
        dice::pick_or(rng, &SAMPLE_UIDS, SAMPLE_UIDS[0])
    } else {
        TENCENT_UID_BASE + dice::between(rng, 0, TENCENT_UID_SPREAD)
    }
}

/// A numeric UserID that a double holds exactly (like the captured `"10100015411"`).
fn small_uid(rng: &mut Rng) -> u64 {
    dice::between(rng, 10_000, 99_999_999_999)
}

//! Room messages (`MessageElement`, Tencent Chat's TIMMessage elements) and the error texts of
//! answers.

use fastrand::Rng;
use serde_json::{json, Value};

use super::Field;
use crate::dice;

const TEXTS: &[&str] = &[
    "red packet",
    "hello everyone!",
    "666",
    "🎉🎉🎉",
    "主播好！",
    "what song is this?",
    "gg",
    "first time here, love it",
    "加油！",
    "can you say hi to me?",
    "👍",
    "where are you streaming from?",
    "求关注",
    "nice combo!",
];
/// `(Data, Desc)` of custom elements.
const CUSTOM_ELEMENTS: &[(&str, &str)] = &[
    ("LV1", "CustomElement.MemberLevel"),
    ("{\"type\":\"like\",\"count\":3}", "like"),
    ("{\"type\":\"gift_combo\",\"combo\":12}", "gift_combo"),
    (
        "{\"businessID\":\"barrage\",\"color\":\"#FFD700\"}",
        "barrage",
    ),
];
const FACES: &[&str] = &["[smile]", "[heart]", "[clap]", "[laugh]", "[rose]"];
/// `(Desc, Latitude, Longitude)` of location elements.
const PLACES: &[(&str, f64, f64)] = &[
    ("Shenzhen Bay", 22.5431, 114.0579),
    ("Beijing", 39.9042, 116.4074),
    ("Marina Bay, Singapore", 1.3521, 103.8198),
    ("Shibuya, Tokyo", 35.6595, 139.7005),
];
const GIFT_REFUSALS: &[&str] = &[
    "insufficient balance",
    "this gift is not available in this room",
    "gifting is paused during the battle",
    "daily gift limit reached",
];
const MESSAGE_REFUSALS: &[&str] = &[
    "message contains blocked words",
    "you are muted in this room",
    "slow mode: wait 5 seconds between messages",
    "links are not allowed",
];
const REFUSALS: &[&str] = &["rejected by the app backend", "not allowed", "forbidden"];
const FAILURES: &[&str] = &[
    "internal error",
    "database timeout",
    "service unavailable, retry later",
];

/// One element of a message body: mostly text, then custom data, faces and locations.
pub(crate) fn element(rng: &mut Rng) -> Value {
    match rng.u64(0..100) {
        0..=59 => json!({
            "MsgType": "TIMTextElem",
            "MsgContent": {"Text": dice::pick_or(rng, TEXTS, "hi")},
        }),
        60..=84 => {
            let (data, desc) = dice::pick_or(rng, CUSTOM_ELEMENTS, ("", ""));
            json!({
                "MsgType": "TIMCustomElem",
                "MsgContent": {"Data": data, "Desc": desc, "Ext": ""},
            })
        }
        85..=94 => json!({
            "MsgType": "TIMFaceElem",
            "MsgContent": {"Index": dice::between(rng, 0, 200), "Data": dice::pick_or(rng, FACES, "")},
        }),
        _ => {
            let (desc, latitude, longitude) = dice::pick_or(rng, PLACES, ("", 0.0, 0.0));
            json!({
                "MsgType": "TIMLocationElem",
                "MsgContent": {"Desc": desc, "Latitude": latitude, "Longitude": longitude},
            })
        }
    }
}

/// `ErrorInfo` of an answer, matching its `ActionStatus` and `ErrorCode`: empty when all is
/// well, the refusal text a sender would see for a pass-through code.
pub(crate) fn error_info(field: &Field<'_>, rng: &mut Rng) -> Value {
    let failed = field.sibling_str("ActionStatus") == Some("FAIL");
    let code = field.siblings.get("ErrorCode").and_then(Value::as_i64);
    let text = match code {
        Some(102_100..=102_200) => dice::pick_or(rng, GIFT_REFUSALS, ""),
        Some(10_100..=10_200) => dice::pick_or(rng, MESSAGE_REFUSALS, ""),
        _ if failed => dice::pick_or(rng, FAILURES, ""),
        Some(1) => dice::pick_or(rng, REFUSALS, ""),
        _ => "",
    };
    Value::from(text)
}

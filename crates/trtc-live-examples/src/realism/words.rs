//! Realistic strings, chosen by property name: room ids, names, URLs, gift ids, metadata.

use fastrand::Rng;
use serde_json::Value;

use super::{Field, PacketContext};
use crate::dice;

/// First names used in UserIDs and room ids.
pub(crate) const NAMES: &[&str] = &[
    "jared", "tommy", "brennan", "tandy", "alice", "bob", "chen_wei", "li_na", "sakura", "mateo",
    "amara", "yuki", "nora", "omar", "priya", "lucas",
];
/// Prefixes of numbered UserIDs.
pub(crate) const UID_PREFIXES: &[&str] = &["user_", "anchor_", "viewer_", "UserID_", "guest"];

const ROOM_NAMES: &[&str] = &[
    "Friday night karaoke",
    "夏季40度",
    "Chill beats & chat",
    "PK showdown",
    "Morning yoga live",
    "英雄联盟 排位冲分",
    "Cooking with Nora",
    "Guitar covers 🎸",
    "深夜电台",
    "Live Q&A",
    "Street food tour",
    "Study with me",
];
const GIFT_IDS: &[&str] = &[
    "gift_rose",
    "gift_heart",
    "gift_rocket",
    "gift_crown",
    "gift_lollipop",
    "gift1",
    "super_car",
    "gift_planet",
];
const METADATA_KEYS: &[&str] = &[
    "theme",
    "announcement",
    "pk_mode",
    "background_music",
    "seat_layout",
    "host_level",
    "room_tag",
    "key1",
    "key2",
];
const METADATA_VALUES: &[&str] = &[
    "value1",
    "dark",
    "Welcome! Follow for daily streams",
    "on",
    "off",
    "grid_3x3",
    "{\"level\":5}",
    "🎵 lofi mix",
];
const CUSTOM_INFO: &[&str] = &[
    "",
    "custom123",
    "{\"category\":\"music\"}",
    "{\"level\":3,\"vip\":true}",
    "pk_enabled",
];
const EXTENSION_INFO: &[&str] = &[
    "extension pk",
    "",
    "{\"round\":1}",
    "{\"theme\":\"dance\",\"prize\":\"crown\"}",
    "best of 3",
];
const CLOUD_CUSTOM_DATA: &[&str] = &[
    "your cloud custom data",
    "",
    "{\"level\":5}",
    "{\"badge\":\"vip\",\"color\":\"#FF5A5F\"}",
    "fan_club_lv3",
];
/// Group types: Live rooms, and the other Chat group types the message webhooks also see.
const GROUP_TYPES: &[&str] = &[
    "Live",
    "Live",
    "Live",
    "Live",
    "Live",
    "AVChatRoom",
    "Public",
];

/// A realistic string for a field named `field.name`, or `None`.
pub(crate) fn string(
    field: &Field<'_>,
    rng: &mut Rng,
    packet: &mut PacketContext,
) -> Option<Value> {
    let text = match field.name? {
        // Invited rooms (array items) differ from the room of the packet.
        "RoomId" | "FromRoomId" | "GroupId" if !field.in_array() => packet.room(rng),
        "RoomId" | "ToRoomIdList" => packet.other_room(rng),
        "BattleId" => battle_id(rng),
        "RoomName" => pick(rng, ROOM_NAMES),
        "RoomType" => "Live".to_owned(),
        "Type" => pick(rng, GROUP_TYPES),
        "CustomInfo" => pick(rng, CUSTOM_INFO),
        "ExtensionInfo" => pick(rng, EXTENSION_INFO),
        "CloudCustomData" => pick(rng, CLOUD_CUSTOM_DATA),
        "CoverURL" => image_url(rng, "covers"),
        "BackgroundURL" => image_url(rng, "backgrounds"),
        "GiftId" => pick(rng, GIFT_IDS),
        "Key" | "Keys" => distinct(field, packet, METADATA_KEYS),
        "Value" => pick(rng, METADATA_VALUES),
        "MsgId" => message_id(rng, packet),
        _ => return None,
    };
    Some(Value::from(text))
}

/// A room id in one of the styles seen in Tencent's samples and captures.
pub(crate) fn room_id(rng: &mut Rng) -> String {
    match rng.u64(0..100) {
        0..=39 => format!("live_{}", dice::between(rng, 1000, 99_999)),
        40..=54 => format!("room_{}", dice::between(rng, 100, 9999)),
        55..=64 => format!("pk-{}", dice::between(rng, 1, 99)),
        65..=79 => {
            let suffix: String = (0..8).map(|_| rng.uppercase()).collect();
            format!("@TGS#{}{suffix}", rng.digit(10))
        }
        80..=89 => format!("{}-live", dice::pick_or(rng, NAMES, "live")),
        _ => dice::between(rng, 1, 9999).to_string(),
    }
}

/// A battle id: 32 random bytes in base64, like `4siHsNsWN/T3aub9zKraqPfGQAimPhdFoe6VWhtz9lY=`.
fn battle_id(rng: &mut Rng) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes: Vec<u8> = (0..32).map(|_| rng.u8(..)).collect();
    let mut text = String::with_capacity(44);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        let sextets = [n >> 18, n >> 12, n >> 6, n];
        for (i, sextet) in sextets.iter().enumerate() {
            if i <= chunk.len() {
                text.push(char::from(ALPHABET[(sextet & 63) as usize]));
            } else {
                text.push('=');
            }
        }
    }
    text
}

/// A client message id, `<number>-<seconds>-<random>` as in the samples.
fn message_id(rng: &mut Rng, packet: &PacketContext) -> String {
    format!(
        "{}-{}-{}",
        (1_u64 << 57) + dice::between(rng, 0, (1 << 36) - 1),
        packet.event_s(),
        rng.u32(..)
    )
}

fn image_url(rng: &mut Rng, folder: &str) -> String {
    if dice::chance(rng, 15) {
        return String::new();
    }
    let name: String = (0..12).map(|_| rng.digit(16)).collect();
    format!("https://cdn.example.com/live/{folder}/{name}.jpg")
}

/// The values of an array of distinct items: item `i` gets the `(offset + i)`-th value.
fn distinct(field: &Field<'_>, packet: &PacketContext, values: &[&str]) -> String {
    let index = field.item_index().unwrap_or(0) as u64;
    let len = values.len().max(1) as u64;
    let position = usize::try_from((packet.item_offset() + index) % len).unwrap_or(0);
    values.get(position).copied().unwrap_or("key").to_owned()
}

fn pick(rng: &mut Rng, values: &[&str]) -> String {
    dice::pick_or(rng, values, "").to_owned()
}

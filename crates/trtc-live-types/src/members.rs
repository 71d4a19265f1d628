//! Reading a packet object member by member, straight into the place its value is wanted.
//!
//! Every generated struct that keeps unknown members has its reading generated as
//! [`ReadMembers`] (`xtask/src/struct_deserialize.rs`); its `Deserialize` is that reading
//! behind a visitor ([`Members`]). Decoding a whole packet from bytes goes further
//! ([`object_from_json_bytes`]): serde returns a decoded value through each of its layers (the
//! visitor, the deserializer's map handling, its position fix-up, `from_str`), and each moved
//! the packet, 128 to 640 bytes, once more. There the visitor builds the packet, wrapped as the
//! caller wants it (a [`crate::Webhook`] variant), in the caller's slot and returns nothing,
//! which took the copies of a valid End Battle packet from eight to two. (Plain packets, nearly
//! all, are read before that by the reader of `crate::plain`; serde_json reads the others.)

use std::marker::PhantomData;

use serde::de::{Deserializer as _, MapAccess, Visitor};

use crate::plain::{read_plain, GiveWay, ReadPlain};

/// A struct read from the members of a JSON object: generated for every struct that keeps
/// unknown members.
pub(crate) trait ReadMembers: Sized {
    /// What the reading expects, for serde's errors: "a `TypeName` object".
    const EXPECTING: &'static str;

    /// Reads every member of the object that `map` gives, into its field or into the unknown
    /// members; an error where the object does not fit the type.
    fn read_members<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The visitor of a [`ReadMembers`] struct's `Deserialize`.
pub(crate) struct Members<T>(PhantomData<T>);

impl<T> Members<T> {
    /// The visitor, for `deserializer.deserialize_map`.
    pub(crate) const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<'de, T: ReadMembers> Visitor<'de> for Members<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read_members(map)
    }
}

/// A visitor that reads a `T`, wraps it and puts it in `slot`, returning nothing through
/// serde's layers.
struct IntoSlot<'a, T, W, F> {
    slot: &'a mut Option<W>,
    wrap: F,
    read: PhantomData<T>,
}

impl<'de, T: ReadMembers, W, F: FnOnce(T) -> W> Visitor<'de> for IntoSlot<'_, T, W, F> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(T::EXPECTING)
    }

    #[inline(always)]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        *self.slot = Some((self.wrap)(T::read_members(map)?));
        Ok(())
    }
}

/// Decodes JSON `bytes` as the object type `T`, wrapped by `wrap`: what
/// [`crate::decode::from_json_bytes_as`] gives, without moving the value through serde's
/// layers. Bytes that are UTF-8 as a whole are checked once and read as text, as there.
pub(crate) fn object_from_json_bytes<T: ReadMembers + ReadPlain, W>(
    bytes: &[u8],
    wrap: impl FnOnce(T) -> W,
) -> Result<W, serde_json::Error> {
    let text = simdutf8::basic::from_utf8(bytes);
    // Plain packets first (nearly all of them): see `crate::plain`.
    if let Ok(packet) = text.map_err(|_| GiveWay).and_then(read_plain::<T>) {
        return Ok(wrap(packet));
    }
    let mut slot = None;
    let into_slot = IntoSlot {
        slot: &mut slot,
        wrap,
        read: PhantomData,
    };
    match text {
        Ok(text) => read_whole(serde_json::Deserializer::from_str(text), into_slot)?,
        Err(_) => read_whole(serde_json::Deserializer::from_slice(bytes), into_slot)?,
    }
    // The visitor fills the slot whenever it returns `Ok`.
    slot.ok_or_else(|| serde::de::Error::custom("the packet was read but not kept"))
}

/// Reads one JSON value with `visitor` (an object: `deserialize_map`), and nothing after it
/// but whitespace.
fn read_whole<'de, R: serde_json::de::Read<'de>>(
    mut deserializer: serde_json::Deserializer<R>,
    visitor: impl Visitor<'de, Value = ()>,
) -> Result<(), serde_json::Error> {
    deserializer.deserialize_map(visitor)?;
    deserializer.end()
}

#[cfg(test)]
mod tests {
    use crate::{Command, LiveCallbackAfterEndBattle, Webhook};

    const END_BATTLE: &str = r#"{"CallbackCommand": "Live.CallbackAfterEndBattle",
        "BattleId": "4siHsNsWN/T3aub9zKraqPfGQAimPhdFoe6VWhtz9lY=", "Duration": 30000,
        "CreateTime": 1739956115, "StartTime": 1739956115, "EndTime": 1739956145, "OpType": 0,
        "FromRoomInfo": {"RoomId": "pk-3", "Score": 0, "Owner_Account": 144115245353757792},
        "ToRoomList": [{"RoomId": "pk-5", "Score": 0, "Owner_Account": 144115245442327522}],
        "EventTime": 1739956146119, "Added": {"later": [1, "two"]}}"#;

    /// What the slot gives, against serde's own decode of the type through `Deserialize`.
    fn both(bytes: &[u8]) -> (Option<Webhook>, Option<Webhook>) {
        let through_slot = Webhook::from_slice_as(Command::LiveCallbackAfterEndBattle, bytes).ok();
        let through_serde = serde_json::from_slice::<LiveCallbackAfterEndBattle>(bytes)
            .ok()
            .map(Webhook::LiveCallbackAfterEndBattle);
        (through_slot, through_serde)
    }

    #[test]
    fn the_packet_read_into_the_slot_is_the_one_serde_reads() {
        let (through_slot, through_serde) = both(END_BATTLE.as_bytes());
        let Some(Webhook::LiveCallbackAfterEndBattle(packet)) = &through_slot else {
            panic!("the packet did not decode: {through_slot:?}");
        };
        assert_eq!(packet.to_room_list[0].room_id, "pk-5");
        assert_eq!(packet.extra["Added"]["later"][1], "two");
        assert_eq!(through_slot, through_serde);
    }

    #[test]
    fn a_packet_the_plain_reader_gives_way_on_is_read_into_the_slot() {
        // An unknown member nested deeper than the plain reader hands to serde_json.
        let deep = format!("{}{}", "[".repeat(80), "]".repeat(80));
        let packet = END_BATTLE.replacen("\"Added\"", &format!("\"Deep\": {deep}, \"Added\""), 1);
        let bytes = packet.as_bytes();
        assert_eq!(
            Webhook::from_plain_json_as(Command::LiveCallbackAfterEndBattle, bytes),
            None
        );
        let (through_slot, through_serde) = both(bytes);
        assert!(through_slot.is_some(), "the packet did not decode");
        assert_eq!(through_slot, through_serde);
    }

    #[test]
    fn what_serde_refuses_the_slot_refuses() {
        let control_character = END_BATTLE.replace("pk-3", "pk-\u{1}");
        let mut invalid_utf8 = END_BATTLE.as_bytes().to_vec();
        let at = END_BATTLE.find("pk-3").expect("the room id");
        invalid_utf8[at + 3] = 0xFF;
        for bytes in [
            format!("{END_BATTLE} trailing").into_bytes(),
            END_BATTLE
                .replacen("\"Duration\"", "\"BattleId\": \"again\", \"Duration\"", 1)
                .into_bytes(),
            END_BATTLE.replacen("\"OpType\": 0,", "", 1).into_bytes(),
            control_character.into_bytes(),
            invalid_utf8,
            b"[1, 2]".to_vec(),
        ] {
            let (through_slot, through_serde) = both(&bytes);
            assert_eq!(through_serde, None, "{}", String::from_utf8_lossy(&bytes));
            assert_eq!(through_slot, None, "{}", String::from_utf8_lossy(&bytes));
        }
    }
}

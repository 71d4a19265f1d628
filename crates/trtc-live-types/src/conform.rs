//! Whether JSON fits a type, read in one pass without building the value.
//!
//! Decoding into a type stops at the first member that does not fit it, and cannot tell what a
//! member given twice would have been worth (a `serde_json::Value` keeps the last one). This
//! reading never stops early: every member is read to the end, each known member's slot keeps
//! whether its *last* value fits, and the object fits when every required slot does. So the
//! verdict on an object that has a member twice is the one the schema path gives, and an
//! invalid packet costs what a valid one does. Nothing is allocated but the few strings whose
//! type checks a pattern.
//!
//! Leaf types (numbers, strings with a format, enumerations) are judged by their own
//! `Deserialize`, replayed on the scalar that was read: the verdict is the decode's, by
//! construction. Plain strings and account ids, on every packet, are judged without keeping
//! the string (their rule is simple, and a test holds it to their `Deserialize`). Structs get a
//! generated [`Conform`] (`cargo xtask codegen`) that mirrors their generated `Deserialize`.
//!
//! The reading keeps what costs nothing to keep ([`Conform::Kept`]): the value of each leaf that
//! fits, which the replay has built anyway, member by member (the last of a member given twice).
//! Checks that look at a few numbers of a packet read them there, without typing the packet.
//!
//! It also counts the members that no struct names ([`counting_unknown_members`]): the members
//! the strict mode refuses, found in the same pass, at the cost of a counter when there are some.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{
    BoolDeserializer, BorrowedStrDeserializer, F64Deserializer, I64Deserializer, StrDeserializer,
    U64Deserializer, UnitDeserializer,
};
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// The `visit_*` methods of a [`Visitor`] whose numbers and booleans do not fit.
macro_rules! numbers_and_booleans_do_not_fit {
    () => {
        fn visit_bool<E>(self, _: bool) -> Result<Fit, E> {
            Ok(Fit::DoesNotFit)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Fit, E> {
            Ok(Fit::DoesNotFit)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Fit, E> {
            Ok(Fit::DoesNotFit)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Fit, E> {
            Ok(Fit::DoesNotFit)
        }
    };
}

/// The `visit_*` methods of a [`Visitor`] to which `null`, objects and arrays do not fit (the
/// latter read to their end).
macro_rules! null_objects_and_arrays_do_not_fit {
    () => {
        fn visit_unit<E>(self) -> Result<Fit, E> {
            Ok(Fit::DoesNotFit)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Fit, A::Error> {
            Anything(Fit::DoesNotFit).visit_map(map)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Fit, A::Error> {
            Anything(Fit::DoesNotFit).visit_seq(seq)
        }
    };
}

thread_local! {
    /// Members read on this thread that no generated struct names.
    static UNKNOWN_MEMBERS: Cell<u64> = const { Cell::new(0) };
}

/// Counts, on this thread, one member that the struct being read does not name. The generated
/// [`Conform`] of every struct calls it for each such member, which it then reads and drops.
pub fn unknown_member() {
    UNKNOWN_MEMBERS.with(|count| count.set(count.get().wrapping_add(1)));
}

/// Runs `judge` (a reading with [`Conform`]) and gives what it returned with how many members
/// it read that no struct names: members of objects that the schemas describe member by member
/// (free-form objects excepted), which the strict mode refuses. A reading that stopped on a
/// packet of another command may count members of it too.
pub fn counting_unknown_members<T>(judge: impl FnOnce() -> T) -> (T, u64) {
    let before = UNKNOWN_MEMBERS.with(Cell::get);
    let judged = judge();
    let after = UNKNOWN_MEMBERS.with(Cell::get);
    (judged, after.wrapping_sub(before))
}

/// How a JSON value fits a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// The type reads it.
    Fits,
    /// The type does not read it.
    DoesNotFit,
    /// A packet whose (last) top-level `CallbackCommand` is missing, or is not this type's
    /// command word: it may be a packet of another command.
    CommandDiffers,
}

impl Fit {
    /// `Fits` when `fits`, else `DoesNotFit`.
    pub fn from_bool(fits: bool) -> Self {
        if fits {
            Fit::Fits
        } else {
            Fit::DoesNotFit
        }
    }

    /// Whether the type reads the value.
    pub fn fits(self) -> bool {
        self == Fit::Fits
    }
}

/// A type whose fit can be judged without building a value of it.
pub trait Conform {
    /// What the reading keeps of a value: for a leaf judged by replay, the value when it fits
    /// (`Option<Self>`); for a struct, what is kept of each of its members (a generated struct
    /// of the `kept` module, named after the type); nothing (`()`) for strings, account ids,
    /// arrays and free-form objects, which are read without being kept.
    type Kept: Clone + fmt::Debug + Default + PartialEq;

    /// Reads one JSON value from `deserializer`, to its end, and says how it fits `Self`, with
    /// what it keeps of it (to be trusted only when it fits). An error means the text is not
    /// JSON.
    fn conform_keeping<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<(Fit, Self::Kept), D::Error>;

    /// Reads one JSON value from `deserializer`, to its end, and says how it fits `Self`. An
    /// error means the text is not JSON.
    fn conform<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Fit, D::Error> {
        Ok(Self::conform_keeping(deserializer)?.0)
    }
}

/// Whether JSON `bytes` fit `T`: one value, then only whitespace. An error means the bytes are
/// not JSON. As in decoding, bytes that are UTF-8 as a whole are read as text.
pub fn fit_of_bytes<T: Conform>(bytes: &[u8]) -> Result<Fit, serde_json::Error> {
    Ok(fit_of_bytes_keeping::<T>(bytes)?.0)
}

/// [`fit_of_bytes`], with what the reading keeps ([`Conform::Kept`]).
pub fn fit_of_bytes_keeping<T: Conform>(bytes: &[u8]) -> Result<(Fit, T::Kept), serde_json::Error> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            let read = T::conform_keeping(&mut deserializer)?;
            deserializer.end()?;
            Ok(read)
        }
        Err(_) => {
            let mut deserializer = serde_json::Deserializer::from_slice(bytes);
            let read = T::conform_keeping(&mut deserializer)?;
            deserializer.end()?;
            Ok(read)
        }
    }
}

/// Reads a value and says whether it fits `T`, with what is kept of it: the seed of a member or
/// an element.
pub struct Keeps<T>(PhantomData<T>);

impl<T> Keeps<T> {
    /// The seed.
    pub fn new() -> Self {
        Keeps(PhantomData)
    }
}

impl<T> Default for Keeps<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, T: Conform> DeserializeSeed<'de> for Keeps<T> {
    type Value = (bool, T::Kept);
    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<(bool, T::Kept), D::Error> {
        let (fit, kept) = T::conform_keeping(deserializer)?;
        Ok((fit.fits(), kept))
    }
}

/// Reads any JSON value to its end, as strictly as a `serde_json::Value` is read (strings are
/// checked, unlike with `IgnoredAny`), and keeps nothing.
pub struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(Anything(Fit::Fits))?;
        Ok(())
    }
}

/// Reads any JSON value to its end and answers `.0` whatever it was. Strings go through
/// `visit_str`, so serde_json checks them as it does for a `serde_json::Value`.
struct Anything(Fit);

impl<'de> Visitor<'de> for Anything {
    type Value = Fit;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Fit, E> {
        Ok(self.0)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Fit, E> {
        Ok(self.0)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Fit, E> {
        Ok(self.0)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Fit, E> {
        Ok(self.0)
    }
    fn visit_str<E>(self, _: &str) -> Result<Fit, E> {
        Ok(self.0)
    }
    fn visit_unit<E>(self) -> Result<Fit, E> {
        Ok(self.0)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fit, A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(self.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Fit, A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(self.0)
    }
}

/// The members of an object, read by a generated [`Conform`] of a struct.
pub trait Members<'de> {
    /// What is kept of the object's members.
    type Kept: Default;

    /// Reads every member of the object and says how it fits, with what is kept of it.
    fn members<A: MapAccess<'de>>(self, map: A) -> Result<(Fit, Self::Kept), A::Error>;
}

/// Judges an object with `members`; any other value does not fit (and nothing is kept of it).
pub fn object<'de, D: Deserializer<'de>, M: Members<'de>>(
    deserializer: D,
    members: M,
) -> Result<(Fit, M::Kept), D::Error> {
    deserializer.deserialize_any(Object(members))
}

struct Object<M>(M);

impl<M> Object<M> {
    fn does_not_fit<K: Default, E>() -> Result<(Fit, K), E> {
        Ok((Fit::DoesNotFit, K::default()))
    }
}

impl<'de, M: Members<'de>> Visitor<'de> for Object<M> {
    type Value = (Fit, M::Kept);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.members(map)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Self::does_not_fit()
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Self::does_not_fit()
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Self::does_not_fit()
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Self::does_not_fit()
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Self::does_not_fit()
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Self::does_not_fit()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Anything(Fit::DoesNotFit).visit_seq(seq)?;
        Self::does_not_fit()
    }
}

/// Judges a scalar by replaying it into `T`'s own `Deserialize`, and keeps the value when it
/// fits; objects and arrays do not fit.
pub fn by_replay<'de, T: DeserializeOwned, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<(Fit, Option<T>), D::Error> {
    deserializer.deserialize_any(Replay::<T>(PhantomData))
}

struct Replay<T>(PhantomData<T>);

impl<T: DeserializeOwned> Replay<T> {
    fn judge<'a, D: Deserializer<'a, Error = Misfit>>(scalar: D) -> (Fit, Option<T>) {
        match T::deserialize(scalar) {
            Ok(value) => (Fit::Fits, Some(value)),
            Err(Misfit) => (Fit::DoesNotFit, None),
        }
    }
}

/// The error of a replayed scalar that does not fit: only the fact is kept, so that no message
/// is formatted for it.
#[derive(Debug, thiserror::Error)]
#[error("the value does not fit the type")]
struct Misfit;

impl serde::de::Error for Misfit {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Misfit
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Replay<T> {
    type Value = (Fit, Option<T>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Self::judge(BoolDeserializer::new(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Self::judge(I64Deserializer::new(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Self::judge(U64Deserializer::new(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Self::judge(F64Deserializer::new(v)))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Self::judge(BorrowedStrDeserializer::new(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Self::judge(StrDeserializer::new(v)))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Self::judge(UnitDeserializer::new()))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Anything(Fit::DoesNotFit).visit_map(map)?;
        Ok((Fit::DoesNotFit, None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Anything(Fit::DoesNotFit).visit_seq(seq)?;
        Ok((Fit::DoesNotFit, None))
    }
}

/// `Conform` for leaf types, by replay.
macro_rules! conform_by_replay {
    ($($ty:ty),* $(,)?) => {$(
        impl Conform for $ty {
            type Kept = Option<$ty>;
            fn conform_keeping<'de, D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<(Fit, Self::Kept), D::Error> {
                by_replay::<$ty, D>(deserializer)
            }
        }
    )*};
}
/// Calls macro `$each` with every hand-written leaf type that is judged by replaying its own
/// `Deserialize` on the scalar read: here and in `crate::plain`, which reads them the same way.
macro_rules! replayed_leaf_types {
    ($each:ident) => {
        $each!(
            bool,
            u8,
            u32,
            u64,
            i64,
            crate::wire::BattleEndReason,
            crate::wire::OnlineOnlyFlag,
            crate::wire::GroupAtAllFlag,
            crate::timestamp::UnixMillisecondsOrDigits,
            crate::decision::SendGiftErrorCode,
            crate::decision::SendMsgErrorCode,
        );
    };
}
pub(crate) use replayed_leaf_types;

replayed_leaf_types!(conform_by_replay);

/// A string, of any content: read, not kept.
impl Conform for String {
    type Kept = ();
    fn conform_keeping<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(Fit, ()), D::Error> {
        struct AnyString;
        impl<'de> Visitor<'de> for AnyString {
            type Value = Fit;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E>(self, _: &str) -> Result<Fit, E> {
                Ok(Fit::Fits)
            }
            numbers_and_booleans_do_not_fit!();
            null_objects_and_arrays_do_not_fit!();
        }
        Ok((deserializer.deserialize_any(AnyString)?, ()))
    }
}

/// An account id, as [`crate::wire::AccountId`] reads it (any string, or an integer from 0 to
/// `u64::MAX`), without keeping the string.
impl Conform for crate::wire::AccountId {
    type Kept = ();
    fn conform_keeping<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(Fit, ()), D::Error> {
        struct AnyAccountId;
        impl<'de> Visitor<'de> for AnyAccountId {
            type Value = Fit;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an account id")
            }
            fn visit_str<E>(self, _: &str) -> Result<Fit, E> {
                Ok(Fit::Fits)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Fit, E> {
                Ok(Fit::Fits)
            }
            fn visit_i64<E>(self, number: i64) -> Result<Fit, E> {
                Ok(Fit::from_bool(number >= 0))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Fit, E> {
                Ok(Fit::DoesNotFit)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Fit, E> {
                Ok(Fit::DoesNotFit)
            }
            null_objects_and_arrays_do_not_fit!();
        }
        Ok((deserializer.deserialize_any(AnyAccountId)?, ()))
    }
}

/// An object of any members, as `serde_json::Map` reads it.
impl Conform for serde_json::Map<String, serde_json::Value> {
    type Kept = ();
    fn conform_keeping<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(Fit, ()), D::Error> {
        struct AnyMembers;
        impl<'de> Members<'de> for AnyMembers {
            type Kept = ();
            fn members<A: MapAccess<'de>>(self, map: A) -> Result<(Fit, ()), A::Error> {
                Ok((Anything(Fit::Fits).visit_map(map)?, ()))
            }
        }
        object(deserializer, AnyMembers)
    }
}

/// An array whose every element fits `T`.
impl<T: Conform> Conform for Vec<T> {
    type Kept = ();
    fn conform_keeping<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(Fit, ()), D::Error> {
        struct Elements<T>(PhantomData<T>);
        impl<'de, T: Conform> Visitor<'de> for Elements<T> {
            type Value = Fit;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Fit, A::Error> {
                let mut all = true;
                // What an element keeps is let go: arrays keep nothing.
                while let Some((fits, _)) = seq.next_element_seed(Keeps::<T>::new())? {
                    all &= fits;
                }
                Ok(Fit::from_bool(all))
            }
            numbers_and_booleans_do_not_fit!();
            fn visit_str<E>(self, _: &str) -> Result<Fit, E> {
                Ok(Fit::DoesNotFit)
            }
            fn visit_unit<E>(self) -> Result<Fit, E> {
                Ok(Fit::DoesNotFit)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Fit, A::Error> {
                Anything(Fit::DoesNotFit).visit_map(map)
            }
        }
        Ok((
            deserializer.deserialize_any(Elements::<T>(PhantomData))?,
            (),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::AccountId;

    /// Every kind of JSON value, at and around the bounds an account id has.
    const VALUES: &[&str] = &[
        "\"brennan\"",
        "\"\"",
        "\"\\u0041\"",
        "0",
        "18446744073709551615",
        "18446744073709551616",
        "-0",
        "-1",
        "-9223372036854775808",
        "1.0",
        "1e2",
        "null",
        "true",
        "[]",
        "[1]",
        "{}",
        "{\"a\": 1}",
    ];

    #[test]
    fn an_account_id_fits_where_it_decodes() {
        for text in VALUES {
            let decodes = serde_json::from_str::<AccountId>(text).is_ok();
            let fit = fit_of_bytes::<AccountId>(text.as_bytes()).unwrap();
            assert_eq!(fit.fits(), decodes, "{text}");
        }
    }

    #[test]
    fn replayed_leaves_fit_where_they_decode() {
        fn agree<T: Conform + DeserializeOwned>(name: &str) {
            for text in VALUES {
                let decodes = serde_json::from_str::<T>(text).is_ok();
                let fit = fit_of_bytes::<T>(text.as_bytes()).unwrap();
                assert_eq!(fit.fits(), decodes, "{name} {text}");
            }
        }
        agree::<u8>("u8");
        agree::<u32>("u32");
        agree::<u64>("u64");
        agree::<i64>("i64");
        agree::<bool>("bool");
        agree::<String>("String");
        agree::<crate::wire::BattleEndReason>("BattleEndReason");
        agree::<crate::timestamp::UnixMillisecondsOrDigits>("UnixMillisecondsOrDigits");
        agree::<crate::decision::SendGiftErrorCode>("SendGiftErrorCode");
        agree::<Vec<AccountId>>("Vec<AccountId>");
        agree::<serde_json::Map<String, serde_json::Value>>("Map");
    }

    #[test]
    fn replayed_leaves_keep_the_value_they_decode_to() {
        fn keeps<T>(name: &str)
        where
            T: Conform<Kept = Option<T>> + DeserializeOwned + PartialEq + fmt::Debug,
        {
            for text in VALUES {
                let decoded = serde_json::from_str::<T>(text).ok();
                let (_, kept) = fit_of_bytes_keeping::<T>(text.as_bytes()).unwrap();
                assert_eq!(kept, decoded, "{name} {text}");
            }
        }
        keeps::<u64>("u64");
        keeps::<i64>("i64");
        keeps::<bool>("bool");
        keeps::<crate::wire::BattleEndReason>("BattleEndReason");
        keeps::<crate::timestamp::UnixMillisecondsOrDigits>("UnixMillisecondsOrDigits");
    }

    #[test]
    fn a_struct_keeps_the_last_value_of_each_member() {
        let text = br#"{"CreateTime": 1, "OpType": 9, "CreateTime": 2, "Duration": "x",
            "RoomInfo": {"CreateTime": 3}, "\u004FpType": 1}"#;
        let (fit, kept) = fit_of_bytes_keeping::<crate::LiveCallbackAfterEndBattle>(text).unwrap();
        assert_eq!(fit, Fit::CommandDiffers);
        assert_eq!(kept.create_time, Some(2));
        assert_eq!(
            kept.op_type,
            Some(crate::wire::BattleEndReason::AllOwnersLeft)
        );
        assert_eq!((kept.duration, kept.end_time), (None, None));
    }

    #[test]
    fn members_no_struct_names_are_counted_at_every_depth() {
        let text = br#"{"CallbackCommand": "Live.CallbackAfterEndBattle", "New": {"a": 1},
            "FromRoomInfo": {"RoomId": "r", "Level": 3, "Badge": null},
            "ToRoomList": [{"RoomId": "s", "Level": 4}, {"RoomId": "t"}]}"#;
        let (fit, unknown) = counting_unknown_members(|| {
            fit_of_bytes::<crate::LiveCallbackAfterEndBattle>(text).unwrap()
        });
        assert_eq!((fit, unknown), (Fit::DoesNotFit, 4));
        // A free-form object has no unknown member.
        let (_, unknown) = counting_unknown_members(|| {
            fit_of_bytes::<serde_json::Map<String, serde_json::Value>>(br#"{"a": {"b": 1}}"#)
        });
        assert_eq!(unknown, 0);
    }

    #[test]
    fn text_that_is_not_json_is_an_error() {
        for text in ["", "{", "[1,]", "\"\\ud800\"", "\"a\tb\"", "1 2", "nul"] {
            assert!(
                fit_of_bytes::<AccountId>(text.as_bytes()).is_err(),
                "{text:?}"
            );
            assert!(fit_of_bytes::<String>(text.as_bytes()).is_err(), "{text:?}");
        }
    }
}

//! Hand-written wire types that typify 0.8 cannot derive from the schemas.
//!
//! Each one replaces a schema definition of the same name (see `xtask/src/typify_workarounds.rs`)
//! and accepts exactly what that definition allows; the tests below check it value by value.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_repr::{Deserialize_repr, Serialize_repr};

/// A user account (UserID), kept in the form it was received.
///
/// Tencent's field tables say String, and most samples print a quoted name, but some samples
/// print a bare integer beyond 2^53 (`144115245442327522`). Both forms are accepted and kept:
/// serializing gives back exactly what was read, and a number never passes through a float.
///
/// `Text("42")` and `Number(42)` are different values: compare their text (`to_string()`, from [`Display`](std::fmt::Display)) to treat
/// them as the same account.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountId {
    /// Received as a JSON string.
    Text(String),
    /// Received as a JSON integer, in `0..=u64::MAX`.
    Number(u64),
}

impl AccountId {
    /// Whether the account was received as a JSON number.
    pub fn is_number(&self) -> bool {
        matches!(self, Self::Number(_))
    }
}

impl fmt::Display for AccountId {
    /// The account as text: the string itself, or the number's decimal digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => f.write_str(text),
            Self::Number(number) => write!(f, "{number}"),
        }
    }
}

impl From<String> for AccountId {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<&str> for AccountId {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<u64> for AccountId {
    fn from(number: u64) -> Self {
        Self::Number(number)
    }
}

impl Serialize for AccountId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => serializer.serialize_str(text),
            Self::Number(number) => serializer.serialize_u64(*number),
        }
    }
}

impl<'de> Deserialize<'de> for AccountId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AccountIdVisitor)
    }
}

struct AccountIdVisitor;

impl Visitor<'_> for AccountIdVisitor {
    type Value = AccountId;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an account id: a string, or an integer from 0 to 18446744073709551615")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<AccountId, E> {
        Ok(AccountId::Text(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<AccountId, E> {
        Ok(AccountId::Text(text))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<AccountId, E> {
        Ok(AccountId::Number(number))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<AccountId, E> {
        u64::try_from(number)
            .map(AccountId::Number)
            .map_err(|_| E::invalid_value(de::Unexpected::Signed(number), &self))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<AccountId, E> {
        // A float cannot carry a 64-bit account exactly, even when it looks integral: refuse it
        // rather than guess the digits.
        Err(E::invalid_value(de::Unexpected::Float(number), &self))
    }
}

/// Why a battle ended (`OpType` of `Live.CallbackAfterEndBattle`): an open enumeration (see
/// [`crate::open_enum`]), whose values beyond the documented ones are kept in `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BattleEndReason {
    /// 0: the battle's time ran out (normal end).
    TimeUp,
    /// 1: every room owner left after the battle had started.
    AllOwnersLeft,
    /// 2: the battle was created but ended without starting, because no invited room owner joined.
    NeverStarted,
    /// Any other value from 0 to [`crate::MAX_SAFE_INTEGER`] (2^53 - 1, as the schema bounds
    /// it), as received: a reason Tencent added later.
    Other(u64),
}

impl BattleEndReason {
    /// The value as sent (`OpType`).
    pub const fn code(self) -> u64 {
        match self {
            Self::TimeUp => 0,
            Self::AllOwnersLeft => 1,
            Self::NeverStarted => 2,
            Self::Other(code) => code,
        }
    }

    /// The reason of a value: a known one, or `Other`.
    pub const fn from_code(code: u64) -> Self {
        match code {
            0 => Self::TimeUp,
            1 => Self::AllOwnersLeft,
            2 => Self::NeverStarted,
            other => Self::Other(other),
        }
    }
}

impl Serialize for BattleEndReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.code())
    }
}

impl<'de> Deserialize<'de> for BattleEndReason {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Code;
        impl Visitor<'_> for Code {
            type Value = BattleEndReason;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a battle end reason: an integer from 0 to 9007199254740991")
            }
            fn visit_u64<E: de::Error>(self, code: u64) -> Result<BattleEndReason, E> {
                if code > crate::MAX_SAFE_INTEGER {
                    return Err(E::invalid_value(de::Unexpected::Unsigned(code), &self));
                }
                Ok(BattleEndReason::from_code(code))
            }
            fn visit_i64<E: de::Error>(self, code: i64) -> Result<BattleEndReason, E> {
                u64::try_from(code)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(code), &self))
                    .and_then(|code| self.visit_u64(code))
            }
        }
        deserializer.deserialize_u64(Code)
    }
}

impl crate::open_enum::OpenEnum for BattleEndReason {
    const DEFINITION: &'static str = "BattleEndReason";
    const KNOWN: &'static [&'static str] = &["0", "1", "2"];

    fn is_known(&self) -> bool {
        !matches!(self, Self::Other(_))
    }

    fn json_text(&self) -> String {
        self.code().to_string()
    }
}

impl crate::open_enum::UnknownValues for BattleEndReason {
    fn unknown_values(
        &self,
        at: &crate::open_enum::Pointer<'_>,
        out: &mut Vec<crate::open_enum::UnknownValue>,
    ) {
        crate::open_enum::note_unknown(self, at, out);
    }
}

/// Whether a room message was sent online-only (`OnlineOnlyFlag` of the `Group.` message
/// webhooks). A flag: closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize_repr, Deserialize_repr)]
#[repr(u8)]
pub enum OnlineOnlyFlag {
    /// 0: an ordinary message (the default, and always the case in audio-video groups).
    Ordinary = 0,
    /// 1: an online-only message.
    OnlineOnly = 1,
}

/// Whether a mention is of every member (`GroupAtAllFlag` of `GroupAtInfo`). A flag: closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize_repr, Deserialize_repr)]
#[repr(u8)]
pub enum GroupAtAllFlag {
    /// 0: the mention is of the member in `GroupAt_Account`.
    Member = 0,
    /// 1: the mention is of every member (@all).
    All = 1,
}

/// The name of a member, as the generated `Deserialize` impls read it: its bytes (escapes
/// decoded), borrowed from the input when it has none, and checked to be UTF-8 only when it is
/// kept (an unknown member, for the `extra` map). A known name is matched on its bytes, which is
/// enough: no other byte sequence equals it.
#[derive(Debug, PartialEq, Eq)]
pub struct MemberName<'de>(std::borrow::Cow<'de, [u8]>);

impl MemberName<'_> {
    /// The name's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The name, owned (for the `extra` map); an error if it is not UTF-8.
    pub fn into_string<E: de::Error>(self) -> Result<String, E> {
        String::from_utf8(self.0.into_owned())
            .map_err(|_| E::custom("a member name is not valid UTF-8"))
    }
}

impl<'de> Deserialize<'de> for MemberName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl<'de> Visitor<'de> for Name {
            type Value = MemberName<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_bytes<E: de::Error>(self, name: &'de [u8]) -> Result<Self::Value, E> {
                Ok(MemberName(std::borrow::Cow::Borrowed(name)))
            }
            fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Self::Value, E> {
                Ok(MemberName(std::borrow::Cow::Owned(name.to_vec())))
            }
            fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
                Ok(MemberName(std::borrow::Cow::Borrowed(name.as_bytes())))
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
                Ok(MemberName(std::borrow::Cow::Owned(
                    name.as_bytes().to_vec(),
                )))
            }
            fn visit_string<E: de::Error>(self, name: String) -> Result<Self::Value, E> {
                Ok(MemberName(std::borrow::Cow::Owned(name.into_bytes())))
            }
        }
        // A name is read as strictly as any string (no raw control character, no lone
        // surrogate, UTF-8), as a `serde_json::Value` reads it: asked for bytes, serde_json
        // would let those through. From text, serde_json does not check UTF-8 again.
        deserializer.deserialize_str(Name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{from_str, to_string};

    #[test]
    fn account_ids_keep_their_form_and_every_digit() {
        for text in [
            "144115245442327522",
            "\"144115245442327522\"",
            "0",
            "18446744073709551615",
            "\"brennan\"",
        ] {
            let id: AccountId = from_str(text).unwrap();
            assert_eq!(to_string(&id).unwrap(), text);
        }
        let id: AccountId = from_str("144115245442327522").unwrap();
        assert_eq!(id, AccountId::Number(144_115_245_442_327_522));
        assert_eq!(id.to_string(), "144115245442327522");
    }

    #[test]
    fn account_ids_reject_what_the_schema_rejects() {
        for text in [
            "-1",
            "1.5",
            "1e3",
            "18446744073709551616",
            "null",
            "true",
            "[]",
            "{}",
        ] {
            let error = from_str::<AccountId>(text).unwrap_err().to_string();
            assert!(
                error.contains("account id") || error.contains("invalid"),
                "{text}: {error}"
            );
        }
    }

    #[test]
    fn online_only_flags_are_exactly_0_1() {
        assert_eq!(
            from_str::<OnlineOnlyFlag>("0").unwrap(),
            OnlineOnlyFlag::Ordinary
        );
        assert_eq!(
            from_str::<OnlineOnlyFlag>("1").unwrap(),
            OnlineOnlyFlag::OnlineOnly
        );
        assert_eq!(to_string(&OnlineOnlyFlag::OnlineOnly).unwrap(), "1");
        for text in ["2", "-1", "1.0", "\"1\"", "true"] {
            assert!(from_str::<OnlineOnlyFlag>(text).is_err(), "{text}");
        }
    }

    #[test]
    fn battle_end_reasons_keep_every_integer_and_refuse_the_rest() {
        let known = [
            BattleEndReason::TimeUp,
            BattleEndReason::AllOwnersLeft,
            BattleEndReason::NeverStarted,
        ];
        for (number, reason) in known.into_iter().enumerate() {
            assert_eq!(
                from_str::<BattleEndReason>(&number.to_string()).unwrap(),
                reason
            );
            assert_eq!(to_string(&reason).unwrap(), number.to_string());
        }
        for text in ["3", "7", "256", "9007199254740991"] {
            let reason = from_str::<BattleEndReason>(text).unwrap();
            assert!(matches!(reason, BattleEndReason::Other(_)), "{text}");
            assert_eq!(to_string(&reason).unwrap(), text);
        }
        for text in [
            "-1",
            "1.0",
            "\"0\"",
            "null",
            "9007199254740992",
            "18446744073709551615",
            "18446744073709551616",
        ] {
            assert!(
                from_str::<BattleEndReason>(text).is_err(),
                "{text} must be rejected"
            );
        }
    }

    #[test]
    fn group_at_all_flags_are_exactly_0_1() {
        assert_eq!(
            from_str::<GroupAtAllFlag>("1").unwrap(),
            GroupAtAllFlag::All
        );
        for text in ["2", "-1", "true"] {
            assert!(from_str::<GroupAtAllFlag>(text).is_err(), "{text}");
        }
    }
}

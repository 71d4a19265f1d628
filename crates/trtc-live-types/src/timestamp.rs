//! [`UnixMillisecondsOrDigits`]: a millisecond timestamp that some pages print as a string.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The most digits a timestamp string may have: 19 digits always fit a `u64`.
const MAX_DIGITS: usize = 19;

/// A Unix timestamp in milliseconds, kept in the form it was received.
///
/// The `Group.` webhooks document `EventTime` as an integer but their samples print a quoted
/// digit string (`"1670574414123"`). Both are accepted; serializing gives back the same form
/// and the same digits (leading zeros included). A string must be 1 to 19 ASCII digits, so that
/// its value always fits 64 bits; nothing else can be built. An integer is decoded from 0 to
/// [`crate::MAX_SAFE_INTEGER`] (2^53 - 1), as the schema bounds every time.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnixMillisecondsOrDigits {
    millis: u64,
    digits: Option<String>,
}

/// A string that is not 1 to 19 ASCII digits.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a millisecond timestamp: expected 1 to 19 ASCII digits")]
pub struct NotATimestamp(pub String);

impl UnixMillisecondsOrDigits {
    /// A timestamp received (or to be sent) as a JSON integer. The schema bounds it within
    /// [`crate::MAX_SAFE_INTEGER`] (2^53 - 1), and decoding refuses a larger one; one built
    /// here is not checked.
    pub const fn from_millis(millis: u64) -> Self {
        Self {
            millis,
            digits: None,
        }
    }

    /// A timestamp received (or to be sent) as a JSON string of digits.
    pub fn from_digits(text: &str) -> Result<Self, NotATimestamp> {
        let well_formed =
            (1..=MAX_DIGITS).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
        match text.parse::<u64>() {
            Ok(millis) if well_formed => Ok(Self {
                millis,
                digits: Some(text.to_owned()),
            }),
            _ => Err(NotATimestamp(text.to_owned())),
        }
    }

    /// Milliseconds since the Unix epoch, whatever the form.
    pub const fn millis(&self) -> u64 {
        self.millis
    }

    /// The digits as received, when the timestamp came as a string.
    pub fn digits(&self) -> Option<&str> {
        self.digits.as_deref()
    }
}

impl Serialize for UnixMillisecondsOrDigits {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.digits {
            Some(digits) => serializer.serialize_str(digits),
            None => serializer.serialize_u64(self.millis),
        }
    }
}

impl<'de> Deserialize<'de> for UnixMillisecondsOrDigits {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TimestampVisitor)
    }
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = UnixMillisecondsOrDigits;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Unix timestamp in milliseconds: an integer from 0 to 9007199254740991, or a string of 1 to 19 digits")
    }

    fn visit_u64<E: de::Error>(self, millis: u64) -> Result<Self::Value, E> {
        // The schema bounds the integer within 2^53 - 1, as every time (crate::bounds); the
        // digit string is a string in every language, and keeps its 19 digits.
        if millis > crate::MAX_SAFE_INTEGER {
            return Err(E::invalid_value(de::Unexpected::Unsigned(millis), &self));
        }
        Ok(UnixMillisecondsOrDigits::from_millis(millis))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Self::Value, E> {
        u64::try_from(number)
            .map_err(|_| E::invalid_value(de::Unexpected::Signed(number), &self))
            .and_then(|millis| self.visit_u64(millis))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Self::Value, E> {
        Err(E::invalid_value(de::Unexpected::Float(number), &self))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        UnixMillisecondsOrDigits::from_digits(text)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{from_str, to_string};

    #[test]
    fn both_forms_are_kept() {
        for text in [
            "1670574414123",
            "\"1670574414123\"",
            "\"0001670574414123\"",
            "0",
            "9007199254740991",
            "\"9999999999999999999\"",
        ] {
            let time: UnixMillisecondsOrDigits = from_str(text).unwrap();
            assert_eq!(to_string(&time).unwrap(), text);
        }
        let time: UnixMillisecondsOrDigits = from_str("\"1670574414123\"").unwrap();
        assert_eq!(time.millis(), 1_670_574_414_123);
        assert_eq!(time.digits(), Some("1670574414123"));
    }

    #[test]
    fn what_the_schema_refuses_is_refused() {
        for text in [
            "-1",
            "1.5",
            "1e3",
            "\"\"",
            "\"-1\"",
            "\"+1\"",
            "\"1.5\"",
            "\" 1\"",
            "\"12345678901234567890\"",
            "\"１２\"",
            "9007199254740992",
            "18446744073709551615",
            "null",
            "true",
        ] {
            assert!(
                from_str::<UnixMillisecondsOrDigits>(text).is_err(),
                "{text} must be refused"
            );
        }
    }
}

//! Integers that the schemas bound more narrowly than their Rust type.
//!
//! Counts, coins, times and durations are `u64` (scores and app-defined codes `i64`) in these
//! types, but their schemas bound them within [`MAX_SAFE_INTEGER`], 2^53 - 1: the largest
//! integer that a JavaScript number (a double) holds exactly, so that every language can read
//! them as plain numbers (see `schemas/README.md`, Numbers). Only account ids and 64-bit
//! sequence numbers go beyond.
//!
//! The generated `Deserialize` (and the one-pass reading of [`crate::conform`]) reads such a
//! member through [`Within`], which refuses a value outside the schema's bounds: the types
//! accept exactly what the schemas accept, which the validator's fast path relies on. A value
//! built in Rust is not checked (`u64` is `u64`): the validator's response checks catch an
//! answer out of bounds.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Unexpected};

use crate::conform::{by_replay, Conform, Fit};

/// 2^53 - 1 (9007199254740991): JavaScript's `Number.MAX_SAFE_INTEGER`, the largest integer
/// that a double holds exactly, with every integer below it. The schemas bound counts, coins,
/// times, durations and scores within it (negative ones within `-MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A `T` read only when it is from `MIN` to `MAX` (both included): how the generated types read
/// an integer whose schema bounds it more narrowly than `T`. Anything else is refused as
/// `T` refuses it, a value out of bounds with a message naming the bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Within<T, const MIN: i128, const MAX: i128>(pub T);

/// What the expected range says in a decoding error.
struct Range(i128, i128);

impl de::Expected for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an integer from {} to {}", self.0, self.1)
    }
}

macro_rules! within {
    ($($ty:ty => $unexpected:ident),* $(,)?) => {$(
        impl<'de, const MIN: i128, const MAX: i128> Deserialize<'de> for Within<$ty, MIN, MAX> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <$ty>::deserialize(deserializer)?;
                if (MIN..=MAX).contains(&i128::from(value)) {
                    Ok(Self(value))
                } else {
                    Err(de::Error::invalid_value(
                        Unexpected::$unexpected(value),
                        &Range(MIN, MAX),
                    ))
                }
            }
        }

        impl<const MIN: i128, const MAX: i128> crate::plain::ReadPlain for Within<$ty, MIN, MAX> {
            fn read_plain(
                reader: &mut crate::plain::Reader<'_>,
            ) -> Result<Self, crate::plain::GiveWay> {
                reader.scalar()
            }
        }

        impl<const MIN: i128, const MAX: i128> Conform for Within<$ty, MIN, MAX> {
            type Kept = Option<$ty>;
            fn conform_keeping<'de, D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<(Fit, Self::Kept), D::Error> {
                let (fit, kept) = by_replay::<Self, D>(deserializer)?;
                Ok((fit, kept.map(|within| within.0)))
            }
        }
    )*};
}
within!(u64 => Unsigned, i64 => Signed);

/// A reading type and the field it fills: [`Within`] gives its integer, an array of them its
/// integers.
pub trait Narrowed {
    /// The type of the field.
    type Field;
    /// The value of the field.
    fn into_field(self) -> Self::Field;
}

impl<T, const MIN: i128, const MAX: i128> Narrowed for Within<T, MIN, MAX> {
    type Field = T;
    fn into_field(self) -> T {
        self.0
    }
}

impl<N: Narrowed> Narrowed for Vec<N> {
    type Field = Vec<N::Field>;
    fn into_field(self) -> Self::Field {
        self.into_iter().map(Narrowed::into_field).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conform::fit_of_bytes_keeping;

    type Count = Within<u64, 0, { MAX_SAFE_INTEGER as i128 }>;
    type Signed = Within<i64, { -(MAX_SAFE_INTEGER as i128) }, { MAX_SAFE_INTEGER as i128 }>;

    #[test]
    fn the_bounds_are_included_and_nothing_beyond() {
        for (text, count, signed) in [
            ("0", Some(0), Some(0)),
            (
                "9007199254740991",
                Some(MAX_SAFE_INTEGER),
                Some(9007199254740991),
            ),
            ("9007199254740992", None, None),
            ("18446744073709551615", None, None),
            ("-9007199254740991", None, Some(-9007199254740991)),
            ("-9007199254740992", None, None),
            ("-1", None, Some(-1)),
            ("1.0", None, None),
            ("\"1\"", None, None),
        ] {
            assert_eq!(
                serde_json::from_str::<Count>(text).ok().map(|c| c.0),
                count,
                "{text}"
            );
            assert_eq!(
                serde_json::from_str::<Signed>(text).ok().map(|s| s.0),
                signed,
                "{text}"
            );
            // The one-pass reading fits and keeps exactly what decodes.
            let (fit, kept) = fit_of_bytes_keeping::<Count>(text.as_bytes()).unwrap();
            assert_eq!((fit.fits(), kept), (count.is_some(), count), "{text}");
            let (fit, kept) = fit_of_bytes_keeping::<Signed>(text.as_bytes()).unwrap();
            assert_eq!((fit.fits(), kept), (signed.is_some(), signed), "{text}");
        }
        let error = serde_json::from_str::<Count>("9007199254740992").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("expected an integer from 0 to 9007199254740991"),
            "{error}"
        );
    }

    #[test]
    fn arrays_give_their_integers() {
        let read: Vec<Signed> = serde_json::from_str("[1, -2]").unwrap();
        assert_eq!(read.into_field(), vec![1, -2]);
        assert!(serde_json::from_str::<Vec<Signed>>("[1, 9007199254740992]").is_err());
    }
}

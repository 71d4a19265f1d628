//! Open enumerations: value sets that Tencent extends over time.
//!
//! An open enumeration's schema accepts any value of its type and lists the known values
//! (`anyOf` of an `enum` and the bare type, marked `"x-trtc-open-enum": true`; see
//! `schemas/README.md`). Its Rust type has one variant per known value and a variant that keeps
//! any other value as received (`Other`), so that a packet with a value added after these types
//! were generated is still typed, and serialized back unchanged. Such a value is reported as a
//! warning (`unknown_enum_value`), never as an error.

use std::fmt;

/// A type of an open enumeration.
pub trait OpenEnum {
    /// The name of its schema definition (its type name).
    const DEFINITION: &'static str;
    /// The known values, as JSON text (`"Enter"`, `2`).
    const KNOWN: &'static [&'static str];

    /// Whether the value is one of the known ones.
    fn is_known(&self) -> bool;

    /// The value as JSON text, as it would be serialized.
    fn json_text(&self) -> String;
}

/// A value of an open enumeration outside its known values, and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnknownValue {
    /// JSON pointer to the value (`/EventCause`).
    pub pointer: String,
    /// The open enumeration (its schema definition, `MemberStateChangedEventCause`).
    pub definition: &'static str,
    /// The value, as JSON text (`"Banned"`, `7`).
    pub value: String,
    /// The known values, as JSON text.
    pub known: &'static [&'static str],
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not a known value of {} ({}): accepted, as Tencent may have added it",
            self.value,
            self.definition,
            self.known.join(", ")
        )
    }
}

/// Where a value stands, as a chain of member names rendered into a JSON pointer only when a
/// value is reported (nothing is allocated otherwise).
#[derive(Clone, Copy, Debug)]
pub struct Pointer<'a> {
    parent: Option<&'a Pointer<'a>>,
    key: &'static str,
}

impl<'a> Pointer<'a> {
    /// The packet itself (the pointer `""`).
    pub const ROOT: Pointer<'static> = Pointer {
        parent: None,
        key: "",
    };

    /// The member `key` of the value at `self`.
    pub fn child(&'a self, key: &'static str) -> Pointer<'a> {
        Pointer {
            parent: Some(self),
            key,
        }
    }

    /// The JSON pointer (`/RoomInfo/TakeSeatMode`).
    pub fn render(&self) -> String {
        let mut keys = Vec::new();
        let mut at = Some(self);
        while let Some(pointer) = at {
            if pointer.parent.is_some() {
                keys.push(pointer.key);
            }
            at = pointer.parent;
        }
        keys.iter()
            .rev()
            .map(|key| format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            .collect()
    }
}

/// Values that may hold values of open enumerations outside their known values.
pub trait UnknownValues {
    /// Adds to `out` every value of an open enumeration in `self` (at `at`) that is not one of
    /// its known values, in member order.
    fn unknown_values(&self, at: &Pointer<'_>, out: &mut Vec<UnknownValue>);
}

impl<T: UnknownValues> UnknownValues for Option<T> {
    fn unknown_values(&self, at: &Pointer<'_>, out: &mut Vec<UnknownValue>) {
        if let Some(value) = self {
            value.unknown_values(at, out);
        }
    }
}

/// [`UnknownValues::unknown_values`] of an open enumeration's value: itself, if unknown.
pub fn note_unknown<T: OpenEnum>(value: &T, at: &Pointer<'_>, out: &mut Vec<UnknownValue>) {
    if !value.is_known() {
        out.push(UnknownValue {
            pointer: at.render(),
            definition: T::DEFINITION,
            value: value.json_text(),
            known: T::KNOWN,
        });
    }
}

/// Every value outside the known ones in `value`, from the packet's root.
pub fn unknown_values_of<T: UnknownValues>(value: &T) -> Vec<UnknownValue> {
    let mut out = Vec::new();
    value.unknown_values(&Pointer::ROOT, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::Pointer;

    #[test]
    fn pointers_render_escaped_from_the_root() {
        let root = Pointer::ROOT;
        let room = root.child("RoomInfo");
        let odd = room.child("a/b~c");
        assert_eq!(root.render(), "");
        assert_eq!(room.render(), "/RoomInfo");
        assert_eq!(odd.render(), "/RoomInfo/a~1b~0c");
    }
}

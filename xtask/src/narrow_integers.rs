//! Integers that a schema bounds more narrowly than any Rust integer type: counts, coins, times,
//! durations and scores, bounded within 2^53 - 1 so that every language reads them as plain
//! numbers (see `schemas/README.md`, Numbers).
//!
//! typify 0.8 picks an integer type from the bounds only when they are exactly a Rust type's
//! range (`0` to `u32::MAX` is a `u32`) and falls back to an unchecked `i64` otherwise. So
//! typify's copy of the bundle gets the range of the 64-bit type instead ([`NarrowIntegers::widen`]:
//! `u64` from 0, `i64` below), the field stays a `u64` (`i64`), and the generated `Deserialize`
//! and `Conform` read it through `crate::bounds::Within<T, MIN, MAX>`, which refuses a value
//! beyond the schema's bounds: the types accept exactly what the schema accepts, as the
//! validator's fast path needs.
//!
//! A narrow integer may be a named definition (a newtype such as `UnixSeconds`), a property of
//! an object definition, or the items of an array property. Anywhere else it is refused, but
//! in the hand-written replacements of `crate::typify_workarounds`, which check their own.

use std::collections::BTreeMap;

use proc_macro2::Literal;
use quote::quote;
use serde_json::Value;

use crate::struct_deserialize::Member;
use crate::Error;

/// An integer's bounds, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// The minimum.
    pub min: i128,
    /// The maximum.
    pub max: i128,
}

impl Bounds {
    /// The range of the 64-bit type the field has: `u64` from 0, else `i64`.
    fn widened(self) -> (Value, Value, &'static str) {
        if self.min >= 0 {
            (Value::from(0), Value::from(u64::MAX), "u64")
        } else {
            (Value::from(i64::MIN), Value::from(i64::MAX), "i64")
        }
    }
}

/// The ranges typify maps to a Rust type of their own (see `convert_integer` in typify-impl).
const EXACT_RANGES: [(i128, i128); 8] = [
    (i8::MIN as i128, i8::MAX as i128),
    (0, u8::MAX as i128),
    (i16::MIN as i128, i16::MAX as i128),
    (0, u16::MAX as i128),
    (i32::MIN as i128, i32::MAX as i128),
    (0, u32::MAX as i128),
    (i64::MIN as i128, i64::MAX as i128),
    (0, u64::MAX as i128),
];

/// Where the bundle's narrow integers are.
#[derive(Clone, Debug, Default)]
pub struct NarrowIntegers {
    /// Named integer definitions (newtypes), by name.
    newtypes: BTreeMap<String, Bounds>,
    /// Integer properties (or the items of array properties), by definition and member name.
    members: BTreeMap<(String, String), Bounds>,
}

/// The bounds of `schema` when it is an integer schema bounded more narrowly than any Rust
/// type's range.
fn narrow(schema: &Value) -> Option<Bounds> {
    narrow_object(schema.as_object()?)
}

/// [`narrow`] of an object schema.
fn narrow_object(object: &serde_json::Map<String, Value>) -> Option<Bounds> {
    if object.get("type") != Some(&Value::from("integer")) || object.contains_key("enum") {
        return None;
    }
    let bound = |key: &str| -> Option<i128> {
        let value = object.get(key)?;
        value
            .as_i64()
            .map(i128::from)
            .or(value.as_u64().map(i128::from))
    };
    let bounds = Bounds {
        min: bound("minimum")?,
        max: bound("maximum")?,
    };
    (!EXACT_RANGES.contains(&(bounds.min, bounds.max))).then_some(bounds)
}

/// `schema` with the widened bounds.
fn widen_in_place(schema: &mut Value, bounds: Bounds) {
    let (min, max, _) = bounds.widened();
    schema["minimum"] = min;
    schema["maximum"] = max;
}

impl NarrowIntegers {
    /// Finds the narrow integers of `bundle`'s definitions, but in those `replaced` says are
    /// written by hand.
    pub fn read(bundle: &Value, replaced: impl Fn(&str) -> bool) -> Self {
        let mut found = Self::default();
        let Some(definitions) = bundle["definitions"].as_object() else {
            return found;
        };
        for (name, schema) in definitions {
            if replaced(name) {
                continue;
            }
            if let Some(bounds) = narrow(schema) {
                found.newtypes.insert(name.clone(), bounds);
            }
            for (key, property) in schema["properties"].as_object().into_iter().flatten() {
                let bounds = narrow(property).or_else(|| {
                    (property["type"] == "array")
                        .then(|| narrow(&property["items"]))
                        .flatten()
                });
                if let Some(bounds) = bounds {
                    found.members.insert((name.clone(), key.clone()), bounds);
                }
            }
        }
        found
    }

    /// Gives every narrow integer of `copy` (typify's copy of the bundle) the range of its
    /// 64-bit type, and refuses a narrow integer anywhere else (but in `replaced` definitions).
    pub fn widen(&self, copy: &mut Value, replaced: impl Fn(&str) -> bool) -> Result<(), Error> {
        let definitions = &mut copy["definitions"];
        for (name, bounds) in &self.newtypes {
            widen_in_place(&mut definitions[name], *bounds);
        }
        for ((name, key), bounds) in &self.members {
            let property = &mut definitions[name]["properties"][key];
            if property["type"] == "array" {
                widen_in_place(&mut property["items"], *bounds);
            } else {
                widen_in_place(property, *bounds);
            }
        }
        for (name, schema) in copy["definitions"].as_object().into_iter().flatten() {
            if !replaced(name) {
                refuse_narrow(schema, &format!("#/definitions/{name}"))?;
            }
        }
        Ok(())
    }

    /// The names of the narrow integer newtypes.
    pub fn newtype_names(&self) -> impl Iterator<Item = &String> {
        self.newtypes.keys()
    }

    /// The narrow integer members, as (definition, member name).
    pub fn member_names(&self) -> impl Iterator<Item = (&String, &String)> {
        self.members.keys().map(|(name, key)| (name, key))
    }

    /// The bounds of the newtype `name`, if it is a narrow integer.
    pub fn newtype(&self, name: &str) -> Option<Bounds> {
        self.newtypes.get(name).copied()
    }

    /// The type that member `m` of struct `name` is read through when it is a narrow integer
    /// (`crate::bounds::Within<u64, {0}, {9007199254740991}>`, or an array of it), checked
    /// against the field's type.
    pub(crate) fn reading_type(&self, name: &str, m: &Member) -> Result<Option<syn::Type>, Error> {
        let Some(bounds) = self.members.get(&(name.to_owned(), m.key.clone())) else {
            return Ok(None);
        };
        let (_, _, expected) = bounds.widened();
        let within = within(expected, *bounds);
        let read = &m.read_as;
        let reading = if is_path(read, expected) {
            within
        } else if vec_item(read).is_some_and(|item| is_path(item, expected)) {
            syn::parse_quote!(::std::vec::Vec<#within>)
        } else {
            return Err(Error::msg(format!(
                "{name}.{}: a narrow integer typed {} (expected {expected} or a Vec of it; see \
                 xtask/src/narrow_integers.rs)",
                m.key,
                quote!(#read)
            )));
        };
        Ok(Some(reading))
    }
}

/// `crate::bounds::Within<T, MIN, MAX>`, a negative bound in braces (a const argument).
pub fn within(ty: &str, bounds: Bounds) -> syn::Type {
    let ty = syn::Ident::new(ty, proc_macro2::Span::call_site());
    let argument = |value: i128| {
        let magnitude = Literal::u128_unsuffixed(value.unsigned_abs());
        if value < 0 {
            quote!({ -#magnitude })
        } else {
            quote!(#magnitude)
        }
    };
    let (min, max) = (argument(bounds.min), argument(bounds.max));
    syn::parse_quote!(crate::bounds::Within<#ty, #min, #max>)
}

fn is_path(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(path) if path.qself.is_none() && path.path.is_ident(name))
}

/// `T` of `::std::vec::Vec<T>`.
fn vec_item(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Vec" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(arguments) => match arguments.args.first()? {
            syn::GenericArgument::Type(item) => Some(item),
            _ => None,
        },
        _ => None,
    }
}

/// Refuses a narrow integer anywhere in `schema` (what is left once the supported places are
/// widened).
fn refuse_narrow(schema: &Value, at: &str) -> Result<(), Error> {
    crate::typify_workarounds::each_object(schema, at, &mut |object, pointer| match narrow_object(
        object,
    ) {
        Some(bounds) => Err(Error::msg(format!(
            "{pointer}: an integer bounded from {} to {} stands where the Rust types cannot \
                 check it; make it a named definition, a property, or the items of an array \
                 property (see xtask/src/narrow_integers.rs)",
            bounds.min, bounds.max
        ))),
        None => Ok(()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bundle() -> Value {
        json!({"definitions": {
            "Seconds": {"type": "integer", "minimum": 0, "maximum": 9007199254740991u64},
            "Small": {"type": "integer", "minimum": 0, "maximum": 4294967295u64},
            "Packet": {"type": "object", "properties": {
                "Count": {"type": "integer", "minimum": 0, "maximum": 9007199254740991u64},
                "Tags": {"type": "array", "items":
                    {"type": "integer", "minimum": -9007199254740991i64, "maximum": 9007199254740991u64}},
                "Id": {"type": "integer", "minimum": 0, "maximum": 18446744073709551615u64}
            }},
            "Replaced": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 5}]}
        }})
    }

    #[test]
    fn narrow_integers_are_found_and_widened_for_typify() {
        let bundle = bundle();
        let replaced = |name: &str| name == "Replaced";
        let narrow = NarrowIntegers::read(&bundle, replaced);
        assert_eq!(
            narrow.newtype("Seconds"),
            Some(Bounds {
                min: 0,
                max: 9007199254740991
            })
        );
        assert_eq!(narrow.newtype("Small"), None, "exactly a u32");
        assert_eq!(narrow.members.len(), 2);
        let mut copy = bundle.clone();
        narrow.widen(&mut copy, replaced).unwrap();
        assert_eq!(copy["definitions"]["Seconds"]["maximum"], json!(u64::MAX));
        let tags = &copy["definitions"]["Packet"]["properties"]["Tags"]["items"];
        assert_eq!(
            (&tags["minimum"], &tags["maximum"]),
            (&json!(i64::MIN), &json!(i64::MAX))
        );
        // A narrow integer elsewhere is refused.
        let mut elsewhere = bundle.clone();
        elsewhere["definitions"]["Other"] =
            json!({"anyOf": [{"type": "integer", "minimum": 1, "maximum": 5}]});
        assert!(NarrowIntegers::read(&elsewhere, replaced)
            .widen(&mut elsewhere.clone(), replaced)
            .is_err());
    }

    #[test]
    fn members_are_read_through_within() {
        let narrow = NarrowIntegers::read(&bundle(), |_| false);
        let member = |key: &str, read_as: syn::Type| Member {
            ident: syn::Ident::new("x", proc_macro2::Span::call_site()),
            key: key.to_owned(),
            read_as,
            optional: false,
        };
        let count = narrow
            .reading_type("Packet", &member("Count", syn::parse_quote!(u64)))
            .unwrap()
            .unwrap();
        assert_eq!(
            quote!(#count).to_string(),
            quote!(crate::bounds::Within<u64, 0, 9007199254740991>).to_string()
        );
        let tags = narrow
            .reading_type(
                "Packet",
                &member("Tags", syn::parse_quote!(::std::vec::Vec<i64>)),
            )
            .unwrap()
            .unwrap();
        assert!(
            quote!(#tags).to_string().contains("- 9007199254740991"),
            "{}",
            quote!(#tags)
        );
        assert!(narrow
            .reading_type("Packet", &member("Count", syn::parse_quote!(i64)))
            .is_err());
        assert!(narrow
            .reading_type("Packet", &member("Id", syn::parse_quote!(u64)))
            .unwrap()
            .is_none());
    }
}

//! Rust types of the open string enumerations (`"x-trtc-open-enum": true`, see
//! [`crate::extensions`]): one variant per known value and `Other(String)` for any other value,
//! kept as received, so that a value Tencent added later is typed and serialized back unchanged.
//! typify is told to use them in place of the definitions (its own output for an `anyOf` of an
//! enum and a string would not keep the known values apart). Integer open enumerations are
//! written by hand (`crates/trtc-live-types/src/wire.rs`) and listed in
//! [`crate::typify_workarounds::REPLACEMENTS`].

use quote::format_ident;

use crate::extensions::{Extensions, OpenEnum};
use crate::Error;

/// The name of the variant that keeps any other value.
const OTHER: &str = "Other";

/// The Rust items of every open string enumeration of `extensions`.
pub fn items(extensions: &Extensions) -> Result<Vec<syn::Item>, Error> {
    let mut items = Vec::new();
    for (name, open) in &extensions.open_enums {
        if open.strings {
            items.extend(enumeration(name, open)?);
        }
    }
    Ok(items)
}

/// The names of the open string enumerations, which typify must not generate.
pub fn string_enum_names(extensions: &Extensions) -> Vec<&str> {
    extensions
        .open_enums
        .iter()
        .filter(|(_, open)| open.strings)
        .map(|(name, _)| name.as_str())
        .collect()
}

/// The variant name of a known value: `Enter`, `Restapi` (`RESTAPI`), `Ios` (`iOS`), `IPad`.
fn variant_name(value: &str) -> Option<String> {
    let mut letters: Vec<char> = value.chars().filter(char::is_ascii_alphanumeric).collect();
    let first = letters.first_mut()?;
    *first = first.to_ascii_uppercase();
    if !first.is_ascii_alphabetic() {
        letters.insert(0, 'V');
    }
    // An all-capitals name (`RESTAPI`, `IOS`) reads as one word (clippy's upper_case_acronyms).
    let all_capitals = letters.len() > 1
        && letters
            .iter()
            .all(|c| !c.is_ascii_alphabetic() || c.is_ascii_uppercase());
    if all_capitals {
        for letter in letters.iter_mut().skip(1) {
            *letter = letter.to_ascii_lowercase();
        }
    }
    Some(letters.into_iter().collect())
}

fn enumeration(name: &str, open: &OpenEnum) -> Result<Vec<syn::Item>, Error> {
    let ident = format_ident!("{name}");
    let values: Vec<&str> = open.known.iter().filter_map(|v| v.as_str()).collect();
    let mut variants = Vec::new();
    for value in &values {
        let variant = variant_name(value)
            .filter(|variant| variant != OTHER)
            .ok_or_else(|| {
                Error::msg(format!(
                    "open enumeration {name}: no Rust variant name for the value {value:?} (it must \
                     have a letter or digit and not be called Other)"
                ))
            })?;
        if variants.contains(&variant) {
            return Err(Error::msg(format!(
                "open enumeration {name}: two known values have the variant name {variant}"
            )));
        }
        variants.push(variant);
    }
    let variant_idents: Vec<syn::Ident> = variants.iter().map(|v| format_ident!("{v}")).collect();
    let variant_docs = values.iter().map(|value| format!("`{value}`"));
    let doc = format!(
        "{}\n\nAn open enumeration: a value outside the known ones is kept in `Other`, as received.",
        open.description
    );
    let json_texts: Vec<String> = values
        .iter()
        .map(|value| serde_json::Value::from(*value).to_string())
        .collect();
    let expecting = format!("a {name}: a string");
    let enumeration: syn::ItemEnum = syn::parse_quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #ident {
            #(
                #[doc = #variant_docs]
                #variant_idents,
            )*
            /// A value outside the known ones, kept as received: one Tencent added later.
            Other(::std::string::String),
        }
    };
    let implementation: syn::ItemImpl = syn::parse_quote! {
        impl #ident {
            /// The known values, in the schema's order.
            pub const KNOWN: &'static [&'static str] = &[#(#values),*];

            /// The value as sent.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variant_idents => #values,)*
                    Self::Other(value) => value,
                }
            }

            /// Whether the value is one of the known ones.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }
    };
    let from_str: syn::ItemImpl = syn::parse_quote! {
        impl ::std::convert::From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variant_idents,)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }
    };
    let from_string: syn::ItemImpl = syn::parse_quote! {
        impl ::std::convert::From<::std::string::String> for #ident {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #(#values => Self::#variant_idents,)*
                    _ => Self::Other(value),
                }
            }
        }
    };
    let display: syn::ItemImpl = syn::parse_quote! {
        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    let serialize: syn::ItemImpl = syn::parse_quote! {
        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
    let deserialize: syn::ItemImpl = syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Value;
                impl<'de> ::serde::de::Visitor<'de> for Value {
                    type Value = #ident;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<#ident, E> {
                        ::std::result::Result::Ok(#ident::from(value))
                    }
                    fn visit_string<E: ::serde::de::Error>(self, value: ::std::string::String) -> ::std::result::Result<#ident, E> {
                        ::std::result::Result::Ok(#ident::from(value))
                    }
                }
                deserializer.deserialize_str(Value)
            }
        }
    };
    let open_enum: syn::ItemImpl = syn::parse_quote! {
        impl crate::open_enum::OpenEnum for #ident {
            const DEFINITION: &'static str = #name;
            const KNOWN: &'static [&'static str] = &[#(#json_texts),*];
            fn is_known(&self) -> bool {
                #ident::is_known(self)
            }
            fn json_text(&self) -> ::std::string::String {
                ::serde_json::Value::from(self.as_str()).to_string()
            }
        }
    };
    let unknown: syn::ItemImpl = syn::parse_quote! {
        impl crate::open_enum::UnknownValues for #ident {
            fn unknown_values(
                &self,
                at: &crate::open_enum::Pointer<'_>,
                out: &mut ::std::vec::Vec<crate::open_enum::UnknownValue>,
            ) {
                crate::open_enum::note_unknown(self, at, out);
            }
        }
    };
    Ok(vec![
        syn::Item::Enum(enumeration),
        syn::Item::Impl(implementation),
        syn::Item::Impl(from_str),
        syn::Item::Impl(from_string),
        syn::Item::Impl(display),
        syn::Item::Impl(serialize),
        syn::Item::Impl(deserialize),
        syn::Item::Impl(open_enum),
        syn::Item::Impl(unknown),
    ])
}

#[cfg(test)]
mod tests {
    use super::variant_name;

    #[test]
    fn variant_names_are_pascal_case_words() {
        for (value, variant) in [
            ("Enter", "Enter"),
            ("RESTAPI", "Restapi"),
            ("iOS", "Ios"),
            ("iPad", "IPad"),
            ("json", "Json"),
            ("DestroyByUser", "DestroyByUser"),
            ("2x", "V2x"),
        ] {
            assert_eq!(variant_name(value).as_deref(), Some(variant), "{value}");
        }
        assert_eq!(variant_name("--"), None);
    }
}

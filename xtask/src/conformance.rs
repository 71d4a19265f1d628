//! `Conform` for every generated type: whether JSON fits the type, judged in one pass without
//! building a value (see `trtc_live_types::conform`).
//!
//! - A struct reads every member to the end. Each known member's slot keeps whether its last
//!   value fits the field's type (as a `serde_json::Value` keeps the last one), an optional
//!   member is read as its inner type (`null` does not fit, as in decoding), and any other member
//!   is read and dropped. The struct fits when every required slot fits and no optional one
//!   fails. A struct with a `CallbackCommand` member says `CommandDiffers` when that member is
//!   missing or does not fit: the packet may be another command's.
//! - A transparent newtype fits as its inner type does.
//! - Enumerations and newtypes with a `Deserialize` of their own are judged by it, replayed on
//!   the scalar read.

use quote::{format_ident, quote};

use crate::struct_deserialize::{has_serde_flag, member};

/// Adds `impl Conform` for every struct and enum of `file`. Run it before the derived
/// `Deserialize` of structs is replaced: a newtype's derive tells a transparent wrapper.
pub fn implement_conform(file: &mut syn::File) {
    let mut impls = Vec::new();
    for item in &file.items {
        let implementation = match item {
            syn::Item::Struct(item) => match &item.fields {
                syn::Fields::Named(fields) => Some(for_struct(&item.ident, fields)),
                syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    Some(for_newtype(item, &fields.unnamed[0].ty))
                }
                _ => None,
            },
            syn::Item::Enum(item) => Some(by_replay(&item.ident)),
            _ => None,
        };
        impls.extend(implementation);
    }
    file.items.extend(impls);
}

fn for_struct(name: &syn::Ident, fields: &syn::FieldsNamed) -> syn::Item {
    let members: Vec<_> = fields
        .named
        .iter()
        .filter(|field| !has_serde_flag(field, "flatten"))
        .map(member)
        .collect();
    let slots = members.iter().map(|m| {
        let slot = format_ident!("slot_{}", m.ident);
        quote! { let mut #slot: ::std::option::Option<bool> = ::std::option::Option::None; }
    });
    let arms = members.iter().map(|m| {
        let (slot, ty) = (format_ident!("slot_{}", m.ident), &m.read_as);
        let key = syn::LitByteStr::new(m.key.as_bytes(), proc_macro2::Span::call_site());
        quote! {
            #key => {
                #slot = ::std::option::Option::Some(
                    map.next_value_seed(crate::conform::Fits::<#ty>::new())?,
                );
            }
        }
    });
    let command_check = members
        .iter()
        .find(|m| m.key == "CallbackCommand")
        .map(|m| {
            let slot = format_ident!("slot_{}", m.ident);
            quote! {
                if #slot != ::std::option::Option::Some(true) {
                    return ::std::result::Result::Ok(crate::conform::Fit::CommandDiffers);
                }
            }
        });
    let conditions: Vec<_> = members
        .iter()
        .map(|m| {
            let slot = format_ident!("slot_{}", m.ident);
            if m.optional {
                quote! { #slot != ::std::option::Option::Some(false) }
            } else {
                quote! { #slot == ::std::option::Option::Some(true) }
            }
        })
        .collect();
    let fits = if conditions.is_empty() {
        quote! { true }
    } else {
        quote! { #(#conditions)&&* }
    };
    syn::parse_quote! {
        impl crate::conform::Conform for #name {
            fn conform<'de, D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<crate::conform::Fit, D::Error> {
                struct Members;
                impl<'de> crate::conform::Members<'de> for Members {
                    fn members<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<crate::conform::Fit, A::Error> {
                        #(#slots)*
                        while let ::std::option::Option::Some(key) =
                            map.next_key::<crate::wire::MemberName<'de>>()?
                        {
                            match key.as_bytes() {
                                #(#arms)*
                                _ => map.next_value_seed(crate::conform::Skip)?,
                            }
                        }
                        #command_check
                        ::std::result::Result::Ok(crate::conform::Fit::from_bool(#fits))
                    }
                }
                crate::conform::object(deserializer, Members)
            }
        }
    }
}

/// A newtype with a derived (transparent) `Deserialize` fits as its inner type; one with a
/// `Deserialize` of its own (a checked string, say) is judged by it.
fn for_newtype(item: &syn::ItemStruct, inner: &syn::Type) -> syn::Item {
    if !derives_deserialize(&item.attrs) {
        return by_replay(&item.ident);
    }
    let name = &item.ident;
    syn::parse_quote! {
        impl crate::conform::Conform for #name {
            fn conform<'de, D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<crate::conform::Fit, D::Error> {
                <#inner as crate::conform::Conform>::conform(deserializer)
            }
        }
    }
}

fn by_replay(name: &syn::Ident) -> syn::Item {
    syn::parse_quote! {
        impl crate::conform::Conform for #name {
            fn conform<'de, D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<crate::conform::Fit, D::Error> {
                crate::conform::by_replay::<Self, D>(deserializer)
            }
        }
    }
}

fn derives_deserialize(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attribute| {
        attribute.path().is_ident("derive")
            && attribute
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )
                .is_ok_and(|paths| {
                    paths.iter().any(|path| {
                        path.segments
                            .last()
                            .is_some_and(|segment| segment.ident == "Deserialize")
                    })
                })
    })
}

//! `ReadPlain` for every generated type: its reading by the plain reader that decoding tries
//! before serde_json (see `trtc_live_types::plain`).
//!
//! - A struct that keeps unknown members reads as its generated `Deserialize` does
//!   ([`crate::struct_deserialize`]): each known member into its slot as its field's type (a
//!   narrow integer through its checked reading), an optional member as its inner type, any
//!   other member into `extra` as serde_json reads it; a member given twice, or a missing
//!   required one, gives way, and so do the packet's revision rules when they refuse it.
//! - A newtype whose `Deserialize` is derived reads as its inner type.
//! - Enumerations, and newtypes with a `Deserialize` of their own, are read by it, replayed on
//!   the scalar read.
//! - Any other struct is read by serde_json from where the reader stands.
//!
//! Run it before the derived `Deserialize` of structs is replaced: a newtype's derive tells a
//! transparent wrapper.

use quote::{format_ident, quote};

use crate::conformance::{derives_deserialize, type_items, TypeItem};
use crate::findings::Plan;
use crate::struct_deserialize::{has_serde_flag, members, slot_declarations};

/// Adds `impl ReadPlain` for every struct and enum of `file`.
pub fn implement_read_plain(file: &mut syn::File, plan: &Plan) {
    let impls: Vec<syn::Item> = type_items(file)
        .map(|item| match item {
            TypeItem::Struct(name, fields) => for_struct(name, fields, plan),
            TypeItem::Newtype(item, inner) => for_newtype(item, inner, plan),
            TypeItem::Enum(name) => by_replay(name),
        })
        .collect();
    file.items.extend(impls);
}

fn for_struct(name: &syn::Ident, fields: &syn::FieldsNamed, plan: &Plan) -> syn::Item {
    let Some(extra) = fields
        .named
        .iter()
        .find(|field| has_serde_flag(field, "flatten"))
        .and_then(|field| field.ident.clone())
    else {
        return syn::parse_quote! {
            impl crate::plain::ReadPlain for #name {
                fn read_plain(
                    reader: &mut crate::plain::Reader<'_>,
                ) -> ::std::result::Result<Self, crate::plain::GiveWay> {
                    reader.free_form()
                }
            }
        };
    };
    let members = members(fields);
    let revision_check = plan
        .revision_code(name, &members)
        .map(|code| code.deserialize_check());
    let slots = slot_declarations(&members);
    let arms = members.iter().map(|m| {
        let (ident, key) = (format_ident!("slot_{}", m.ident), &m.key);
        let value = match plan.narrow_reading(name, m) {
            Some(reading) => quote! {
                crate::bounds::Narrowed::into_field(
                    <#reading as crate::plain::ReadPlain>::read_plain(reader)?,
                )
            },
            None => {
                let ty = &m.read_as;
                quote! { <#ty as crate::plain::ReadPlain>::read_plain(reader)? }
            }
        };
        quote! {
            #key => {
                if #ident.is_some() {
                    return ::std::result::Result::Err(crate::plain::GiveWay);
                }
                #ident = ::std::option::Option::Some(#value);
            }
        }
    });
    let inits = members.iter().map(|m| {
        let (field, slot) = (&m.ident, format_ident!("slot_{}", m.ident));
        if m.optional {
            quote! { #field: #slot, }
        } else {
            quote! { #field: #slot.ok_or(crate::plain::GiveWay)?, }
        }
    });
    syn::parse_quote! {
        impl crate::plain::ReadPlain for #name {
            #[inline]
            fn read_plain(
                reader: &mut crate::plain::Reader<'_>,
            ) -> ::std::result::Result<Self, crate::plain::GiveWay> {
                #(#slots)*
                let mut #extra = ::serde_json::Map::new();
                reader.object(|reader, key| {
                    match &*key {
                        #(#arms)*
                        _ => {
                            #extra.insert(key.into_owned(), reader.free_form()?);
                        }
                    }
                    ::std::result::Result::Ok(())
                })?;
                #revision_check
                ::std::result::Result::Ok(#name { #(#inits)* #extra })
            }
        }
    }
}

fn for_newtype(item: &syn::ItemStruct, inner: &syn::Type, plan: &Plan) -> syn::Item {
    let name = &item.ident;
    if !derives_deserialize(&item.attrs) || plan.narrow_newtype(name).is_some() {
        return by_replay(name);
    }
    syn::parse_quote! {
        impl crate::plain::ReadPlain for #name {
            fn read_plain(
                reader: &mut crate::plain::Reader<'_>,
            ) -> ::std::result::Result<Self, crate::plain::GiveWay> {
                <#inner as crate::plain::ReadPlain>::read_plain(reader).map(Self)
            }
        }
    }
}

fn by_replay(name: &syn::Ident) -> syn::Item {
    syn::parse_quote! {
        impl crate::plain::ReadPlain for #name {
            fn read_plain(
                reader: &mut crate::plain::Reader<'_>,
            ) -> ::std::result::Result<Self, crate::plain::GiveWay> {
                reader.scalar()
            }
        }
    }
}

//! `Deserialize` for the generated structs that keep unknown members, without buffering.
//!
//! typify keeps the members a schema does not name in a `#[serde(flatten)] extra` map. serde's
//! derive implements `flatten` by first buffering every member of the object into an
//! intermediate tree, then deserializing the fields from it: about half the cost of decoding a
//! packet. Each such struct gets a hand-rolled (generated) `Deserialize` instead, which reads
//! each member once, straight into its field or into `extra`:
//!
//! - a known member is read as its field's type; given twice, it is an error (the validator
//!   then takes the schema path, which reads the last one, as `serde_json::Value` does);
//! - an optional member (`Option<T>`) is read as a `T`: `null` is refused, as in the schemas;
//! - a missing required member is an error, as with the derive;
//! - any other member goes into `extra`, the last one winning when given twice.
//!
//! The reading is the struct's `ReadMembers` (the types crate's `members` module), which both its
//! `Deserialize` and the decoding of a whole packet from bytes call: the latter builds the typed
//! packet where it is wanted instead of returning it through serde's layers, each of which
//! copied it (a packet is 128 to 640 bytes).

use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;

use crate::findings::Plan;
use crate::typify_workarounds;
use crate::Error;

/// Replaces the derived `Deserialize` of every struct with a flattened `extra` map; that of a
/// packet with revision rules also refuses a packet whose clock has reached the date of a member
/// it lacks (see [`crate::findings`]).
pub fn deserialize_without_buffering(file: &mut syn::File, plan: &Plan) -> Result<(), Error> {
    let mut impls = Vec::new();
    for item in &mut file.items {
        if let syn::Item::Struct(item) = item {
            if let Some(implementation) = checked_newtype(item, plan) {
                impls.push(implementation);
                continue;
            }
            match rewrite(item, plan) {
                Some(implementations) => impls.extend(implementations),
                None if narrows_a_member(item, plan) => {
                    return Err(Error::msg(format!(
                        "{}: a struct with a narrow integer must keep unknown members \
                         (\"additionalProperties\": {{}}), so that its Deserialize is generated \
                         (see xtask/src/narrow_integers.rs)",
                        item.ident
                    )))
                }
                None if plan.has_revisions(&item.ident) => {
                    return Err(Error::msg(format!(
                        "{}: a packet with revision rules must keep unknown members \
                         (\"additionalProperties\": {{}}), so that its Deserialize is generated",
                        item.ident
                    )))
                }
                None => {}
            }
        }
    }
    file.items.extend(impls);
    Ok(())
}

/// One named field of a struct, as the deserializer sees it.
#[derive(Clone)]
pub(crate) struct Member {
    pub(crate) ident: syn::Ident,
    pub(crate) key: String,
    /// The type read from the member: `T` for an `Option<T>` field.
    pub(crate) read_as: syn::Type,
    pub(crate) optional: bool,
}

/// The generated reading of a struct that keeps unknown members: its members read into their
/// fields (`ReadMembers`, in the types crate's `members` module), and its `Deserialize` through them.
fn rewrite(item: &mut syn::ItemStruct, plan: &Plan) -> Option<[syn::Item; 2]> {
    let syn::Fields::Named(fields) = &item.fields else {
        return None;
    };
    let extra = fields
        .named
        .iter()
        .find(|field| has_serde_flag(field, "flatten"))?;
    let extra = extra.ident.clone().expect("named field");
    let members: Vec<Member> = members(fields);
    RemoveDeserializeDerive.visit_item_struct_mut(item);
    let revision_check = plan
        .revision_code(&item.ident, &members)
        .map(|code| code.deserialize_check());

    let name = &item.ident;
    let expecting = format!("a {name} object");
    let slots = slot_declarations(&members);
    let arms = members.iter().map(|m| {
        let (ident, key) = (format_ident!("slot_{}", m.ident), &m.key);
        let key_bytes = syn::LitByteStr::new(key.as_bytes(), proc_macro2::Span::call_site());
        // A narrow integer is read through its checked type (crate::narrow_integers).
        let value = match plan.narrow_reading(&item.ident, m) {
            Some(reading) => quote! {
                crate::bounds::Narrowed::into_field(map.next_value::<#reading>()?)
            },
            None => quote! { map.next_value()? },
        };
        quote! {
            #key_bytes => {
                if #ident.is_some() {
                    return ::std::result::Result::Err(::serde::de::Error::duplicate_field(#key));
                }
                #ident = ::std::option::Option::Some(#value);
            }
        }
    });
    let inits = members.iter().map(|m| {
        let (field, slot, key) = (&m.ident, format_ident!("slot_{}", m.ident), &m.key);
        if m.optional {
            quote! { #field: #slot, }
        } else {
            quote! { #field: #slot.ok_or_else(|| ::serde::de::Error::missing_field(#key))?, }
        }
    });
    let read_members = syn::parse_quote! {
            impl crate::members::ReadMembers for #name {
                const EXPECTING: &'static str = #expecting;
                #[inline]
                fn read_members<'de, A: ::serde::de::MapAccess<'de>>(
                    mut map: A,
                ) -> ::std::result::Result<Self, A::Error> {
                    #(#slots)*
                    let mut #extra = ::serde_json::Map::new();
                    while let ::std::option::Option::Some(key) =
                        map.next_key::<crate::wire::MemberName<'de>>()?
                    {
                        match key.as_bytes() {
                            #(#arms)*
                            _ => {
                                #extra.insert(key.into_string()?, map.next_value()?);
                            }
                        }
                    }
                    #revision_check
                    ::std::result::Result::Ok(#name { #(#inits)* #extra })
                }
            }
    };
    let deserialize = syn::parse_quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<Self, D::Error> {
                    deserializer.deserialize_map(crate::members::Members::<#name>::new())
                }
            }
    };
    Some([read_members, deserialize])
}

/// One empty slot per member, `slot_<field>`, of the type the member is read as.
pub(crate) fn slot_declarations(members: &[Member]) -> Vec<proc_macro2::TokenStream> {
    members
        .iter()
        .map(|m| {
            let (ident, ty) = (format_ident!("slot_{}", m.ident), &m.read_as);
            quote! { let mut #ident: ::std::option::Option<#ty> = ::std::option::Option::None; }
        })
        .collect()
}

/// Whether a member of struct `item` is a narrow integer.
fn narrows_a_member(item: &syn::ItemStruct, plan: &Plan) -> bool {
    let syn::Fields::Named(fields) = &item.fields else {
        return false;
    };
    members(fields)
        .iter()
        .any(|m| plan.narrow_reading(&item.ident, m).is_some())
}

/// The `Deserialize` of a newtype that is a narrow integer (`UnixSeconds`): its derived
/// (transparent) one replaced by a reading through `crate::bounds::Within`, which refuses a
/// value beyond the schema's bounds (see [`crate::narrow_integers`]).
fn checked_newtype(item: &mut syn::ItemStruct, plan: &Plan) -> Option<syn::Item> {
    let bounds = plan.narrow_newtype(&item.ident)?;
    let syn::Fields::Unnamed(fields) = &item.fields else {
        return None;
    };
    let inner = &fields.unnamed.first()?.ty;
    let reading = crate::narrow_integers::within(&quote!(#inner).to_string(), bounds);
    RemoveDeserializeDerive.visit_item_struct_mut(item);
    let name = &item.ident;
    Some(syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <#reading as ::serde::Deserialize>::deserialize(deserializer)
                    .map(|value| Self(crate::bounds::Narrowed::into_field(value)))
            }
        }
    })
}

/// The members of a struct's `fields`, its flattened catch-all left out.
pub(crate) fn members(fields: &syn::FieldsNamed) -> Vec<Member> {
    fields
        .named
        .iter()
        .filter(|field| !has_serde_flag(field, "flatten"))
        .map(member)
        .collect()
}

pub(crate) fn member(field: &syn::Field) -> Member {
    let ident = field.ident.clone().expect("named field");
    let key = serde_rename(field).unwrap_or_else(|| ident.to_string());
    let option_argument = match &field.ty {
        syn::Type::Path(path) => path.path.segments.last().and_then(|segment| {
            if segment.ident != "Option" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else {
                return None;
            };
            match arguments.args.first() {
                Some(syn::GenericArgument::Type(ty)) => Some(ty.clone()),
                _ => None,
            }
        }),
        _ => None,
    };
    Member {
        ident,
        key,
        optional: option_argument.is_some(),
        read_as: option_argument.unwrap_or_else(|| field.ty.clone()),
    }
}

/// Every option of a field's `#[serde(...)]` attributes.
fn serde_options(field: &syn::Field) -> Vec<syn::Meta> {
    field
        .attrs
        .iter()
        .filter_map(typify_workarounds::serde_options)
        .flatten()
        .collect()
}

pub(crate) fn has_serde_flag(field: &syn::Field, flag: &str) -> bool {
    serde_options(field)
        .iter()
        .any(|option| matches!(option, syn::Meta::Path(path) if path.is_ident(flag)))
}

fn serde_rename(field: &syn::Field) -> Option<String> {
    serde_options(field).iter().find_map(|option| match option {
        syn::Meta::NameValue(pair) if pair.path.is_ident("rename") => match &pair.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(name),
                ..
            }) => Some(name.value()),
            _ => None,
        },
        _ => None,
    })
}

/// Drops `::serde::Deserialize` from a struct's `#[derive(...)]`.
struct RemoveDeserializeDerive;

impl VisitMut for RemoveDeserializeDerive {
    fn visit_attribute_mut(&mut self, attribute: &mut syn::Attribute) {
        if !attribute.path().is_ident("derive") {
            return;
        }
        let Ok(paths) = attribute.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            return;
        };
        let kept = paths.iter().filter(|path| {
            path.segments
                .last()
                .is_none_or(|segment| segment.ident != "Deserialize")
        });
        *attribute = syn::parse_quote! { #[derive(#(#kept),*)] };
    }

    fn visit_field_mut(&mut self, _: &mut syn::Field) {}
}

//! `Conform` for every generated type: whether JSON fits the type, judged in one pass without
//! building a value (see `trtc_live_types::conform`).
//!
//! - A struct reads every member to the end. Each known member's slot keeps whether its last
//!   value fits the field's type (as a `serde_json::Value` keeps the last one), an optional
//!   member is read as its inner type (`null` does not fit, as in decoding), and any other member
//!   is read, counted as unknown (`conform::unknown_member`, for tools that report what the
//!   schemas do not name) and dropped. The struct fits when every required slot fits and no optional one
//!   fails. A struct with a `CallbackCommand` member says `CommandDiffers` when that member is
//!   missing or does not fit: the packet may be another command's.
//! - A transparent newtype fits as its inner type does.
//! - Enumerations and newtypes with a `Deserialize` of their own are judged by it, replayed on
//!   the scalar read.
//!
//! What the reading keeps (`Conform::Kept`): a struct keeps, member by member, what its member's
//! type keeps of the member's last value, in a struct of the same name in module `kept`; a
//! transparent newtype keeps what its inner type keeps; a replayed leaf keeps its value.

use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;

use crate::findings::Plan;
use crate::struct_deserialize::{members, Member};

/// A generated item that gets readings of its own (`Conform`, `ReadPlain`).
pub(crate) enum TypeItem<'a> {
    /// A struct with named members.
    Struct(&'a syn::Ident, &'a syn::FieldsNamed),
    /// A struct wrapping one value, and the type of that value.
    Newtype(&'a syn::ItemStruct, &'a syn::Type),
    /// An enumeration.
    Enum(&'a syn::Ident),
}

/// The items of `file` that get readings of their own.
pub(crate) fn type_items(file: &syn::File) -> impl Iterator<Item = TypeItem<'_>> {
    file.items.iter().filter_map(|item| match item {
        syn::Item::Struct(item) => match &item.fields {
            syn::Fields::Named(fields) => Some(TypeItem::Struct(&item.ident, fields)),
            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                Some(TypeItem::Newtype(item, &fields.unnamed[0].ty))
            }
            _ => None,
        },
        syn::Item::Enum(item) => Some(TypeItem::Enum(&item.ident)),
        _ => None,
    })
}

/// Adds `impl Conform` for every struct and enum of `file`. Run it before the derived
/// `Deserialize` of structs is replaced: a newtype's derive tells a transparent wrapper.
///
/// A struct of module `kept` also reports unknown values of open enumerations
/// (`crate::open_enum::UnknownValues`); that of a request packet keeps the members the packet
/// lacks as an older revision (`crate::revision::KeptRevision`), and the packet's conformance
/// applies its revision rules (see [`crate::findings`]).
pub fn implement_conform(file: &mut syn::File, plan: &Plan) {
    let mut impls = Vec::new();
    let mut kept = Vec::new();
    for item in type_items(file) {
        impls.push(match item {
            TypeItem::Struct(name, fields) => {
                kept.extend(kept_struct(name, fields, plan));
                for_struct(name, fields, plan)
            }
            TypeItem::Newtype(item, inner) => for_newtype(item, inner, plan),
            TypeItem::Enum(name) => by_replay(name),
        });
    }
    file.items.extend(impls);
    file.items.push(syn::parse_quote! {
        /// What reading a packet without building it keeps of each struct
        /// (`crate::conform::Conform::Kept`): the value of every leaf member that fits, by
        /// member, under the name of the struct.
        pub mod kept {
            #(#kept)*
        }
    });
}

/// The struct of module `kept` for struct `name` (what is kept of each member), and its
/// findings.
fn kept_struct(name: &syn::Ident, fields: &syn::FieldsNamed, plan: &Plan) -> Vec<syn::Item> {
    let all: Vec<Member> = members(fields);
    let revised = plan.revision_code(name, &all).is_some();
    let older = revised.then(|| {
        quote! {
            /// The members the packet lacks as an older revision.
            pub older_revisions: ::std::vec::Vec<crate::revision::OlderRevision>,
        }
    });
    let members = all.iter().map(|m| {
        let (ident, mut ty) = (&m.ident, plan.reading_type(name, m));
        SeenFromKept.visit_type_mut(&mut ty);
        let doc = format!("What is kept of `{}`.", m.key);
        quote! {
            #[doc = #doc]
            pub #ident: <#ty as crate::conform::Conform>::Kept,
        }
    });
    let doc = format!("What is kept of a [`super::{name}`] read without building it.");
    let mut items: Vec<syn::Item> = vec![syn::parse_quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name {
            #(#members)*
            #older
        }
    }];
    items.push(plan.unknown_values_impl(&syn::parse_quote!(#name), &all));
    if plan.is_request(name) {
        let body = if revised {
            quote!(self.older_revisions.clone())
        } else {
            quote!(::std::vec::Vec::new())
        };
        items.push(syn::parse_quote! {
            impl crate::revision::KeptRevision for #name {
                fn older_revisions(&self) -> ::std::vec::Vec<crate::revision::OlderRevision> {
                    #body
                }
            }
        });
    }
    items
}

/// First path segments that do not name a generated type: path roots and primitive types.
const NOT_LOCAL: &[&str] = &[
    "crate", "super", "self", "bool", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32",
    "f64", "usize", "isize", "char", "str",
];

/// Rewrites the generated types' own names (`RoomInfo`) as seen from module `kept`
/// (`super::RoomInfo`), where the kept structs take those names.
struct SeenFromKept;

impl VisitMut for SeenFromKept {
    fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
        let local = path.qself.is_none()
            && path.path.leading_colon.is_none()
            && path
                .path
                .segments
                .first()
                .is_some_and(|first| !NOT_LOCAL.contains(&first.ident.to_string().as_str()));
        if local {
            path.path.segments.insert(0, syn::parse_quote!(super));
        }
        syn::visit_mut::visit_type_path_mut(self, path);
    }
}

fn for_struct(name: &syn::Ident, fields: &syn::FieldsNamed, plan: &Plan) -> syn::Item {
    let members: Vec<_> = members(fields);
    let slots = members.iter().map(|m| {
        let slot = format_ident!("slot_{}", m.ident);
        quote! { let mut #slot: ::std::option::Option<bool> = ::std::option::Option::None; }
    });
    let arms = members.iter().map(|m| {
        let (slot, ty, ident) = (
            format_ident!("slot_{}", m.ident),
            plan.reading_type(name, m),
            &m.ident,
        );
        let key = syn::LitByteStr::new(m.key.as_bytes(), proc_macro2::Span::call_site());
        quote! {
            #key => {
                let (fits, value) = map.next_value_seed(crate::conform::Keeps::<#ty>::new())?;
                #slot = ::std::option::Option::Some(fits);
                kept.#ident = value;
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
                    return ::std::result::Result::Ok((crate::conform::Fit::CommandDiffers, kept));
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
    let (revision_statements, revision_condition) = match plan.revision_code(name, &members) {
        Some(code) => {
            let (statements, condition) = code.conform_check();
            (statements, Some(condition))
        }
        None => (quote! {}, None),
    };
    let conditions: Vec<_> = conditions.into_iter().chain(revision_condition).collect();
    let fits = if conditions.is_empty() {
        quote! { true }
    } else {
        quote! { #(#conditions)&&* }
    };
    syn::parse_quote! {
        impl crate::conform::Conform for #name {
            type Kept = kept::#name;
            fn conform_keeping<'de, D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<(crate::conform::Fit, kept::#name), D::Error> {
                struct Members;
                impl<'de> crate::conform::Members<'de> for Members {
                    type Kept = kept::#name;
                    fn members<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<(crate::conform::Fit, kept::#name), A::Error> {
                        #(#slots)*
                        let mut kept = kept::#name::default();
                        while let ::std::option::Option::Some(key) =
                            map.next_key::<crate::wire::MemberName<'de>>()?
                        {
                            match key.as_bytes() {
                                #(#arms)*
                                _ => {
                                    crate::conform::unknown_member();
                                    map.next_value_seed(crate::conform::Skip)?
                                }
                            }
                        }
                        #command_check
                        #revision_statements
                        ::std::result::Result::Ok((crate::conform::Fit::from_bool(#fits), kept))
                    }
                }
                crate::conform::object(deserializer, Members)
            }
        }
    }
}

/// A newtype with a derived (transparent) `Deserialize` fits as its inner type (read through
/// `crate::bounds::Within` when it is a narrow integer, as its generated `Deserialize` reads
/// it); one with a `Deserialize` of its own (a checked string, say) is judged by it.
fn for_newtype(item: &syn::ItemStruct, inner: &syn::Type, plan: &Plan) -> syn::Item {
    if !derives_deserialize(&item.attrs) {
        return by_replay(&item.ident);
    }
    let name = &item.ident;
    let inner = &match plan.narrow_newtype(name) {
        Some(bounds) => crate::narrow_integers::within(&quote!(#inner).to_string(), bounds),
        None => inner.clone(),
    };
    syn::parse_quote! {
        impl crate::conform::Conform for #name {
            type Kept = <#inner as crate::conform::Conform>::Kept;
            fn conform_keeping<'de, D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<(crate::conform::Fit, Self::Kept), D::Error> {
                <#inner as crate::conform::Conform>::conform_keeping(deserializer)
            }
        }
    }
}

fn by_replay(name: &syn::Ident) -> syn::Item {
    syn::parse_quote! {
        impl crate::conform::Conform for #name {
            type Kept = ::std::option::Option<Self>;
            fn conform_keeping<'de, D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<(crate::conform::Fit, Self::Kept), D::Error> {
                crate::conform::by_replay::<Self, D>(deserializer)
            }
        }
    }
}

pub(crate) fn derives_deserialize(attrs: &[syn::Attribute]) -> bool {
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

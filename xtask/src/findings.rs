//! What the generated types do with the vendor keywords ([`crate::extensions`]) besides typing:
//!
//! - every struct, and every struct of module `kept`, implements
//!   `crate::open_enum::UnknownValues`: it reports the values of open enumerations, in its
//!   members and in the structs it holds, that are outside their known values;
//! - every request packet type implements `crate::revision::Revised` (its revision rules and the
//!   members a value lacks as an older revision), and its `kept` struct
//!   `crate::revision::KeptRevision`;
//! - the generated `Deserialize` and `Conform` of a packet with revision rules refuse a packet
//!   whose clock has reached the date of a member it lacks ([`RevisionCode`]), as the schema's
//!   `allOf` does.
//!
//! An open enumeration inside an array (or a map) is refused: the one-pass reading keeps nothing
//! of array items, so it could not report such a value.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::extensions::{ClockUnit, Extensions, Revisions};
use crate::narrow_integers::{Bounds, NarrowIntegers};
use crate::struct_deserialize::{members, Member};
use crate::Error;

/// What is known, across the generated file, about open enumerations and revisions.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Types that are open enumerations.
    open: BTreeSet<String>,
    /// Structs that hold an open enumeration, directly or in a struct they hold.
    holders: BTreeSet<String>,
    /// The revision rules of the packets that have some.
    revisions: BTreeMap<String, Revisions>,
    /// The request packet types.
    requests: BTreeSet<String>,
    /// The integers bounded more narrowly than their Rust type.
    narrow: NarrowIntegers,
}

impl Plan {
    /// The plan for `file` (typify's output, the open enumerations added), checked.
    pub fn new(
        file: &syn::File,
        extensions: &Extensions,
        requests: &[String],
        narrow: NarrowIntegers,
    ) -> Result<Self, Error> {
        let open: BTreeSet<String> = extensions.open_enums.keys().cloned().collect();
        for name in extensions.revisions.keys() {
            if !requests.contains(name) {
                return Err(Error::msg(format!(
                    "{name} has members with x-trtc-since, but only request packets may have revision rules"
                )));
            }
        }
        let structs = named_structs(file);
        let mut holders = BTreeSet::new();
        loop {
            let before = holders.len();
            for (name, members) in &structs {
                if members.iter().any(|m| {
                    last_ident(&m.read_as)
                        .is_some_and(|i| open.contains(&i) || holders.contains(&i))
                }) {
                    holders.insert(name.clone());
                }
            }
            if holders.len() == before {
                break;
            }
        }
        for (name, members) in &structs {
            for m in members {
                let direct = last_ident(&m.read_as);
                let nested = idents_in(&m.read_as).into_iter().find(|i| {
                    (open.contains(i) || holders.contains(i)) && Some(i) != direct.as_ref()
                });
                if let Some(inner) = nested {
                    return Err(Error::msg(format!(
                        "{name}.{}: {inner} holds an open enumeration and stands inside an array or a map; \
                         the one-pass reading keeps nothing of array items, so its unknown values could not \
                         be reported (see xtask/src/findings.rs)",
                        m.key
                    )));
                }
            }
        }
        for (name, revisions) in &extensions.revisions {
            let members = structs.get(name).ok_or_else(|| {
                Error::msg(format!("{name} has revision rules but no generated struct"))
            })?;
            for key in revisions
                .clocks
                .iter()
                .map(|c| &c.member)
                .chain(revisions.members.iter().map(|d| &d.member))
            {
                if !members.iter().any(|m| &m.key == key) {
                    return Err(Error::msg(format!("{name}: no field for the member {key}")));
                }
            }
            for dated in &revisions.members {
                if members.iter().any(|m| m.key == dated.member && !m.optional) {
                    return Err(Error::msg(format!(
                        "{name}.{}: a member added later must be an Option, so that an older packet is typed",
                        dated.member
                    )));
                }
            }
        }
        check_narrow_integers(file, &structs, &narrow)?;
        Ok(Self {
            open,
            holders,
            revisions: extensions.revisions.clone(),
            requests: requests.iter().cloned().collect(),
            narrow,
        })
    }

    /// The checked type member `m` of struct `name` is read through when it is a narrow integer
    /// ([`crate::narrow_integers`]); `None` when it is read as its own type.
    pub(crate) fn narrow_reading(&self, name: &syn::Ident, m: &Member) -> Option<syn::Type> {
        self.narrow
            .reading_type(&name.to_string(), m)
            .expect("Plan::new checked every narrow integer")
    }

    /// The type member `m` of struct `name` is read through: [`Self::narrow_reading`], else the
    /// member's own.
    pub(crate) fn reading_type(&self, name: &syn::Ident, m: &Member) -> syn::Type {
        self.narrow_reading(name, m)
            .unwrap_or_else(|| m.read_as.clone())
    }

    /// The bounds of the newtype `name`, if it is a narrow integer.
    pub(crate) fn narrow_newtype(&self, name: &syn::Ident) -> Option<Bounds> {
        self.narrow.newtype(&name.to_string())
    }

    /// Whether a member's type holds something to report.
    fn reports(&self, m: &Member) -> bool {
        last_ident(&m.read_as).is_some_and(|i| self.open.contains(&i) || self.holders.contains(&i))
    }

    /// The code that applies the revision rules of struct `name`, if it has some.
    pub(crate) fn revision_code(
        &self,
        name: &syn::Ident,
        members: &[Member],
    ) -> Option<RevisionCode> {
        let revisions = self.revisions.get(&name.to_string())?;
        Some(RevisionCode::new(name, revisions, members))
    }

    /// Whether struct `name` has revision rules.
    pub fn has_revisions(&self, name: &syn::Ident) -> bool {
        self.revisions.contains_key(&name.to_string())
    }

    /// Whether `name` is a request packet type.
    pub fn is_request(&self, name: &syn::Ident) -> bool {
        self.requests.contains(&name.to_string())
    }

    /// `impl UnknownValues` for a struct (of the generated types, or of module `kept`): its
    /// members that hold something to report, `self.field` being what the struct holds.
    pub(crate) fn unknown_values_impl(&self, ty: &syn::Type, members: &[Member]) -> syn::Item {
        let calls = members.iter().filter(|m| self.reports(m)).map(|m| {
            let (ident, key) = (&m.ident, &m.key);
            quote! {
                crate::open_enum::UnknownValues::unknown_values(&self.#ident, &at.child(#key), out);
            }
        });
        let used = members.iter().any(|m| self.reports(m));
        let (at, out) = if used {
            (quote!(at), quote!(out))
        } else {
            (quote!(_at), quote!(_out))
        };
        syn::parse_quote! {
            impl crate::open_enum::UnknownValues for #ty {
                fn unknown_values(
                    &self,
                    #at: &crate::open_enum::Pointer<'_>,
                    #out: &mut ::std::vec::Vec<crate::open_enum::UnknownValue>,
                ) {
                    #(#calls)*
                }
            }
        }
    }
}

/// The revision rules of one packet struct, as code for each way of reading it.
pub struct RevisionCode {
    name: syn::Ident,
    clocks: Vec<(syn::Ident, ClockUnit, bool)>,
    dated: Vec<syn::Ident>,
    revisions: Revisions,
}

impl RevisionCode {
    fn new(name: &syn::Ident, revisions: &Revisions, members: &[Member]) -> Self {
        let field = |key: &str| {
            members
                .iter()
                .find(|m| m.key == key)
                .expect("Plan::new checked every member")
        };
        Self {
            name: name.clone(),
            clocks: revisions
                .clocks
                .iter()
                .map(|c| {
                    let m = field(&c.member);
                    (m.ident.clone(), c.unit, m.optional)
                })
                .collect(),
            dated: revisions
                .members
                .iter()
                .map(|d| field(&d.member).ident.clone())
                .collect(),
            revisions: revisions.clone(),
        }
    }

    /// `crate::revision::Revisions { ... }`.
    fn constant(&self) -> TokenStream {
        let clocks = self.revisions.clocks.iter().map(|c| {
            let member = &c.member;
            let unit = match c.unit {
                ClockUnit::Seconds => quote!(crate::revision::TimeUnit::Seconds),
                ClockUnit::Millis | ClockUnit::MillisOrDigits => {
                    quote!(crate::revision::TimeUnit::Milliseconds)
                }
            };
            quote!(crate::revision::Clock { member: #member, unit: #unit })
        });
        let members = self.revisions.members.iter().map(|d| {
            let (member, since, millis) = (&d.member, &d.since, d.since_millis);
            quote! {
                crate::revision::MemberSince { member: #member, since: #since, since_millis: #millis }
            }
        });
        quote! {
            crate::revision::Revisions {
                clocks: &[#(#clocks),*],
                members: &[#(#members),*],
            }
        }
    }

    /// The rules of the packet type, as a path.
    fn rules(&self) -> TokenStream {
        let name = &self.name;
        quote!(<#name as crate::revision::Revised>::REVISIONS)
    }

    /// The readings of the clocks from `Option<&T>` values given by `access`, `T` the clock's
    /// typed value (`UnixSeconds`, `UnixMilliseconds`, `UnixMillisecondsOrDigits`).
    fn typed_readings(&self, access: impl Fn(&syn::Ident, bool) -> TokenStream) -> TokenStream {
        let readings = self.clocks.iter().map(|(ident, unit, optional)| {
            let value = access(ident, *optional);
            match unit {
                ClockUnit::Seconds => quote!(#value.map(|t| crate::revision::from_seconds(t.0))),
                ClockUnit::Millis => quote!(#value.map(|t| crate::revision::from_millis(t.0))),
                ClockUnit::MillisOrDigits => {
                    quote!(#value.map(|t| crate::revision::from_millis(t.millis())))
                }
            }
        });
        quote!([#(#readings),*])
    }

    /// `impl Revised` for the packet type.
    pub fn revised_impl(&self) -> syn::Item {
        let name = &self.name;
        let constant = self.constant();
        let readings = self.typed_readings(|ident, optional| {
            if optional {
                quote!(self.#ident.as_ref())
            } else {
                quote!(::std::option::Option::Some(&self.#ident))
            }
        });
        let present = self.dated.iter().map(|ident| quote!(self.#ident.is_some()));
        syn::parse_quote! {
            impl crate::revision::Revised for #name {
                const REVISIONS: crate::revision::Revisions = #constant;
                fn older_revisions(&self) -> ::std::vec::Vec<crate::revision::OlderRevision> {
                    crate::revision::older_revisions(&Self::REVISIONS, &#readings, &[#(#present),*])
                }
            }
        }
    }

    /// In a generated `Deserialize` (its members read into `slot_<field>` options): fails when a
    /// member is missing although the packet's clock has reached its date.
    pub fn deserialize_check(&self) -> TokenStream {
        let rules = self.rules();
        let readings = self.typed_readings(|ident, _| {
            let slot = format_ident!("slot_{ident}");
            quote!(#slot.as_ref())
        });
        let present = self.dated.iter().map(|ident| {
            let slot = format_ident!("slot_{ident}");
            quote!(#slot.is_some())
        });
        quote! {
            if let ::std::option::Option::Some(missing) =
                crate::revision::required_missing(&#rules, &#readings, &[#(#present),*])
            {
                return ::std::result::Result::Err(::serde::de::Error::custom(
                    crate::revision::missing_message(missing),
                ));
            }
        }
    }

    /// In a generated `Conform` (its members' slots `slot_<field>`, what it keeps in `kept`):
    /// whether the packet keeps the rules (a `bool` expression), after storing in
    /// `kept.older_revisions` the members it lacks as an older revision.
    pub fn conform_check(&self) -> (TokenStream, TokenStream) {
        let rules = self.rules();
        let readings = self.clocks.iter().map(|(ident, unit, _)| match unit {
            ClockUnit::Seconds => quote!(kept.#ident.map(crate::revision::from_seconds)),
            ClockUnit::Millis => quote!(kept.#ident.map(crate::revision::from_millis)),
            ClockUnit::MillisOrDigits => {
                quote!(kept.#ident.as_ref().map(|t| crate::revision::from_millis(t.millis())))
            }
        });
        let present = self.dated.iter().map(|ident| {
            let slot = format_ident!("slot_{ident}");
            quote!(#slot.is_some())
        });
        let statements = quote! {
            let revision_readings = [#(#readings),*];
            let revision_present = [#(#present),*];
            let revision_kept = crate::revision::required_missing(
                &#rules, &revision_readings, &revision_present,
            )
            .is_none();
            kept.older_revisions =
                crate::revision::older_revisions(&#rules, &revision_readings, &revision_present);
        };
        (statements, quote!(revision_kept))
    }
}

/// `impl Revised` for a request type without revision rules.
pub fn unrevised_impl(name: &syn::Ident) -> syn::Item {
    syn::parse_quote! {
        impl crate::revision::Revised for #name {
            const REVISIONS: crate::revision::Revisions = crate::revision::Revisions::NONE;
            fn older_revisions(&self) -> ::std::vec::Vec<crate::revision::OlderRevision> {
                ::std::vec::Vec::new()
            }
        }
    }
}

/// Adds `impl UnknownValues` to every struct of `file`, and `impl Revised` to every request type.
pub fn implement_findings(file: &mut syn::File, plan: &Plan) {
    let mut impls = Vec::new();
    for item in &file.items {
        let syn::Item::Struct(item) = item else {
            continue;
        };
        let syn::Fields::Named(fields) = &item.fields else {
            continue;
        };
        let members: Vec<Member> = members(fields);
        let name = &item.ident;
        impls.push(plan.unknown_values_impl(&syn::parse_quote!(#name), &members));
        if plan.is_request(name) {
            impls.push(match plan.revision_code(name, &members) {
                Some(code) => code.revised_impl(),
                None => unrevised_impl(name),
            });
        }
    }
    file.items.extend(impls);
}

/// The named structs of `file`, with their members.
/// Every narrow integer of `narrow` is a generated newtype or a member of a generated struct,
/// of a type it can be read through `crate::bounds::Within` as.
fn check_narrow_integers(
    file: &syn::File,
    structs: &BTreeMap<String, Vec<Member>>,
    narrow: &NarrowIntegers,
) -> Result<(), Error> {
    let newtypes: BTreeSet<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) if matches!(&item.fields, syn::Fields::Unnamed(f) if f.unnamed.len() == 1) => {
                Some(item.ident.to_string())
            }
            _ => None,
        })
        .collect();
    for name in narrow.newtype_names() {
        if !newtypes.contains(name) {
            return Err(Error::msg(format!(
                "{name} is a narrow integer but typify made no newtype of it (see xtask/src/narrow_integers.rs)"
            )));
        }
    }
    for (name, key) in narrow.member_names() {
        let member = structs
            .get(name)
            .and_then(|members| members.iter().find(|m| &m.key == key))
            .ok_or_else(|| {
                Error::msg(format!(
                    "{name}.{key} is a narrow integer but no generated struct has the member"
                ))
            })?;
        narrow.reading_type(name, member)?;
    }
    Ok(())
}

fn named_structs(file: &syn::File) -> BTreeMap<String, Vec<Member>> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) => match &item.fields {
                syn::Fields::Named(fields) => Some((item.ident.to_string(), members(fields))),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The last identifier of a type path (`RoomInfo` for `RoomInfo`, `Vec` for `Vec<T>`).
fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Every identifier in a type path, generic arguments included.
fn idents_in(ty: &syn::Type) -> Vec<String> {
    let mut out = Vec::new();
    if let syn::Type::Path(path) = ty {
        for segment in &path.path.segments {
            out.push(segment.ident.to_string());
            if let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments {
                for argument in &arguments.args {
                    if let syn::GenericArgument::Type(inner) = argument {
                        out.extend(idents_in(inner));
                    }
                }
            }
        }
    }
    out
}

//! The schema files the publishable crates embed, copied inside them.
//!
//! A crate's package holds only the files below its own folder, so a crate cannot
//! `include_str!` anything from `schemas/` or `dist/` and still build from its `.crate` file.
//! Codegen therefore copies what each crate embeds into its `src/generated/` folder, byte for
//! byte, and the drift check covers the copies like every other generated file:
//!
//! | copy | of | embedded by |
//! |---|---|---|
//! | [`TYPES_BUNDLE_PATH`] | `dist/trtc-live-webhooks.schema.json` | `trtc_live_types::BUNDLED_SCHEMA` |
//! | [`VALIDATE_SCHEMAS_DIR`]`/<path>` | every `schemas/<path>` schema file | the validator's registry ([`crate::registry`]) |

use crate::schema_tree::SchemaTree;

/// The copy of the bundle inside `trtc-live-types`, relative to the project root.
pub const TYPES_BUNDLE_PATH: &str =
    "crates/trtc-live-types/src/generated/trtc-live-webhooks.schema.json";

/// The folder of the schema copies inside `trtc-live-validate`, relative to the project root;
/// it mirrors `schemas/`, schema files only.
pub const VALIDATE_SCHEMAS_DIR: &str = "crates/trtc-live-validate/src/generated/schemas";

/// Every copy: (path relative to the project root, contents).
pub fn generate(tree: &SchemaTree, bundle_text: &str) -> Vec<(String, String)> {
    let mut copies = vec![(TYPES_BUNDLE_PATH.to_owned(), bundle_text.to_owned())];
    for file in &tree.files {
        copies.push((
            format!("{VALIDATE_SCHEMAS_DIR}/{}", file.path),
            file.text.clone(),
        ));
    }
    copies
}

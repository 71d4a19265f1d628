//! The validator's schema registry: every schema file, embedded by `$id`.

use std::fmt::Write;

use crate::output::format_rust;
use crate::schema_tree::SchemaTree;
use crate::Error;

/// Generates the list of `($id, text)` of every schema file, read from the copies that
/// [`crate::crate_files`] puts beside the generated file (in its `schemas/` folder), so that the
/// crate builds from its package.
pub fn generate(tree: &SchemaTree) -> Result<String, Error> {
    let mut entries = String::new();
    for file in &tree.files {
        let _ = write!(
            entries,
            "({:?}, include_str!(\"schemas/{}\")),",
            file.id, file.path
        );
    }
    let source = format!(
        "//! Every schema file of `schemas/`, embedded at build time from the copies in\n\
         //! `src/generated/schemas/` (written by `cargo xtask codegen`).\n\
         /// `($id, text)` of every schema file, sorted by path.\n\
         pub(crate) const SCHEMA_FILES: &[(&str, &str)] = &[{entries}];\n"
    );
    format_rust(&source, "schema_files.rs")
}

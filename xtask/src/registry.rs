//! The validator's schema registry: every schema file, embedded by `$id`.

use std::fmt::Write;

use crate::output::format_rust;
use crate::schema_tree::SchemaTree;
use crate::Error;

/// Generates the list of `($id, text)` of every schema file; `output_path` (relative to the
/// project root) locates the `include_str!` paths.
pub fn generate(tree: &SchemaTree, output_path: &str) -> Result<String, Error> {
    let up = "../".repeat(output_path.matches('/').count());
    let mut entries = String::new();
    for file in &tree.files {
        let _ = write!(
            entries,
            "({:?}, include_str!(\"{up}schemas/{}\")),",
            file.id, file.path
        );
    }
    let source = format!(
        "//! Every schema file of `schemas/`, embedded at build time.\n\
         /// `($id, text)` of every schema file, sorted by path.\n\
         pub(crate) const SCHEMA_FILES: &[(&str, &str)] = &[{entries}];\n"
    );
    format_rust(&source, "schema_files.rs")
}

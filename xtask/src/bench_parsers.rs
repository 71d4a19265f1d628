//! `benches/src/generated/typed_parsers.rs`: the benchmarks' typed parse of every packet type.
//!
//! The benchmarks time `serde_json::from_slice::<T>` for each packet's own generated type `T`,
//! which needs the type by name at compile time: this file names every request and response type
//! of the webhook folders, in the `typed_parsers!` macro of `benches/src/lib.rs`.

use crate::output::RUST_HEADER;
use crate::schema_tree::SchemaTree;

/// Where the list is written, relative to the project root.
pub const PATH: &str = "benches/src/generated/typed_parsers.rs";

/// The file: one `typed_parsers!` invocation naming every packet type, requests and responses.
pub fn generate(tree: &SchemaTree) -> String {
    let mut text = format!(
        "{RUST_HEADER}\n// Included by benches/src/lib.rs: every packet type of schemas/, request then response.\n\
         typed_parsers!(\n"
    );
    for webhook in &tree.webhooks {
        text += &format!(
            "    {},\n    {},\n",
            webhook.request_type, webhook.response_type
        );
    }
    text += ");\n";
    text
}

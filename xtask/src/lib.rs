//! Project automation behind `cargo xtask`.
//!
//! `codegen` reads `schemas/` and writes every generated file of the repository:
//!
//! | output | made by |
//! |---|---|
//! | `dist/trtc-live-webhooks.schema.json` | [`bundle`]: every schema in one draft-07 file, no external `$ref` |
//! | `dist/schemas/**/*.schema.json` | [`dist_schemas`]: one self-contained file per packet and for the URL parameters |
//! | `dist/openapi.json` | [`openapi`]: the webhooks as an OpenAPI 3.1 description |
//! | `crates/trtc-live-types/src/generated/types.rs` | [`rust_types`]: typify over the bundle |
//! | `crates/trtc-live-types/src/generated/webhooks.rs` | [`dispatch`]: `Command`, `Webhook`, `WebhookResponse` |
//! | `crates/trtc-live-validate/src/generated/schema_files.rs` | [`registry`]: every schema file, embedded by `$id` |
//! | `crates/*/src/generated/` copies of the bundle and the schema files | [`crate_files`]: what each crate embeds, inside its package |
//! | `benches/src/generated/typed_parsers.rs` | [`bench_parsers`]: the benchmarks' typed parse of every packet type |
//! | `packages/python/src/trtc_live_webhooks/models.py` | [`python_models`]: the Python package's pydantic models |
//! | `packages/python/src/trtc_live_webhooks/schema_files/` | the bundle, copied into the Python package |
//! | `docs/reference/*.md` | [`reference`](mod@reference): a Markdown page per command word of `schemas/command-words.json`, and an index |
//!
//! Codegen also keeps every published version equal to the workspace's ([`versions`]).
//!
//! In [`Mode::Check`] nothing is written; every file whose content would change is named, with the
//! command that fixes it. A test of this crate runs the check, so `cargo test` catches drift.

#![forbid(unsafe_code)]

pub mod bench_parsers;
pub mod bundle;
pub mod command_words;
pub mod conformance;
pub mod crate_files;
pub mod dispatch;
pub mod dist;
pub mod dist_schemas;
pub mod extensions;
pub mod findings;
pub mod narrow_integers;
pub mod new_webhook;
pub mod open_enums;
pub mod openapi;
mod output;
pub mod plain_reading;
pub mod python_models;
pub mod reference;
pub mod registry;
pub mod rust_types;
pub mod samples;
pub mod schema_diff;
pub mod schema_tree;
pub mod struct_deserialize;
pub mod typify_workarounds;
pub mod versions;

use std::path::{Path, PathBuf};

/// The error of every task: a message for the person running it (what is wrong, and where).
pub use anyhow::Error;
pub use output::Mode;

/// Where the bundled schema is written, relative to the project root.
pub const BUNDLE_PATH: &str = "dist/trtc-live-webhooks.schema.json";
/// Where the typify output is written, relative to the project root.
pub const TYPES_PATH: &str = "crates/trtc-live-types/src/generated/types.rs";
/// Where the command table and the dispatch enums are written, relative to the project root.
pub const DISPATCH_PATH: &str = "crates/trtc-live-types/src/generated/webhooks.rs";
/// Where the embedded schema registry is written, relative to the project root.
pub const REGISTRY_PATH: &str = "crates/trtc-live-validate/src/generated/schema_files.rs";

/// Where the Python package's pydantic models are written, relative to the project root.
pub const PYTHON_MODELS_PATH: &str = "packages/python/src/trtc_live_webhooks/models.py";
/// Where the Python package's copy of the bundle is written, relative to the project root.
pub const PYTHON_BUNDLE_PATH: &str =
    "packages/python/src/trtc_live_webhooks/schema_files/trtc-live-webhooks.schema.json";

/// The repository root (the parent of this crate's folder).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the project root")
        .to_path_buf()
}

/// Regenerates (or, in [`Mode::Check`], verifies) every generated file from `root/schemas`.
///
/// Returns a one-line summary on success. In check mode, stale files make it fail with their
/// names and the command that regenerates them.
pub fn codegen(root: &Path, mode: Mode) -> Result<String, Error> {
    new_webhook::check_no_placeholders(&root.join("schemas"))?;
    let tree = schema_tree::SchemaTree::load(&root.join("schemas"))?;
    let words = command_words::load(&root.join("schemas"))?;
    command_words::check_against(&words, &tree)?;
    let bundle = bundle::bundle(&tree)?;
    let extensions = extensions::read(&bundle)?;
    typify_workarounds::check_supported(&bundle, &open_enums::string_enum_names(&extensions))?;
    let requests: Vec<String> = tree
        .webhooks
        .iter()
        .map(|w| w.request_type.clone())
        .collect();
    let responses: Vec<String> = tree
        .webhooks
        .iter()
        .map(|w| w.response_type.clone())
        .collect();
    let packets = rust_types::Packets {
        requests: &requests,
        responses: &responses,
    };

    let version = versions::workspace_version(root)?;
    let bundle_text = bundle::to_pretty_json(&bundle)?;
    let openapi = openapi::generate(root, &tree, &words, &bundle, &version)?;

    let mut outputs = vec![
        (BUNDLE_PATH.to_owned(), bundle_text.clone()),
        (PYTHON_BUNDLE_PATH.to_owned(), bundle_text.clone()),
        (
            PYTHON_MODELS_PATH.to_owned(),
            python_models::generate(&bundle, &extensions, &tree, &words)?,
        ),
        (
            TYPES_PATH.to_owned(),
            rust_types::generate(&bundle, &extensions, &packets)?,
        ),
        (
            openapi::OPENAPI_PATH.to_owned(),
            bundle::to_pretty_json(&openapi)?,
        ),
        (DISPATCH_PATH.to_owned(), dispatch::generate(&tree, &words)?),
        (REGISTRY_PATH.to_owned(), registry::generate(&tree)?),
        (
            bench_parsers::PATH.to_owned(),
            bench_parsers::generate(&tree),
        ),
    ];
    outputs.extend(dist_schemas::generate(&tree, &bundle)?);
    outputs.extend(crate_files::generate(&tree, &bundle_text));
    outputs.extend(crate_files::package_licenses(root)?);
    outputs.extend(reference::generate(root, &tree, &words, &bundle)?);
    let mut stale = Vec::new();
    for (path, contents) in &outputs {
        if output::ensure_file_contents(&root.join(path), contents, mode)? {
            stale.push(path.clone());
        }
    }
    let generated: Vec<&str> = outputs.iter().map(|(path, _)| path.as_str()).collect();
    for dir in [
        reference::REFERENCE_DIR,
        "dist",
        crate_files::VALIDATE_SCHEMAS_DIR,
    ] {
        for leftover in output::files_not_generated(root, dir, &generated, mode)? {
            stale.push(format!("{leftover} (no longer generated)"));
        }
    }
    stale.extend(versions::align(root, &version, mode)?);
    match mode {
        Mode::Check if !stale.is_empty() => Err(Error::msg(format!(
            "generated files are stale: {}\nrun `cargo xtask codegen` to regenerate them",
            stale.join(", ")
        ))),
        Mode::Check => Ok(format!(
            "codegen check: {} generated files are up to date ({} webhooks, {} schema files)",
            outputs.len(),
            tree.webhooks.len(),
            tree.files.len()
        )),
        Mode::Write => Ok(format!(
            "codegen: {} of {} generated files rewritten ({} webhooks, {} schema files)",
            stale.len(),
            outputs.len(),
            tree.webhooks.len(),
            tree.files.len()
        )),
    }
}

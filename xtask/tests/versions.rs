//! One version everywhere: codegen names every package whose version is not the workspace's,
//! and writes the workspace's into it.

use std::path::Path;

use xtask::versions::{
    align, workspace_version, CARGO_MANIFEST, NPM_LOCK, NPM_MANIFEST, PYTHON_MANIFEST,
};
use xtask::Mode;

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap()
}

const MANIFEST: &str = r#"[workspace]
members = ["crates/*"]

[workspace.package]
version = "1.2.0-rc.1"
edition = "2021"

[workspace.dependencies]
trtc-live-types = { path = "crates/trtc-live-types", version = "1.1.0" }
trtc-live-validate = { path = "crates/trtc-live-validate", version = "1.2.0-rc.1" }
trtc-live-tests = { path = "tests" }
serde = "1"
"#;

#[test]
fn every_package_gets_the_workspace_version() {
    let root = std::env::temp_dir().join(format!("trtc-live-versions-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    write(&root, CARGO_MANIFEST, MANIFEST);
    write(
        &root,
        NPM_MANIFEST,
        "{\n  \"name\": \"trtc-live-webhooks\",\n  \"version\": \"0.0.1\",\n  \"dependencies\": {\n    \"ajv\": \"8.20.0\"\n  }\n}\n",
    );
    write(
        &root,
        NPM_LOCK,
        "{\n  \"name\": \"trtc-live-webhooks\",\n  \"version\": \"0.0.1\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\n      \"name\": \"trtc-live-webhooks\",\n      \"version\": \"0.0.1\"\n    },\n    \"node_modules/ajv\": {\n      \"version\": \"8.20.0\"\n    }\n  }\n}\n",
    );
    write(
        &root,
        PYTHON_MANIFEST,
        "[build-system]\nrequires = [\"hatchling==1.33.0\"]\n\n[project]\nname = \"trtc-live-webhooks\"\nversion = \"0.0.1\"  # kept by cargo xtask codegen\n\n[tool.other]\nversion = \"9\"\n",
    );
    let version = workspace_version(&root).unwrap();
    assert_eq!(version, "1.2.0-rc.1");

    let stale = align(&root, &version, Mode::Check).unwrap().join("\n");
    for expected in [
        "Cargo.toml ([workspace.dependencies] trtc-live-types has version \"1.1.0\", the workspace \"1.2.0-rc.1\")",
        "packages/npm/package.json (/version is \"0.0.1\", the workspace \"1.2.0-rc.1\")",
        "packages/npm/package-lock.json (/version is \"0.0.1\", the workspace \"1.2.0-rc.1\")",
        "packages/npm/package-lock.json (/packages//version is \"0.0.1\", the workspace \"1.2.0-rc.1\")",
        "packages/python/pyproject.toml (version \"0.0.1\", the workspace \"1.2.0rc1\")",
    ] {
        assert!(stale.contains(expected), "{expected} is not in:\n{stale}");
    }
    assert_eq!(stale.lines().count(), 5, "{stale}");
    assert!(
        read(&root, NPM_MANIFEST).contains("\"0.0.1\""),
        "check mode wrote"
    );

    assert_eq!(align(&root, &version, Mode::Write).unwrap().len(), 5);
    assert!(align(&root, &version, Mode::Check).unwrap().is_empty());
    // Only the versions changed.
    assert_eq!(
        read(&root, CARGO_MANIFEST),
        MANIFEST.replace("version = \"1.1.0\"", "version = \"1.2.0-rc.1\"")
    );
    assert!(read(&root, NPM_MANIFEST).contains("\"version\": \"1.2.0-rc.1\",\n  \"dependencies\""));
    let lock = read(&root, NPM_LOCK);
    assert_eq!(
        lock.matches("\"version\": \"1.2.0-rc.1\"").count(),
        2,
        "{lock}"
    );
    assert!(lock.contains("\"version\": \"8.20.0\""), "{lock}");
    let pyproject = read(&root, PYTHON_MANIFEST);
    assert!(
        pyproject.contains("version = \"1.2.0rc1\"  # kept by cargo xtask codegen"),
        "{pyproject}"
    );
    assert!(
        pyproject.contains("[tool.other]\nversion = \"9\""),
        "{pyproject}"
    );

    // A Python package whose version is not static is named, with the line to write.
    write(
        &root,
        PYTHON_MANIFEST,
        "[project]\nname = \"x\"\ndynamic = [\"version\"]\n",
    );
    let error = align(&root, &version, Mode::Check).unwrap_err().to_string();
    assert!(error.contains("version = \"1.2.0rc1\""), "{error}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn this_repository_has_one_version() {
    let root = xtask::project_root();
    let version = workspace_version(&root).unwrap();
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    assert!(align(&root, &version, Mode::Check).unwrap().is_empty());
}

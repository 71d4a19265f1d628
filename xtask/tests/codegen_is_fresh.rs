//! `cargo test` fails when a generated file is stale: the check that CI relies on.

#[test]
fn generated_files_are_up_to_date() {
    if let Err(error) = xtask::codegen(&xtask::project_root(), xtask::Mode::Check) {
        panic!("{error}");
    }
}

/// The check names every stale file and the command that fixes it; writing then makes the
/// check pass, and a second write changes nothing (the output is deterministic).
#[test]
fn stale_files_are_named_and_regeneration_is_deterministic() {
    let root = std::env::temp_dir().join(format!("trtc-live-codegen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    copy_dir(
        &xtask::project_root().join("schemas"),
        &root.join("schemas"),
    );
    // The workspace version, which dist/openapi.json carries, and the licence texts the
    // Python package gets a copy of.
    for file in ["Cargo.toml"]
        .into_iter()
        .chain(xtask::crate_files::LICENSE_FILES)
    {
        std::fs::copy(xtask::project_root().join(file), root.join(file)).unwrap();
    }

    let error = xtask::codegen(&root, xtask::Mode::Check)
        .unwrap_err()
        .to_string();
    for path in [
        xtask::BUNDLE_PATH,
        xtask::TYPES_PATH,
        xtask::DISPATCH_PATH,
        xtask::REGISTRY_PATH,
        xtask::openapi::OPENAPI_PATH,
        xtask::crate_files::TYPES_BUNDLE_PATH,
        "crates/trtc-live-validate/src/generated/schemas/common/account-id.schema.json",
        "dist/schemas/Live.CallbackAfterEndBattle/request.schema.json",
        "dist/schemas/common/url-parameters.schema.json",
        "docs/reference/README.md",
        "docs/reference/Live.CallbackAfterEndBattle.md",
    ] {
        assert!(error.contains(path), "{path} is not named in: {error}");
        assert!(!root.join(path).exists(), "check mode wrote {path}");
    }
    assert!(error.contains("cargo xtask codegen"), "{error}");

    let first = xtask::codegen(&root, xtask::Mode::Write).unwrap();
    let (rewritten, total) = counts(&first);
    assert_eq!(rewritten, total, "{first}");
    let second = xtask::codegen(&root, xtask::Mode::Write).unwrap();
    assert_eq!(counts(&second), (0, total), "{second}");
    xtask::codegen(&root, xtask::Mode::Check).unwrap();

    // A reference page that no schema produces any more is stale, and writing removes it.
    let leftover = root.join("docs/reference/Live.CallbackAfterGone.md");
    std::fs::write(&leftover, "old page").unwrap();
    let error = xtask::codegen(&root, xtask::Mode::Check)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("docs/reference/Live.CallbackAfterGone.md (no longer generated)"),
        "{error}"
    );
    xtask::codegen(&root, xtask::Mode::Write).unwrap();
    assert!(!leftover.exists());
    xtask::codegen(&root, xtask::Mode::Check).unwrap();

    // So is a per-packet file of a webhook that is gone, with its folder.
    let gone = root.join("dist/schemas/Live.CallbackAfterGone/request.schema.json");
    std::fs::create_dir_all(gone.parent().unwrap()).unwrap();
    std::fs::write(&gone, "{}").unwrap();
    let error = xtask::codegen(&root, xtask::Mode::Check)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "dist/schemas/Live.CallbackAfterGone/request.schema.json (no longer generated)"
        ),
        "{error}"
    );
    xtask::codegen(&root, xtask::Mode::Write).unwrap();
    assert!(!gone.parent().unwrap().exists());
    xtask::codegen(&root, xtask::Mode::Check).unwrap();
    let _ = std::fs::remove_dir_all(&root);
}

/// `(rewritten, total)` from "codegen: 3 of 24 generated files rewritten (...)".
fn counts(summary: &str) -> (usize, usize) {
    let numbers: Vec<usize> = summary
        .split_whitespace()
        .filter_map(|word| word.parse().ok())
        .take(2)
        .collect();
    (numbers[0], numbers[1])
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

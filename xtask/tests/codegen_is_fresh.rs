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

    let error = xtask::codegen(&root, xtask::Mode::Check)
        .unwrap_err()
        .to_string();
    for path in [
        xtask::BUNDLE_PATH,
        xtask::TYPES_PATH,
        xtask::DISPATCH_PATH,
        xtask::REGISTRY_PATH,
    ] {
        assert!(error.contains(path), "{path} is not named in: {error}");
        assert!(!root.join(path).exists(), "check mode wrote {path}");
    }
    assert!(error.contains("cargo xtask codegen"), "{error}");

    let first = xtask::codegen(&root, xtask::Mode::Write).unwrap();
    assert!(first.contains("4 of 4"), "{first}");
    let second = xtask::codegen(&root, xtask::Mode::Write).unwrap();
    assert!(second.contains("0 of 4"), "{second}");
    xtask::codegen(&root, xtask::Mode::Check).unwrap();
    let _ = std::fs::remove_dir_all(&root);
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

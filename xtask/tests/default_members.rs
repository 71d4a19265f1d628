//! Plain `cargo test` at the root, without `--workspace`, runs this crate's tests, the codegen
//! freshness check among them: xtask is one of the workspace's default members.

#[test]
fn plain_cargo_test_runs_the_codegen_freshness_check() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(xtask::project_root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let default_members = metadata["workspace_default_members"]
        .as_array()
        .expect("cargo metadata lists the default members (cargo 1.71 or newer)");
    let id_of = |name: &str| {
        metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|package| package["name"] == name)
            .map(|package| package["id"].clone())
            .unwrap_or_else(|| panic!("{name} is a member of the workspace"))
    };
    for name in ["xtask", "trtc-live-tests", "trtc-live-cli"] {
        assert!(
            default_members.contains(&id_of(name)),
            "{name} is not a default member: plain `cargo test` skips its tests"
        );
    }
}

//! Adding a webhook is its folder, its row in `schemas/command-words.json`, its cases and
//! `cargo xtask codegen`, nothing else: in a copy of the repository (its git-tracked files), a
//! made-up webhook is added by `cargo xtask new-webhook` alone, its placeholders filled in as a
//! maintainer would (a minimal valid sample, a member), codegen run, and the whole test suite
//! (`cargo test --workspace --locked`, the npm and Python packages' tests included) passes there
//! with only the new webhook's snapshots added and no other snapshot changed.
//!
//! It builds and tests a second workspace, so `cargo test` leaves it out (`#[ignore]`); `.ci/run`
//! runs it (`cargo test -p xtask --test new_webhook -- --ignored`). The copy builds in a target
//! folder of its own, `target/new-webhook-check/`, never in the original's: cargo names a
//! workspace crate's build after its path inside the workspace, so the copy's crates (which
//! know the made-up webhook) and the original's would be the same builds and overwrite each
//! other. That folder is seeded with the original's builds of the crates.io dependencies
//! (everything in its build folder but the workspace crates' builds), so that only the copy's
//! own crates compile. It starts from the original's installed test tools (`node_modules`,
//! `.venv`, `.wheelhouse`, all git-ignored), copied, so that it downloads nothing the original
//! already has.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use serde_json::{json, Value};
use xtask::new_webhook::PLACEHOLDER;

/// The made-up webhook.
const WORD: &str = "Live.CallbackAfterRaiseHand";

/// The git-ignored folders of installed test tools, copied into the copy when present.
const TOOL_DIRS: &[&str] = &[
    "packages/npm/node_modules",
    "packages/npm/test/consumer/node_modules",
    "packages/python/.venv",
    "packages/python/.wheelhouse",
    "tests/generators/node_modules",
    "tests/generators/.venv",
    "crates/trtc-live-cli/tests/gateway/.venv",
    "tests/nats/.venv",
];

#[test]
#[ignore = "runs the whole test suite in a copy of the repository; .ci/run runs it with --ignored"]
fn a_webhook_added_by_the_scaffold_alone_passes_the_whole_suite() {
    let started = Instant::now();
    let original = xtask::project_root();
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let target = scratch
        .parent()
        .expect("the target folder")
        .join("new-webhook-check");
    let copy = scratch.join("new-webhook-repository");
    copy_tracked_files(&original, &copy);
    let seeded = seed_dependency_builds(&xtask::dist::default_build_dir(&original), &target);
    eprintln!(
        "{seeded} dependency builds copied into {}",
        target.display()
    );
    for dir in TOOL_DIRS {
        if original.join(dir).is_dir() {
            checked(
                Command::new("cp")
                    .arg("-a")
                    .arg(original.join(dir))
                    .arg(copy.join(dir)),
            );
        }
    }
    git(&copy, &["init", "--quiet"]);
    commit(&copy, "the repository as it was");
    let cargo = |args: &[&str]| {
        let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        command.args(args).current_dir(&copy);
        // The copy is a workspace of its own: what cargo set for this test (the package's
        // variables) does not apply to it; the user's cargo configuration does, unchanged, so
        // that the builds it shares with the original are the same builds.
        for (name, _) in std::env::vars() {
            let set_for_this_test = [
                "CARGO_PKG_",
                "CARGO_BIN_",
                "CARGO_MANIFEST_",
                "CARGO_CRATE_",
            ]
            .iter()
            .any(|prefix| name.starts_with(prefix))
                || [
                    "CARGO_PRIMARY_PACKAGE",
                    "CARGO_TARGET_TMPDIR",
                    "CARGO_RUSTC_CURRENT_DIR",
                ]
                .contains(&name.as_str());
            if set_for_this_test {
                command.env_remove(name);
            }
        }
        // Its own target and build folder (seeded with the dependencies' builds), whatever the
        // user's configuration says: the copy's crates have the same names and relative paths
        // as the original's, so sharing a build folder would make them the same builds.
        command
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_BUILD_BUILD_DIR", &target);
        command
    };
    eprintln!("copied in {:.0?}", started.elapsed());

    // The scaffold, and what it says to fill in.
    let scaffold = checked(&mut cargo(&[
        "xtask",
        "new-webhook",
        WORD,
        "--group",
        "User",
    ]));
    let said = String::from_utf8_lossy(&scaffold.stdout);
    for what in [
        format!("schemas/{WORD}/request.schema.json"),
        format!("schemas/{WORD}/samples/SOURCES.md"),
        format!("tests/cases/{WORD}/invalid/"),
        PLACEHOLDER.to_owned(),
        "cargo xtask codegen".to_owned(),
    ] {
        assert!(
            said.contains(&what),
            "new-webhook does not say {what}:\n{said}"
        );
    }
    // Codegen refuses a webhook whose placeholders are left.
    let refused = cargo(&["xtask", "codegen"]).output().expect("cargo runs");
    assert!(
        !refused.status.success(),
        "codegen ran with placeholders left"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains(PLACEHOLDER));

    fill_in(&copy);
    let placeholders = git_output(
        &copy,
        &[
            "grep",
            "-l",
            PLACEHOLDER,
            "--",
            &format!("schemas/{WORD}"),
            "schemas/command-words.json",
            &format!("tests/cases/{WORD}"),
        ],
    );
    assert_eq!(placeholders, "", "placeholders left");
    checked(&mut cargo(&["xtask", "codegen"]));
    commit(&copy, "a webhook added by cargo xtask new-webhook");
    let added = git_output(&copy, &["show", "--stat", "--format=", "HEAD"]);
    eprintln!(
        "scaffolded, filled in and generated in {:.0?}:\n{added}",
        started.elapsed()
    );

    // The whole suite, new snapshots written (and any changed one overwritten, which the check
    // below refuses).
    let suite = Instant::now();
    checked(
        cargo(&["test", "--workspace", "--locked"])
            .env("INSTA_UPDATE", "always")
            .env_remove("INSTA_FORCE_PASS"),
    );
    eprintln!(
        "the whole suite passed in the copy in {:.0?}",
        suite.elapsed()
    );

    let status = git_output(&copy, &["status", "--porcelain", "--untracked-files=all"]);
    let mut new_snapshots = Vec::new();
    for line in status.lines() {
        let path = line[3..].to_owned();
        assert!(
            line.starts_with("?? ") && path.ends_with(".snap"),
            "the suite changed more than adding snapshots: {line}\n{status}"
        );
        assert!(
            path.contains(WORD),
            "a snapshot that is not the new webhook's: {path}"
        );
        new_snapshots.push(path);
    }
    for expected in [
        format!("tests/tests/snapshots/test_cases__{WORD}__eventtime-missing.snap"),
        format!("tests/tests/snapshots/documentation_samples__{WORD}__request__typed.snap"),
        format!("crates/trtc-live-cli/tests/snapshots/cli__every_request_sample_of_every_webhook_is_valid__{WORD}.snap"),
        format!("crates/trtc-live-examples/tests/snapshots/examples__one_example_of_each_packet__{WORD}.snap"),
    ] {
        assert!(new_snapshots.contains(&expected), "{expected} was not written: {new_snapshots:#?}");
    }
    eprintln!(
        "{} new snapshots, none changed; {:.0?} in all",
        new_snapshots.len(),
        started.elapsed()
    );
    std::fs::remove_dir_all(&copy).expect("the copy is removed");
}

/// What a maintainer writes in place of the placeholders: the page's title and address, the
/// event's description, a member (`RoomId`), the samples and their sources.
fn fill_in(copy: &Path) {
    let folder = copy.join("schemas").join(WORD);
    edit(&copy.join("schemas/command-words.json"), |text| {
        text.replace(
            &format!("{PLACEHOLDER}: the page title"),
            "Webhook After Hand Raised",
        )
        .replace(
            &format!("{PLACEHOLDER}: the page's URL"),
            "https://www.tencentcloud.com/document/product/647/99999",
        )
    });
    let request_path = folder.join("request.schema.json");
    let mut request: Value = serde_json::from_str(&read(&request_path)).unwrap();
    request["description"] = json!(format!(
        "Request packet of {WORD}, sent by the Live backend after a member of a room has raised \
         a hand. It fires once the request reaches the room. Notification only: Tencent ignores \
         the answer."
    ));
    request["properties"]["RoomId"] = json!({
        "description": "ID of the room where the hand was raised.",
        "type": "string",
    });
    request["required"]
        .as_array_mut()
        .unwrap()
        .push(json!("RoomId"));
    write(
        &request_path,
        &(serde_json::to_string_pretty(&request).unwrap() + "\n"),
    );
    write(
        &folder.join("samples/request.jsonc"),
        &format!(
            "{{\n    \"CallbackCommand\":\"{WORD}\",\n    \"RoomId\":\"room_id\",\n    \
             \"EventTime\":1703589922780 // Unix milliseconds\n}}\n"
        ),
    );
    write(
        &folder.join("samples/response.jsonc"),
        "{\n    \"ActionStatus\": \"OK\",\n    \"ErrorInfo\": \"\",\n    \"ErrorCode\": 0 // Ignore the callback result\n}\n",
    );
    edit(&folder.join("samples/SOURCES.md"), |text| {
        text.replace(
            &format!("{PLACEHOLDER}: the page title"),
            "Webhook After Hand Raised",
        )
        .replace(
            &format!("{PLACEHOLDER}: the page's URL (language, updated date)"),
            "https://www.tencentcloud.com/document/product/647/99999 (EN, updated 2026-12-01)",
        )
        .replace(
            &format!("{PLACEHOLDER}: each defect, or \"none found\"."),
            "None found.",
        )
    });
    write(
        &copy.join(format!("tests/cases/{WORD}/invalid/roomid-number.json")),
        &format!(
            "{{\"CallbackCommand\": \"{WORD}\", \"RoomId\": 7, \"EventTime\": 1703589922780}}\n"
        ),
    );
}

/// Copies into the build folder `to` every build of `cargo test`'s profile (`debug`) in the
/// build folder `from` that is not a build of this workspace's own crates (the crates.io
/// dependencies and their build scripts), leaving what `to` already has; returns how many
/// entries were copied.
///
/// A unit's build is named `<name>-<hash>` in `deps/`, `build/` and `.fingerprint/`, and its
/// fingerprint folder is named after its package: the hashes of the workspace's packages'
/// fingerprint folders are the builds left out. `incremental/` (the workspace crates' only)
/// and the uplifted binaries are left out too. `cp -a` keeps the times cargo compares.
fn seed_dependency_builds(from: &Path, to: &Path) -> usize {
    let profile = from.join("debug");
    let fingerprints = profile.join(".fingerprint");
    if !fingerprints.is_dir() {
        return 0; // nothing built yet: the copy builds everything
    }
    let metadata = checked(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "metadata",
                "--no-deps",
                "--format-version",
                "1",
                "--offline",
            ])
            .current_dir(xtask::project_root()),
    );
    let metadata: Value = serde_json::from_slice(&metadata.stdout).expect("cargo metadata's JSON");
    let packages: Vec<&str> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|package| package["name"].as_str().expect("a name"))
        .collect();
    let workspace_hashes: Vec<String> = entries(&fingerprints)
        .into_iter()
        .filter_map(|name| {
            let (package, hash) = name.rsplit_once('-')?;
            packages.contains(&package).then(|| hash.to_owned())
        })
        .collect();
    assert!(
        !workspace_hashes.is_empty(),
        "no build of the workspace's packages in {}: the naming this relies on changed",
        fingerprints.display()
    );
    let mut copied = 0;
    for folder in [".fingerprint", "deps", "build"] {
        let source = profile.join(folder);
        if !source.is_dir() {
            continue;
        }
        let destination = to.join("debug").join(folder);
        std::fs::create_dir_all(&destination).unwrap();
        let wanted: Vec<PathBuf> = entries(&source)
            .into_iter()
            .filter(|name| {
                !workspace_hashes
                    .iter()
                    .any(|hash| name.contains(hash.as_str()))
            })
            .filter(|name| !destination.join(name).exists())
            .map(|name| source.join(name))
            .collect();
        for chunk in wanted.chunks(500) {
            checked(
                Command::new("cp")
                    .arg("-a")
                    .arg("-t")
                    .arg(&destination)
                    .arg("--")
                    .args(chunk),
            );
        }
        copied += wanted.len();
    }
    copied
}

/// The names of the entries of a folder.
fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// Copies the files git tracks in `from` (as they are in the working tree) to `to`, anew.
fn copy_tracked_files(from: &Path, to: &Path) {
    if to.exists() {
        std::fs::remove_dir_all(to).expect("the previous copy is removed");
    }
    let listed = git_output(from, &["ls-files", "-z"]);
    for path in listed.split('\0').filter(|p| !p.is_empty()) {
        let source = from.join(path);
        if !source.is_file() {
            continue; // deleted in the working tree
        }
        let destination = to.join(path);
        std::fs::create_dir_all(destination.parent().unwrap()).unwrap();
        std::fs::copy(&source, &destination)
            .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    }
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "--all"]);
    git(
        dir,
        &[
            "-c",
            "user.name=new-webhook test",
            "-c",
            "user.email=new-webhook@test.invalid",
            "commit",
            "--quiet",
            "--no-gpg-sign",
            "-m",
            message,
        ],
    );
}

fn git(dir: &Path, args: &[&str]) {
    checked(Command::new("git").args(args).current_dir(dir));
}

fn git_output(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    String::from_utf8(output.stdout).expect("git prints UTF-8")
}

/// Runs `command`, failing the test with its output unless it succeeds.
fn checked(command: &mut Command) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        tail(&output.stdout),
        tail(&output.stderr)
    );
    output
}

/// The last lines of an output, enough to see what failed.
fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(200)..].join("\n")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn edit(path: &Path, change: impl FnOnce(&str) -> String) {
    let text = read(path);
    let changed = change(&text);
    assert_ne!(changed, text, "{}: nothing filled in", path.display());
    write(path, &changed);
}

//! The crates as a user gets them: `cargo package` (the code of `cargo xtask dist`) makes the
//! `.crate` files; each holds what it needs and the metadata crates.io shows; then, in a fresh
//! project in the system's temporary folder, a webhook app is built against the packaged
//! library crates (not the workspace's folders) together with the packaged CLI, and the app
//! receives, over loopback, deliveries signed by the packaged `trtc-live send`.
//!
//! The fresh project's build keeps its outputs in its own folder but shares the workspace's
//! build directory (`build.build-dir`) as a cache of the crates.io dependencies, offline and at
//! the versions of the workspace's `Cargo.lock`; the test checks that every `trtc-live-*` crate
//! compiled came from an unpacked `.crate` file.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;
use xtask::dist::{cargo, package_crates, publishable_crates, CrateOptions};

const PUBLISHED: &[&str] = &[
    "trtc-live-cli",
    "trtc-live-examples",
    "trtc-live-receiver",
    "trtc-live-types",
    "trtc-live-validate",
];

const TOKEN: &str = "packaged-token";

fn run(command: &mut Command) -> std::process::Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The files of a `.crate` (a gzipped tar), without the `<name>-<version>/` prefix.
fn files_of(package: &Path) -> Vec<String> {
    let listing = run(Command::new("tar").arg("tzf").arg(package));
    String::from_utf8(listing.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once('/').map(|(_, path)| path.to_owned()))
        .collect()
}

/// Unpacks a `.crate` into `into` (which then holds `<name>-<version>/`).
fn unpack(package: &Path, into: &Path) {
    std::fs::create_dir_all(into).unwrap();
    run(Command::new("tar")
        .arg("xzf")
        .arg(package)
        .arg("-C")
        .arg(into));
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Kills the app when the test ends, however it ends.
struct App(Child);

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_packaged_crates_build_a_receiver_that_the_packaged_cli_delivers_to() {
    let root = xtask::project_root();
    let mut published = publishable_crates(&root).unwrap();
    published.sort();
    assert_eq!(published, PUBLISHED, "publish = false is missing or wrong");

    let packages = package_crates(
        &root,
        &CrateOptions {
            verify: false,
            allow_dirty: true,
            offline: true,
            target_dir: None,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let version = env!("CARGO_PKG_VERSION");

    // Each package holds its sources, README and licenses, and the metadata crates.io shows.
    for package in &packages {
        let files = files_of(package);
        for needed in [
            "Cargo.toml",
            "README.md",
            "LICENSE-MIT",
            "LICENSE-APACHE",
            "src/main.rs",
        ] {
            let is_binary = package.to_string_lossy().contains("trtc-live-cli-");
            if needed == "src/main.rs" && !is_binary {
                continue;
            }
            assert!(
                files.iter().any(|f| f == needed),
                "{}: no {needed}",
                package.display()
            );
        }
        assert!(
            !files.iter().any(|f| f.starts_with("tests/")),
            "{}: ships the repository's tests",
            package.display()
        );
        let manifest = run(Command::new("tar")
            .arg("xzf")
            .arg(package)
            .arg("-O")
            .arg(format!(
                "{}/Cargo.toml",
                package.file_stem().unwrap().to_string_lossy()
            )));
        let manifest = String::from_utf8(manifest.stdout).unwrap();
        for key in [
            "description",
            "documentation",
            "readme",
            "keywords",
            "categories",
            "license",
            "repository",
            "rust-version",
        ] {
            assert!(
                manifest
                    .lines()
                    .any(|line| line.starts_with(&format!("{key} = "))),
                "{}: no {key} in its Cargo.toml",
                package.display()
            );
        }
    }
    let validate = packages
        .iter()
        .find(|p| p.to_string_lossy().contains("trtc-live-validate-"))
        .unwrap();
    assert!(files_of(validate)
        .iter()
        .any(|f| f == "src/generated/schemas/Live.CallbackAfterEndBattle/request.schema.json"));
    let types = packages
        .iter()
        .find(|p| p.to_string_lossy().contains("trtc-live-types-"))
        .unwrap();
    assert!(files_of(types)
        .iter()
        .any(|f| f == "src/generated/trtc-live-webhooks.schema.json"));

    // A fresh project outside the repository: the library crates unpacked as a user's registry
    // would hold them, the CLI unpacked as a member, and an app depending on the libraries by
    // version.
    // Always the same folder: the same paths make the same build units in the shared build
    // directory, which a run then replaces instead of adding to.
    let scratch = std::env::temp_dir().join("trtc-live-packaged-crates");
    let _ = std::fs::remove_dir_all(&scratch);
    let registry = scratch.join("registry");
    let project = scratch.join("project");
    let mut patches = String::new();
    for package in &packages {
        let stem = package.file_stem().unwrap().to_string_lossy().into_owned();
        let name = stem.strip_suffix(&format!("-{version}")).unwrap();
        if name == "trtc-live-cli" {
            unpack(package, &project);
            std::fs::rename(project.join(&stem), project.join("cli")).unwrap();
        } else {
            unpack(package, &registry);
            patches += &format!("{name} = {{ path = {:?} }}\n", registry.join(&stem));
        }
    }
    // The same paths as the last run, so the shared build directory has their old builds:
    // sources dated now make cargo compile these ones (a package's files carry a fixed date).
    run(Command::new("find")
        .arg(&scratch)
        .args(["-type", "f", "-exec", "touch", "{}", "+"]));
    write(
        &project.join("Cargo.toml"),
        &format!(
            "[workspace]\nmembers = [\"app\", \"cli\"]\nresolver = \"2\"\n\n\
             # The packaged crates stand for crates.io's.\n[patch.crates-io]\n{patches}\n\
             [profile.dev.package.\"*\"]\ndebug = false\n"
        ),
    );
    write(
        &project.join("app/Cargo.toml"),
        &format!(
            "[package]\nname = \"webhook-app\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n\
             trtc-live-types = \"{version}\"\n\
             trtc-live-validate = \"{version}\"\n\
             trtc-live-examples = \"{version}\"\n\
             trtc-live-receiver = {{ version = \"{version}\", features = [\"axum\"] }}\n\
             axum = {{ version = \"0.8.4\", default-features = false, features = [\"http1\", \"tokio\"] }}\n\
             tokio = {{ version = \"1.45\", features = [\"rt-multi-thread\", \"macros\", \"net\"] }}\n\
             serde_json = \"1\"\n"
        ),
    );
    write(&project.join("app/src/main.rs"), APP);
    // The versions the workspace is tested with, and nothing downloaded.
    std::fs::copy(root.join("Cargo.lock"), project.join("Cargo.lock")).unwrap();

    let build = run(Command::new(cargo())
        .args([
            "build",
            "--offline",
            "--workspace",
            "--message-format",
            "json-render-diagnostics",
        ])
        .arg("--target-dir")
        .arg(scratch.join("target"))
        .arg("--config")
        .arg(format!(
            "build.build-dir={:?}",
            root.join("target").display().to_string()
        ))
        .current_dir(&project)
        .env_remove("CARGO_TARGET_DIR"));
    let mut ours = std::collections::BTreeSet::new();
    for line in String::from_utf8(build.stdout).unwrap().lines() {
        let message: Value = serde_json::from_str(line).unwrap();
        let manifest = message["manifest_path"].as_str().unwrap_or_default();
        let id = message["package_id"].as_str().unwrap_or_default();
        let name = id.rsplit('#').next().unwrap_or_default();
        if message["reason"] == "compiler-artifact" && name.starts_with("trtc-live-") {
            assert!(
                manifest.starts_with(&scratch.display().to_string()),
                "{id} was built from {manifest}, not from its package"
            );
            ours.insert(message["target"]["name"].as_str().unwrap().to_owned());
        }
    }
    let expected = [
        "trtc-live",
        "trtc_live_examples",
        "trtc_live_receiver",
        "trtc_live_types",
        "trtc_live_validate",
    ];
    assert_eq!(
        ours.iter().collect::<Vec<_>>(),
        expected,
        "the packaged crates built"
    );

    // The app on loopback, and the packaged CLI's deliveries to it.
    let binaries = scratch.join("target/debug");
    let mut child = Command::new(binaries.join("webhook-app"))
        .env("TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _app = App(child);
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let next = || {
        received
            .recv_timeout(Duration::from_secs(30))
            .expect("the app prints")
    };
    assert_eq!(next(), "18 examples valid");
    let url = format!("{}/webhook", next().strip_prefix("listening on ").unwrap());

    let send = |token: &str, packet: &str| {
        Command::new(binaries.join("trtc-live"))
            .args([
                "send",
                "--url",
                &url,
                "--sdkappid",
                "1400000000",
                "--token",
                token,
                packet,
            ])
            .output()
            .unwrap()
    };
    let battle =
        root.join("tests/cases/Live.CallbackAfterEndBattle/valid/owner-account-u64-max.json");
    let output = send(TOKEN, battle.to_str().unwrap());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(
        next(),
        "Live.CallbackAfterEndBattle owners 18446744073709551615, 144115245442327522"
    );

    let output = send(TOKEN, "Live.CallbackBeforeSendGift");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{printed}");
    assert!(printed.contains("packaged app says no"), "{printed}");
    assert_eq!(next(), "Live.CallbackBeforeSendGift rejected");

    // A wrong token: the app refuses it, and send says so.
    let output = send("wrong", "Live.CallbackAfterCreateRoom");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("HTTP 401"));

    drop(_app);
    let _ = std::fs::remove_dir_all(&scratch);
}

/// The app: the validator and the examples first, then a receiver on 127.0.0.1.
const APP: &str = r#"//! A webhook app built against the packaged crates.
use std::sync::Arc;

use trtc_live_examples::ExampleGenerator;
use trtc_live_receiver::axum::webhook_router;
use trtc_live_receiver::{Answer, Delivery, Receiver, ReceiverConfig, Token};
use trtc_live_types::{Command, LiveCallbackBeforeSendGiftResponse, Webhook};
use trtc_live_validate::Validator;

async fn on_webhook(delivery: Delivery) -> Answer {
    match &delivery.webhook {
        Webhook::LiveCallbackAfterEndBattle(battle) => {
            let owners: Vec<String> = std::iter::once(&battle.from_room_info)
                .chain(&battle.to_room_list)
                .map(|room| serde_json::to_string(&room.owner_account).unwrap())
                .collect();
            println!("{} owners {}", delivery.command(), owners.join(", "));
            Answer::for_delivery(&delivery)
        }
        Webhook::LiveCallbackBeforeSendGift(gift) => {
            println!("{} rejected", delivery.command());
            Answer::gift(gift, LiveCallbackBeforeSendGiftResponse::reject("packaged app says no"))
        }
        _ => Answer::for_delivery(&delivery),
    }
}

#[tokio::main]
async fn main() {
    let validator = Validator::new().expect("the embedded schemas compile");
    let mut generator = ExampleGenerator::new(7);
    for &command in Command::ALL {
        let packet = generator.request(command).to_string();
        if let Err(rejection) = validator.validate(packet.as_bytes()) {
            panic!("an example of {command:?} is refused: {rejection:?}");
        }
    }
    println!("{} examples valid", Command::ALL.len());
    let token = Token::new(std::env::var("TOKEN").expect("TOKEN"));
    let receiver = Receiver::new(ReceiverConfig::new("1400000000").with_token(token)).unwrap();
    let app = webhook_router(Arc::new(receiver), on_webhook);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("listening on http://{}", listener.local_addr().unwrap());
    axum::serve(listener, app).await.unwrap();
}
"#;

//! The npm package `trtc-live-webhooks` (`packages/npm`) as its users get it: `npm pack` builds
//! the tarball (its dev dependencies installed first with `npm ci`, pinned by its lock), which is
//! installed into a copy of `packages/npm/test/consumer` in a temporary directory outside the
//! repository (its `package-lock.json` pins everything, the tarball included by name), then the
//! consumer's programs are compiled with `tsc` (strict) and run with Node. Nothing is written
//! into the repository but the package's git-ignored build folders.
//!
//! The consumer's lock names the tarball without its integrity (it changes with every build).
//! After a change of the consumer's or the package's dependencies, refresh it: copy a packed
//! tarball to `packages/npm/test/consumer/trtc-live-webhooks.tgz`, run
//! `npm install --package-lock-only` there, remove the `integrity` of
//! `node_modules/trtc-live-webhooks` from the lock, and delete the tarball.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use trtc_live_tests::repo_root;

use crate::{checked, run_with_input};

/// The consumer project, installed and compiled.
pub struct Consumer {
    /// Its directory (temporary, outside the repository).
    pub dir: PathBuf,
}

impl Consumer {
    /// Runs `build/<program>.js` (compiled from `src/<program>.ts`) with Node.
    pub fn node(&self, program: &str, args: &[&Path], stdin: &[u8]) -> Output {
        let script = self.dir.join("build").join(format!("{program}.js"));
        run_with_input(
            Command::new("node")
                .arg(script)
                .args(args)
                .current_dir(&self.dir),
            stdin,
        )
    }

    /// Starts `build/<program>.js` with `env`, standard output piped.
    pub fn spawn(&self, program: &str, env: &[(&str, &str)]) -> Child {
        let script = self.dir.join("build").join(program);
        Command::new("node")
            .arg(&script)
            .envs(env.iter().copied())
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("node {}: {e}", script.display()))
    }
}

/// The consumer, installed and compiled once per test run; `samples_ts` is the module that
/// declares every valid sample against its type (`src/samples.ts`, checked by `tsc`).
pub fn consumer(samples_ts: impl FnOnce() -> String) -> &'static Consumer {
    static CONSUMER: OnceLock<Result<Consumer, String>> = OnceLock::new();
    CONSUMER
        .get_or_init(|| install(samples_ts()))
        .as_ref()
        .unwrap_or_else(|error| panic!("the npm package: {error}"))
}

/// Where the temporary projects go: `<temp>/trtc-live-webhooks-npm-<pid>`.
const PREFIX: &str = "trtc-live-webhooks-npm-";

fn install(samples_ts: String) -> Result<Consumer, String> {
    let package = repo_root().join("packages/npm");
    let template = package.join("test/consumer");
    remove_leftovers();
    let dir = std::env::temp_dir().join(format!("{PREFIX}{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;

    // The package: its locked dev dependencies, then `npm pack`, which builds it (prepack).
    checked(Command::new("npm").args(NPM_CI).current_dir(&package))?;
    let packed = checked(
        Command::new("npm")
            .args(["pack", "--json", "--pack-destination"])
            .arg(&dir)
            .current_dir(&package),
    )?;
    let filename = serde_json::from_slice::<serde_json::Value>(&packed.stdout)
        .ok()
        .and_then(|value| value[0]["filename"].as_str().map(str::to_owned))
        .ok_or_else(|| {
            format!(
                "npm pack printed no file name: {}",
                String::from_utf8_lossy(&packed.stdout)
            )
        })?;
    // The consumer's lock names the tarball `trtc-live-webhooks.tgz`.
    rename(&dir.join(&filename), &dir.join("trtc-live-webhooks.tgz"))?;

    for file in ["package.json", "package-lock.json", "tsconfig.json"] {
        copy(&template.join(file), &dir.join(file))?;
    }
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(template.join("src")).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        copy(
            &path,
            &dir.join("src").join(path.file_name().expect("a file")),
        )?;
    }
    write(&dir.join("src/samples.ts"), &samples_ts)?;
    checked(Command::new("npm").args(NPM_CI).current_dir(&dir))?;
    checked(
        Command::new("node")
            .args(["node_modules/typescript/bin/tsc", "-p", "."])
            .current_dir(&dir),
    )?;
    Ok(Consumer { dir })
}

/// `npm ci`: exactly the lock's versions, no install scripts (none is needed).
const NPM_CI: &[&str] = &["ci", "--no-audit", "--no-fund", "--ignore-scripts"];

/// Removes the projects of earlier test runs whose process has ended.
fn remove_leftovers() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(PREFIX) else {
            continue;
        };
        let running = Path::new("/proc").join(pid).exists();
        if !running && pid != std::process::id().to_string() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The `trtc-live` binary, built by cargo (already built by `cargo test --workspace`, whose
/// CLI tests need it: then this is a check that it is fresh).
pub fn trtc_live() -> &'static Path {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BINARY
        .get_or_init(build_trtc_live)
        .as_ref()
        .unwrap_or_else(|error| panic!("trtc-live: {error}"))
}

fn build_trtc_live() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = checked(
        Command::new(cargo)
            .args(["build", "--locked", "--quiet", "--message-format=json"])
            .args([
                "-p",
                "trtc-live-cli",
                "--bin",
                "trtc-live",
                "--manifest-path",
            ])
            .arg(repo_root().join("Cargo.toml")),
    )?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["target"]["name"] == "trtc-live")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo build named no executable".to_owned())
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("{} to {}: {e}", from.display(), to.display()))
}

fn rename(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::rename(from, to).map_err(|e| format!("{} to {}: {e}", from.display(), to.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

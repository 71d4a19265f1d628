//! `cargo xtask dist`: every package of the repository, built into `target/dist/`.
//!
//! | package | built by | file |
//! |---|---|---|
//! | each published crate | `cargo package` (with its verify build), all in one run, so that they verify against one another | `<name>-<version>.crate` |
//! | the npm package (`packages/npm/`) | its own build: `npm ci`, then `npm pack` | `trtc-live-webhooks-<version>.tgz` |
//! | the Python package (`packages/python/`) | its own PEP 517 build, `python -m build` (pinned in `xtask/python-build.txt`): the sdist, then the wheel built from it | `.tar.gz` and `.whl` |
//!
//! A package whose folder is not in the checkout is skipped, and said so. Codegen must be fresh
//! first (its check runs), which also means that every version agrees with the workspace's.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::{Error, Mode};

/// Where the packages are gathered, relative to the project root.
pub const DIST_DIR: &str = "target/dist";

/// The npm package's folder, relative to the project root.
pub const NPM_DIR: &str = "packages/npm";

/// The Python package's folder, relative to the project root.
pub const PYTHON_DIR: &str = "packages/python";

/// The pinned requirements of the Python build front end, relative to the project root.
pub const PYTHON_BUILD_REQUIREMENTS: &str = "xtask/python-build.txt";

/// How `cargo package` is run.
#[derive(Clone, Debug, Default)]
pub struct CrateOptions {
    /// Compile each package from its `.crate` file, as `cargo publish` would (`cargo package`'s
    /// default); without it, only the files are assembled.
    pub verify: bool,
    /// Package uncommitted changes too (`--allow-dirty`).
    pub allow_dirty: bool,
    /// Use no network (`--offline`): the dependencies must be in cargo's cache.
    pub offline: bool,
    /// Cargo's target directory, if not the workspace's.
    pub target_dir: Option<PathBuf>,
}

/// `cargo xtask dist [--no-verify] [--allow-dirty]`.
pub fn main(root: &Path, args: &[&str]) -> Result<String, Error> {
    let mut options = CrateOptions {
        verify: true,
        ..CrateOptions::default()
    };
    for arg in args {
        match *arg {
            "--no-verify" => options.verify = false,
            "--allow-dirty" => options.allow_dirty = true,
            other => return Err(Error::msg(format!("dist: unknown option {other}"))),
        }
    }
    crate::codegen(root, Mode::Check)?;
    let out = root.join(DIST_DIR);
    if out.exists() {
        std::fs::remove_dir_all(&out)
            .map_err(|e| Error::msg(format!("cannot empty {DIST_DIR}: {e}")))?;
    }
    std::fs::create_dir_all(&out)
        .map_err(|e| Error::msg(format!("cannot create {DIST_DIR}: {e}")))?;

    let mut summary = Vec::new();
    for file in package_crates(root, &options)? {
        let target = out.join(file.file_name().expect("a file"));
        std::fs::copy(&file, &target)
            .map_err(|e| Error::msg(format!("cannot copy {}: {e}", file.display())))?;
    }
    summary.extend(npm_pack(root, &out)?);
    summary.extend(python_build(root, &out)?);

    let mut built: Vec<String> = std::fs::read_dir(&out)
        .map_err(|e| Error::msg(format!("cannot list {DIST_DIR}: {e}")))?
        .filter_map(|entry| entry.ok())
        .map(|entry| {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            format!(
                "  {DIST_DIR}/{} ({} KiB)",
                entry.file_name().to_string_lossy(),
                size.div_ceil(1024)
            )
        })
        .collect();
    built.sort();
    summary.insert(
        0,
        format!("dist: {} files\n{}", built.len(), built.join("\n")),
    );
    Ok(summary.join("\n"))
}

/// The workspace members that can be published (no `publish = false`), in the workspace's order.
pub fn publishable_crates(root: &Path) -> Result<Vec<String>, Error> {
    let output = run(Command::new(cargo())
        .args(["metadata", "--no-deps", "--format-version", "1", "--locked"])
        .current_dir(root))?;
    let metadata: Value = serde_json::from_slice(&output)
        .map_err(|e| Error::msg(format!("cargo metadata printed no JSON: {e}")))?;
    let packages = metadata["packages"]
        .as_array()
        .ok_or_else(|| Error::msg("cargo metadata lists no packages"))?;
    Ok(packages
        .iter()
        // `publish` is null when any registry may have it, [] for `publish = false`.
        .filter(|package| package["publish"] != Value::Array(Vec::new()))
        .filter_map(|package| package["name"].as_str().map(str::to_owned))
        .collect())
}

/// Runs `cargo package` once for every publishable crate (so that they are checked against one
/// another's packages, not the workspace's folders) and returns the `.crate` files.
pub fn package_crates(root: &Path, options: &CrateOptions) -> Result<Vec<PathBuf>, Error> {
    let crates = publishable_crates(root)?;
    let version = crate::versions::workspace_version(root)?;
    forget_unpacked_packages(&crates, &version)?;
    if options.verify {
        // Cargo never rebuilds a registry crate of a version it has built: remove the builds of
        // the previous packaging's crates (and, by their names, the workspace's own, which the
        // next build redoes) so that the verify builds compile these packages.
        let mut clean = Command::new(cargo());
        clean.arg("clean").current_dir(root);
        if let Some(dir) = &options.target_dir {
            clean.arg("--target-dir").arg(dir);
        }
        for name in &crates {
            clean.args(["--package", name]);
        }
        run_visible(&mut clean)?;
    }
    let mut command = Command::new(cargo());
    command.arg("package").arg("--locked").current_dir(root);
    // The packaged manifests carry no profile: give the verify build the workspace's, so that it
    // reuses the dependencies the workspace already compiled.
    command.args(["--config", "profile.dev.package.\"*\".debug=false"]);
    if !options.verify {
        command.arg("--no-verify");
    }
    if options.allow_dirty {
        command.arg("--allow-dirty");
    }
    if options.offline {
        command.arg("--offline");
    }
    if let Some(dir) = &options.target_dir {
        command.arg("--target-dir").arg(dir);
    }
    for name in &crates {
        command.args(["--package", name]);
    }
    run_visible(&mut command)?;

    let package_dir = options
        .target_dir
        .clone()
        .unwrap_or_else(|| root.join("target"))
        .join("package");
    crates
        .iter()
        .map(|name| {
            let file = package_dir.join(format!("{name}-{version}.crate"));
            if file.exists() {
                Ok(file)
            } else {
                Err(Error::msg(format!(
                    "cargo package wrote no {}",
                    file.display()
                )))
            }
        })
        .collect()
}

/// Removes the copies of our packages that an earlier `cargo package` left unpacked in cargo's
/// registry cache (`$CARGO_HOME/registry/src/-<hash>/<name>-<version>`, the local registry of
/// the packages being verified has no name). Cargo unpacks a registry crate once per version
/// and reuses it from then on, so without this a verify build would compile the previous
/// packaging of the same version instead of this one.
fn forget_unpacked_packages(crates: &[String], version: &str) -> Result<(), Error> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    let Some(sources) = home.map(|home| home.join("registry/src")) else {
        return Ok(());
    };
    let Ok(registries) = std::fs::read_dir(&sources) else {
        return Ok(());
    };
    for registry in registries.filter_map(|entry| entry.ok()) {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for name in crates {
            let unpacked = registry.path().join(format!("{name}-{version}"));
            if unpacked.exists() {
                std::fs::remove_dir_all(&unpacked).map_err(|e| {
                    Error::msg(format!("cannot remove {}: {e}", unpacked.display()))
                })?;
            }
        }
    }
    Ok(())
}

/// `npm ci` and `npm pack` in `packages/npm`, the tarball into `out`.
fn npm_pack(root: &Path, out: &Path) -> Result<Vec<String>, Error> {
    let dir = root.join(NPM_DIR);
    if !dir.join("package.json").exists() {
        return Ok(vec![format!(
            "{NPM_DIR}: not in this checkout, skipped (its build: npm ci && npm pack)"
        )]);
    }
    run_visible(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir),
    )?;
    run_visible(
        Command::new("npm")
            .args(["pack", "--pack-destination"])
            .arg(out)
            .current_dir(&dir),
    )?;
    Ok(Vec::new())
}

/// The wheel and the sdist of `packages/python`, built by its PEP 517 backend, into `out`.
fn python_build(root: &Path, out: &Path) -> Result<Vec<String>, Error> {
    let dir = root.join(PYTHON_DIR);
    if !dir.join("pyproject.toml").exists() {
        return Ok(vec![format!(
            "{PYTHON_DIR}: not in this checkout, skipped (its build: python -m build)"
        )]);
    }
    let python = build_front_end(root)?;
    run_visible(
        Command::new(python)
            .args(["-m", "build", "--outdir"])
            .arg(out)
            .arg(&dir),
    )?;
    Ok(Vec::new())
}

/// A virtual environment under `target/` with the pinned `build` front end, made again when
/// its requirements change; returns its Python.
fn build_front_end(root: &Path) -> Result<PathBuf, Error> {
    let venv = root.join("target/xtask-python-build");
    let python = venv.join("bin/python");
    let requirements = std::fs::read_to_string(root.join(PYTHON_BUILD_REQUIREMENTS))
        .map_err(|e| Error::msg(format!("cannot read {PYTHON_BUILD_REQUIREMENTS}: {e}")))?;
    let installed = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&installed).ok().as_deref() == Some(requirements.as_str()) {
        return Ok(python);
    }
    run_visible(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run_visible(
        Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--no-input"])
            .args(["--disable-pip-version-check", "-r"])
            .arg(root.join(PYTHON_BUILD_REQUIREMENTS)),
    )?;
    std::fs::write(&installed, requirements)
        .map_err(|e| Error::msg(format!("cannot write {}: {e}", installed.display())))?;
    Ok(python)
}

/// The cargo that runs this program (`cargo xtask` sets `CARGO`), or the one on the path.
pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Runs a command, its output shown as it goes; fails unless it succeeds.
fn run_visible(command: &mut Command) -> Result<(), Error> {
    let status = command
        .status()
        .map_err(|e| Error::msg(format!("cannot run {command:?}: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::msg(format!("{command:?} failed ({status})")))
    }
}

/// Runs a command and returns its standard output; fails with its standard error.
fn run(command: &mut Command) -> Result<Vec<u8>, Error> {
    let output = command
        .output()
        .map_err(|e| Error::msg(format!("cannot run {command:?}: {e}")))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(Error::msg(format!(
            "{command:?} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )))
    }
}

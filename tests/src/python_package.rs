//! The Python package `packages/python`, built and installed the way a user gets it: its wheel
//! and sdist built by the standard PEP 517 command (`python -m build`, the wheel from the
//! sdist), the wheel installed into a new virtual environment outside the repository, with
//! pinned dependencies only.
//!
//! Pinned tools are installed once into git-ignored folders of `packages/python`: `.venv` (the
//! build frontend and backend of `requirements/tools.txt`, also the Python peers of `cargo
//! xtask bench`) and `.wheelhouse` (the wheels of `requirements/test.txt`, downloaded once, so
//! that each new environment installs offline). Both are refreshed when their requirements
//! file changes. Needs Python 3.11 or newer as `python3`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::process::checked;
pub use crate::process::run_with_input;
use crate::python_tools::Dependencies;
use crate::repo_root;
use crate::tools::{read, write};

/// The package, built and installed into a new virtual environment.
#[derive(Debug)]
pub struct PythonPackage {
    /// The folder of the new virtual environment (outside the repository).
    pub venv: PathBuf,
    /// The wheel that was built and installed.
    pub wheel: PathBuf,
    /// The sdist that was built (and the wheel built from).
    pub sdist: PathBuf,
}

impl PythonPackage {
    /// The environment's Python interpreter.
    pub fn python(&self) -> PathBuf {
        self.venv.join("bin/python")
    }

    /// A command running the environment's Python in the environment's folder (so that
    /// nothing of the repository is importable but what a script adds), writing no bytecode
    /// into the repository.
    pub fn command(&self) -> Command {
        let mut command = Command::new(self.python());
        command
            .current_dir(&self.venv)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("TRTC_REPO_ROOT", repo_root());
        command
    }

    /// Runs `script` (a path in the repository) with `args`, `stdin` as its input.
    pub fn run(&self, script: &str, args: &[&Path], stdin: &[u8]) -> Output {
        let mut command = self.command();
        command.arg(repo_root().join(script)).args(args);
        run_with_input(&mut command, stdin)
    }
}

/// `packages/python`.
pub fn package_dir() -> PathBuf {
    repo_root().join("packages/python")
}

/// Builds the package and installs it into a new virtual environment named after `name` and
/// the checkout, under the system's temporary folder (the previous one of that name is removed
/// first).
pub fn build_and_install(name: &str) -> Result<PythonPackage, String> {
    let dir = package_dir();
    let tools = tools_venv()?;
    let wheelhouse = wheelhouse(&tools)?;

    // Named after the checkout too, so that two checkouts tested at once never share it.
    let checkout = {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        repo_root().hash(&mut hasher);
        hasher.finish()
    };
    let scratch =
        std::env::temp_dir().join(format!("trtc-live-webhooks-python-{name}-{checkout:016x}"));
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    }
    let dist = scratch.join("dist");
    // The standard build: the sdist, then the wheel from the unpacked sdist (so a file
    // missing from the sdist fails here). No isolation: the pinned backend of the tools.
    checked(
        Command::new(tools.join("bin/python"))
            .args(["-m", "build", "--no-isolation", "--outdir"])
            .arg(&dist)
            .arg(&dir)
            .env("PYTHONDONTWRITEBYTECODE", "1"),
    )?;
    let version = env!("CARGO_PKG_VERSION");
    let wheel = dist.join(format!("trtc_live_webhooks-{version}-py3-none-any.whl"));
    let sdist = dist.join(format!("trtc_live_webhooks-{version}.tar.gz"));
    for built in [&wheel, &sdist] {
        if !built.exists() {
            return Err(format!(
                "{} was not built (the package's version must be the workspace's, {version}): {:?}",
                built.display(),
                std::fs::read_dir(&dist)
                    .map(|d| d.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
            ));
        }
    }

    let venv = scratch.join("venv");
    checked(
        Command::new(system_python()?)
            .args(["-m", "venv"])
            .arg(&venv),
    )?;
    let pip = |args: &[&str]| {
        let mut command = Command::new(venv.join("bin/python"));
        command
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-input",
                "--no-index",
            ])
            .arg("--find-links")
            .arg(&wheelhouse)
            .args(args)
            .env_remove("PIP_FIND_LINKS");
        command
    };
    let requirements = dir.join("requirements/test.txt");
    checked(&mut pip(&["-r", &requirements.to_string_lossy()]))?;
    checked(&mut pip(&["--no-deps", &wheel.to_string_lossy()]))?;
    Ok(PythonPackage { venv, wheel, sdist })
}

/// `python3`, if it is Python 3.11 or newer.
pub fn system_python() -> Result<&'static str, String> {
    let output = Command::new("python3")
        .args(["-c", "import sys; print(sys.version_info >= (3, 11))"])
        .output()
        .map_err(|e| format!("python3 is needed (3.11 or newer) to test packages/python: {e}"))?;
    if String::from_utf8_lossy(&output.stdout).trim() != "True" {
        return Err("python3 must be Python 3.11 or newer to test packages/python".into());
    }
    Ok("python3")
}

/// `packages/python/.venv` with `requirements/tools.txt`, installed again only when the file
/// changes.
pub fn tools_venv() -> Result<PathBuf, String> {
    let dir = package_dir();
    let venv = dir.join(".venv");
    crate::python_tools::venv(
        &venv,
        &dir.join("requirements/tools.txt"),
        Dependencies::Resolved,
    )?;
    Ok(venv)
}

/// `packages/python/.wheelhouse`: the wheels of `requirements/test.txt`, downloaded again only
/// when the file changes.
fn wheelhouse(tools: &Path) -> Result<PathBuf, String> {
    let dir = package_dir();
    let wheelhouse = dir.join(".wheelhouse");
    let requirements = read(&dir.join("requirements/test.txt"))?;
    let marker = wheelhouse.join("downloaded-requirements.txt");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(requirements.as_str()) {
        checked(
            Command::new(tools.join("bin/python"))
                .args([
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--no-input",
                    "--only-binary=:all:",
                ])
                .args([
                    "--disable-pip-version-check",
                    "-r",
                    "requirements/test.txt",
                    "-d",
                ])
                .arg(&wheelhouse)
                .current_dir(&dir),
        )?;
        write(&marker, &requirements)?;
    }
    Ok(wheelhouse)
}

//! Pinned tools for the tests: npm packages from a `package-lock.json` and PyPI packages from a
//! pinned `requirements.txt`, installed into git-ignored folders of the repository (again only
//! when the pins change); commands are run by [`crate::process`].

use std::path::{Path, PathBuf};
use std::process::Command;

pub use crate::process::{checked, run_with_input};

/// `npm ci` in `dir` (which holds `package.json` and `package-lock.json`), skipped when
/// `node_modules` was installed from the same lock file.
pub fn npm_install(dir: &Path) -> Result<(), String> {
    let lock = read(&dir.join("package-lock.json"))?;
    let stamp = dir.join("node_modules/.installed-package-lock.json");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(lock.as_str()) {
        return Ok(());
    }
    checked(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )?;
    write(&stamp, &lock)
}

/// A virtual environment at `dir/.venv` with the packages of `dir/requirements.txt`, installed
/// again only when that file changes; returns its Python.
pub fn python_venv(dir: &Path) -> Result<PathBuf, String> {
    let venv = dir.join(".venv");
    let python = venv.join("bin/python");
    let requirements = read(&dir.join("requirements.txt"))?;
    let stamp = venv.join("installed-requirements.txt");
    if python.exists()
        && std::fs::read_to_string(&stamp).ok().as_deref() == Some(requirements.as_str())
    {
        return Ok(python);
    }
    checked(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    checked(
        Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--no-input"])
            .args(["--disable-pip-version-check", "-r", "requirements.txt"])
            .current_dir(dir),
    )?;
    write(&stamp, &requirements)?;
    Ok(python)
}

/// Reads a text file, the path in the error.
pub fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes a text file, creating its folder, the path in the error.
pub fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

//! Pinned tools for the tests: npm packages from a `package-lock.json`, installed into
//! git-ignored folders of the repository (again only when the pins change); PyPI packages are
//! [`crate::python_tools`]'s; commands are run by [`crate::process`].

use std::path::Path;
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

//! Pinned Python tools that tests run (verifiers and parsers this project did not write),
//! installed into a virtual environment in a git-ignored folder of the repository, again only
//! when their requirements file changes. Needs Python 3.11 or newer as `python3`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::checked;
use crate::python_package::system_python;

/// The virtual environment at `venv` with the pinned `requirements` installed (pip's
/// `--require-hashes` is not used: every requirement is pinned to one version, without
/// dependencies of its own to resolve). Returns its Python interpreter.
pub fn venv(venv: &Path, requirements: &Path) -> Result<PathBuf, String> {
    let python = venv.join("bin/python");
    if !python.exists() {
        checked(
            Command::new(system_python()?)
                .args(["-m", "venv"])
                .arg(venv),
        )?;
    }
    let wanted = std::fs::read_to_string(requirements)
        .map_err(|e| format!("{}: {e}", requirements.display()))?;
    let marker = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) {
        checked(
            Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--no-input",
                    "--disable-pip-version-check",
                    "--no-deps",
                    "-r",
                ])
                .arg(requirements),
        )?;
        std::fs::write(&marker, &wanted).map_err(|e| format!("{}: {e}", marker.display()))?;
    }
    Ok(python)
}

//! Pinned Python tools that tests run (verifiers, parsers and code generators this project did
//! not write, the Python package's build tools), each set installed into a virtual environment
//! in a git-ignored folder of the repository, again only when its requirements file changes.
//! Needs Python 3.11 or newer as `python3`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::checked;
use crate::python_package::system_python;
use crate::tools::{read, write};

/// What pip installs besides the packages a requirements file names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dependencies {
    /// Their dependencies too, as pip resolves them (a file that pins every one of them gets
    /// exactly those).
    Resolved,
    /// Nothing else (`--no-deps`): for tools used without the parts that need dependencies.
    None,
}

/// The virtual environment at `venv` with the pinned `requirements` installed (pip's
/// `--require-hashes` is not used: every requirement is pinned to one version). Returns its
/// Python interpreter.
pub fn venv(
    venv: &Path,
    requirements: &Path,
    dependencies: Dependencies,
) -> Result<PathBuf, String> {
    let python = venv.join("bin/python");
    if !python.exists() {
        checked(
            Command::new(system_python()?)
                .args(["-m", "venv"])
                .arg(venv),
        )?;
    }
    let wanted = read(requirements)?;
    let marker = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) {
        let mut pip = Command::new(&python);
        pip.args(["-m", "pip", "install", "--quiet", "--no-input"])
            .arg("--disable-pip-version-check");
        if dependencies == Dependencies::None {
            pip.arg("--no-deps");
        }
        checked(pip.arg("-r").arg(requirements))?;
        write(&marker, &wanted)?;
    }
    Ok(python)
}

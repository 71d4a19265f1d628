//! Installing the Python tools (pinned, into git-ignored folders of `interop/`), generating
//! their models from the bundle, and running their programs. The TypeScript side is the npm
//! package (`npm.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use trtc_live_tests::repo_root;

use crate::{checked, run_with_input};

/// Where the tools live, once installed and built.
pub struct Tools {
    /// `interop/python`: `.venv/` and `generated/` are git-ignored.
    pub python: PathBuf,
}

impl Tools {
    /// The bundled schema every language reads.
    pub fn bundle(&self) -> PathBuf {
        repo_root().join("dist/trtc-live-webhooks.schema.json")
    }

    /// Runs `<program>.py` with the virtual environment's Python.
    pub fn python(&self, program: &str, args: &[&Path], stdin: &[u8]) -> Output {
        let script = self.python.join(format!("{program}.py"));
        run_with_input(
            Command::new(venv_python(&self.python))
                .arg(script)
                .args(args)
                .current_dir(&self.python),
            stdin,
        )
    }
}

/// The tools, installed and built once per test run.
pub fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Result<Tools, String>> = OnceLock::new();
    TOOLS
        .get_or_init(install)
        .as_ref()
        .unwrap_or_else(|error| panic!("the Python tools: {error}"))
}

fn install() -> Result<Tools, String> {
    let python = repo_root().join("interop/python");

    // Python: a virtual environment with the pinned requirements, installed again only when
    // requirements.txt changes; then the pydantic models.
    let venv = python.join(".venv");
    if !venv_python(&python).exists() {
        checked(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    let requirements = read(&python.join("requirements.txt"))?;
    let installed = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&installed).ok().as_deref() != Some(requirements.as_str()) {
        checked(
            Command::new(venv_python(&python))
                .args(["-m", "pip", "install", "--quiet", "--no-input"])
                .args(["--disable-pip-version-check", "-r", "requirements.txt"])
                .current_dir(&python),
        )?;
        write(&installed, &requirements)?;
    }
    std::fs::create_dir_all(python.join("generated")).map_err(|e| e.to_string())?;
    checked(
        Command::new(venv.join("bin/datamodel-codegen"))
            .args(DATAMODEL_CODEGEN_ARGUMENTS)
            .current_dir(&python),
    )?;
    Ok(Tools { python })
}

/// How `generated/webhooks.py` is made, as the README says (run in `interop/python`).
pub const DATAMODEL_CODEGEN_ARGUMENTS: &[&str] = &[
    "--input",
    "../../dist/trtc-live-webhooks.schema.json",
    "--input-file-type",
    "jsonschema",
    "--output-model-type",
    "pydantic_v2.BaseModel",
    "--target-python-version",
    "3.11",
    "--use-annotated",
    "--field-constraints",
    "--formatters",
    "black",
    "--disable-timestamp",
    "--output",
    "generated/webhooks.py",
];

fn venv_python(python: &Path) -> PathBuf {
    python.join(".venv/bin/python")
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

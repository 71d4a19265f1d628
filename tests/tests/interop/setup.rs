//! Installing the TypeScript and Python tools (pinned, into git-ignored folders of
//! `interop/`), generating their types from the bundle, and running their programs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use trtc_live_tests::repo_root;

/// Where the tools live, once installed and built.
pub struct Tools {
    /// `interop/typescript`: `node_modules/`, `generated/` and `build/` are git-ignored.
    pub typescript: PathBuf,
    /// `interop/python`: `.venv/` and `generated/` are git-ignored.
    pub python: PathBuf,
}

impl Tools {
    /// The bundled schema every language reads.
    pub fn bundle(&self) -> PathBuf {
        repo_root().join("dist/trtc-live-webhooks.schema.json")
    }

    /// Runs `build/src/<program>.js` with Node.
    pub fn node(&self, program: &str, args: &[&Path], stdin: &[u8]) -> Output {
        let script = self
            .typescript
            .join("build/src")
            .join(format!("{program}.js"));
        run_with_input(Command::new("node").arg(script).args(args), stdin)
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

/// The tools, installed and built once per test run; `samples_ts` is the TypeScript module
/// that declares every valid sample against its generated type (checked by `tsc`).
pub fn tools(samples_ts: impl FnOnce() -> String) -> &'static Tools {
    static TOOLS: OnceLock<Result<Tools, String>> = OnceLock::new();
    TOOLS
        .get_or_init(|| install(samples_ts()))
        .as_ref()
        .unwrap_or_else(|error| panic!("the TypeScript and Python tools: {error}"))
}

fn install(samples_ts: String) -> Result<Tools, String> {
    let root = repo_root();
    let typescript = root.join("interop/typescript");
    let python = root.join("interop/python");

    // TypeScript: the exact versions of package-lock.json, then the types and the build.
    npm(&typescript, &["ci", "--no-audit", "--no-fund"])?;
    npm(&typescript, &["run", "types"])?;
    write(&typescript.join("generated/samples.ts"), &samples_ts)?;
    npm(&typescript, &["exec", "--", "tsc", "-p", "."])?;

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
    Ok(Tools { typescript, python })
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

fn npm(dir: &Path, args: &[&str]) -> Result<(), String> {
    checked(Command::new("npm").args(args).current_dir(dir))
}

fn checked(command: &mut Command) -> Result<(), String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn run_with_input(command: &mut Command, stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(stdin)
        .expect("the program reads its input");
    child.wait_with_output().expect("the program ends")
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

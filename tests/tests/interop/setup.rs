//! Installing the TypeScript tools (pinned, into git-ignored folders of `interop/`),
//! generating their types from the bundle, and running their programs. The Python side is the
//! package `packages/python`, built and installed by `python.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use trtc_live_tests::repo_root;

/// Where the tools live, once installed and built.
pub struct Tools {
    /// `interop/typescript`: `node_modules/`, `generated/` and `build/` are git-ignored.
    pub typescript: PathBuf,
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
}

/// The tools, installed and built once per test run; `samples_ts` is the TypeScript module
/// that declares every valid sample against its generated type (checked by `tsc`).
pub fn tools(samples_ts: impl FnOnce() -> String) -> &'static Tools {
    static TOOLS: OnceLock<Result<Tools, String>> = OnceLock::new();
    TOOLS
        .get_or_init(|| install(samples_ts()))
        .as_ref()
        .unwrap_or_else(|error| panic!("the TypeScript tools: {error}"))
}

fn install(samples_ts: String) -> Result<Tools, String> {
    let root = repo_root();
    let typescript = root.join("interop/typescript");

    // TypeScript: the exact versions of package-lock.json, then the types and the build.
    npm(&typescript, &["ci", "--no-audit", "--no-fund"])?;
    npm(&typescript, &["run", "types"])?;
    write(&typescript.join("generated/samples.ts"), &samples_ts)?;
    npm(&typescript, &["exec", "--", "tsc", "-p", "."])?;

    Ok(Tools { typescript })
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

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

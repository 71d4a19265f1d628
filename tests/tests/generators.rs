//! Code generators read `dist/`: json-schema-to-typescript (no flags), quicktype (TypeScript
//! and Go) and datamodel-code-generator each produce the 18 request types from the bundle;
//! quicktype's Go account ids fit a u64 once its `AccountID.go` is replaced by
//! `examples/go/account_id.go`, as `docs/generators.md` says; `dist/openapi.json` passes two
//! OpenAPI 3.1 validators (Redocly CLI, every documentation sample checked against its schema,
//! and openapi-spec-validator), and openapi-typescript's types of it check a handler
//! (`tests/generators/src/handler.ts`).
//!
//! The tools are pinned in `tests/generators/` (`package-lock.json`, `requirements.txt`) and
//! installed there by the first test that needs them, into git-ignored folders; Go is Debian's
//! (`.ci/run` installs `golang-go`). What they write goes to `tests/generators/generated/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;
use trtc_live_tests::python_tools::{self, Dependencies};
use trtc_live_tests::tools::{checked, npm_install, read, run_with_input, write};
use trtc_live_tests::{documentation_samples, repo_root, Role};
use trtc_live_validate::Command as Webhook;

/// The folder of the pinned tools.
fn tools_dir() -> PathBuf {
    repo_root().join("tests/generators")
}

/// Where the generated code goes (git-ignored).
fn generated(path: &str) -> PathBuf {
    tools_dir().join("generated").join(path)
}

fn bundle() -> PathBuf {
    repo_root().join("dist/trtc-live-webhooks.schema.json")
}

/// Installs the tools once per run and returns the Python of their virtual environment.
fn python() -> &'static Path {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let dir = tools_dir();
            npm_install(&dir)?;
            let python = python_tools::venv(
                &dir.join(".venv"),
                &dir.join("requirements.txt"),
                Dependencies::Resolved,
            )?;
            let _ = std::fs::remove_dir_all(dir.join("generated"));
            Ok(python)
        })
        .as_deref()
        .unwrap_or_else(|error| {
            panic!("the generator tools (Node 20 and npm, Python 3.11): {error}")
        })
}

/// A program of `node_modules/.bin`, run in the tools' folder.
fn npm_bin(name: &str) -> Command {
    python();
    let mut command = Command::new(tools_dir().join("node_modules/.bin").join(name));
    command.current_dir(tools_dir());
    command
}

/// tsc in strict mode on `files`, writing nothing.
fn type_check(files: &[PathBuf]) {
    let mut command = npm_bin("tsc");
    command.args([
        "--strict",
        "--noEmit",
        "--skipLibCheck",
        "--target",
        "ES2022",
        "--module",
        "NodeNext",
        "--moduleResolution",
        "NodeNext",
    ]);
    command.args(files);
    checked(&mut command).unwrap_or_else(|error| panic!("{error}"));
}

/// The type name of every request packet.
fn request_types() -> Vec<&'static str> {
    Webhook::ALL.iter().map(|c| c.request_type_name()).collect()
}

/// Each documentation request sample (one per sample file), with its type name.
fn request_samples() -> Vec<(&'static str, Value)> {
    documentation_samples()
        .into_iter()
        .filter(|sample| sample.role == Role::Request)
        .map(|sample| (sample.command.request_type_name(), sample.readable_value()))
        .collect()
}

/// A TypeScript module that imports the 18 request types of `module` and declares every request
/// sample as its type (`satisfies`), so that tsc fails if a type is missing or wrong.
fn samples_module(module: &str, root_type: Option<&str>) -> String {
    let mut text = format!("import type * as Schema from \"./{module}.js\";\n\n");
    text += "export type Requests =\n";
    for name in request_types() {
        text += &format!("  | Schema.{name}\n");
    }
    text += ";\n\nexport const samples = [\n";
    for (name, sample) in request_samples() {
        text += &format!(
            "  {} satisfies Schema.{name},\n",
            serde_json::to_string(&sample).unwrap()
        );
    }
    text += "];\n";
    if let Some(root) = root_type {
        // The root type is the union of the 18 packets: each is one, and each one is a packet.
        text += &format!(
            "\nexport const everyPacketIsTheRoot = (packet: Requests): Schema.{root} => packet;\n\
             export const theRootIsAPacket = (packet: Schema.{root}): Requests => packet;\n"
        );
    }
    text
}

#[test]
fn json_schema_to_typescript_types_the_18_requests_without_flags() {
    let output = generated("json2ts/webhooks.ts");
    std::fs::create_dir_all(output.parent().unwrap()).unwrap();
    checked(
        npm_bin("json2ts")
            .arg("--input")
            .arg(bundle())
            .arg("--output")
            .arg(&output),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let check = generated("json2ts/check.ts");
    write(&check, &samples_module("webhooks", Some("TrtcLiveWebhook"))).unwrap();
    type_check(&[check]);
}

#[test]
fn quicktype_types_the_18_requests_in_typescript() {
    let output = generated("quicktype/webhooks.ts");
    std::fs::create_dir_all(output.parent().unwrap()).unwrap();
    // quicktype flattens a union of objects into one class: it reads the definitions instead.
    let source = format!("{}#/definitions/", bundle().display());
    checked(
        npm_bin("quicktype")
            .args(["--src-lang", "schema", "--lang", "ts", &source, "-o"])
            .arg(&output),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let check = generated("quicktype/check.ts");
    write(&check, &samples_module("webhooks", None)).unwrap();
    type_check(&[check]);
}

/// The End Battle case whose first owner is u64::MAX and second 144115245442327522.
fn u64_max_battle() -> String {
    read(
        &repo_root()
            .join("tests/cases/Live.CallbackAfterEndBattle/valid/owner-account-u64-max.json"),
    )
    .unwrap()
}

/// `go run .` in `dir`, the packet on standard input, without the network.
fn go_run(dir: &Path, input: &str) -> std::process::Output {
    run_with_input(
        Command::new("go")
            .args(["run", "."])
            .current_dir(dir)
            .env("GOTOOLCHAIN", "local")
            .env("GOPROXY", "off")
            .env("GOFLAGS", "-mod=mod"),
        input.as_bytes(),
    )
}

#[test]
fn quicktype_types_the_18_requests_in_go_and_account_ids_fit_a_u64_with_the_documented_file() {
    let module = generated("go");
    let package = module.join("webhooks");
    std::fs::create_dir_all(&package).unwrap();
    for file in ["go.mod", "main.go"] {
        std::fs::copy(tools_dir().join("go").join(file), module.join(file)).unwrap();
    }
    // The 18 request packets of the bundle, one Go file each (--multi-file-output), as
    // docs/generators.md says.
    let mut command = npm_bin("quicktype");
    command.args([
        "--src-lang",
        "schema",
        "--lang",
        "go",
        "--package",
        "webhooks",
        "--multi-file-output",
    ]);
    for name in request_types() {
        command.arg(format!("{}#/definitions/{name}", bundle().display()));
    }
    command.arg("-o").arg(package.join("webhooks.go"));
    checked(&mut command).unwrap_or_else(|error| panic!("{error}"));
    // Every request type is declared: main.go's package refers to each.
    let mut uses = String::from(
        "package main\n\nimport \"trtclivegenerated/webhooks\"\n\nvar _ = []interface{}{\n",
    );
    for name in request_types() {
        uses += &format!("\twebhooks.{name}{{}},\n");
    }
    uses += "}\n";
    write(&module.join("requests.go"), &uses).unwrap();

    // As generated: the account id is an int64, and u64::MAX does not fit.
    let output = go_run(&module, &u64_max_battle());
    assert!(
        !output.status.success(),
        "quicktype's int64 read u64::MAX: {output:?}"
    );
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("error: Union does not contain number"),
        "{error}"
    );

    // With examples/go/account_id.go in place of the generated AccountID.go: every digit, both ways.
    std::fs::copy(
        repo_root().join("examples/go/account_id.go"),
        package.join("AccountID.go"),
    )
    .unwrap();
    let output = go_run(&module, &u64_max_battle());
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut lines = printed.lines();
    assert_eq!(lines.next(), Some("18446744073709551615"));
    assert_eq!(lines.next(), Some("144115245442327522"));
    let again: Value = serde_json::from_str(lines.next().expect("the packet again")).unwrap();
    let original: Value = serde_json::from_str(&u64_max_battle()).unwrap();
    assert_eq!(
        again, original,
        "the Go types do not give the packet back exactly"
    );

    // A string account id stays a string.
    let named = u64_max_battle().replace("18446744073709551615", "\"brennan\"");
    let output = go_run(&module, &named);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).starts_with("\"brennan\"\n144115245442327522\n")
    );
}

#[test]
fn datamodel_code_generator_types_the_18_requests() {
    let python = python();
    let output = generated("python/webhooks.py");
    std::fs::create_dir_all(output.parent().unwrap()).unwrap();
    checked(
        Command::new(python.with_file_name("datamodel-codegen"))
            .arg("--input")
            .arg(bundle())
            .args(["--input-file-type", "jsonschema"])
            .args(["--output-model-type", "pydantic_v2.BaseModel"])
            .arg("--output")
            .arg(&output),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    // check_models.py: every request type is a class, and the root model reads every request
    // sample as that class, every integer exact.
    let mut samples = String::new();
    for (name, sample) in request_samples() {
        samples +=
            &serde_json::to_string(&serde_json::json!({ "type": name, "packet": sample })).unwrap();
        samples.push('\n');
    }
    let path = generated("python/samples.ndjson");
    write(&path, &samples).unwrap();
    let output = checked(
        Command::new(python)
            .arg(tools_dir().join("check_models.py"))
            .arg(&path)
            .args(request_types())
            .env("PYTHONPATH", generated("python")),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.contains(&format!(
            "18 request models, {} samples read exactly",
            request_samples().len()
        )),
        "{printed}"
    );
}

#[test]
fn the_openapi_document_passes_redocly_and_openapi_spec_validator() {
    let openapi = repo_root().join("dist/openapi.json");
    // Redocly: the recommended rules, every example checked against its schema (redocly.yaml).
    checked(
        npm_bin("redocly")
            .args(["lint", "--config", "redocly.yaml"])
            .arg(&openapi),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    checked(Command::new(python().with_file_name("openapi-spec-validator")).arg(&openapi))
        .unwrap_or_else(|error| panic!("{error}"));
}

#[test]
fn openapi_typescript_types_check_a_handler() {
    let output = generated("openapi.ts");
    std::fs::create_dir_all(output.parent().unwrap()).unwrap();
    checked(
        npm_bin("openapi-typescript")
            .arg(repo_root().join("dist/openapi.json"))
            .arg("-o")
            .arg(&output),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    checked(npm_bin("tsc").args(["-p", "."])).unwrap_or_else(|error| panic!("{error}"));
}

//! `cargo xtask`: project automation. Run `cargo xtask help` for the list of tasks.

#![forbid(unsafe_code)]

use std::process::ExitCode;

mod bench;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  codegen           regenerate the Rust types, the dispatch code, the schema registry
                    and the bundled schema from schemas/
  codegen --check   change nothing; fail, naming every stale file, if codegen would change one
  dist [--no-verify] [--allow-dirty]
                    build every package into target/dist/: the crates (cargo package, verified),
                    the npm package (npm pack) and the Python package (wheel and sdist)
  schema-diff OLD [NEW]
                    the schema changes from git revision OLD to NEW (default: the working tree),
                    each breaking or not for a consumer; exit status 1 if one is breaking
  bench [--quick] [--no-peers]
                    run the benchmarks and their peers, print one table (bench --help says more)
  help              print this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mode = match args.as_slice() {
        ["bench", options @ ..] => return bench::main(options),
        ["dist", options @ ..] => {
            return report(xtask::dist::main(&xtask::project_root(), options))
        }
        ["schema-diff", revisions @ ..] => {
            return match xtask::schema_diff::main(&xtask::project_root(), revisions) {
                Ok((report, breaking)) => {
                    print!("{report}");
                    ExitCode::from(u8::from(breaking))
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::from(2)
                }
            }
        }
        ["codegen"] => xtask::Mode::Write,
        ["codegen", "--check"] => xtask::Mode::Check,
        ["help"] | ["--help"] | ["-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    report(xtask::codegen(&xtask::project_root(), mode))
}

/// Prints a task's summary (exit status 0) or its error (exit status 1).
fn report(result: Result<String, xtask::Error>) -> ExitCode {
    match result {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

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
  bench [--quick] [--no-peers]
                    run the benchmarks and their peers, print one table (bench --help says more)
  help              print this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mode = match args.as_slice() {
        ["bench", options @ ..] => return bench::main(options),
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
    match xtask::codegen(&xtask::project_root(), mode) {
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

//! Writes the seed corpus of every fuzz target, and the regression inputs, into
//! `<folder>/<target>/` (`fuzz/run.sh` gives `fuzz/corpus`, which git ignores).

use std::path::PathBuf;
use std::process::ExitCode;

use trtc_live_fuzz_targets::seeds::{regressions, seeds, Target};

fn main() -> ExitCode {
    let Some(folder) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: fuzz-seeds <corpus folder>");
        return ExitCode::FAILURE;
    };
    for target in Target::ALL {
        let out = folder.join(target.name());
        let inputs: Vec<_> = seeds(target)
            .into_iter()
            .chain(regressions(target))
            .collect();
        let written = std::fs::create_dir_all(&out).and_then(|()| {
            inputs
                .iter()
                .try_for_each(|input| std::fs::write(out.join(&input.name), &input.bytes))
        });
        if let Err(error) = written {
            eprintln!("{}: {error}", out.display());
            return ExitCode::FAILURE;
        }
        println!(
            "{}: {} seeds in {}",
            target.name(),
            inputs.len(),
            out.display()
        );
    }
    ExitCode::SUCCESS
}

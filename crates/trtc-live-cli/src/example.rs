//! `trtc-live example`: realistic example packets, validated before they are printed.

use std::io::Write;
use std::process::ExitCode;

use trtc_live_examples::ExampleGenerator;
use trtc_live_validate::Validator;

use crate::args::ExampleArgs;

/// Prints `--count` examples of the command, and returns the exit status.
pub fn run(args: &ExampleArgs) -> ExitCode {
    let validator = match Validator::new() {
        Ok(validator) => validator,
        Err(error) => {
            eprintln!("trtc-live: {error}");
            return ExitCode::from(2);
        }
    };
    let seed = args.seed.unwrap_or_else(|| {
        let seed = fresh_seed();
        eprintln!("trtc-live: --seed {seed} prints these examples again");
        seed
    });
    let mut generator = ExampleGenerator::new(seed);
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    for _ in 0..args.count {
        let example = if args.response {
            generator.response(args.command)
        } else {
            generator.request(args.command)
        };
        let checked = if args.response {
            validator
                .validate_response_value(args.command, example.clone())
                .map(drop)
        } else {
            validator.validate_value(example.clone()).map(drop)
        };
        if let Err(rejection) = checked {
            let _ = stdout.flush();
            eprintln!(
                "trtc-live: bug: a generated example (seed {seed}) is not valid, so it is not printed: {rejection}"
            );
            return ExitCode::from(2);
        }
        let text = if args.count == 1 {
            serde_json::to_string_pretty(&example)
        } else {
            serde_json::to_string(&example)
        };
        let Ok(text) = text else {
            return ExitCode::from(2);
        };
        if writeln!(stdout, "{text}").is_err() {
            // A closed pipe (`| head`): the reader has what it wanted.
            return ExitCode::SUCCESS;
        }
    }
    let _ = stdout.flush();
    ExitCode::SUCCESS
}

/// A seed that differs from run to run: the clock and the process id, mixed.
fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    (nanos ^ (u64::from(std::process::id()) << 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 16
}

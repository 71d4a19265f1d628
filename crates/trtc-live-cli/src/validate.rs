//! `trtc-live validate`.

use std::process::ExitCode;

use trtc_live_validate::{parse_jsonc, Options, Rejection, Validator};

use crate::args::ValidateArgs;
use crate::input;
use crate::render::{Outcome, Reporter, Tally, Valid};

/// Validates every input, reports each, and returns the exit status.
pub fn run(args: &ValidateArgs) -> ExitCode {
    let validator = match Validator::with_options(Options {
        strict: args.strict,
    }) {
        Ok(validator) => validator,
        Err(error) => {
            eprintln!("trtc-live: {error}");
            return ExitCode::from(2);
        }
    };
    let mut reporter = Reporter::new(args.format);
    let mut tally = Tally::default();
    for path in &args.paths {
        let input = input::read(path, args.jsonc);
        let outcome = match (&input.bytes, args.response) {
            (Err(message), _) => Outcome::Unreadable(message.clone()),
            (Ok(bytes), None) if input.jsonc => Outcome::Checked(
                validator
                    .validate_jsonc(bytes)
                    .map(|w| Valid::Request(Box::new(w))),
            ),
            (Ok(bytes), None) => Outcome::Checked(
                validator
                    .validate(bytes)
                    .map(|w| Valid::Request(Box::new(w))),
            ),
            (Ok(bytes), Some(command)) if input.jsonc => Outcome::Checked(
                validator
                    .validate_response_jsonc(command, bytes)
                    .map(|r| Valid::Response(Box::new(r))),
            ),
            (Ok(bytes), Some(command)) => Outcome::Checked(
                validator
                    .validate_response(command, bytes)
                    .map(|r| Valid::Response(Box::new(r))),
            ),
        };
        tally.count(&outcome);
        reporter.report(&input.source, &outcome);
        if let (Outcome::Checked(Err(Rejection::Syntax(_))), Ok(bytes)) = (&outcome, &input.bytes) {
            if !input.jsonc && parse_jsonc(bytes).is_ok() {
                eprintln!("{}: hint: the text is valid JSON with comments; pass --jsonc (or name the file *.jsonc)", input.source);
            }
        }
    }
    reporter.finish(&tally);
    ExitCode::from(tally.exit_code())
}

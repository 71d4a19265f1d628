//! `trtc-live`: validate TRTC Live (TUILiveKit) webhook packets against their JSON Schemas.

#![forbid(unsafe_code)]

mod args;
mod input;
mod render;
mod validate;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = args::Cli::parse();
    match args.command {
        args::Subcommand::Validate(options) => validate::run(&options),
    }
}

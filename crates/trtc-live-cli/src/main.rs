//! `trtc-live`: validate TRTC Live (TUILiveKit) webhook packets, make example packets, print
//! the schemas, receive webhooks (`serve`) and play Tencent's part against a receiver (`send`).

#![forbid(unsafe_code)]

mod args;
mod check;
mod command_word;
mod compressed;
mod discover;
mod drift;
mod environment;
mod example;
mod human;
mod journal;
mod json_report;
mod list;
mod nats;
mod one_line;
mod packets;
mod pipeline;
mod progress;
mod replay;
mod schema;
mod semantic_help;
mod send;
mod serve;
mod stdin_pipe;
mod tally;
mod validate;

use std::process::ExitCode;

use clap::Parser;

/// `validate` and `serve` allocate a few small strings per packet; mimalloc serves them
/// faster than the system allocator (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = args::Cli::parse();
    match args.command {
        args::Subcommand::Validate(options) => validate::run(&options),
        args::Subcommand::Drift(options) => drift::run(&options),
        args::Subcommand::Journal(args::JournalCommand::Export(options)) => {
            journal::export(&options)
        }
        args::Subcommand::Example(options) => example::run(&options),
        args::Subcommand::Schema(options) => schema::run(&options),
        args::Subcommand::List(options) => list::run(&options),
        args::Subcommand::Serve(options) => serve::run(&options),
        args::Subcommand::Send(options) => send::run(&options),
        args::Subcommand::Replay(options) => replay::run(&options),
    }
}

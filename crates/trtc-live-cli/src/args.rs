//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use trtc_live_validate::Command;

/// Validate TRTC Live (TUILiveKit) webhook packets against their JSON Schemas.
#[derive(Debug, Parser)]
#[command(name = "trtc-live", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Subcommand,
}

/// The subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Subcommand {
    /// Validate request packets: one JSON packet per file.
    ///
    /// Exit status: 0 when every packet is valid, 1 when any is invalid or malformed, 2 for
    /// usage errors or unreadable inputs (the other inputs are still checked).
    Validate(ValidateArgs),
}

/// Arguments of `trtc-live validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Files to validate; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to report.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Report fields that the schemas do not name.
    #[arg(long)]
    pub strict: bool,

    /// Validate response packets to this command (a command word such as
    /// Live.CallbackAfterEndBattle) instead of request packets.
    #[arg(long, value_name = "COMMAND", value_parser = parse_command)]
    pub response: Option<Command>,

    /// Accept `//` and `/* */` comments in every input, as in Tencent's documentation samples
    /// (always on for `*.jsonc` files).
    #[arg(long)]
    pub jsonc: bool,
}

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people.
    Human,
    /// One JSON object per packet, one per line.
    Json,
}

fn parse_command(word: &str) -> Result<Command, String> {
    Command::from_command_word(word).ok_or_else(|| {
        let known: Vec<&str> = Command::ALL.iter().map(|c| c.as_str()).collect();
        format!("unknown command word; known: {}", known.join(", "))
    })
}

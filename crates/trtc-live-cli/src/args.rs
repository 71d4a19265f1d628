//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use trtc_live_validate::Command;

/// Validate TRTC Live (TUILiveKit) webhook packets, make example packets, print the schemas.
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
    /// Validate packets from files, directories or standard input.
    ///
    /// Each PATH is a file, a directory (searched recursively for *.json, *.jsonc, *.ndjson and
    /// *.jsonl files, in name order) or `-` for standard input. A *.json or *.jsonc file holds one
    /// packet (comments allowed in *.jsonc); a *.ndjson or *.jsonl file holds one packet per line
    /// (blank lines skipped), and so does every input with --ndjson. Every packet is checked,
    /// whatever happened to the ones before.
    ///
    /// Exit status: 0 when every packet is valid; 1 when any is invalid or malformed (or has a
    /// warning, with --deny-warnings); 2 for usage errors, and when an input cannot be read or
    /// holds no packet at all (the other inputs are still checked).
    #[command(after_long_help = crate::semantic_help::checks_help())]
    Validate(ValidateArgs),

    /// Print realistic example request packets (or response packets) of a command.
    ///
    /// Every example is generated from the command's schema, varied (optional fields present or
    /// not, account ids as strings and as integers beyond 2^53, every enum value in turn) and
    /// validated before it is printed. One example is printed as indented JSON; more are printed
    /// as NDJSON, one per line. The same --seed prints the same examples.
    Example(ExampleArgs),

    /// Print a JSON Schema: the bundle of every packet, or the schema of one command.
    ///
    /// Without COMMAND, prints the bundled schema of every request packet (one self-contained
    /// file, each packet and shared shape under `definitions`). With COMMAND, prints that
    /// command's request schema (or response schema) as it is in schemas/, its `$ref`s pointing
    /// to the shared files; with --bundle, self-contained instead.
    Schema(SchemaArgs),

    /// List the command words with their group and what each webhook is about.
    List(ListArgs),
}

/// Arguments of `trtc-live validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Files and directories to validate; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to report.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Report fields that the schemas do not name as errors.
    #[arg(long)]
    pub strict: bool,

    /// Read every input as NDJSON, one packet per line (the default for *.ndjson and *.jsonl).
    #[arg(long)]
    pub ndjson: bool,

    /// Validate response packets to this command (a command word such as
    /// Live.CallbackAfterEndBattle) instead of request packets.
    #[arg(long, value_name = "COMMAND", value_parser = parse_command)]
    pub response: Option<Command>,

    /// Accept `//` and `/* */` comments in every input, as in Tencent's documentation samples
    /// (always on for *.jsonc files).
    #[arg(long)]
    pub jsonc: bool,

    /// Count a packet with a semantic warning as invalid.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Print only the packets with an error or a warning, and the summary.
    #[arg(long, short)]
    pub quiet: bool,

    /// When to color the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Refuse packets larger than this many bytes (reported as malformed, without reading them
    /// into memory).
    #[arg(long, value_name = "BYTES", default_value_t = 8 * 1024 * 1024)]
    pub max_packet_bytes: u64,
}

/// Arguments of `trtc-live example`.
#[derive(Debug, clap::Args)]
pub struct ExampleArgs {
    /// The command word, such as Live.CallbackAfterEndBattle (`trtc-live list` lists them).
    #[arg(value_name = "COMMAND", value_parser = parse_command)]
    pub command: Command,

    /// How many examples to print.
    #[arg(long, default_value_t = 1)]
    pub count: u64,

    /// Seed of the generator; without it a random seed is chosen and printed on standard error.
    #[arg(long)]
    pub seed: Option<u64>,

    /// Print response packets (the answers an app may give) instead of request packets.
    #[arg(long)]
    pub response: bool,
}

/// Arguments of `trtc-live schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// The command word whose schema to print.
    #[arg(value_name = "COMMAND", value_parser = parse_command)]
    pub command: Option<Command>,

    /// Print the response schema of COMMAND instead of its request schema.
    #[arg(long, requires = "command")]
    pub response: bool,

    /// Print COMMAND's schema self-contained, every `$ref` resolved inside the file.
    #[arg(long, requires = "command")]
    pub bundle: bool,

    /// Print the schema of the webhook URL's query parameters.
    #[arg(long, conflicts_with_all = ["command", "response", "bundle"])]
    pub url_parameters: bool,
}

/// Arguments of `trtc-live list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// How to print the list.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people.
    Human,
    /// One JSON object per line.
    Json,
}

/// When to color.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

fn parse_command(word: &str) -> Result<Command, String> {
    Command::from_command_word(word).ok_or_else(|| {
        let known: Vec<&str> = Command::ALL.iter().map(|c| c.as_str()).collect();
        format!("unknown command word; known: {}", known.join(", "))
    })
}

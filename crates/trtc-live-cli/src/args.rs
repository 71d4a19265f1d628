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
    /// *.jsonl files, each also compressed as *.gz or *.zst, in name order) or `-` for standard
    /// input. A journal of `trtc-live serve` is recognised by its first line, and the body of
    /// each record is checked. A *.ndjson or *.jsonl file holds one packet per line (blank lines
    /// skipped), and so does every input with --ndjson; a *.jsonc file holds one packet, comments allowed; any
    /// other input holds one packet, unless it is plainly NDJSON (its first line is a whole JSON
    /// object and more lines follow), which is then read per line. gzip and zstd archives are
    /// read decompressed, recognised by their first bytes. Every packet is checked, whatever
    /// happened to the ones before.
    ///
    /// Exit status: 0 when every packet is valid; 1 when any is invalid or malformed (or has a
    /// warning, with --deny-warnings); 2 for usage errors, and when an input cannot be read or
    /// holds no packet at all (the other inputs are still checked).
    #[command(after_long_help = crate::semantic_help::checks_help())]
    Validate(ValidateArgs),

    /// Report how the traffic differs from the schemas, per command word.
    ///
    /// Reads what `validate` reads (files, directories, NDJSON, gzip and zstd archives, `serve`'s
    /// journals, `-` for standard input) and sums up, for each command word, every way its
    /// packets differ from the schemas: members the schemas do not name (unknown_member),
    /// members they require that are missing (missing_required), values of another JSON type
    /// (type_mismatch), values outside an enumeration (unknown_enum_value) or out of range
    /// (out_of_range), command words they do not know (unknown_command), for the records of a
    /// journal URL parameters they do not know (unknown_url_parameter), and, from the
    /// validator's warnings, members that older packets lack (older_revision). Each finding gives the JSON pointer (`*` for array
    /// items), how many packets have it, the JSON types seen with their lengths or digit
    /// counts, the first and last packet time seen, and up to 3 places (source:line). Values
    /// are not printed unless --show-values is given: account ids and message texts are
    /// personal data. A packet that matches its schema costs what `validate` costs; only the
    /// others are examined further.
    ///
    /// Exit status: 0 when every packet matches the schemas; 1 when any drifts; 2 for usage
    /// errors, an input or a packet that cannot be read, or a run that found no packet at all.
    Drift(DriftArgs),

    /// Work with the journals `serve` writes (accepted.ndjson, quarantine.ndjson).
    #[command(subcommand)]
    Journal(JournalCommand),

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
    /// file, each packet and shared shape under `definitions`), with or without --bundle. With
    /// COMMAND, prints that command's request schema (or response schema) as it is in schemas/,
    /// its `$ref`s pointing to the shared files; with --bundle, self-contained instead.
    Schema(SchemaArgs),

    /// List the command words with their group and what each webhook is about.
    List(ListArgs),

    /// Receive webhooks over HTTP: verify, journal durably, answer as Tencent expects.
    ///
    /// Every request (any path) is checked: POST, body size, SdkAppid, then Sign and RequestTime
    /// when a token is configured, then the packet. An accepted delivery (URL parameters, receive
    /// time, raw body) is appended to DIR/accepted.ndjson and flushed to disk (fsync) BEFORE the
    /// answer, so nothing acknowledged is ever lost (concurrent deliveries share one fsync);
    /// an authenticated request whose packet is not valid is kept in DIR/quarantine.ndjson.
    /// With --no-journal nothing is kept. After-event webhooks get the OK packet; the
    /// two before-webhooks are let through (gift allowed, message sent unchanged). Logs go to
    /// standard error, one line per event (RUST_LOG filters them; --log-format json for JSON);
    /// SIGINT or SIGTERM stops the server once the requests in flight are answered. Every wait
    /// a client controls is bounded: its headers (and an idle connection), its body, its reading
    /// of the answer, and the number of connections open at once (the options below).
    ///
    /// Without --token-file requests are not authenticated: serve warns, and refuses to listen
    /// on an address other than loopback unless given --insecure-no-auth.
    ///
    /// With --forward-to URL, serve is a gateway in front of an application written in any
    /// language (docs/gateway.md): notifications are answered 200 once journaled, then
    /// forwarded from the journal in order, retried with backoff, and put in
    /// DIR/dead-letter.ndjson after --forward-max-attempts; the forwarder's position is kept in
    /// DIR/forward.position, so a restart resumes where it left off. The two before-webhooks
    /// are forwarded at once and the application's answer, checked, relayed to Tencent (or the
    /// fallback's, past the budget). Every forwarded request carries the body byte for byte and
    /// Standard Webhooks headers signed with --forward-secret-file. --metrics-listen serves
    /// Prometheus metrics at /metrics on an address of its own.
    Serve(ServeArgs),

    /// Deliver journaled deliveries again: from accepted.ndjson, quarantine.ndjson or
    /// dead-letter.ndjson, byte for byte.
    ///
    /// --as tencent (the default) sends each as Tencent would: the original URL parameters,
    /// re-signed with --token-file and a fresh RequestTime (without a token, Sign and
    /// RequestTime are left out). --as forwarder sends each as `serve --forward-to` does:
    /// Standard Webhooks headers signed with --forward-secret-file, the same webhook-id as the
    /// forwarder's. Filters (--command, --since, --until, --id) choose the deliveries; --rate
    /// bounds how fast they go. Exit status: 0 when every delivery sent was answered 2xx, 1
    /// when one was not (or a journal line is not a record), 2 for usage errors, a journal that
    /// cannot be read, or when no delivery matched.
    Replay(ReplayArgs),

    /// Play Tencent's part against any receiver: sign, POST packets, check and show the answers.
    ///
    /// The packets are examples of COMMAND (from `trtc-live example`), or the packets of FILE:
    /// a *.json file is sent byte for byte; a *.jsonc file (Tencent's samples) without its
    /// comments, every other byte as it is; a *.ndjson or *.jsonl file (an archive) one
    /// delivery per line. --set changes a member of each packet first, in its text (numbers
    /// stay exactly as written). The URL gets SdkAppid, CallbackCommand (the packet's),
    /// contenttype, ClientIP and OptPlatform, and Sign and RequestTime when a token is given.
    /// The answer must be HTTP 200 with a valid response packet for the command; its status and
    /// body are shown. Exit status: 0 when every answer is right, 1 when one is not (or a
    /// packet has no CallbackCommand), 2 when nothing could be sent.
    Send(SendArgs),
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

    /// Read every input as NDJSON, one packet per line (the default for *.ndjson and *.jsonl,
    /// and for inputs that are plainly NDJSON).
    #[arg(long)]
    pub ndjson: bool,

    /// Validate response packets to this command (a command word such as
    /// Live.CallbackAfterEndBattle) instead of request packets.
    #[arg(long, value_name = "COMMAND", value_parser = crate::command_word::parse)]
    pub response: Option<Command>,

    /// Accept `//` and `/* */` comments in every input, as in Tencent's documentation samples
    /// (always on for *.jsonc files).
    #[arg(long)]
    pub jsonc: bool,

    /// Count a packet with a warning (semantic, older_revision or unknown_enum_value) as invalid.
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

/// Arguments of `trtc-live drift`.
#[derive(Debug, clap::Args)]
pub struct DriftArgs {
    /// Files and directories to read; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to report: text for people, or one JSON object per finding (its shape is in
    /// docs/drift.md).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Print the values seen (up to 3 per finding), not only their types, lengths and digit
    /// counts.
    #[arg(long)]
    pub show_values: bool,

    /// Write into DIR, per schema file that should change, a JSON Patch (RFC 6902) that would
    /// make the schema accept what was seen (a new optional member with the types seen, an
    /// enumeration value added, a member no longer required, a type widened), for a maintainer
    /// to review and apply.
    #[arg(long, value_name = "DIR")]
    pub patch: Option<PathBuf>,

    /// Read every input as NDJSON, one packet per line (the default for *.ndjson and *.jsonl,
    /// and for inputs that are plainly NDJSON).
    #[arg(long)]
    pub ndjson: bool,

    /// Accept `//` and `/* */` comments in every input (always on for *.jsonc files).
    #[arg(long)]
    pub jsonc: bool,

    /// Skip packets larger than this many bytes (reported, without reading them into memory).
    #[arg(long, value_name = "BYTES", default_value_t = 8 * 1024 * 1024)]
    pub max_packet_bytes: u64,
}

/// The subcommands of `trtc-live journal`.
#[derive(Debug, clap::Subcommand)]
pub enum JournalCommand {
    /// Print the bodies of journal records as NDJSON, one per line, byte for byte.
    ///
    /// Each PATH is a journal (accepted.ndjson, quarantine.ndjson, also compressed as *.gz or
    /// *.zst), a directory of journals, or `-` for standard input. Each record's body is printed
    /// exactly as it was received: numbers as written (a 64-bit account id is never rounded, as
    /// `jq` rounds it), strings as escaped. A body that spans several lines is put on one line by
    /// removing the whitespace between its tokens, and nothing else (standard error says how
    /// many). A line that is not a record (a record cut short by a crash) is reported on
    /// standard error, and the next ones are printed.
    ///
    /// With --from nats://HOST:PORT, the bodies of the deliveries of the JetStream stream of
    /// `serve --sink` instead, in stream order (accepted ones unless --lane says otherwise).
    ///
    /// Exit status: 0 when every line was a record; 1 when a line was not; 2 when an input cannot
    /// be read, is not a journal, or holds no record.
    Export(JournalExportArgs),
}

/// Arguments of `trtc-live journal export`.
#[derive(Debug, clap::Args)]
pub struct JournalExportArgs {
    /// Journals and directories of journals; `-` reads standard input.
    #[arg(
        required_unless_present = "from",
        conflicts_with = "from",
        value_name = "PATH"
    )]
    pub paths: Vec<PathBuf>,

    /// The JetStream stream to read instead of journals.
    #[command(flatten)]
    pub stream: StreamSource,
}

/// Arguments of `trtc-live example`.
#[derive(Debug, clap::Args)]
pub struct ExampleArgs {
    /// The command word, such as Live.CallbackAfterEndBattle (`trtc-live list` lists them).
    #[arg(value_name = "COMMAND", value_parser = crate::command_word::parse)]
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
    #[arg(value_name = "COMMAND", value_parser = crate::command_word::parse)]
    pub command: Option<Command>,

    /// Print the response schema of COMMAND instead of its request schema.
    #[arg(long, requires = "command")]
    pub response: bool,

    /// Print a self-contained schema, every `$ref` resolved inside the file: COMMAND's schema
    /// with the shared shapes it uses. The other schemas are self-contained already, so
    /// without COMMAND it changes nothing: the bundle of every request packet (what `schema`
    /// alone prints), or the URL parameter schema.
    #[arg(long)]
    pub bundle: bool,

    /// Print the schema of the webhook URL's query parameters.
    #[arg(long, conflicts_with_all = ["command", "response"])]
    pub url_parameters: bool,
}

/// Arguments of `trtc-live list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// How to print the list.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Arguments of `trtc-live serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Our SDKAppID: requests for another one are refused.
    #[arg(long, value_name = "ID")]
    pub sdkappid: String,

    /// File holding the webhook authentication token (set with set_callback_token); without
    /// it, Sign and RequestTime are not required.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Address to listen on, HOST:PORT: an IP address, or a host name such as localhost
    /// (resolved by the system; of several addresses, the first IPv4 one). Loopback by default;
    /// port 0 picks a free port.
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub listen: String,

    /// Listen on an address other machines can reach without a token (--token-file): every
    /// request is then accepted without authentication. Without this flag, serve refuses.
    #[arg(long)]
    pub insecure_no_auth: bool,

    /// How to write the logs on standard error: `human` (one line per event, and lines in plain
    /// words for the address, the journals' statistics and a torn record) or `json` (one JSON
    /// object per line and nothing else: every event, each rejection with its reason).
    #[arg(long, value_enum, default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,

    /// Directory of the journals (accepted.ndjson, quarantine.ndjson).
    #[arg(long, value_name = "DIR", default_value = "trtc-live-journal")]
    pub journal: PathBuf,

    /// Keep nothing: check and answer every request as usual, but write no delivery anywhere,
    /// accepted or quarantined. Accepted deliveries are acknowledged to Tencent and NOT kept:
    /// for benchmarks and tests, not for receiving real webhooks.
    #[arg(long, conflicts_with = "journal")]
    pub no_journal: bool,

    /// How far RequestTime may be from our clock, either way, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub tolerance_secs: u64,

    /// Largest body accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = trtc_live_receiver::DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,

    /// Seconds a client has to send a request's headers, counted from the connection's
    /// opening or, on a kept-alive connection, from the end of the previous answer (so this is
    /// also the idle keep-alive timeout). Past it the connection is closed without an answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout_secs: u64,

    /// Seconds a client has to send a request's whole body, from the end of its headers. Past
    /// it the request is answered 408 and the connection closed.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub body_timeout_secs: u64,

    /// Seconds an answer may stay unsent because the client reads nothing (a client that
    /// sends requests and never reads the answers). Past it the connection is closed.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub write_timeout_secs: u64,

    /// Most connections open at once. At the limit no connection is accepted until one closes:
    /// the next clients wait in the system's listen queue. Keep it under the process's file
    /// descriptor limit (`ulimit -n`).
    #[arg(long, value_name = "N", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: u32,

    /// Keep the deliveries in a NATS JetStream stream instead of the local journal, and answer
    /// 200 only once JetStream acknowledged them (503 when it does not in time):
    /// nats://HOST:PORT, several separated by commas (nats://n1:4222,n2:4222,n3:4222), or
    /// tls://HOST:PORT for TLS. Replicas of serve on the same stream share it: the same event
    /// received twice (by one replica or two) is stored once, and --forward-to becomes a
    /// consumer they share (docs/scaling.md).
    #[arg(long, value_name = "nats://HOST:PORT,...", value_parser = parse_nats_servers, conflicts_with = "no_journal", help_heading = "JetStream")]
    pub sink: Option<trtc_live_receiver::nats::NatsServers>,

    /// The stream and how to reach it.
    #[command(flatten)]
    pub nats: NatsAccess,

    /// Replicas of the stream when it is created (3 in production: it survives the loss of a
    /// node).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=5), requires = "sink", help_heading = "JetStream")]
    pub nats_replicas: u8,

    /// The stream's duplicate window, in seconds: the same event received again within it is
    /// stored once.
    #[arg(long, value_name = "SECONDS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=86_400), requires = "sink", help_heading = "JetStream")]
    pub nats_duplicate_window_secs: u64,

    /// How long the stream keeps deliveries, in hours (0: forever, as the journal).
    #[arg(
        long,
        value_name = "HOURS",
        default_value_t = 0,
        requires = "sink",
        help_heading = "JetStream"
    )]
    pub nats_max_age_hours: u64,

    /// Milliseconds to wait for JetStream's acknowledgement of a delivery; past it the delivery
    /// is answered 503 (Tencent sends it again).
    #[arg(long, value_name = "MS", default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..=60_000), requires = "sink", help_heading = "JetStream")]
    pub nats_ack_timeout_ms: u64,

    /// The durable consumer that forwards (with --forward-to), shared by every replica.
    #[arg(long, value_name = "NAME", default_value = trtc_live_receiver::nats::DEFAULT_CONSUMER, requires = "sink", help_heading = "JetStream")]
    pub nats_consumer: String,

    /// Forward every accepted delivery to this http:// or https:// URL (the application):
    /// notifications from the journal (or the JetStream stream), in order, with retries;
    /// before-webhooks at once, relaying the application's answer.
    #[arg(long, value_name = "URL", value_parser = parse_url, requires = "forward_secret_file", conflicts_with = "no_journal", help_heading = "Forwarding")]
    pub forward_to: Option<String>,

    /// File holding the secret that signs forwarded requests (Standard Webhooks: `whsec_` and
    /// 24 to 64 bytes in base64; make one with
    /// echo "whsec_$(head -c 32 /dev/urandom | base64)").
    #[arg(
        long,
        value_name = "FILE",
        requires = "forward_to",
        help_heading = "Forwarding"
    )]
    pub forward_secret_file: Option<PathBuf>,

    /// Send the command words matching PATTERN to PATH on the application (or to another
    /// http:// or https:// URL): `*` matches any characters, the first route that matches wins, words no
    /// route matches go to --forward-to. Repeatable. Example: --route 'Live.*=/live'.
    #[arg(
        long,
        value_name = "PATTERN=PATH",
        requires = "forward_to",
        help_heading = "Forwarding"
    )]
    pub route: Vec<trtc_live_receiver::forward::Route>,

    /// A file of PEM certificates to trust for https:// forwarding besides Mozilla's roots (a
    /// private CA, or a self-signed application's certificate).
    #[arg(
        long,
        value_name = "FILE",
        requires = "forward_to",
        help_heading = "Forwarding"
    )]
    pub forward_ca_file: Option<PathBuf>,

    /// Attempts per notification before it goes to DIR/dead-letter.ndjson (with --sink: to
    /// PREFIX.dead.COMMAND_WORD).
    #[arg(long, value_name = "N", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=1000), help_heading = "Forwarding")]
    pub forward_max_attempts: u32,

    /// Milliseconds before the second attempt; doubled before each next one (±20 %).
    #[arg(long, value_name = "MS", default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..=3_600_000), help_heading = "Forwarding")]
    pub forward_backoff_ms: u64,

    /// The longest wait between two attempts, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=86_400), help_heading = "Forwarding")]
    pub forward_backoff_max_secs: u64,

    /// Milliseconds the application has to answer one attempt of a notification.
    #[arg(long, value_name = "MS", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=600_000), help_heading = "Forwarding")]
    pub forward_timeout_ms: u64,

    /// Notifications in flight at once. 1 keeps the journal's order at the application; more
    /// send faster to an application that answers requests in parallel, in journal order, but
    /// one may then arrive before an earlier one that is retried.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256), help_heading = "Forwarding")]
    pub forward_concurrency: u16,

    /// Milliseconds the application has to answer a before-webhook (Tencent waits 2 s in all).
    #[arg(long, value_name = "MS", default_value_t = 1500, value_parser = clap::value_parser!(u64).range(1..=10_000), help_heading = "Forwarding")]
    pub before_webhook_budget_ms: u64,

    /// What answers a before-webhook when the application does not in time, fails, or answers
    /// something that is not a valid answer: `fail` (HTTP 504 or 502: Tencent applies the
    /// application's failure setting), `allow` (the gift or message goes through), `refuse`.
    #[arg(long, value_enum, default_value_t = Fallback::Fail, help_heading = "Forwarding")]
    pub before_webhook_fallback: Fallback,

    /// Serve Prometheus metrics at http://HOST:PORT/metrics (an address of its own, not the
    /// webhook's), and a readiness probe at /readyz: 200 while deliveries can be kept, 503
    /// while they cannot (the JetStream sink disconnected).
    #[arg(long, value_name = "HOST:PORT")]
    pub metrics_listen: Option<String>,
}

/// The JetStream stream and the credentials to reach it (`serve --sink`, `replay --from`).
#[derive(Debug, clap::Args)]
pub struct NatsAccess {
    /// The JetStream stream. `serve` creates it if missing (file storage, --nats-replicas, the
    /// duplicate window) and refuses an existing one with other settings, naming the
    /// differences.
    #[arg(long, value_name = "NAME", default_value = trtc_live_receiver::nats::DEFAULT_STREAM, help_heading = "JetStream")]
    pub nats_stream: String,

    /// The subjects' prefix: deliveries are on PREFIX.live.COMMAND_WORD, quarantined ones on
    /// PREFIX.quarantine.COMMAND_WORD, dead letters on PREFIX.dead.COMMAND_WORD.
    #[arg(
        long,
        value_name = "PREFIX",
        default_value = "trtc",
        help_heading = "JetStream"
    )]
    pub nats_subject_prefix: String,

    /// A NATS credentials file (.creds: a user JWT and its nkey seed, from nsc or the NATS
    /// account's operator).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["nats_user", "nats_token_file"], help_heading = "JetStream")]
    pub nats_creds: Option<PathBuf>,

    /// A NATS user name (with --nats-password-file).
    #[arg(
        long,
        value_name = "USER",
        requires = "nats_password_file",
        conflicts_with = "nats_token_file",
        help_heading = "JetStream"
    )]
    pub nats_user: Option<String>,

    /// A file holding the password of --nats-user (whitespace around it is ignored).
    #[arg(
        long,
        value_name = "FILE",
        requires = "nats_user",
        help_heading = "JetStream"
    )]
    pub nats_password_file: Option<PathBuf>,

    /// A file holding a NATS token (whitespace around it is ignored).
    #[arg(long, value_name = "FILE", help_heading = "JetStream")]
    pub nats_token_file: Option<PathBuf>,

    /// A file of PEM certificates to trust for TLS to NATS besides the system's (a private CA).
    #[arg(long, value_name = "FILE", help_heading = "JetStream")]
    pub nats_ca_file: Option<PathBuf>,
}

/// What answers a before-webhook the application did not decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Fallback {
    /// A failed delivery (HTTP 504 on a timeout, 502 otherwise).
    Fail,
    /// Let the gift or message through.
    Allow,
    /// Refuse the gift or message.
    Refuse,
}

/// Arguments of `trtc-live replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// Journal files (accepted.ndjson, quarantine.ndjson, dead-letter.ndjson), read in order.
    #[arg(
        required_unless_present = "from",
        conflicts_with = "from",
        value_name = "SOURCE"
    )]
    pub sources: Vec<PathBuf>,

    /// The JetStream stream to read instead of journals.
    #[command(flatten)]
    pub stream: StreamSource,

    /// Where to send them: an http:// or https:// URL.
    #[arg(long, value_name = "URL", value_parser = parse_url)]
    pub to: String,

    /// Send as Tencent would, or as the forwarder of `serve --forward-to` would.
    #[arg(long = "as", value_enum, default_value_t = ReplayAs::Tencent)]
    pub as_: ReplayAs,

    /// The webhook token to sign with (--as tencent): Sign and a fresh RequestTime.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// The Standard Webhooks secret to sign with (--as forwarder).
    #[arg(long, value_name = "FILE")]
    pub forward_secret_file: Option<PathBuf>,

    /// Only the deliveries of these command words (`*` matches any characters, as in
    /// `serve --route`). Repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub command: Vec<String>,

    /// Only the deliveries received at or after this time: RFC 3339
    /// (2026-11-26T10:00:00Z, 2026-11-26T18:00:00+08:00) or Unix seconds.
    #[arg(long, value_name = "TIME", value_parser = crate::replay::parse_time)]
    pub since: Option<u64>,

    /// Only the deliveries received before this time (same forms as --since).
    #[arg(long, value_name = "TIME", value_parser = crate::replay::parse_time)]
    pub until: Option<u64>,

    /// Only the deliveries with this delivery id (the forwarder's webhook-id). Repeatable.
    #[arg(long, value_name = "ID")]
    pub id: Vec<String>,

    /// At most this many deliveries a second.
    #[arg(long, value_name = "PER_SECOND")]
    pub rate: Option<f64>,

    /// Seconds to wait for each answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub timeout_secs: u64,

    /// List what would be sent, and send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// How to report each delivery.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// A JetStream stream read instead of journals (`replay --from`, `journal export --from`).
#[derive(Debug, clap::Args)]
pub struct StreamSource {
    /// Read the deliveries from the JetStream stream of `serve --sink` instead of journals:
    /// nats://HOST:PORT[,HOST:PORT...] (tls://... for TLS), in stream order, up to the last
    /// one stored when the reading starts.
    #[arg(long, value_name = "nats://HOST:PORT,...", value_parser = parse_nats_servers, help_heading = "JetStream")]
    pub from: Option<trtc_live_receiver::nats::NatsServers>,

    /// With --from: which deliveries of the stream (repeatable; accepted ones by default).
    #[arg(long, value_enum, requires = "from", help_heading = "JetStream")]
    pub lane: Vec<StreamLane>,

    /// With --from: the stream and how to reach it.
    #[command(flatten)]
    pub nats: NatsAccess,
}

/// Which deliveries of a stream are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StreamLane {
    /// Accepted deliveries (PREFIX.live.>).
    Accepted,
    /// Quarantined ones (PREFIX.quarantine.>).
    Quarantine,
    /// Dead letters of the forwarder (PREFIX.dead.>).
    DeadLetter,
}

/// How `replay` sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReplayAs {
    /// As Tencent: the URL parameters, Sign and RequestTime.
    Tencent,
    /// As the forwarder: Standard Webhooks headers.
    Forwarder,
}

/// Arguments of `trtc-live send`.
#[derive(Debug, clap::Args)]
pub struct SendArgs {
    /// The receiver's URL, such as http://127.0.0.1:8080/webhook (http:// or https://).
    #[arg(long, value_parser = parse_url)]
    pub url: String,

    /// The SDKAppID to put in the URL.
    #[arg(long, value_name = "ID")]
    pub sdkappid: String,

    /// Webhook authentication token: the URL gets Sign and RequestTime.
    #[arg(long, conflicts_with = "token_file")]
    pub token: Option<String>,

    /// File holding the token (safer than --token, which other users may see in `ps`).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// OptPlatform in the URL.
    #[arg(long, default_value = "RESTAPI")]
    pub platform: String,

    /// ClientIP in the URL.
    #[arg(long, default_value = "127.0.0.1")]
    pub client_ip: String,

    /// A command word (example packets are sent) or a file: *.json (sent byte for byte),
    /// *.jsonc (without its comments), *.ndjson or *.jsonl (one delivery per line).
    #[arg(value_name = "COMMAND|FILE", value_parser = crate::send::Input::of)]
    pub packet: crate::send::Input,

    /// How many examples to send, one after the other (they differ each time); with a file,
    /// how many times to send it.
    #[arg(long, default_value_t = 1)]
    pub count: u64,

    /// Change each packet before sending: put the JSON value at the JSON pointer, replacing
    /// the value there or adding the member (or `/ARRAY/-` for a new last element). The value
    /// is written into the packet's text as given, so numbers stay exact. Repeatable, applied
    /// in order. Example: --set /GiftWater/Coins=100 --set '/RoomId="room-1"'.
    #[arg(long, value_name = "POINTER=JSON")]
    pub set: Vec<crate::send::set::Assignment>,

    /// Seed of the example generator.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// RequestTime to sign with, in Unix seconds, instead of now (to test a receiver's window).
    #[arg(long, value_name = "SECONDS")]
    pub request_time: Option<u64>,

    /// CallbackCommand to put in the URL instead of the packet's own (to test a receiver's
    /// check that they match).
    #[arg(long, value_name = "WORD")]
    pub callback_command: Option<String>,

    /// Seconds to wait for each answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub timeout_secs: u64,

    /// How to report each delivery.
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

/// Log formats of `serve`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One line per event, for people (and lines in plain words that scripts read).
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

/// An http or https URL; a URL without its scheme (`127.0.0.1:8080/webhook`) gets a message that
/// says so.
fn parse_nats_servers(text: &str) -> Result<trtc_live_receiver::nats::NatsServers, String> {
    text.parse()
        .map_err(|error: trtc_live_receiver::nats::NatsError| error.to_string())
}

fn parse_url(text: &str) -> Result<String, String> {
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Ok(text.to_owned());
    }
    match text.split_once("://") {
        Some((scheme, _)) => Err(format!(
            "the scheme {scheme:?} is not supported: the URL starts with http:// or https://"
        )),
        None => Err(format!(
            "the URL has no scheme: write http://{text} (or https://{text})"
        )),
    }
}

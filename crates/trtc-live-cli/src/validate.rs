//! `trtc-live validate`: every packet of every input checked on every core, reported in input
//! order, a summary at the end.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use trtc_live_validate::{Options, Validator};

use crate::args::{ColorChoice, Format, ValidateArgs};
use crate::check::{Checker, PacketReport, Verdict};
use crate::discover::{gather, Input, ReadingOptions};
use crate::environment::colors_wanted;
use crate::human::HumanRenderer;
use crate::json_report;
use crate::packets::{reading_for, Item, Packets, Window};
use crate::pipeline::{for_each_in_order, threads};
use crate::progress::Progress;
use crate::tally::Tally;

/// What became of one item, ready to print.
struct Processed {
    /// For standard output.
    report: String,
    /// For standard error.
    note: String,
    /// The packet's verdict, if the item was a packet.
    verdict: Option<Verdict>,
    warnings: usize,
    unreadable: bool,
    bytes: u64,
}

/// Validates every input, reports each packet, and returns the exit status.
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
    let checker = Checker {
        validator: &validator,
        response: args.response,
        deny_warnings: args.deny_warnings,
    };
    let human = HumanRenderer::new(colored(args.color), args.quiet);
    let format = args.format;
    let mut tally = Tally::default();
    let inputs = inputs(args, &mut tally);
    let mut progress = Progress::for_inputs(&inputs);
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    // Set by the sink when standard output is closed; the reader thread then stops.
    let closed = AtomicBool::new(false);

    let reading = reading_for(&inputs);
    let mut packets = Packets::new(inputs, args.max_packet_bytes);
    let next_window = |reuse: Option<Window>| {
        if closed.load(Ordering::Relaxed) {
            return None;
        }
        packets.next_window(reuse)
    };
    let process = |window: &Window, index: usize| {
        let item = &window.items()[index];
        let bytes = item.bytes();
        let mut processed = Processed {
            report: String::new(),
            note: String::new(),
            verdict: None,
            warnings: 0,
            unreadable: false,
            bytes,
        };
        let mut report_on = |report: PacketReport| {
            processed.verdict = Some(report.verdict);
            processed.warnings = report.warnings.len();
            processed.report = match format {
                Format::Human => human.packet(&report),
                Format::Json => json_report::packet(&report),
            };
        };
        match item {
            Item::Packet(packet) => report_on(checker.check(window, packet)),
            Item::BadRecord {
                source,
                line,
                message,
                too_long,
            } => report_on(PacketReport::bad_record(source, *line, message, *too_long)),
            Item::Unreadable { source, message } => {
                processed.unreadable = true;
                processed.note = format!("{source}: {message}\n");
            }
            Item::NoPacket { source } => {
                processed.note =
                    format!("{source}: no packet (the input is empty or has blank lines only)\n");
            }
        }
        processed
    };
    let sink = |window: Vec<Processed>| {
        let mut bytes = 0;
        for processed in &window {
            match processed.verdict {
                Some(verdict) => tally.count(verdict, processed.warnings),
                None if processed.unreadable => tally.unreadable += 1,
                None => tally.without_packets += 1,
            }
            bytes += processed.bytes;
        }
        progress.advance(bytes, tally.packets());
        // One write per window, with the progress bar out of the way.
        progress.suspend(|| {
            for processed in window {
                if !processed.note.is_empty() {
                    let _ = stdout.flush();
                    eprint!("{}", processed.note);
                }
                // A closed pipe (`| head`) ends the run quietly: nothing more can be reported.
                if stdout.write_all(processed.report.as_bytes()).is_err() {
                    closed.store(true, Ordering::Relaxed);
                }
            }
            if stdout.flush().is_err() {
                closed.store(true, Ordering::Relaxed);
            }
        });
    };
    for_each_in_order(next_window, reading, threads(), process, sink);
    progress.finish();

    let summary = tally.summary();
    match format {
        Format::Human => {
            let _ = writeln!(stdout, "{summary}");
        }
        Format::Json => {
            let _ = stdout.flush();
            eprintln!("{summary}");
        }
    }
    let _ = stdout.flush();
    ExitCode::from(tally.exit_code())
}

/// The inputs named by the PATHs; a PATH that names nothing is reported and counted.
fn inputs(args: &ValidateArgs, tally: &mut Tally) -> Vec<Input> {
    let options = ReadingOptions {
        ndjson: args.ndjson,
        comments: args.jsonc,
    };
    let (inputs, problems) = gather(&args.paths, options);
    for problem in problems {
        eprintln!("{}: {}", problem.name, problem.message);
        tally.unreadable += 1;
    }
    inputs
}

/// Whether to color: `--color`, else a terminal on standard output without `NO_COLOR`.
fn colored(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => colors_wanted(std::io::stdout().is_terminal()),
    }
}

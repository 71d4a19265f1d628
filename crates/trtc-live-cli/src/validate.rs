//! `trtc-live validate`: every packet of every input checked on every core, reported in input
//! order, a summary at the end.

use std::io::{IsTerminal, Write};
use std::ops::Range;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use trtc_live_validate::{Options, Validator};

use crate::args::{ColorChoice, Format, ValidateArgs};
use crate::check::{Checker, PacketReport};
use crate::discover::{gather, Input, ReadingOptions};
use crate::environment::colors_wanted;
use crate::human::HumanRenderer;
use crate::json_report;
use crate::packets::{reading_for, Item, Packets, Window};
use crate::pipeline::{for_each_batch_in_order, threads};
use crate::progress::Progress;
use crate::tally::Tally;

/// What became of a batch of consecutive items, ready to print: one buffer of reports and the
/// counts, so that a worker hands over one value a batch, and the sink, the one serial stage,
/// only adds counts and writes the buffer.
#[derive(Default)]
struct Processed {
    /// For standard output: the reports of the batch's items, one after the other.
    report: String,
    /// For standard error, in order: each note with the length of `report` written before it.
    notes: Vec<(usize, String)>,
    tally: Tally,
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
    let process = |window: &Window, items: Range<usize>| {
        let mut processed = Processed::default();
        let report_on = |processed: &mut Processed, report: PacketReport| {
            processed.tally.count(report.verdict, report.warnings.len());
            let text = match format {
                Format::Human => human.packet(&report),
                Format::Json => json_report::packet(&report),
            };
            processed.report.push_str(&text);
        };
        for item in &window.items()[items] {
            processed.bytes += item.bytes();
            match item {
                Item::Packet(packet) => report_on(&mut processed, checker.check(window, packet)),
                Item::BadRecord {
                    source,
                    line,
                    message,
                    too_long,
                } => report_on(
                    &mut processed,
                    PacketReport::bad_record(source, *line, message, *too_long),
                ),
                Item::Unreadable { source, message } => {
                    processed.tally.unreadable += 1;
                    let note = format!("{source}: {message}\n");
                    processed.notes.push((processed.report.len(), note));
                }
                Item::NoPacket { source } => {
                    processed.tally.without_packets += 1;
                    let note = format!(
                        "{source}: no packet (the input is empty or has blank lines only)\n"
                    );
                    processed.notes.push((processed.report.len(), note));
                }
            }
        }
        processed
    };
    let sink = |batches: Vec<Processed>| {
        let mut bytes = 0;
        for processed in &batches {
            tally.add(&processed.tally);
            bytes += processed.bytes;
        }
        progress.advance(bytes, tally.packets());
        // One write per batch, with the progress bar out of the way.
        progress.suspend(|| {
            for processed in batches {
                let mut written = 0;
                for (at, note) in &processed.notes {
                    let _ = stdout.write_all(&processed.report.as_bytes()[written..*at]);
                    written = *at;
                    let _ = stdout.flush();
                    eprint!("{note}");
                }
                // A closed pipe (`| head`) ends the run quietly: nothing more can be reported.
                if stdout
                    .write_all(&processed.report.as_bytes()[written..])
                    .is_err()
                {
                    closed.store(true, Ordering::Relaxed);
                }
            }
            if stdout.flush().is_err() {
                closed.store(true, Ordering::Relaxed);
            }
        });
    };
    for_each_batch_in_order(next_window, reading, threads(), process, sink);
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

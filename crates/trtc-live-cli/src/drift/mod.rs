//! `trtc-live drift`: how the traffic differs from the schemas, per command word.
//!
//! The inputs are read as `validate` reads them, in windows checked on every core; each packet
//! is observed ([`observe`]), and the observations are summed up by key in input order
//! ([`findings`]), in memory bounded by the number of findings, not of packets. The report
//! ([`report`]) and the patches ([`patch`]) come at the end.

mod findings;
mod kind;
mod observe;
mod patch;
mod report;
mod schemas;

use std::io::Write;
use std::process::ExitCode;

use trtc_live_validate::{Options, SyntaxError, Validator};

use crate::args::{DriftArgs, Format};
use crate::discover::{gather, ReadingOptions};
use crate::packets::{reading_for, Item, Packets, Window};
use crate::pipeline::{for_each_in_order, threads};
use crate::progress::Progress;

use findings::Findings;
use observe::{Observer, Outcome, Place};
use report::{Tally, Values};
use schemas::SchemaDocuments;

/// What became of one item of the stream.
enum Processed {
    /// A packet, observed.
    Packet(Outcome),
    /// A packet that is not JSON, or too large to be read: the message.
    Malformed(String),
    /// An input that cannot be read (or the rest of it), or that has no packet: the message,
    /// and whether it is unreadable.
    Note(String, bool),
}

/// Reads every input, sums up the drift, reports it, and returns the exit status.
pub fn run(args: &DriftArgs) -> ExitCode {
    let validators = Validator::new().and_then(|lenient| {
        Validator::with_options(Options { strict: true }).map(|strict| (lenient, strict))
    });
    let (lenient, strict) = match validators {
        Ok(validators) => validators,
        Err(error) => {
            eprintln!("trtc-live: {error}");
            return ExitCode::from(2);
        }
    };
    let schemas = SchemaDocuments::default();
    let observer = Observer {
        lenient: &lenient,
        strict: &strict,
        schemas: &schemas,
    };
    let mut tally = Tally::default();
    let options = ReadingOptions {
        ndjson: args.ndjson,
        comments: args.jsonc,
    };
    let (inputs, problems) = gather(&args.paths, options);
    for problem in problems {
        eprintln!("{}: {}", problem.name, problem.message);
        tally.unreadable += 1;
    }
    let mut progress = Progress::for_inputs(&inputs);
    let reading = reading_for(&inputs);
    let mut packets = Packets::new(inputs, args.max_packet_bytes);
    let process = |window: &Window, index: usize| {
        let item = &window.items()[index];
        let processed = match item {
            Item::Packet(packet) => {
                let place = Place {
                    source: window.source(packet),
                    line: packet.line,
                };
                match window.text(packet) {
                    Ok(text) => match observer.observe(
                        text,
                        packet.comments,
                        place,
                        window.delivery(packet),
                    ) {
                        Outcome::Malformed(error) => Processed::Malformed(malformed(place, &error)),
                        outcome => Processed::Packet(outcome),
                    },
                    Err(too_large) => Processed::Malformed(format!(
                        "{}: malformed: the packet is {} bytes, over the limit of {} bytes \
                         (--max-packet-bytes); it was skipped",
                        place_of(place),
                        too_large.size,
                        too_large.limit
                    )),
                }
            }
            Item::Unreadable { source, message } => {
                Processed::Note(format!("{source}: {message}"), true)
            }
            Item::BadRecord {
                source,
                line,
                message,
                ..
            } => Processed::Malformed(format!("{source}:{line}: malformed: {message}")),
            Item::NoPacket { source } => Processed::Note(
                format!("{source}: no packet (the input is empty or has blank lines only)"),
                false,
            ),
        };
        (processed, item.bytes())
    };
    let mut findings = Findings::default();
    let sink = |window: Vec<(Processed, u64)>| {
        let mut bytes = 0;
        for (processed, size) in window {
            bytes += size;
            match processed {
                Processed::Packet(Outcome::Read {
                    command,
                    observations,
                }) => findings.add_packet(&command, observations),
                // Turned into `Processed::Malformed` by `process`.
                Processed::Packet(Outcome::Malformed(_)) => {}
                Processed::Malformed(message) => {
                    tally.malformed += 1;
                    progress.suspend(|| eprintln!("{message}"));
                }
                Processed::Note(message, unreadable) => {
                    tally.unreadable += u64::from(unreadable);
                    progress.suspend(|| eprintln!("{message}"));
                }
            }
        }
        let packets = findings.total().packets + tally.malformed;
        progress.advance(bytes, usize::try_from(packets).unwrap_or(usize::MAX));
    };
    for_each_in_order(
        |reuse| packets.next_window(reuse),
        reading,
        threads(),
        process,
        sink,
    );
    progress.finish();

    let values = if args.show_values {
        Values::Shown
    } else {
        Values::Redacted
    };
    let summary = tally.summary(&findings);
    let mut stdout = std::io::stdout().lock();
    let _ = match args.format {
        Format::Human => writeln!(stdout, "{}{summary}", report::human(&findings, values)),
        Format::Json => {
            let _ = stdout.write_all(report::json(&findings, values).as_bytes());
            let _ = stdout.flush();
            writeln!(std::io::stderr(), "{summary}")
        }
    };
    let _ = stdout.flush();
    if let Some(directory) = &args.patch {
        let patches = patch::patches(&findings, &schemas);
        match patch::write(directory, &patches) {
            Ok(written) if written.is_empty() => eprintln!(
                "trtc-live drift: no patch written to {}: nothing seen that a schema change would \
                 accept",
                directory.display()
            ),
            Ok(written) => {
                eprintln!(
                    "trtc-live drift: {} written to {} (review them before applying):",
                    if written.len() == 1 {
                        "1 patch".to_owned()
                    } else {
                        format!("{} patches", written.len())
                    },
                    directory.display()
                );
                for path in written {
                    eprintln!("  {}", path.display());
                }
            }
            Err(error) => {
                eprintln!(
                    "trtc-live drift: cannot write the patches to {}: {error}",
                    directory.display()
                );
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::from(tally.exit_code(&findings))
}

/// `source:line`, or `source` for a whole input.
fn place_of(place: Place<'_>) -> String {
    match place.line {
        Some(line) => format!("{}:{line}", place.source),
        None => place.source.to_owned(),
    }
}

/// The message of a packet that is not JSON: `source:line:column: malformed: what`.
fn malformed(place: Place<'_>, error: &SyntaxError) -> String {
    let line = place.line.unwrap_or(1) + error.line - 1;
    format!(
        "{}:{line}:{}: malformed: {}",
        place.source, error.column, error.message
    )
}

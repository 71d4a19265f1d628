//! `trtc-live journal export`: the bodies of journal records (or of the deliveries of a
//! JetStream stream: [`crate::nats::export_stream`]) as NDJSON, byte for byte.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use crate::args::JournalExportArgs;
use crate::discover::{gather, ReadingOptions};
use crate::one_line::on_one_line;
use crate::packets::{Item, Packets, Window};

/// The largest body exported (the receiver's default limit is 1 MiB).
const LARGEST_BODY: u64 = 64 << 20;

/// What an export met besides records.
#[derive(Default)]
struct Tally {
    records: u64,
    /// Bodies put on one line.
    joined: u64,
    /// Lines that are not records.
    bad_lines: u64,
    /// Inputs that cannot be read, are not journals or hold no record.
    bad_inputs: u64,
}

/// Prints the body of every record of every journal; returns the exit status.
pub fn export(args: &JournalExportArgs) -> ExitCode {
    if let Some(servers) = &args.stream.from {
        return crate::nats::export_stream(&args.stream, servers);
    }
    if let Err(message) = crate::nats::refuse_unused(&args.stream.nats, "--from") {
        eprintln!("trtc-live journal export: {message}");
        return ExitCode::from(2);
    }
    let options = ReadingOptions {
        ndjson: true,
        comments: false,
    };
    let (inputs, problems) = gather(&args.paths, options);
    let mut tally = Tally::default();
    for problem in problems {
        eprintln!("{}: {}", problem.name, problem.message);
        tally.bad_inputs += 1;
    }
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut not_journals: BTreeSet<Arc<str>> = BTreeSet::new();
    let mut packets = Packets::new(inputs, LARGEST_BODY);
    let mut window = None;
    while let Some(read) = packets.next_window(window.take()) {
        let written = write_window(&read, &mut stdout, &mut tally, &mut not_journals);
        if written.is_err() {
            // Standard output closed (`| head`): nothing more can be printed.
            return ExitCode::SUCCESS;
        }
        window = Some(read);
    }
    if stdout.flush().is_err() {
        return ExitCode::SUCCESS;
    }
    if tally.joined > 0 {
        eprintln!(
            "trtc-live journal export: {} of {} bodies spanned several lines and were put on one \
             line (the whitespace between their tokens removed)",
            tally.joined, tally.records
        );
    }
    let code = if tally.bad_inputs > 0 || tally.records == 0 {
        2
    } else if tally.bad_lines > 0 {
        1
    } else {
        0
    };
    ExitCode::from(code)
}

/// Prints the bodies of a window's records; reports the rest on standard error.
fn write_window(
    window: &Window,
    out: &mut impl Write,
    tally: &mut Tally,
    not_journals: &mut BTreeSet<Arc<str>>,
) -> std::io::Result<()> {
    for item in window.items() {
        match item {
            Item::Packet(packet) => {
                let source = window.source(packet);
                if window.delivery(packet).is_none() {
                    if not_journals.insert(source.into()) {
                        eprintln!("{source}: not a journal (its first line is not a record)");
                        tally.bad_inputs += 1;
                    }
                    continue;
                }
                let line = packet.line.unwrap_or_default();
                match window.text(packet) {
                    Ok(body) if body.contains(&b'\n') || body.contains(&b'\r') => {
                        out.write_all(&on_one_line(body))?;
                        tally.joined += 1;
                    }
                    Ok(body) => out.write_all(body)?,
                    Err(too_large) => {
                        eprintln!(
                            "{source}:{line}: a body of {} bytes, over the limit of {} bytes; not \
                             printed",
                            too_large.size, too_large.limit
                        );
                        tally.bad_lines += 1;
                        continue;
                    }
                }
                out.write_all(b"\n")?;
                tally.records += 1;
            }
            Item::BadRecord {
                source,
                line,
                message,
                ..
            } => {
                eprintln!("{source}:{line}: {message}");
                tally.bad_lines += 1;
            }
            Item::Unreadable { source, message } => {
                eprintln!("{source}: {message}");
                tally.bad_inputs += 1;
            }
            Item::NoPacket { source } => {
                eprintln!("{source}: no record (the input is empty or has blank lines only)");
                tally.bad_inputs += 1;
            }
        }
    }
    Ok(())
}

//! The byte-scan floor of an NDJSON file, for `benches/scripts/ndjson.sh`: the file read in 64 KiB
//! chunks, split into lines with memchr, each line scanned with
//! `serde_json::from_slice::<IgnoredAny>`. Prints the lines, the bytes and the MB/s (10^6 bytes
//! a second), the same figures as for `trtc-live validate --ndjson`, measured on the same file
//! in the same session.
//!
//! With THREADS above 1, the file is cut into THREADS parts of equal size (each ending at a line
//! break), and each part is read and scanned on a thread of its own, with nothing shared: the
//! floor of several cores, which no pipeline can beat (no reader to share, no order to keep).
//!
//! `cargo run --release -p trtc-live-bench --example ndjson_floor -- FILE [THREADS]`

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::time::Instant;

use serde::de::IgnoredAny;

/// What one part of the file held.
#[derive(Default)]
struct Counts {
    lines: u64,
    bytes: u64,
    not_json: u64,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: ndjson_floor FILE [THREADS]");
    let threads: u64 = args
        .next()
        .map_or(1, |t| t.parse().expect("THREADS: a number"));
    let size = std::fs::metadata(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .len();
    let start = Instant::now();
    let bounds: Vec<u64> = (0..=threads)
        .map(|part| line_start_at(&path, size * part / threads, size))
        .collect();
    let parts: Vec<Counts> = std::thread::scope(|scope| {
        let running: Vec<_> = bounds
            .windows(2)
            .map(|range| {
                let (from, to) = (range[0], range[1]);
                let path = &path;
                scope.spawn(move || scan(path, from, to))
            })
            .collect();
        running
            .into_iter()
            .map(|thread| thread.join().expect("a scan thread"))
            .collect()
    });
    let seconds = start.elapsed().as_secs_f64();
    let total = parts.iter().fold(Counts::default(), |sum, part| Counts {
        lines: sum.lines + part.lines,
        bytes: sum.bytes + part.bytes,
        not_json: sum.not_json + part.not_json,
    });
    println!(
        "{} lines, {} bytes, {} not JSON, {threads} threads, {seconds:.3} s, {:.0} MB/s",
        total.lines,
        total.bytes,
        total.not_json,
        total.bytes as f64 / seconds / 1e6
    );
}

/// The offset of the first line that starts at or after `offset` (`size` when none does).
fn line_start_at(path: &str, offset: u64, size: u64) -> u64 {
    if offset == 0 || offset >= size {
        return offset.min(size);
    }
    let mut file = File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    file.seek(SeekFrom::Start(offset - 1))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut buffer = [0u8; 1 << 16];
    let mut at = offset - 1;
    loop {
        let read = file
            .read(&mut buffer)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        if read == 0 {
            return size;
        }
        if let Some(newline) = memchr::memchr(b'\n', &buffer[..read]) {
            return at + newline as u64 + 1;
        }
        at += read as u64;
    }
}

/// Scans the lines of `path` from byte `from` (a line's start) to byte `to`.
fn scan(path: &str, from: u64, to: u64) -> Counts {
    let mut file = File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    file.seek(SeekFrom::Start(from))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut file = file.take(to - from);
    let mut counts = Counts::default();
    let mut buffer: Vec<u8> = Vec::with_capacity(1 << 17);
    loop {
        let kept = buffer.len();
        let read = (&mut file)
            .take(64 << 10)
            .read_to_end(&mut buffer)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        counts.bytes += read as u64;
        let mut line_start = 0;
        for end in memchr::memchr_iter(b'\n', &buffer[kept..]).map(|i| kept + i) {
            let line = &buffer[line_start..end];
            if !line.is_empty() {
                counts.lines += 1;
                counts.not_json += u64::from(serde_json::from_slice::<IgnoredAny>(line).is_err());
            }
            line_start = end + 1;
        }
        buffer.drain(..line_start);
        if read == 0 {
            if !buffer.is_empty() {
                counts.lines += 1;
                counts.not_json +=
                    u64::from(serde_json::from_slice::<IgnoredAny>(&buffer).is_err());
            }
            break;
        }
    }
    counts
}

//! The byte-scan floor of an NDJSON file, for `benches/scripts/ndjson.sh`: the file read in 64 KiB
//! chunks, split into lines with memchr, each line scanned with
//! `serde_json::from_slice::<IgnoredAny>`, on one thread. Prints the lines, the bytes and the
//! MB/s (10^6 bytes a second), the same figures as for `trtc-live validate --ndjson`, measured on
//! the same file in the same session.
//!
//! `cargo run --release -p trtc-live-bench --example ndjson_floor -- FILE`

use std::io::Read;
use std::time::Instant;

use serde::de::IgnoredAny;

fn main() {
    let path = std::env::args().nth(1).expect("usage: ndjson_floor FILE");
    let mut file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let start = Instant::now();
    let (mut lines, mut bytes, mut not_json) = (0u64, 0u64, 0u64);
    let mut buffer: Vec<u8> = Vec::with_capacity(1 << 17);
    loop {
        let kept = buffer.len();
        let read = (&mut file)
            .take(64 << 10)
            .read_to_end(&mut buffer)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        bytes += read as u64;
        let mut line_start = 0;
        for end in memchr::memchr_iter(b'\n', &buffer[kept..]).map(|i| kept + i) {
            let line = &buffer[line_start..end];
            if !line.is_empty() {
                lines += 1;
                not_json += u64::from(serde_json::from_slice::<IgnoredAny>(line).is_err());
            }
            line_start = end + 1;
        }
        buffer.drain(..line_start);
        if read == 0 {
            break;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{lines} lines, {bytes} bytes, {not_json} not JSON, {seconds:.3} s, {:.0} MB/s",
        bytes as f64 / seconds / 1e6
    );
}

//! Memory taken by large packets at each entry point, measured as the peak resident set size
//! (Linux `VmHWM`) over the resident size before the call, in a child process per measurement
//! (this test binary run again), so that no other test and no memory freed by an earlier
//! measurement blurs the figure.
//!
//! `cargo test -p trtc-live-tests --test adversarial_memory` checks the bounds on a 1 MiB packet;
//! `ADVERSARIAL_MB=100 cargo test -p trtc-live-tests --test adversarial_memory -- --ignored
//! --nocapture` prints the table for 100 MB packets (debug build; slow on the schema path).

use std::process::Command as Process;
use std::time::{Duration, Instant, UNIX_EPOCH};

use trtc_live_receiver::{sign, Receiver, ReceiverConfig, Token};
use trtc_live_validate::{Options, Validator};

/// A valid `Live.CallbackBeforeSendGift` packet on one line.
const GIFT: &str = r#"{"CallbackCommand": "Live.CallbackBeforeSendGift", "Operator_Account": "brennanli", "RoomId": "room_id", "GiftWater": {"From_Account": "from", "To_Account": ["to1"], "Time": 1703589922, "GiftId": "gift1", "Count": 1, "Coins": 1000}}"#;

/// The shapes of large packets.
const SHAPES: &[&str] = &["string", "numbers", "members"];

/// The entry points measured.
const ENTRY_POINTS: &[&str] = &[
    "validate", "strict", "is_valid", "check", "jsonc", "receive",
];

/// The environment variable that makes a run of this binary a measurement.
const PROBE: &str = "ADVERSARIAL_MEMORY_PROBE";

/// A packet of about `size` bytes: the gift with a large unknown member of `shape` (one string,
/// an array of 7-digit numbers, or 16-byte members), valid or with a schema violation.
fn packet(shape: &str, size: usize, valid: bool) -> Vec<u8> {
    let member = match shape {
        "string" => format!("\"X\": \"{}\"", "a".repeat(size)),
        "numbers" => format!("\"X\": [{}]", vec!["1234567"; size / 8].join(",")),
        "members" => (0..size / 16)
            .map(|i| format!("\"k{i:08}\": 123"))
            .collect::<Vec<_>>()
            .join(", "),
        _ => unreachable!("{shape}"),
    };
    let gift = if valid {
        GIFT.to_owned()
    } else {
        GIFT.replace("\"Count\": 1", "\"Count\": \"one\"")
    };
    gift.replace("\"RoomId\"", &format!("{member}, \"RoomId\""))
        .into_bytes()
}

/// A field of `/proc/self/status`, in kB.
fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|line| line.starts_with(field)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// What the entry points are called on, built before the measurement.
struct Entries {
    validator: Validator,
    strict: Validator,
    receiver: Receiver,
    uri: axum::http::Uri,
}

impl Entries {
    fn new() -> Self {
        let token = Token::new("xxxxyyyy");
        let mut config = ReceiverConfig::new("1400000000").with_token(token.clone());
        config.max_body_bytes = usize::MAX;
        let uri = format!(
            "/webhook?SdkAppid=1400000000&CallbackCommand=Live.CallbackBeforeSendGift\
             &OptPlatform=RESTAPI&Sign={}&RequestTime={REQUEST_TIME}",
            sign(&token, &REQUEST_TIME.to_string())
        );
        Self {
            validator: Validator::new().unwrap(),
            strict: Validator::with_options(Options { strict: true }).unwrap(),
            receiver: Receiver::new(config).unwrap(),
            uri: uri.parse().unwrap(),
        }
    }

    /// Runs `entry_point` on `bytes`; whether it accepted them.
    fn run(&self, entry_point: &str, bytes: &[u8]) -> bool {
        match entry_point {
            "validate" => self.validator.validate(bytes).is_ok(),
            "strict" => self.strict.validate(bytes).is_ok(),
            "is_valid" => self.validator.is_valid(bytes),
            "check" => self.validator.check(bytes).is_ok(),
            "jsonc" => self.validator.validate_jsonc(bytes).is_ok(),
            "receive" => self
                .receiver
                .receive(
                    &axum::http::Method::POST,
                    &self.uri,
                    bytes,
                    UNIX_EPOCH + Duration::from_secs(REQUEST_TIME),
                )
                .is_ok(),
            _ => unreachable!("{entry_point}"),
        }
    }
}

const REQUEST_TIME: u64 = 1_669_872_112;

/// One measurement: (input bytes, peak kB over the resident size before, seconds, accepted).
struct Measured {
    input: usize,
    extra_kb: u64,
    seconds: f64,
    accepted: bool,
}

impl Measured {
    /// The peak over the input's size.
    fn multiple(&self) -> f64 {
        (self.extra_kb * 1024) as f64 / self.input as f64
    }

    /// The peak over the input's size, less `slack_mb` megabytes (a run takes about 1 MB
    /// whatever its input).
    fn multiple_beyond(&self, slack_mb: u64) -> f64 {
        (self.extra_kb.saturating_sub(slack_mb * 1024) * 1024) as f64 / self.input as f64
    }
}

/// Measures `entry_point` on a packet of `shape` and `size` in a child process.
fn measure(shape: &str, valid: bool, size: usize, entry_point: &str) -> Measured {
    let output = Process::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "probe",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PROBE, format!("{shape} {valid} {size} {entry_point}"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|line| line.split_once("MEASURED ").map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    let fields: Vec<&str> = line.split(' ').collect();
    Measured {
        input: fields[0].parse().unwrap(),
        extra_kb: fields[1].parse().unwrap(),
        seconds: fields[2].parse().unwrap(),
        accepted: fields[3].parse().unwrap(),
    }
}

/// The measurement itself, in the child: only run by [`measure`].
#[test]
#[ignore = "run by the other tests of this file, in a process of its own"]
fn probe() {
    let Ok(what) = std::env::var(PROBE) else {
        return;
    };
    let fields: Vec<&str> = what.split(' ').collect();
    let (shape, valid, size, entry_point) = (
        fields[0],
        fields[1] == "true",
        fields[2].parse().unwrap(),
        fields[3],
    );
    let entries = Entries::new();
    let bytes = packet(shape, size, valid);
    // The peak is reset to the current resident size (Linux 4.0 and later).
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = status_kb("VmRSS:");
    let start = Instant::now();
    let accepted = entries.run(entry_point, &bytes);
    let seconds = start.elapsed().as_secs_f64();
    let peak = status_kb("VmHWM:");
    println!(
        "MEASURED {} {} {seconds:.3} {accepted}",
        bytes.len(),
        peak.saturating_sub(before)
    );
}

/// The largest multiple of the input any entry point took on a 1 MiB packet of small numbers
/// (the costliest shape, with many small members), valid and invalid: the bound of
/// `docs/robustness.md`, measured, with some room. The strict mode's schema path is the
/// default mode's on an invalid packet, and is left to the table.
#[test]
fn memory_stays_a_small_multiple_of_the_input() {
    let size = 1 << 20;
    for valid in [true, false] {
        for &entry_point in ENTRY_POINTS.iter().filter(|&&e| e != "strict") {
            let measured = measure("numbers", valid, size, entry_point);
            assert_eq!(measured.accepted, valid, "{entry_point}");
            // Nothing built: the verdict alone, and a valid packet checked without typing.
            let bound = match (entry_point, valid) {
                ("is_valid", _) | ("check", true) => 0.1,
                // A `serde_json::Value` of small numbers: the worst case.
                _ => 24.0,
            };
            assert!(
                measured.multiple_beyond(2) <= bound,
                "valid={valid} {entry_point}: {:.1} times the input (bound {bound})",
                measured.multiple()
            );
        }
    }
}

/// The table for `ADVERSARIAL_MB` megabytes (100 by default).
#[test]
#[ignore = "100 MB in a debug build: minutes"]
fn memory_table() {
    let megabytes: usize = std::env::var("ADVERSARIAL_MB").map_or(100, |mb| mb.parse().unwrap());
    println!("| shape | packet | entry point | input (bytes) | peak above RSS before | multiple | time (s) | accepted |");
    println!("|---|---|---|---|---|---|---|---|");
    for &shape in SHAPES {
        for valid in [true, false] {
            for &entry_point in ENTRY_POINTS {
                let m = measure(shape, valid, megabytes * 1_000_000, entry_point);
                println!(
                    "| {shape} | {} | {entry_point} | {} | {} MB | {:.2} | {:.2} | {} |",
                    if valid { "valid" } else { "invalid" },
                    m.input,
                    m.extra_kb / 1024,
                    m.multiple(),
                    m.seconds,
                    m.accepted
                );
            }
        }
    }
}

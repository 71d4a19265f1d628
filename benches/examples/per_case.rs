//! The cost of each payload of a set against the floor, one line each: the verdict alone
//! (`is_valid`, `is_valid_response`) and `validate` (the verdict and, for an invalid payload,
//! the full report), as the best of 15 batches over the floor's best. For finding the payloads
//! that a group's median hides.
//!
//! `cargo run --release -p trtc-live-bench --example per_case [samples]` (End Battle by default)

use std::hint::black_box;
use std::time::Instant;

use trtc_live_bench::{Kind, Payloads, Set};
use trtc_live_tests::Role;
use trtc_live_validate::Validator;

/// The best time of one run of `run`, in nanoseconds, over 15 batches of 200.
fn best_time(run: &dyn Fn() -> bool) -> f64 {
    (0..15)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..200 {
                black_box(run());
            }
            start.elapsed().as_secs_f64() / 200.0 * 1e9
        })
        .fold(f64::MAX, f64::min)
}

fn main() {
    let payloads = Payloads::load();
    let validator = Validator::new().expect("the schemas compile");
    let set = match std::env::args().nth(1).as_deref() {
        Some("samples") => Set::Samples,
        _ => Set::EndBattle,
    };
    println!("verdict validate  (x floor)  payload");
    for kind in Kind::ALL {
        for payload in payloads.select(set, kind) {
            let bytes = payload.bytes();
            let floor = best_time(&|| {
                serde_json::from_slice::<serde::de::IgnoredAny>(black_box(bytes)).is_ok()
            });
            let (verdict, validate) = match payload.role {
                Role::Request => (
                    best_time(&|| validator.is_valid(black_box(bytes))),
                    best_time(&|| validator.validate(black_box(bytes)).is_ok()),
                ),
                Role::Response => (
                    best_time(&|| validator.is_valid_response(payload.command, black_box(bytes))),
                    best_time(&|| {
                        validator
                            .validate_response(payload.command, black_box(bytes))
                            .is_ok()
                    }),
                ),
            };
            println!(
                "{:>7.2} {:>8.2}              {}",
                verdict / floor,
                validate / floor,
                payload.name
            );
        }
    }
}

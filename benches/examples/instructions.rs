//! One path of the library (or a reference) run N times over the End Battle payloads of a kind,
//! and nothing else, for counting its instructions with callgrind: the count of a run with
//! path `none` (the set-up alone) is subtracted, and the rest divided by N.
//!
//! ```sh
//! cargo build --release -p trtc-live-bench --example instructions
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/instructions is_valid invalid 1000
//! ```
//!
//! Paths: `none`, `floor` (`IgnoredAny`), `typed` (`serde_json::from_slice` into the generated
//! type; valid only), `validate`, `is_valid`, `iter_errors` (the jsonschema crate: `Value` and
//! every error, against the bundle).

use std::hint::black_box;

use serde::de::IgnoredAny;
use trtc_live_bench::{Kind, Payloads, Set};
use trtc_live_types::LiveCallbackAfterEndBattle;
use trtc_live_validate::{Validator, BUNDLED_SCHEMA};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, kind, runs] = &args[..] else {
        panic!("usage: instructions PATH valid|invalid RUNS");
    };
    let kind = if kind == "valid" {
        Kind::Valid
    } else {
        Kind::Invalid
    };
    let runs: usize = runs.parse().expect("RUNS: a number");
    let payloads = Payloads::load();
    let validator = Validator::new().expect("the schemas compile");
    let bundle: serde_json::Value = serde_json::from_str(BUNDLED_SCHEMA).expect("JSON");
    let schema = jsonschema::draft7::new(&bundle).expect("the bundle compiles");
    let cases = payloads.select(Set::EndBattle, kind);
    for _ in 0..runs {
        for payload in &cases {
            let bytes = black_box(payload.bytes());
            let verdict = match path.as_str() {
                "none" => true,
                "floor" => serde_json::from_slice::<IgnoredAny>(bytes).is_ok(),
                "typed" => serde_json::from_slice::<LiveCallbackAfterEndBattle>(bytes).is_ok(),
                "validate" => validator.validate(bytes).is_ok(),
                "is_valid" => validator.is_valid(bytes),
                "iter_errors" => {
                    let value: serde_json::Value = serde_json::from_slice(bytes).expect("JSON");
                    schema.iter_errors(&value).count() == 0
                }
                other => panic!("unknown path {other}"),
            };
            black_box(verdict);
        }
    }
}

//! The library's paths and their baselines, timed by criterion over each set of payloads
//! (`trtc_live_bench::Set`): one iteration runs over every payload of the set, so a median
//! divided by the set's size (the group's throughput, in elements) is a time per payload.
//!
//! Groups: `samples-valid`, `samples-invalid`, `end-battle-valid`, `end-battle-invalid`.
//! Benchmarks: `floor`, `value`, `typed` (valid only), `jsonschema-is-valid`,
//! `jsonschema-iter-errors`, `validate` (the library's entry point: the fast path, then the
//! schema path), `is-valid` (the verdict alone), `schema-path` (the schema path alone). Run them all, with the peers, in one table:
//! `cargo xtask bench` (`docs/benchmarks.md`).

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkGroup, Criterion, Throughput};
use serde::de::IgnoredAny;
use serde_json::Value;
use trtc_live_bench::{
    payloads_path, typed_parse, BundleValidators, Kind, Payload, Payloads, Set, TypedParse,
};
use trtc_live_tests::Role;
use trtc_live_validate::{parse_json, Validator};

/// A payload with everything its benchmarks need looked up beforehand.
struct Case<'a> {
    payload: &'a Payload,
    schema: &'a jsonschema::Validator,
    typed: TypedParse,
}

impl Case<'_> {
    fn bytes(&self) -> &[u8] {
        self.payload.bytes()
    }

    /// The library's verdict alone (`is_valid`, `is_valid_response`).
    fn verdict(&self, validator: &Validator) -> bool {
        match self.payload.role {
            Role::Request => validator.is_valid(black_box(self.bytes())),
            Role::Response => {
                validator.is_valid_response(self.payload.command, black_box(self.bytes()))
            }
        }
    }

    /// The library's schema path alone (no fast path); whether the payload was accepted.
    fn schema_path(&self, validator: &Validator) -> bool {
        let Ok(value) = parse_json(black_box(self.bytes())) else {
            return false;
        };
        match self.payload.role {
            Role::Request => black_box(validator.validate_value(value)).is_ok(),
            Role::Response => {
                black_box(validator.validate_response_value(self.payload.command, value)).is_ok()
            }
        }
    }

    /// The library's entry point; whether the payload was accepted.
    fn library(&self, validator: &Validator) -> bool {
        match self.payload.role {
            Role::Request => black_box(validator.validate(black_box(self.bytes()))).is_ok(),
            Role::Response => black_box(
                validator.validate_response(self.payload.command, black_box(self.bytes())),
            )
            .is_ok(),
        }
    }
}

fn main() {
    let payloads = Payloads::load();
    let path = payloads_path();
    payloads
        .write_ndjson(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let validator = Validator::new().expect("the schemas compile");
    let bundle = BundleValidators::new().expect("the bundle compiles");

    let mut groups = Vec::new();
    let mut wrong = serde_json::Map::new();
    for set in Set::ALL {
        for kind in Kind::ALL {
            let cases: Vec<Case<'_>> = payloads
                .select(set, kind)
                .into_iter()
                .map(|payload| Case {
                    payload,
                    schema: bundle.for_payload(payload),
                    typed: typed_parse(payload.type_name).unwrap_or_else(|| {
                        panic!(
                            "no typed parse for {}: run `cargo xtask codegen`",
                            payload.type_name
                        )
                    }),
                })
                .collect();
            for (bench, names) in wrong_verdicts(&cases, kind, &validator) {
                wrong.insert(format!("{}/{bench}", set.group(kind)), names.into());
            }
            groups.push((set.group(kind), kind, cases));
        }
    }
    write_wrong_verdicts(&path.with_file_name("wrong-verdicts.json"), &wrong);

    let mut criterion = Criterion::default().configure_from_args();
    for (name, kind, cases) in &groups {
        let mut group = criterion.benchmark_group(name.as_str());
        group.throughput(Throughput::Elements(cases.len() as u64));
        bench_group(&mut group, cases, *kind, &validator);
        group.finish();
    }
    criterion.final_summary();

    // With `cargo xtask bench`: ratios to the floor measured in alternating pairs.
    if let Some(mode) = std::env::var_os("TRTC_BENCH_PAIRED") {
        let pairs = if mode == "quick" { 21 } else { 201 };
        let ratios = paired_ratios(&groups, &validator, pairs);
        let out = path.with_file_name("paired-ratios.json");
        std::fs::write(&out, serde_json::to_string_pretty(&ratios).expect("JSON"))
            .unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    }
}

/// The payloads to which each timed path gives a verdict other than their kind's, by
/// benchmark name: a timing is of the work it claims only where this is empty (a parse that
/// stops at the first byte, a validator that finds nothing are faster). The parses (`floor`,
/// `value`, `typed`) must accept every valid payload; they are not validators.
fn wrong_verdicts(
    cases: &[Case<'_>],
    kind: Kind,
    validator: &Validator,
) -> Vec<(&'static str, Vec<String>)> {
    let valid = kind == Kind::Valid;
    let mut wrong: Vec<(&'static str, Vec<String>)> = Vec::new();
    let mut note = |bench: &'static str, case: &Case<'_>| {
        let name = case.payload.name.clone();
        match wrong.iter_mut().find(|(b, _)| *b == bench) {
            Some((_, names)) => names.push(name),
            None => wrong.push((bench, vec![name])),
        }
    };
    for case in cases {
        let value: Value = serde_json::from_slice(case.bytes()).expect("every payload is JSON");
        if valid {
            if serde_json::from_slice::<IgnoredAny>(case.bytes()).is_err() {
                note("floor", case);
            }
            if !(case.typed)(case.bytes()) {
                note("typed", case);
            }
        }
        if case.schema.is_valid(&value) != valid {
            note("jsonschema-is-valid", case);
        }
        if case.schema.iter_errors(&value).next().is_none() != valid {
            note("jsonschema-iter-errors", case);
        }
        if case.library(validator) != valid {
            note("validate", case);
        }
        if case.schema_path(validator) != valid {
            note("schema-path", case);
        }
        if case.verdict(validator) != valid {
            note("is-valid", case);
        }
    }
    wrong
}

/// Writes the wrong verdicts of every group (`wrong_verdicts`) beside the payloads, as one JSON
/// object `{"<group>/<bench>": [payload names]}`, and says them on standard error.
fn write_wrong_verdicts(path: &Path, wrong: &serde_json::Map<String, Value>) {
    for (bench, names) in wrong {
        eprintln!("warning: {bench} gives the wrong verdict to {names}");
    }
    std::fs::write(path, Value::Object(wrong.clone()).to_string())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn bench_group(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    cases: &[Case<'_>],
    kind: Kind,
    validator: &Validator,
) {
    // The floor: scanning the bytes as JSON, building nothing.
    group.bench_function("floor", |b| {
        b.iter(|| {
            for case in cases {
                black_box(serde_json::from_slice::<IgnoredAny>(black_box(case.bytes())).is_ok());
            }
        })
    });

    // Building a serde_json::Value (what the jsonschema crate validates).
    group.bench_function("value", |b| {
        b.iter(|| {
            for case in cases {
                black_box(serde_json::from_slice::<Value>(black_box(case.bytes())).is_ok());
            }
        })
    });

    // serde's typed parse into the generated type, no schema check (valid payloads only:
    // it is not a validator).
    if kind == Kind::Valid {
        group.bench_function("typed", |b| {
            b.iter(|| {
                for case in cases {
                    black_box((case.typed)(black_box(case.bytes())));
                }
            })
        });
    }

    // The jsonschema crate's default path: parse to a Value, then `is_valid` (a verdict).
    group.bench_function("jsonschema-is-valid", |b| {
        b.iter(|| {
            for case in cases {
                let value: Value = serde_json::from_slice(black_box(case.bytes())).expect("JSON");
                black_box(case.schema.is_valid(&value));
            }
        })
    });

    // The jsonschema crate's full report: parse to a Value, then every error collected.
    group.bench_function("jsonschema-iter-errors", |b| {
        b.iter(|| {
            for case in cases {
                let value: Value = serde_json::from_slice(black_box(case.bytes())).expect("JSON");
                let errors: Vec<_> = case.schema.iter_errors(&value).collect();
                black_box(errors);
            }
        })
    });

    // The library's entry point: bytes to a typed Webhook (valid), or to a Rejection holding
    // every violation, located in the bytes (invalid): the verdict and the full report at once.
    group.bench_function("validate", |b| {
        b.iter(|| {
            for case in cases {
                black_box(case.library(validator));
            }
        })
    });

    // The verdict alone: `Validator::is_valid`, no typed value and no report.
    group.bench_function("is-valid", |b| {
        b.iter(|| {
            for case in cases {
                black_box(case.verdict(validator));
            }
        })
    });

    // The same entry point without its fast path: parse to a Value, check the schema, decode
    // (what `validate` does for a packet that does not decode straight into its type).
    group.bench_function("schema-path", |b| {
        b.iter(|| {
            for case in cases {
                black_box(case.schema_path(validator));
            }
        })
    });
}

/// A path measured against the floor in pairs: its benchmark name and what one payload costs.
type PairedPath<'a> = (&'static str, Box<dyn Fn(&Case<'_>) -> bool + 'a>);

/// Each path's time over the floor's, measured in pairs: a batch of the floor, then a batch of
/// the path over the same payloads, `pairs` times. This machine's speed drifts by up to 1.5x
/// over minutes, which criterion's medians, taken minutes apart, carry into their ratios; within
/// a pair of batches a few milliseconds apart, the drift cancels out. One entry per group and
/// path: the median ratio and its 10th and 90th percentiles.
fn paired_ratios(
    groups: &[(String, Kind, Vec<Case<'_>>)],
    validator: &Validator,
    pairs: usize,
) -> Vec<Value> {
    let floor = |case: &Case<'_>| serde_json::from_slice::<IgnoredAny>(case.bytes()).is_ok();
    let mut entries = Vec::new();
    for (group, kind, cases) in groups {
        let mut paths: Vec<PairedPath<'_>> = vec![
            ("validate", Box::new(|case| case.library(validator))),
            ("is-valid", Box::new(|case| case.verdict(validator))),
            ("schema-path", Box::new(|case| case.schema_path(validator))),
            (
                "jsonschema-iter-errors",
                Box::new(|case| {
                    let value: Value = serde_json::from_slice(case.bytes()).expect("JSON");
                    let errors: Vec<_> = case.schema.iter_errors(&value).collect();
                    black_box(errors).is_empty()
                }),
            ),
        ];
        if *kind == Kind::Valid {
            paths.insert(0, ("typed", Box::new(|case| (case.typed)(case.bytes()))));
        }
        let batch = |run: &dyn Fn(&Case<'_>) -> bool, iterations: usize| {
            let start = std::time::Instant::now();
            for _ in 0..iterations {
                for case in cases {
                    black_box(run(black_box(case)));
                }
            }
            start.elapsed().as_secs_f64()
        };
        // Enough iterations for a floor batch of about a millisecond.
        let mut iterations = 1;
        while batch(&floor, iterations) < 1e-3 {
            iterations *= 2;
        }
        for (name, run) in &paths {
            let mut ratios: Vec<f64> = (0..pairs)
                .map(|_| {
                    let floor_time = batch(&floor, iterations);
                    batch(run.as_ref(), iterations) / floor_time
                })
                .collect();
            ratios.sort_by(f64::total_cmp);
            entries.push(serde_json::json!({
                "group": group,
                "bench": name,
                "pairs": pairs,
                "ratio": ratios[pairs / 2],
                "p10": ratios[pairs / 10],
                "p90": ratios[pairs * 9 / 10],
            }));
        }
    }
    entries
}

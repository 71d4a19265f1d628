//! Every committed regression input and every seed, through its target: what the fuzzer
//! found stays fixed, and the targets' assertions hold on the repository's own packets.

use trtc_live_fuzz_targets::seeds::{regressions, seeds, Target};

fn replay(target: Target, minimum_seeds: usize) {
    let seeds = seeds(target);
    assert!(
        seeds.len() >= minimum_seeds,
        "{}: only {} seeds",
        target.name(),
        seeds.len()
    );
    for input in seeds.iter().chain(&regressions(target)) {
        eprintln!("{}: {}", target.name(), input.name);
        target.run(&input.bytes);
    }
}

#[test]
fn validator_inputs() {
    replay(Target::Validator, 300);
}

#[test]
fn jsonc_inputs() {
    replay(Target::Jsonc, 300);
}

#[test]
fn receiver_inputs() {
    replay(Target::Receiver, 200);
}

/// The receiver's seeds pass authentication (they are signed, and sent at their
/// `RequestTime`), so the fuzzer starts from requests that reach the body's checks rather than
/// from ones stopped at the signature; the valid packets among them are accepted.
#[test]
fn receiver_seeds_pass_authentication() {
    let mut accepted = 0;
    for seed in seeds(Target::Receiver) {
        match trtc_live_fuzz_targets::receiver::receiver(&seed.bytes) {
            Some(Ok(_)) => accepted += 1,
            Some(Err(error)) => assert!(error.is_authenticated(), "{}: {error}", seed.name),
            None => panic!("{}: not a request", seed.name),
        }
    }
    assert!(accepted > 0, "no seed is accepted");
}

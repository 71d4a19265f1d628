#!/usr/bin/env bash
# The forwarding overhead of `trtc-live serve --forward-to`, in one run, side by side: serve with
# its journal and no forwarding, with forwarding one delivery in flight (the journal's order),
# and with CONCURRENCY in flight, in alternating rounds, against an application that answers
# after 1 ms. benches/examples/forward_load.rs is both Tencent and the application; its
# docstring says what is measured. Prints the medians of the rounds.
#
# Installs nothing. Needs: cargo.
#
# Settings (environment): ROUNDS (3), SENDERS (16: Tencent's connections), DURATION (8: the
# saturation of each mode), RATE (200 deliveries a second for the latency), LATENCY_SECONDS (5),
# CONCURRENCY (8), JOURNAL_PARENT (where the journals go: target/, which must be on a disk, not
# tmpfs).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export JOURNAL_PARENT=${JOURNAL_PARENT:-$repo/target}

echo "Building trtc-live and the load program (release)..." >&2
cargo build --quiet --release -p trtc-live-cli --bin trtc-live --manifest-path "$repo/Cargo.toml"
cargo build --quiet --release -p trtc-live-bench --example forward_load \
    --manifest-path "$repo/Cargo.toml"
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$repo/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
work=$(mktemp -d "$JOURNAL_PARENT/bench-forward.XXXXXX")
trap 'rm -rf "$work"' EXIT
# A copy: another build in the same target directory must not replace it during the run.
cp "$target_dir/release/trtc-live" "$work/trtc-live"

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), Linux $(uname -r), journal on $(df --output=fstype "$work" | tail -n 1)"
"$target_dir/release/examples/forward_load" "$work/trtc-live" "${ROUNDS:-3}" "${SENDERS:-16}" \
    "${DURATION:-8}" "${RATE:-200}" "${LATENCY_SECONDS:-5}" "${CONCURRENCY:-8}"

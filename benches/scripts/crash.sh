#!/usr/bin/env bash
# Crash safety of `trtc-live serve`: SIGKILL it every 0.2-2 s while senders deliver signed, unique
# webhooks, restart it on the same port and journal each time, and check afterwards that every
# delivery answered 200 is in accepted.ndjson, whole, that every line of the journals parses, and
# that every torn last record was reported and cut off by the restart that followed it. The
# senders and the checks are benches/scripts/crash.py (Python 3, standard library only); its docstring says
# exactly what is checked. Prints the counts; exits 1 on any violation.
#
# SIGKILL ends the process, not the machine: what was written stays in the page cache and reaches
# the disk later, fsync or not. So this tests the server's crash safety (nothing answered 200 is
# lost when the process dies at any instant, a torn record is handled on restart), not power loss
# (which the fsync before every 200 covers, and which needs a virtual machine to test).
#
# Installs nothing. Needs: cargo, python3 (3.8 or later).
#
# Settings (environment): KILLS (50), DURATION (most seconds of load, 120), SENDERS (8),
# MIN_GAP and MAX_GAP (seconds between kills, 0.2 and 2), TEAR_RATE (share of the kills after
# which the script writes a torn record itself, 0.2), PAD_BYTES (0) and PAD_EVERY (1): one
# delivery in PAD_EVERY gets PAD_BYTES spaces of JSON whitespace, for large writes, which SIGKILL
# can tear by itself (PAD_BYTES=900000 PAD_EVERY=3 TEAR_RATE=0), SEED (random), PROFILE (release
# or dev, release), JOURNAL_PARENT (where the work directory goes: target/, which must be on a
# disk, not tmpfs), KEEP=1 keeps the work directory (journals, serve logs, sender logs).
# FORWARD=1 makes serve a gateway (--forward-to) in front of an application the script runs,
# which answers 500 to APP_FAIL_RATE of the requests (0.02); FORWARD_CONCURRENCY (8); after the
# load the server runs until the forwarder has drained the journal (DRAIN_TIMEOUT, 300 s), and
# every delivery answered 200 must have reached the application at least once.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PROFILE=${PROFILE:-release}
JOURNAL_PARENT=${JOURNAL_PARENT:-$repo/target}

fail() {
    echo "benches/scripts/crash.sh: $*" >&2
    exit 2
}

for tool in cargo python3; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done
case $PROFILE in
release) profile_dir=release ;;
dev) profile_dir=debug ;;
*) fail "PROFILE must be release or dev" ;;
esac

echo "Building trtc-live ($PROFILE)..." >&2
cargo build --quiet --profile "$PROFILE" -p trtc-live-cli --bin trtc-live \
    --manifest-path "$repo/Cargo.toml"
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$repo/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

mkdir -p "$JOURNAL_PARENT"
work=$(mktemp -d "$JOURNAL_PARENT/bench-crash.XXXXXX")
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then
        echo "kept $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

filesystem=$(df --output=fstype "$work" | tail -n 1)
[ "$filesystem" != tmpfs ] ||
    echo "warning: $work is on tmpfs (set JOURNAL_PARENT)" >&2
# A copy: another build in the same target directory must not replace it during the run.
cp "$target_dir/$profile_dir/trtc-live" "$work/trtc-live"

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $PROFILE build, $(nproc) CPUs, Linux $(uname -r)," \
    "journal on $filesystem"
seed_args=()
[ -z "${SEED:-}" ] || seed_args=(--seed "$SEED")
[ "${FORWARD:-0}" != 1 ] || seed_args+=(--forward --app-fail-rate "${APP_FAIL_RATE:-0.02}"
    --forward-concurrency "${FORWARD_CONCURRENCY:-8}" --drain-timeout "${DRAIN_TIMEOUT:-300}")
python3 "$repo/benches/scripts/crash.py" --binary "$work/trtc-live" --work "$work" \
    --kills "${KILLS:-50}" --duration "${DURATION:-120}" --senders "${SENDERS:-8}" \
    --min-gap "${MIN_GAP:-0.2}" --max-gap "${MAX_GAP:-2}" --tear-rate "${TEAR_RATE:-0.2}" \
    --pad-bytes "${PAD_BYTES:-0}" --pad-every "${PAD_EVERY:-1}" \
    "${seed_args[@]}"

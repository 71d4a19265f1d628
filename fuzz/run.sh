#!/usr/bin/env bash
# Runs each fuzz target for a bounded time and prints what it did.
#
#   fuzz/run.sh [SECONDS] [TARGET...]     (default: 60 seconds; validator jsonc receiver)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`) and a C++ compiler (libfuzzer-sys
# builds libFuzzer). The toolchain is stable: RUSTC_BOOTSTRAP=1 lets it take the nightly flags
# cargo-fuzz passes (-Zsanitizer=address, the sanitizer-coverage passes).
#
# The seed corpus (the repository's samples and test cases, and the committed regression
# inputs) is written into fuzz/corpus/<target>/, where libFuzzer also keeps what it finds
# (git-ignored); a crash is written to fuzz/artifacts/<target>/, the whole log to
# fuzz/runs/<target>-<time>.log. A found crash: `cargo fuzz tmin --fuzz-dir fuzz/libfuzzer
# <target> <artifact>`, then commit the minimized input to fuzz/regressions/<target>/ (cargo
# test replays it) and fix the bug.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(validator jsonc receiver)
fi
# Memory limit per run, and the time one input may take before libFuzzer calls it a hang.
rss_limit_mb=${FUZZ_RSS_LIMIT_MB:-2048}
timeout_seconds=${FUZZ_TIMEOUT:-10}

export RUSTC_BOOTSTRAP=1
# The fuzz crate is a workspace of its own, built into its own target folder (the flags differ
# from every other build's, so a shared folder would share nothing).
unset CARGO_TARGET_DIR

cargo run --quiet --locked -p trtc-live-fuzz-targets --bin fuzz-seeds -- fuzz/corpus
mkdir -p fuzz/runs
status=0
summary=()
for target in "${targets[@]}"; do
  mkdir -p "fuzz/artifacts/$target"
  log="fuzz/runs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
  echo "== $target: $seconds s, log $log"
  files_before=$(find "fuzz/corpus/$target" -type f | wc -l)
  target_status=0
  # Release build with debug assertions (overflow checks) and AddressSanitizer, cargo-fuzz's
  # default sanitizer.
  cargo fuzz run --fuzz-dir fuzz/libfuzzer --release --debug-assertions "$target" \
    "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb="$rss_limit_mb" -timeout="$timeout_seconds" \
    -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$target/" \
    >"$log" 2>&1 || target_status=$?
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  peak_rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corpus=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
  files_after=$(find "fuzz/corpus/$target" -type f | wc -l)
  crashes=$(find "fuzz/artifacts/$target" -type f | wc -l)
  echo "$last"
  row="$target: ${seconds}s, status $target_status, executions ${executions:-?} (${per_second:-?}/s),"
  row+=" cov ${cov:-?}, ft ${ft:-?}, corpus ${corpus:-?} (files $files_before -> $files_after),"
  row+=" peak RSS ${peak_rss:-?} MB, artifacts in fuzz/artifacts/$target: $crashes"
  echo "$row"
  summary+=("$row")
  if [ "$target_status" -ne 0 ]; then
    status=$target_status
    grep -E '^(==[0-9]+==|thread .* panicked|SUMMARY|artifact_prefix|Test unit written)' "$log" | head -n 20 || true
  fi
done
echo "== summary ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
printf '%s\n' "${summary[@]}"
exit "$status"

#!/usr/bin/env bash
# Throughput of `trtc-live validate --ndjson --quiet` on a file of mixed webhooks against the
# byte-scan floor, side by side in alternating rounds, and the ratios the targets are judged on.
#
# Each round runs, in turn (the order reversed every other round, so that the machine's drift
# touches them alike):
#
# - the floor on 1 and on 2 cores (benches/examples/ndjson_floor.rs: every line scanned with
#   serde_json::from_slice::<IgnoredAny>; on 2 cores, each half of the file on a thread of its
#   own, nothing shared);
# - `trtc-live validate --ndjson --quiet FILE` on 1 and 2 cores (taskset), with its peak RSS
#   (/usr/bin/time);
# - the same reading standard input from a pipe (`cat FILE |`, cat on the same cores);
# - `trtc-live drift FILE` on 2 cores, when the binary has that command.
#
# Printed: each run's median, lowest and highest MB/s, the highest peak RSS, then the ratios
# taken within each round (median, lowest, highest): validate on 2 cores over the floor on 2
# cores; validate's scaling from 1 to 2 cores (file, pipe) over the floor's own scaling in the
# same round; drift over validate on 2 cores.
#
# The file (benches/scripts/mixed-ndjson.sh: 2,000 examples of each webhook, `trtc-live example COMMAND
# --count 2000 --seed 1`, repeated until it holds SIZE_MIB MiB) is built under $BENCH_DIR
# (default /tmp/trtc-live-bench-ndjson) and deleted at the end unless KEEP=1. It is read from the page
# cache (one run warms it).
#
# Usage: [NO_BUILD=1] [KEEP=1] [BENCH_DIR=DIR] benches/scripts/ndjson.sh [ROUNDS (9)] [SIZE_MIB (1024)]
# Needs: cargo, taskset and /usr/bin/time (Debian: util-linux, time); installs nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=${1:-9}
size_mib=${2:-1024}
# Two commands: with --example, cargo builds that example alone, not the CLI's binary.
# NO_BUILD=1 measures the binaries as they are (a build on a loaded machine takes minutes).
if [ "${NO_BUILD:-0}" != 1 ]; then
  cargo build --release --quiet -p trtc-live-cli --bin trtc-live
  cargo build --release --quiet -p trtc-live-bench --example ndjson_floor
fi
tool=$PWD/target/release/trtc-live
floor=$PWD/target/release/examples/ndjson_floor
dir=${BENCH_DIR:-/tmp/trtc-live-bench-ndjson}
mkdir -p "$dir"
file=$dir/mixed-${size_mib}MiB.ndjson
results=$(mktemp)
cleanup() {
  rm -f "$results"
  if [ "${KEEP:-0}" != 1 ]; then rm -f "$file" "$file.part" "$dir/base.ndjson"; rmdir "$dir" 2>/dev/null || true; fi
}
trap cleanup EXIT
BENCH_DIR=$dir benches/scripts/mixed-ndjson.sh "$size_mib" "$tool" >/dev/null
bytes=$(stat -c %s "$file")
packets=$(wc -l <"$file")
has_drift=0
if "$tool" drift --help >/dev/null 2>&1; then has_drift=1; fi
{
  echo "file: $file, $bytes bytes, $packets packets"
  echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
  echo "date: $(date -u '+%Y-%m-%d %H:%M') UTC; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >&2
cat "$file" >/dev/null

# Each line of $results: label MB/s RSS-MiB round.
run_floor() { # label cores threads round
  local mbs
  mbs=$(taskset -c "$2" "$floor" "$file" "$3" | awk '{print $(NF-1)}')
  echo "$1 $mbs - $4" >>"$results"
}
run_tool() { # label cores round command...
  local label=$1 cores=$2 round=$3 report
  shift 3
  report=$( { /usr/bin/time -f "%e %M" taskset -c "$cores" "$tool" "$@" "$file" >/dev/null || true; } 2>&1 | tail -1)
  echo "$label $(awk -v b="$bytes" '{printf "%.0f %.0f", b / $1 / 1e6, $2 / 1024}' <<<"$report") $round" >>"$results"
}
run_pipe() { # label cores round
  local report
  report=$( { taskset -c "$2" cat "$file" | /usr/bin/time -f "%e %M" taskset -c "$2" "$tool" validate --ndjson --quiet - >/dev/null || true; } 2>&1 | tail -1)
  echo "$1 $(awk -v b="$bytes" '{printf "%.0f %.0f", b / $1 / 1e6, $2 / 1024}' <<<"$report") $3" >>"$results"
}
runs=(floor-1 floor-2 file-1 file-2 pipe-1 pipe-2)
if [ "$has_drift" = 1 ]; then runs+=(drift-2); fi
for round in $(seq "$rounds"); do
  echo "round $round of $rounds (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
  order=("${runs[@]}")
  if [ $((round % 2)) -eq 0 ]; then
    order=()
    for ((i = ${#runs[@]} - 1; i >= 0; i--)); do order+=("${runs[i]}"); done
  fi
  for run in "${order[@]}"; do
    case $run in
      floor-1) run_floor floor-1 0 1 "$round" ;;
      floor-2) run_floor floor-2 0,1 2 "$round" ;;
      file-1) run_tool file-1 0 "$round" validate --ndjson --quiet ;;
      file-2) run_tool file-2 0,1 "$round" validate --ndjson --quiet ;;
      pipe-1) run_pipe pipe-1 0 "$round" ;;
      pipe-2) run_pipe pipe-2 0,1 "$round" ;;
      drift-2) run_tool drift-2 0,1 "$round" drift ;;
    esac
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

stats() { sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f %.2f %.2f\n", m, v[1], v[NR] }'; }
value() { awk -v l="$1" '$1 == l { print $4, $2 }' "$results" | sort -n | awk '{print $2}'; }
echo
echo "MB/s (10^6 bytes a second) over $rounds alternating rounds; peak RSS: the highest of the rounds"
printf "%-50s %7s %7s %7s %8s\n" run median low high "RSS MiB"
describe() {
  case $1 in
    floor-1) echo "floor: IgnoredAny on every line, 1 core" ;;
    floor-2) echo "floor: IgnoredAny on every line, 2 cores" ;;
    file-1) echo "validate --ndjson --quiet FILE, 1 core" ;;
    file-2) echo "validate --ndjson --quiet FILE, 2 cores" ;;
    pipe-1) echo "cat FILE | validate --ndjson --quiet -, 1 core" ;;
    pipe-2) echo "cat FILE | validate --ndjson --quiet -, 2 cores" ;;
    drift-2) echo "drift FILE, 2 cores" ;;
  esac
}
for run in "${runs[@]}"; do
  read -r m lo hi < <(value "$run" | stats)
  rss=$(awk -v l="$run" '$1 == l && $3 != "-" { print $3 }' "$results" | sort -n | tail -1)
  printf "%-50s %7.0f %7.0f %7.0f %8s\n" "$(describe "$run")" "$m" "$lo" "$hi" "${rss:--}"
done
ratio() { # title expression over the columns (one column per run of "$@")
  local title=$1 expression=$2
  shift 2
  local columns=() run
  for run in "$@"; do
    value "$run" >"$results.$run"
    columns+=("$results.$run")
  done
  read -r m lo hi < <(paste "${columns[@]}" | awk "{ printf \"%.4f\\n\", $expression }" | stats)
  for run in "$@"; do rm -f "$results.$run"; done
  printf "%-72s %5.2fx (%.2fx-%.2fx)\n" "$title" "$m" "$lo" "$hi"
}
echo
echo "ratios within each round: median (lowest-highest)"
ratio "validate 2 cores / floor 2 cores (target >= 0.5)" '$2 / $1' floor-2 file-2
ratio "validate 1 core / floor 1 core" '$2 / $1' floor-1 file-1
ratio "floor scaling, 1 to 2 cores" '$2 / $1' floor-1 floor-2
ratio "validate scaling (file) / floor scaling (target >= 0.9)" '($4 / $3) / ($2 / $1)' floor-1 floor-2 file-1 file-2
ratio "validate scaling (pipe) / floor scaling (target >= 0.9)" '($4 / $3) / ($2 / $1)' floor-1 floor-2 pipe-1 pipe-2
ratio "validate scaling (file), 1 to 2 cores" '$2 / $1' file-1 file-2
ratio "validate scaling (pipe), 1 to 2 cores" '$2 / $1' pipe-1 pipe-2
if [ "$has_drift" = 1 ]; then
  ratio "drift 2 cores / validate 2 cores (target >= 0.5)" '$2 / $1' file-2 drift-2
fi

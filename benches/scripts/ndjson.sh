#!/usr/bin/env bash
# Throughput of `trtc-live validate --ndjson --quiet` on a file of mixed webhooks, with
# 1 and 2 cores (taskset), its peak RSS (/usr/bin/time), and the byte-scan floor on the same
# file: serde_json::from_slice::<IgnoredAny> on every line, one core
# (benches/examples/ndjson_floor.rs). The three run in turn, ROUNDS times, so that the machine's
# drift touches them alike; the table gives each one's median, lowest and highest.
#
# The file is built once, under target/bench/ndjson/ (benches/scripts/mixed-ndjson.sh): 2,000 examples of
# each webhook (`trtc-live example COMMAND --count 2000 --seed 1`), repeated until it holds
# SIZE_MIB MiB. It is read from the page cache (one run warms it).
#
# Usage: benches/scripts/ndjson.sh [ROUNDS (5)] [SIZE_MIB (1024)]
# Needs: cargo, taskset and /usr/bin/time (Debian: util-linux, time); installs nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=${1:-5}
size_mib=${2:-1024}
cargo build --release --quiet -p trtc-live-cli -p trtc-live-bench --example ndjson_floor
tool=target/release/trtc-live
floor=target/release/examples/ndjson_floor
file=$(benches/scripts/mixed-ndjson.sh "$size_mib" "$tool")
bytes=$(stat -c %s "$file")
packets=$(wc -l <"$file")
echo "file: $file, $bytes bytes, $packets packets" >&2
cat "$file" >/dev/null

results=$(mktemp)
trap 'rm -f "$results"' EXIT
run_tool() { # label cores
  local report
  report=$( { /usr/bin/time -f "%e %M" taskset -c "$2" "$tool" validate --ndjson --quiet "$file" >/dev/null; } 2>&1 | tail -1)
  echo "$1 $(awk -v b="$bytes" '{printf "%.0f %.0f", b / $1 / 1e6, $2 / 1024}' <<<"$report")" >>"$results"
}
for round in $(seq "$rounds"); do
  echo "round $round of $rounds" >&2
  echo "floor $("$floor" "$file" | awk '{print $(NF-1)}') -" >>"$results"
  run_tool one-core 0
  run_tool two-cores 0,1
done

summary() { # label -> median low high (MB/s), peak RSS (MiB, highest)
  grep "^$1 " "$results" | sort -k2 -n | awk '
    { v[NR] = $2; if ($3 != "-" && $3 > rss) rss = $3 }
    END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
          printf "%6.0f %6.0f %6.0f %8s", m, v[1], v[NR], (rss ? rss : "-") }'
}
echo
echo "MB/s (10^6 bytes a second) over $rounds rounds; peak RSS: the highest of the rounds"
printf "%-48s %6s %6s %6s %8s\n" "run" median low high "RSS MiB"
printf "%-48s %s\n" "floor: IgnoredAny on every line, 1 core" "$(summary floor)"
printf "%-48s %s\n" "trtc-live validate --ndjson --quiet, 1 core" "$(summary one-core)"
printf "%-48s %s\n" "trtc-live validate --ndjson --quiet, 2 cores" "$(summary two-cores)"
paste <(grep "^one-core " "$results" | awk '{print $2}') <(grep "^two-cores " "$results" | awk '{print $2}') |
  awk '{ printf "%.4f\n", $2 / $1 }' | sort -n | awk '
    { r[NR] = $1 }
    END { m = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2;
          printf "scaling from 1 to 2 cores (within each round): median %.2fx, from %.2fx to %.2fx\n", m, r[1], r[NR] }'

#!/usr/bin/env bash
# Throughput of `trtc-live drift` against `trtc-live validate --ndjson --quiet` on the same file,
# side by side in alternating rounds (the two commands take turns, the first of each round
# alternating too, so that the machine's drift touches them alike), on two cores, with the peak
# RSS of each (/usr/bin/time). Two files:
#
# - the mixed webhooks of benches/scripts/ndjson.sh (every packet matches its schema: drift only counts);
# - the same file with one packet in 100 given a member the schemas do not name (`"Level":7`),
#   which drift examines further and reports, and validate accepts.
#
# Prints, per file, each command's median, lowest and highest MB/s, and the ratio of drift's
# throughput to validate's within each round (median, lowest, highest).
#
# Usage: benches/scripts/drift.sh [ROUNDS (9)] [SIZE_MIB (1024)]
# Needs: cargo, taskset and /usr/bin/time (Debian: util-linux, time); installs nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=${1:-9}
size_mib=${2:-1024}
cargo build --release --quiet -p trtc-live-cli
tool=target/release/trtc-live
exact=$(benches/scripts/mixed-ndjson.sh "$size_mib" "$tool")
drifting=${exact%.ndjson}-drifting.ndjson
if [ ! -s "$drifting" ]; then
  awk 'NR % 100 == 0 { sub(/^\{/, "{\"Level\":7,") } { print }' "$exact" >"$drifting.part"
  mv "$drifting.part" "$drifting"
fi

results=$(mktemp)
trap 'rm -f "$results"' EXIT
run() { # label file command...
  local label=$1 file=$2 report bytes
  shift 2
  bytes=$(stat -c %s "$file")
  report=$( { /usr/bin/time -f "%e %M" taskset -c 0,1 "$tool" "$@" "$file" >/dev/null || true; } 2>&1 | tail -1)
  echo "$label $(awk -v b="$bytes" '{printf "%.0f %.0f %s", b / $1 / 1e6, $2 / 1024, $1}' <<<"$report")" >>"$results"
}
for file in "$exact" "$drifting"; do
  echo "file: $file, $(stat -c %s "$file") bytes, $(wc -l <"$file") packets" >&2
  cat "$file" >/dev/null
done
for round in $(seq "$rounds"); do
  echo "round $round of $rounds" >&2
  for file in "$exact" "$drifting"; do
    name=$(basename "$file" .ndjson)
    if [ $((round % 2)) -eq 1 ]; then
      run "validate:$name" "$file" validate --ndjson --quiet
      run "drift:$name" "$file" drift
    else
      run "drift:$name" "$file" drift
      run "validate:$name" "$file" validate --ndjson --quiet
    fi
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s %s\n", m, v[1], v[NR] }'; }
echo
echo "MB/s (10^6 bytes a second), 2 cores, over $rounds rounds; peak RSS: the highest of the rounds"
printf "%-46s %7s %7s %7s %8s\n" run median low high "RSS MiB"
for file in "$exact" "$drifting"; do
  name=$(basename "$file" .ndjson)
  for command in validate drift; do
    label="$command:$name"
    read -r m lo hi < <(grep "^$label " "$results" | awk '{print $2}' | median)
    rss=$(grep "^$label " "$results" | awk '{print $3}' | sort -n | tail -1)
    printf "%-46s %7.0f %7.0f %7.0f %8s\n" "$label" "$m" "$lo" "$hi" "$rss"
  done
  read -r m lo hi < <(paste <(grep "^validate:$name " "$results" | awk '{print $4}') \
    <(grep "^drift:$name " "$results" | awk '{print $4}') | awk '{ printf "%.4f\n", $1 / $2 }' | median)
  printf "drift's throughput / validate's, %s (within each round): median %.2fx, from %.2fx to %.2fx\n" "$name" "$m" "$lo" "$hi"
done

#!/usr/bin/env bash
# Builds (once) the NDJSON file of mixed webhooks the NDJSON benchmarks read, under
# target/bench/ndjson/, and prints its path: 2,000 examples of each webhook
# (`trtc-live example COMMAND --count 2000 --seed 1`), repeated until it holds SIZE_MIB MiB.
#
# Usage: benches/scripts/mixed-ndjson.sh SIZE_MIB TOOL (TOOL: the trtc-live binary to make examples with)
set -euo pipefail
cd "$(dirname "$0")/../.."

size_mib=$1
tool=$2
dir=target/bench/ndjson
mkdir -p "$dir"
file=$dir/mixed-${size_mib}MiB.ndjson
if [ ! -s "$file" ]; then
  base=$dir/base.ndjson
  : >"$base"
  for command in $("$tool" list | awk '{print $2}'); do
    "$tool" example "$command" --count 2000 --seed 1 >>"$base"
  done
  : >"$file.part"
  while [ "$(stat -c %s "$file.part")" -lt $((size_mib << 20)) ]; do
    cat "$base" >>"$file.part"
  done
  mv "$file.part" "$file"
fi
echo "$file"

#!/usr/bin/env bash
# Load benchmark of the webhook receivers over loopback, one after the other, with wrk:
#
#   serve, journal off      trtc-live serve --no-journal (release build)
#   serve, journal on       trtc-live serve --journal DIR (fsync before every 200, group commit)
#   node                    packages/npm/bench/reference-receiver.ts: Fastify with the npm
#                           package's adapter (trtc-live-webhooks/fastify), the same checks as
#                           serve, packets read exactly (lossless-json) and validated with ajv
#
# Every receiver gets the same signed request: the End Battle documentation sample
# (schemas/Live.CallbackAfterEndBattle/samples/request.jsonc, comments removed, compact), with
# SdkAppid, Sign and RequestTime. Before it is loaded, each receiver is checked with
# `trtc-live send`: the request must be answered 200 with a valid answer, and a wrong token 401.
# Then a warm-up, then the measured run, with the same connections, threads and duration. The
# run fails if wrk saw any HTTP status >= 400 or any socket error.
#
# Prints one table: requests/s, p50 and p99 latency, and for the journal its records per fsync,
# fsyncs per second and mean fsync time (from the line serve writes at shutdown; they cover the
# warm-up and the run). Figures depend on the machine and on what else runs on it.
#
# Installs nothing. Needs: wrk (Debian: apt-get install wrk), node and the npm package built
# (cd packages/npm && npm ci && npm run build), python3, cargo, sha256sum.
#
# Settings (environment): CONNECTIONS (64), THREADS (wrk threads, 2), DURATION (seconds, 10),
# WARMUP (seconds, 2), SERVE_LOG (RUST_LOG for serve: warn, so that serve does not log one line
# per request, as the Node receiver does not), JOURNAL_PARENT (where the journal's temporary
# directory goes: target/, which must be on a disk, not tmpfs, for fsync to mean anything),
# KEEP=1 keeps the temporary directory.
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
SERVE_LOG=${SERVE_LOG:-warn}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JOURNAL_PARENT=${JOURNAL_PARENT:-$repo/target}
package=$repo/packages/npm
SDK_APP_ID=1400000000

fail() {
    echo "benches/scripts/receiver.sh: $*" >&2
    exit 2
}

for tool in wrk node python3 cargo sha256sum; do
    command -v "$tool" >/dev/null || fail "$tool is not installed$(
        [ "$tool" = wrk ] && echo ' (Debian: apt-get install wrk)')"
done
[ -d "$package/node_modules/fastify" ] && [ -f "$package/dist/esm/index.js" ] ||
    fail "the npm package is not built: (cd packages/npm && npm ci && npm run build)"
# RequestTime must stay within serve's 60 s window from signing to the end of the run.
[ $((WARMUP + DURATION)) -le 50 ] || fail "WARMUP + DURATION must be at most 50 seconds"

echo "Building trtc-live (release) and the Node reference receiver..." >&2
cargo build --quiet --release -p trtc-live-cli --bin trtc-live --manifest-path "$repo/Cargo.toml"
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$repo/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
trtc_live=$target_dir/release/trtc-live
(cd "$package" && node node_modules/typescript/bin/tsc -p bench)
reference=$package/bench/build/reference-receiver.js

mkdir -p "$JOURNAL_PARENT"
work=$(mktemp -d "$JOURNAL_PARENT/bench-receiver.XXXXXX")
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
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
    echo "warning: $work is on tmpfs: fsync costs nothing there (set JOURNAL_PARENT)" >&2

token=bench-token-$RANDOM$RANDOM
printf '%s\n' "$token" >"$work/token"
body=$work/end-battle.json
python3 - "$repo/schemas/Live.CallbackAfterEndBattle/samples/request.jsonc" "$body" <<'EOF'
import json, sys

def without_comments(text):
    """The JSONC text with its // and /* */ comments removed (strings left alone)."""
    out, i, in_string = [], 0, False
    while i < len(text):
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\":
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_string = False
            i += 1
        elif c == '"':
            in_string = True
            out.append(c)
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        elif text.startswith("/*", i):
            i = text.index("*/", i + 2) + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)

source, target = sys.argv[1:]
with open(source, encoding="utf-8") as f:
    packet = json.loads(without_comments(f.read()))  # Python's integers are exact
with open(target, "w", encoding="utf-8") as f:
    f.write(json.dumps(packet, separators=(",", ":"), ensure_ascii=False))
EOF

# start NAME COMMAND...: starts a receiver, its standard error into $work/NAME.log; sets $pid
# and $url once it says where it listens.
start() {
    local name=$1
    shift
    "$@" 2>"$work/$name.log" >/dev/null &
    pid=$!
    pids+=("$pid")
    url=
    local tries
    for tries in $(seq 300); do
        url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/$name.log" | head -n 1)
        [ -n "$url" ] && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$work/$name.log" >&2
    fail "$name did not start"
}

# stop: SIGTERM to the receiver started last, and wait for it to finish.
stop() {
    kill -TERM "$pid"
    local status=0
    wait "$pid" || status=$?
    [ "$status" = 0 ] || fail "the receiver exited with status $status"
}

# check NAME: the receiver answers the benchmark's request 200, and a wrong token 401.
check() {
    "$trtc_live" send --url "$url/webhook" --sdkappid "$SDK_APP_ID" --token-file "$work/token" \
        "$body" >"$work/$1.send" 2>&1 || {
        cat "$work/$1.send" >&2
        fail "$1 does not accept the benchmark's request"
    }
    "$trtc_live" send --url "$url/webhook" --sdkappid "$SDK_APP_ID" --token wrong \
        --format json "$body" >"$work/$1.send" 2>&1 || true
    grep -q '"status":401' "$work/$1.send" || {
        cat "$work/$1.send" >&2
        fail "$1 does not refuse a wrong token with 401"
    }
}

# load NAME: warm-up, then the measured run; sets $result to wrk's result line.
load() {
    local request_time path
    request_time=$(date +%s)
    path="/webhook?SdkAppid=$SDK_APP_ID&CallbackCommand=Live.CallbackAfterEndBattle"
    path+="&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI"
    path+="&Sign=$(printf '%s%s' "$token" "$request_time" | sha256sum | cut -d' ' -f1)"
    path+="&RequestTime=$request_time"
    export WRK_PATH=$path WRK_BODY_FILE=$body
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$repo/benches/scripts/post.lua" "$url" \
        >"$work/$1.warmup" 2>&1
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$repo/benches/scripts/post.lua" \
        "$url" >"$work/$1.wrk" 2>&1 || {
        cat "$work/$1.wrk" >&2
        fail "wrk failed against $1"
    }
    result=$(grep '^wrk-result ' "$work/$1.wrk") || fail "no result from wrk against $1"
}

# field NAME: the value of NAME= in $result.
field() {
    sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$result"
}

rows=()
failed=0
# row LABEL [JOURNAL]: one line of the table from $result.
row() {
    local requests duration errors
    requests=$(field requests)
    duration=$(field duration_us)
    errors=$(($(field status_errors) + $(field connect_errors) + $(field read_errors) +
        $(field write_errors) + $(field timeouts)))
    [ "$errors" = 0 ] || failed=1
    rows+=("$(awk -v label="$1" -v r="$requests" -v d="$duration" -v p50="$(field p50_us)" \
        -v p99="$(field p99_us)" -v e="$errors" -v j="${2:-}" 'BEGIN {
            printf "%-32s %12.0f %9.2f %9.2f %8d  %s", label, r / (d / 1e6), p50 / 1000,
                p99 / 1000, e, j }')")
    rps[$1]=$(awk -v r="$requests" -v d="$duration" 'BEGIN { printf "%.1f", r / (d / 1e6) }')
}
declare -A rps

echo "Running: $CONNECTIONS connections, $THREADS wrk threads, ${WARMUP} s warm-up, ${DURATION} s each..." >&2

start serve-off env RUST_LOG="$SERVE_LOG" NO_COLOR=1 "$trtc_live" serve --sdkappid "$SDK_APP_ID" \
    --token-file "$work/token" --listen 127.0.0.1:0 --no-journal
check serve-off
load serve-off
stop
row "serve, journal off"

start serve-on env RUST_LOG="$SERVE_LOG" NO_COLOR=1 "$trtc_live" serve --sdkappid "$SDK_APP_ID" \
    --token-file "$work/token" --listen 127.0.0.1:0 --journal "$work/journal"
check serve-on
load serve-on
stop
stats=$(grep 'trtc-live serve: journal .*accepted.ndjson' "$work/serve-on.log") ||
    fail "serve did not report its journal"
durable=$(sed -n 's/.*: \([0-9]*\) records durable in.*/\1/p' <<<"$stats")
fsyncs=$(sed -n 's/.* durable in \([0-9]*\) fsyncs.*/\1/p' <<<"$stats")
mean_fsync=$(sed -n 's/.*mean fsync \([0-9.]*\) ms.*/\1/p' <<<"$stats")
journal=$(awk -v r="$durable" -v f="$fsyncs" -v m="$mean_fsync" -v t="$((WARMUP + DURATION))" \
    'BEGIN { printf "%.1f records/fsync, %.0f fsyncs/s, mean fsync %s ms", r / f, f / t, m }')
row "serve, journal on ($filesystem)" "$journal"

start node node "$reference" --sdkappid "$SDK_APP_ID" --token-file "$work/token" \
    --listen 127.0.0.1:0
check node
load node
stop
row "node fastify+trtc-live-webhooks"

echo
echo "Receivers over loopback: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)),"
echo "Linux $(uname -r), $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), node $(node --version);"
echo "$CONNECTIONS connections, $THREADS wrk threads, ${DURATION} s after a ${WARMUP} s warm-up;"
echo "End Battle sample, $(wc -c <"$body") bytes, signed; serve with RUST_LOG=$SERVE_LOG."
echo
printf '%-32s %12s %9s %9s %8s  %s\n' receiver requests/s "p50 ms" "p99 ms" errors journal
for line in "${rows[@]}"; do
    echo "$line"
done
echo
awk -v s="${rps[serve, journal off]}" -v n="${rps[node fastify+trtc-live-webhooks]}" \
    -v o="${rps[serve, journal on ($filesystem)]}" 'BEGIN {
    printf "serve (journal off) / node: %.2fx; serve (journal on) / node: %.2fx; journal on / off: %.2f\n", s / n, o / n, o / s
}'
echo "errors: HTTP statuses >= 400 and socket errors seen by wrk (must be 0)."
echo "journal figures cover the warm-up and the run (from serve's shutdown line)."
if [ "$failed" = 1 ]; then
    echo "benches/scripts/receiver.sh: some requests failed (see the errors column)" >&2
    exit 1
fi

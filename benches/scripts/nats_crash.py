#!/usr/bin/env python3
"""Crash safety of `trtc-live serve --sink nats://...`: replicas and NATS nodes SIGKILLed again
and again under load, then the stream and the application checked.

Run by benches/scripts/nats-crash.sh, which builds the binary and installs nats-server; see there for the
settings. Standard library only.

What it does:
  * starts a three-node JetStream cluster (file storage in the work directory), an application
    (a thread of this script: an HTTP server that records the `webhook-id` of every request and
    answers 500 to --app-fail-rate of them, so that the forwarder retries), and two `serve`
    replicas with `--sink` on the cluster (`--nats-replicas 3`) forwarding to the application
    through the shared durable consumer;
  * runs SENDERS threads, each sending signed, distinct events (End Battle packets with a
    BattleId of their own) over keep-alive connections: each to one replica, again (the same
    body, signed anew) to the other until one answers 200, up to ATTEMPTS times, as Tencent
    retries; one event in three, once answered, is sent a second time to the other replica (a
    duplicate reaching both replicas);
  * every random MIN_GAP..MAX_GAP seconds, SIGKILLs a replica and restarts it on the same port;
    one kill in NATS_EVERY kills a NATS node instead (SIGKILL, its storage kept) and restarts it
    after NATS_DOWN seconds (one node down at a time: the quorum of two holds);
  * after the last kill, stops the senders, leaves the replicas running until the application
    received every event answered 200 (or --drain-timeout), stops them with SIGTERM, reads the
    stream's accepted deliveries with `trtc-live replay --from ... --dry-run --format json`,
    and checks:
      - every event answered 200 is in the stream exactly once (its delivery id once);
      - no event is in the stream twice (duplicates collapsed, across replicas and retries);
      - nothing is in the stream that was not sent;
      - every event answered 200 reached the application at least once (dead letters allowed
        only after --forward-max-attempts failures: none with the default settings);
      - the application received nothing that was not sent.
Prints the counts; exits 1 on any violation, 2 when it cannot run.
"""

import argparse
import hashlib
import http.client
import http.server
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

SDK_APP_ID = "1400000000"
COMMAND = "Live.CallbackAfterEndBattle"
TOKEN = "nats-crash-token"


def delivery_id(body: bytes) -> str:
    """The delivery id of serve (trtc_live_receiver::forward::DeliveryId)."""
    digest = hashlib.sha256()
    for part in (SDK_APP_ID.encode(), COMMAND.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return "trtc_" + digest.hexdigest()[:32]


def battle(battle_id: str) -> bytes:
    return (
        '{"CallbackCommand":"%s","BattleId":"%s","Duration":30000,"CreateTime":1739956115,'
        '"StartTime":1739956115,"EndTime":1739956145,"OpType":0,"FromRoomInfo":{"RoomId":"r",'
        '"Score":0,"Owner_Account":144115245353757792},"ToRoomList":[{"RoomId":"pk","Score":0,'
        '"Owner_Account":144115245442327522}],"EventTime":1739956146119}' % (COMMAND, battle_id)
    ).encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nats:
    """One node of the cluster."""

    def __init__(self, args, name, port, monitor, route, routes):
        self.args, self.name, self.port, self.monitor = args, name, port, monitor
        self.config = os.path.join(args.work, f"{name}.conf")
        with open(self.config, "w") as f:
            f.write(
                f"server_name: {name}\nlisten: 127.0.0.1:{port}\nhttp: 127.0.0.1:{monitor}\n"
                f'jetstream {{ store_dir: "{os.path.join(args.work, name + "-store")}" }}\n'
                f"cluster {{ name: crash, listen: 127.0.0.1:{route}, routes: [{routes}] }}\n"
            )
        self.process = None

    def start(self):
        log = open(os.path.join(self.args.work, f"{self.name}.log"), "a")
        self.process = subprocess.Popen(
            [self.args.nats_server, "-c", self.config], stdout=log, stderr=log
        )

    def wait_ready(self, timeout=30):
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{self.monitor}/healthz", timeout=1
                )
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"nats-server {self.name} did not start")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


class Replica:
    """One `serve --sink` replica, on a fixed port."""

    def __init__(self, args, name, servers, app_url):
        self.args, self.name, self.servers, self.app_url = args, name, servers, app_url
        self.port = free_port()
        self.process = None
        self.starts = 0

    def start(self):
        self.starts += 1
        log = open(os.path.join(self.args.work, f"{self.name}.log"), "a")
        self.process = subprocess.Popen(
            [
                self.args.binary, "serve", "--sdkappid", SDK_APP_ID,
                "--token-file", os.path.join(self.args.work, "token"),
                "--listen", f"127.0.0.1:{self.port}",
                "--sink", self.servers, "--nats-replicas", "3",
                "--nats-ack-timeout-ms", "2000",
                "--forward-to", self.app_url,
                "--forward-secret-file", os.path.join(self.args.work, "secret"),
                "--forward-timeout-ms", "2000", "--forward-backoff-ms", "100",
                "--forward-backoff-max-secs", "2",
                "--forward-max-attempts", str(self.args.forward_max_attempts),
                "--forward-concurrency", str(self.args.forward_concurrency),
            ],
            stdout=subprocess.DEVNULL, stderr=log,
            env={**os.environ, "RUST_LOG": "warn", "NO_COLOR": "1"},
        )
        started = time.monotonic()
        while time.monotonic() - started < 30:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit(f"{self.name} exited: see {log.name}")
                time.sleep(0.05)
        raise SystemExit(f"{self.name} did not start")

    def url(self):
        return f"http://127.0.0.1:{self.port}/webhook"

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


class App:
    """The application: records each request's webhook-id, fails some on purpose."""

    def __init__(self, fail_rate, seed):
        self.received = {}
        self.failed_on_purpose = 0
        self.lock = threading.Lock()
        rng = random.Random(seed)
        app = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                webhook_id = self.headers.get("webhook-id", "")
                with app.lock:
                    fail = rng.random() < fail_rate
                    if fail:
                        app.failed_on_purpose += 1
                    else:
                        app.received[webhook_id] = app.received.get(webhook_id, 0) + 1
                status = 500 if fail else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def sign(request_time: str) -> str:
    return hashlib.sha256((TOKEN + request_time).encode()).hexdigest()


def post(connections, url, body):
    """POSTs body as Tencent does, signed now, over a kept-alive connection: the status, or
    None without an answer."""
    host_port = url.split("/")[2]
    path = "/" + url.split("/", 3)[3]
    now = str(int(time.time()))
    target = (
        f"{path}?SdkAppid={SDK_APP_ID}&CallbackCommand={COMMAND}&contenttype=json"
        f"&ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={sign(now)}&RequestTime={now}"
    )
    for _ in range(2):
        connection = connections.get(host_port)
        if connection is None:
            connection = http.client.HTTPConnection(host_port, timeout=10)
            connections[host_port] = connection
        try:
            connection.request("POST", target, body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connections.pop(host_port, None)
    return None


def sender(number, replicas, stop, attempts, events, lock, counts):
    rng = random.Random(number)
    connections = {}
    n = 0
    while not stop.is_set():
        n += 1
        body = battle(f"crash-{number}-{n}")
        first = rng.randrange(len(replicas))
        answered = None
        for attempt in range(attempts):
            replica = replicas[(first + attempt) % len(replicas)]
            status = post(connections, replica.url(), body)
            with lock:
                counts[status] = counts.get(status, 0) + 1
            if status == 200:
                answered = replica
                break
            time.sleep(0.05)
        duplicate = answered is not None and n % 3 == 0
        if duplicate:
            other = replicas[(replicas.index(answered) + 1) % len(replicas)]
            status = post(connections, other.url(), body)
            with lock:
                counts[("duplicate", status)] = counts.get(("duplicate", status), 0) + 1
        with lock:
            events[delivery_id(body)] = answered is not None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--nats-server", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--min-gap", type=float, default=0.2)
    parser.add_argument("--max-gap", type=float, default=1.0)
    parser.add_argument("--nats-every", type=int, default=10)
    parser.add_argument("--nats-down", type=float, default=1.0)
    parser.add_argument("--attempts", type=int, default=20)
    parser.add_argument("--app-fail-rate", type=float, default=0.02)
    parser.add_argument("--forward-max-attempts", type=int, default=1000)
    parser.add_argument("--forward-concurrency", type=int, default=8)
    parser.add_argument("--drain-timeout", type=float, default=300)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    rng = random.Random(seed)
    print(f"seed {seed}; {args.kills} kills, {args.senders} senders, gaps "
          f"{args.min_gap}-{args.max_gap} s, a NATS node every {args.nats_every} kills", flush=True)

    with open(os.path.join(args.work, "token"), "w") as f:
        f.write(TOKEN + "\n")
    with open(os.path.join(args.work, "secret"), "w") as f:
        f.write("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYo=\n")

    routes_ports = [free_port() for _ in range(3)]
    routes = ", ".join(f'"nats-route://127.0.0.1:{p}"' for p in routes_ports)
    nodes = [
        Nats(args, f"n{i + 1}", free_port(), free_port(), routes_ports[i], routes)
        for i in range(3)
    ]
    for node in nodes:
        node.start()
    for node in nodes:
        node.wait_ready()
    servers = "nats://" + ",".join(f"127.0.0.1:{node.port}" for node in nodes)
    app = App(args.app_fail_rate, seed)
    replicas = [Replica(args, f"replica-{i + 1}", servers, app.url) for i in range(2)]
    try:
        return run(args, rng, nodes, servers, app, replicas)
    finally:
        for process in [n.process for n in nodes] + [r.process for r in replicas]:
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()


def run(args, rng, nodes, servers, app, replicas):
    for replica in replicas:
        replica.start()

    stop = threading.Event()
    events, lock, counts = {}, threading.Lock(), {}
    threads = [
        threading.Thread(
            target=sender, args=(i, replicas, stop, args.attempts, events, lock, counts)
        )
        for i in range(args.senders)
    ]
    for thread in threads:
        thread.start()

    started = time.monotonic()
    replica_kills = nats_kills = 0
    try:
        for kill in range(1, args.kills + 1):
            time.sleep(rng.uniform(args.min_gap, args.max_gap))
            if args.nats_every and kill % args.nats_every == 0:
                node = rng.choice(nodes)
                node.kill()
                nats_kills += 1
                time.sleep(args.nats_down)
                node.start()
                node.wait_ready()
            else:
                replica = rng.choice(replicas)
                replica.kill()
                replica_kills += 1
                replica.start()
            if kill % 25 == 0:
                with lock:
                    print(f"{kill} kills, {len(events)} events so far", flush=True)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    load_seconds = time.monotonic() - started

    answered = {i for i, ok in events.items() if ok}
    drain_started = time.monotonic()
    while time.monotonic() - drain_started < args.drain_timeout:
        with app.lock:
            missing = answered - set(app.received)
        if not missing:
            break
        time.sleep(0.5)
    drain_seconds = time.monotonic() - drain_started
    statuses = [replica.stop() for replica in replicas]

    replay = subprocess.run(
        [args.binary, "replay", "--from", servers, "--to", "http://127.0.0.1:9/unused",
         "--dry-run", "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )
    if replay.returncode not in (0,):
        print(replay.stderr, file=sys.stderr)
        raise SystemExit(2)
    stored = [json.loads(line)["id"] for line in replay.stdout.splitlines()]

    stored_counts = {}
    for i in stored:
        stored_counts[i] = stored_counts.get(i, 0) + 1
    violations = []
    not_stored = [i for i in answered if i not in stored_counts]
    twice = [i for i, c in stored_counts.items() if c > 1]
    unknown = [i for i in stored_counts if i not in events]
    not_received = [i for i in answered if i not in app.received]
    app_unknown = [i for i in app.received if i not in events]
    for name, found in [
        ("answered 200 but not in the stream", not_stored),
        ("in the stream more than once", twice),
        ("in the stream but never sent", unknown),
        ("answered 200 but never received by the application", not_received),
        ("received by the application but never sent", app_unknown),
    ]:
        if found:
            violations.append(f"{len(found)} {name}: {found[:5]}")
    if any(status != 0 for status in statuses):
        violations.append(f"a replica did not stop cleanly: exit statuses {statuses}")

    repeats = sum(1 for c in app.received.values() if c > 1)
    print(f"load {load_seconds:.0f} s: {replica_kills} replica kills, {nats_kills} NATS node kills "
          f"(replicas started {sum(r.starts for r in replicas)} times)")
    print(f"events sent {len(events)}, answered 200 {len(answered)}, never answered "
          f"{len(events) - len(answered)}; requests by status: "
          + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str)))
    print(f"stream: {len(stored)} accepted deliveries, {len(stored_counts)} distinct; "
          f"of the events never answered 200, {len(set(stored_counts) - answered)} stored anyway "
          f"(a late acknowledgement)")
    print(f"application: {len(app.received)} distinct deliveries received (drained in "
          f"{drain_seconds:.1f} s), {repeats} received more than once, "
          f"{app.failed_on_purpose} answered 500 on purpose")
    if violations:
        for violation in violations:
            print("VIOLATION: " + violation)
        return 1
    print("OK: every event answered 200 is in the stream exactly once and reached the "
          "application at least once")
    return 0


if __name__ == "__main__":
    sys.exit(main())

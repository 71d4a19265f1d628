#!/usr/bin/env python3
"""Crash safety of `trtc-live serve`: SIGKILL it again and again under load, and check its journal.

Run by benches/scripts/crash.sh, which builds the binary; see there for the settings. Standard library only.

What it does:
  * starts `serve` with a token on a loopback port, journaling into a fresh directory;
  * runs SENDERS threads, each sending signed, unique deliveries (the End Battle packet with a
    BattleId of its own) over keep-alive connections, one at a time, and logging every attempt
    with the HTTP status it got or the connection error; a delivery that was not answered is sent
    again (same body, fresh RequestTime and Sign), up to ATTEMPTS times, as Tencent retries; one
    delivery in QUARANTINE_EVERY is an authenticated packet that fails its schema (quarantined);
    with PAD_BYTES, one delivery in PAD_EVERY is made large with that many spaces (JSON
    whitespace) after its opening brace, so that the journal's writes span many pages and a
    SIGKILL can land in the middle of one (the kernel stops a write between pages when the
    process is killed): what leaves torn records without help;
  * every random MIN_GAP..MAX_GAP seconds, kills the server with SIGKILL, looks at the end of
    both journal files (a last line without a line break is a torn record), sometimes
    (TEAR_RATE) writes a torn record itself at the end of accepted.ndjson (part of a real record
    line, cut at a random byte: what a crash during a longer write, or a power loss, leaves), and
    restarts the server on the same port and the same journal directory while the senders go on;
  * after the last kill, stops the senders, stops the server with SIGTERM, and checks:
      - every delivery answered 200 is in accepted.ndjson, its record complete: it parses, its
        body is byte for byte what was sent, its command is Live.CallbackAfterEndBattle;
      - every quarantined delivery that was answered (the answer comes only after its record is
        durable) is in quarantine.ndjson, complete, with a reason;
      - every line of both journals parses (torn records are cut off on restart) and belongs to a
        delivery that was sent (none of the torn records written by this script);
      - a delivery is in a journal at most as many times as it was sent (duplicates come only
        from retries of unanswered attempts);
      - every restart that followed a torn record reported it, at the byte offset and with the
        length seen before the restart, and no other restart reported one; the side file
        (accepted.ndjson.torn) holds exactly the torn records, one a line.
  * with --forward, serve is a gateway (`--forward-to`) in front of an application run by this
    script (a thread of it: an HTTP server that records the BattleId of every request and
    answers 500 to a share of them, --app-fail-rate, so that the forwarder retries); after the
    last kill the server is left running until the forwarder has nothing left (or
    --drain-timeout), then stopped, and the checks add:
      - every delivery answered 200 reached the application at least once (dead letters
        allowed only after --forward-max-attempts failures, and counted);
      - the application received nothing that was not sent;
      - the counts of repeats (deliveries received more than once: an attempt in flight or
        finished after the last position saved when the server was killed, or retried after a
        500).
Prints the counts; exits 1 on any violation, 2 when it cannot run.
"""

import argparse
import base64
import hashlib
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SDK_APP_ID = "1400000000"
COMMAND = "Live.CallbackAfterEndBattle"
TORN_LINE = re.compile(
    r"journal (\S+): torn last record cut off at byte (\d+) \((\d+) bytes"
)


def packet(delivery_id, valid, padding=0):
    """The body of one delivery: End Battle, with `delivery_id` as its BattleId and caller room,
    and `padding` spaces after its opening brace (JSON whitespace, to make it large)."""
    body = {
        "CallbackCommand": COMMAND,
        "BattleId": delivery_id,
        "Duration": 30000 if valid else "thirty seconds",
        "CreateTime": 1739956115,
        "StartTime": 1739956115,
        "EndTime": 1739956145,
        "OpType": 0,
        "FromRoomInfo": {"RoomId": delivery_id, "Score": 0, "Owner_Account": 144115245353757792},
        "ToRoomList": [{"RoomId": "pk-5", "Score": 0, "Owner_Account": 144115245442327522}],
        "EventTime": 1739956146119,
    }
    text = json.dumps(body, separators=(",", ":"))
    return ("{" + " " * padding + text[1:]).encode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """The application behind the gateway: records each request's BattleId, answers 500 to a
    share of them."""

    def __init__(self, fail_rate, seed):
        self.lock = threading.Lock()
        self.received = {}  # BattleId -> times received with a 2xx answer
        self.refused = 0
        self.requests = 0
        self.unsigned = 0
        random_answers = random.Random(seed)
        app = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                battle = json.loads(body).get("BattleId")
                with app.lock:
                    app.requests += 1
                    if not self.headers.get("webhook-signature", "").startswith("v1,"):
                        app.unsigned += 1
                    fail = random_answers.random() < fail_rate
                    if fail:
                        app.refused += 1
                    else:
                        app.received[battle] = app.received.get(battle, 0) + 1
                status = 500 if fail else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_):
                pass

        class Quiet(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # connections reset by a killed gateway

        self.server = Quiet(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self):
        with self.lock:
            return dict(self.received), self.requests, self.refused, self.unsigned


class Server:
    """The `serve` processes, one after the other, on the same port and journal directory."""

    def __init__(self, binary, work, port, extra=()):
        self.binary, self.work, self.port, self.extra = binary, work, port, list(extra)
        self.process = None
        self.starts = 0
        self.torn_reports = []  # (tag, journal file name, offset, length)
        self.bind_retries = 0

    def start(self, tag):
        """Starts the next server and waits until it listens; the torn records that it (or a
        start that could not listen) reported are tagged with `tag`."""
        for _ in range(200):
            self.starts += 1
            log = self.work / f"serve-{self.starts:03d}.log"
            with open(log, "wb") as err:
                self.process = subprocess.Popen(
                    [self.binary, "serve", "--sdkappid", SDK_APP_ID,
                     "--token-file", str(self.work / "token"),
                     "--listen", f"127.0.0.1:{self.port}",
                     "--journal", str(self.work / "journal"), *self.extra],
                    stdout=subprocess.DEVNULL, stderr=err,
                    env={**os.environ, "RUST_LOG": "warn", "NO_COLOR": "1"},
                )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                text = log.read_text(errors="replace")
                if "listening on http://" in text:
                    self.note_torn_reports(tag, text)
                    return
                if self.process.poll() is not None:
                    break
                time.sleep(0.005)
            self.process.kill()
            self.process.wait()
            text = log.read_text(errors="replace")
            self.note_torn_reports(tag, text)
            if "cannot listen" not in text:
                raise SystemExit(f"crash.py: serve did not start:\n{text}")
            self.bind_retries += 1  # the port is not free again yet
            time.sleep(0.05)
        raise SystemExit("crash.py: serve could not listen again")

    def note_torn_reports(self, tag, log_text):
        for name, offset, length in TORN_LINE.findall(log_text):
            self.torn_reports.append((tag, Path(name).name, int(offset), int(length)))

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


class Sender(threading.Thread):
    """Sends unique deliveries one after the other; logs every attempt to its own file."""

    def __init__(self, number, args, token, stop):
        super().__init__(name=f"sender-{number}")
        self.number, self.args, self.token, self.stop = number, args, token, stop
        self.log_path = args.work / f"sender-{number:02d}.ndjson"
        self.connection = None
        self.random = random.Random(args.seed * 1000 + number)

    def post(self, body):
        """One attempt: the HTTP status, or the connection error's name."""
        request_time = str(int(time.time()))
        sign = hashlib.sha256((self.token + request_time).encode()).hexdigest()
        path = (f"/webhook?SdkAppid={SDK_APP_ID}&CallbackCommand={COMMAND}&contenttype=json"
                f"&ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={sign}&RequestTime={request_time}")
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.args.port, timeout=10)
            self.connection.request("POST", path, body=body,
                                    headers={"Content-Type": "application/json"})
            response = self.connection.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException) as error:
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            return type(error).__name__

    def run(self):
        with open(self.log_path, "w") as log:
            sequence = 0
            while not self.stop.is_set():
                sequence += 1
                delivery_id = f"crash-{self.args.seed}-{self.number:02d}-{sequence:07d}"
                valid = self.random.randrange(self.args.quarantine_every) != 0
                large = self.args.pad_bytes and self.random.randrange(self.args.pad_every) == 0
                body = packet(delivery_id, valid, self.args.pad_bytes if large else 0)
                entry = {"id": delivery_id, "valid": valid, "length": len(body),
                         "sha256": hashlib.sha256(body).hexdigest(), "attempts": []}
                for _ in range(self.args.attempts):
                    status = self.post(body)
                    entry["attempts"].append(status)
                    # An answer other than 5xx is final (503: the journal refused it).
                    if isinstance(status, int) and status < 500:
                        break
                    time.sleep(0.02)
                log.write(json.dumps(entry) + "\n")


def tail_after_last_line_break(path):
    """(offset, bytes) of what follows the last line break of `path`; bytes empty if none."""
    if not path.exists():
        return 0, b""
    with open(path, "rb") as f:
        end = f.seek(0, os.SEEK_END)
        start = end
        while start > 0:
            start = max(0, start - (1 << 20))
            f.seek(start)
            chunk = f.read(end - start)
            at = chunk.rfind(b"\n")
            if at >= 0:
                return start + at + 1, chunk[at + 1:]
        return 0, chunk if end else b""


def read_journal(path):
    """The records of a journal (id -> list of records) and its lines that do not parse."""
    records, bad = {}, []
    if not path.exists():
        return records, bad
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            if not line.endswith(b"\n"):
                bad.append((f"line {number}: no line break", line[:80]))
                continue
            try:
                record = json.loads(line)
                delivery_id = json.loads(record["body"])["BattleId"]
            except (ValueError, KeyError, TypeError) as error:
                bad.append((f"line {number}: {error}", line[:80]))
                continue
            # What the checks need, not the (possibly large) body itself.
            body = (record.pop("body", None) or "").encode()
            record["length"] = len(body)
            record["sha256"] = hashlib.sha256(body).hexdigest()
            records.setdefault(delivery_id, []).append(record)
    return records, bad


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--min-gap", type=float, default=0.2)
    parser.add_argument("--max-gap", type=float, default=2.0)
    parser.add_argument("--tear-rate", type=float, default=0.2)
    parser.add_argument("--attempts", type=int, default=50)
    parser.add_argument("--pad-bytes", type=int, default=0)
    parser.add_argument("--pad-every", type=int, default=1)
    parser.add_argument("--quarantine-every", type=int, default=10)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100000)
    parser.add_argument("--forward", action="store_true")
    parser.add_argument("--app-fail-rate", type=float, default=0.02)
    parser.add_argument("--forward-concurrency", type=int, default=8)
    parser.add_argument("--forward-max-attempts", type=int, default=1000)
    parser.add_argument("--drain-timeout", type=float, default=300)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    token = f"crash-token-{rng.randrange(10**12)}"
    (args.work / "token").write_text(token + "\n")
    args.port = free_port()
    journal = args.work / "journal"
    accepted_path, quarantine_path = journal / "accepted.ndjson", journal / "quarantine.ndjson"

    app, extra = None, []
    if args.forward:
        app = App(args.app_fail_rate, args.seed)
        secret = "whsec_" + base64.b64encode(rng.randbytes(32)).decode()
        (args.work / "secret").write_text(secret + "\n")
        extra = ["--forward-to", f"http://127.0.0.1:{app.port}/hooks",
                 "--forward-secret-file", str(args.work / "secret"),
                 "--forward-backoff-ms", "20", "--forward-backoff-max-secs", "1",
                 "--forward-concurrency", str(args.forward_concurrency),
                 "--forward-max-attempts", str(args.forward_max_attempts)]
    server = Server(args.binary, args.work, args.port, extra)
    server.start(0)
    stop = threading.Event()
    senders = [Sender(n, args, token, stop) for n in range(args.senders)]
    began = time.monotonic()
    for sender in senders:
        sender.start()

    kills = 0
    natural_torn = []  # (kill number, file name, offset, length)
    injected_torn = []
    expected_reports = []  # (kill number, file name, offset, length)
    torn_bytes = []  # every torn tail of accepted.ndjson, in order
    restart_ms = []
    while kills < args.kills and time.monotonic() - began < args.duration:
        time.sleep(rng.uniform(args.min_gap, args.max_gap))
        server.kill()
        kills += 1
        killed_at = time.monotonic()
        for path in (accepted_path, quarantine_path):
            offset, tail = tail_after_last_line_break(path)
            if tail:
                natural_torn.append((kills, path.name, offset, len(tail)))
        if rng.random() < args.tear_rate:
            line = json.dumps({
                "received_at_ms": int(time.time() * 1000), "remote": "127.0.0.1:1",
                "query": f"SdkAppid={SDK_APP_ID}", "command": COMMAND,
                "body": packet(f"torn-{args.seed}-{kills}", True).decode(),
            }, separators=(",", ":")).encode()
            cut = rng.randrange(1, len(line))
            with open(accepted_path, "ab") as f:
                f.write(line[:cut])
            injected_torn.append((kills, accepted_path.name, cut))
        for path in (accepted_path, quarantine_path):
            offset, tail = tail_after_last_line_break(path)
            if tail:
                expected_reports.append((kills, path.name, offset, len(tail)))
                if path == accepted_path:
                    torn_bytes.append(tail)
        server.start(kills)
        restart_ms.append((time.monotonic() - killed_at) * 1000)
    stop.set()
    for sender in senders:
        sender.join()
    load_seconds = time.monotonic() - began
    drain_seconds = None
    if app is not None:
        # Left running until every record of the journal was forwarded (the forwarder's
        # position at the end of the journal) or the timeout.
        drain_began = time.monotonic()
        position_file = journal / "forward.position"
        while time.monotonic() - drain_began < args.drain_timeout:
            try:
                position = json.loads(position_file.read_text())["offset"]
            except (OSError, ValueError, KeyError):
                position = -1
            if position == accepted_path.stat().st_size:
                break
            time.sleep(0.1)
        drain_seconds = time.monotonic() - drain_began
    status = server.stop()

    # What the senders saw.
    deliveries = {}
    for sender in senders:
        with open(sender.log_path) as log:
            for line in log:
                entry = json.loads(line)
                deliveries[entry["id"]] = entry
    attempts = sum(len(d["attempts"]) for d in deliveries.values())
    answered = {i: d for i, d in deliveries.items() if isinstance(d["attempts"][-1], int)
                and d["attempts"][-1] < 500}
    accepted_ok = {i for i, d in answered.items() if d["valid"] and d["attempts"][-1] == 200}
    quarantine_answered = {i for i, d in answered.items() if not d["valid"]}
    other_answers = {i: d["attempts"][-1] for i, d in answered.items()
                     if i not in accepted_ok and i not in quarantine_answered}
    statuses = {}
    for d in deliveries.values():
        for status_seen in d["attempts"]:
            statuses[str(status_seen)] = statuses.get(str(status_seen), 0) + 1

    # What the journals hold.
    violations = []
    accepted, accepted_bad = read_journal(accepted_path)
    quarantined, quarantine_bad = read_journal(quarantine_path)
    for name, bad in (("accepted", accepted_bad), ("quarantine", quarantine_bad)):
        for problem in bad:
            violations.append(f"{name}: a line does not parse: {problem}")

    def check(records, ids, kind, want_reason):
        missing = mismatched = 0
        for delivery_id in sorted(ids):
            found = records.get(delivery_id, [])
            if not found:
                missing += 1
                violations.append(f"{kind}: {delivery_id} was answered but is not in the journal")
            for record in found:
                if (record["length"] != deliveries[delivery_id]["length"]
                        or record["sha256"] != deliveries[delivery_id]["sha256"]
                        or record.get("command") != COMMAND
                        or bool(record.get("reason")) != want_reason
                        or f"SdkAppid={SDK_APP_ID}" not in record.get("query", "")):
                    mismatched += 1
                    violations.append(f"{kind}: {delivery_id}: record differs: {str(record)[:300]}")
        return missing, mismatched

    missing, mismatched = check(accepted, accepted_ok, "accepted", False)
    q_missing, q_mismatched = check(quarantined, quarantine_answered, "quarantine", True)
    duplicates = unexplained = unknown = wrong_file = 0
    for records, kind, valid in ((accepted, "accepted", True), (quarantined, "quarantine", False)):
        for delivery_id, found in records.items():
            sent = deliveries.get(delivery_id)
            if sent is None:
                unknown += 1
                violations.append(f"{kind}: {delivery_id} is not a delivery that was sent")
                continue
            if sent["valid"] != valid:
                wrong_file += 1
                violations.append(f"{kind}: {delivery_id} is in the wrong journal")
            duplicates += len(found) - 1
            if len(found) > len(sent["attempts"]):
                unexplained += 1
                violations.append(f"{kind}: {delivery_id} is there {len(found)} times, "
                                  f"sent {len(sent['attempts'])} times")
    for delivery_id, status_seen in sorted(other_answers.items()):
        violations.append(f"{delivery_id} was answered {status_seen}")
    in_journal_not_ok = sum(1 for i in accepted if i in deliveries and i not in accepted_ok)

    # Torn records: seen before a restart, reported by that restart, kept in the side file.
    if sorted(server.torn_reports) != sorted(expected_reports):
        violations.append(f"torn records reported {server.torn_reports}, "
                          f"expected {expected_reports}")
    side = journal / "accepted.ndjson.torn"
    side_lines = side.read_bytes().split(b"\n")[:-1] if side.exists() else []
    if side_lines != torn_bytes:
        violations.append(f"accepted.ndjson.torn has {len(side_lines)} lines, "
                          f"expected the {len(torn_bytes)} torn records")
    if status != 0:
        violations.append(f"the last server exited with status {status} after SIGTERM")
    # The event serve logs when a record cannot be written (reason "not_recorded").
    errors_logged = sum(
        log.read_text(errors="replace").count("not_recorded")
        for log in args.work.glob("serve-*.log"))

    forward_rows = []
    if app is not None:
        received, requests, refused, unsigned = app.count()
        dead, dead_bad = read_journal(journal / "dead-letter.ndjson")
        lost = sorted(i for i in accepted_ok if i not in received and i not in dead)
        for delivery_id in lost[:20]:
            violations.append(f"forward: {delivery_id} was answered 200 and never reached "
                              f"the application")
        if len(lost) > 20:
            violations.append(f"forward: {len(lost) - 20} more never reached the application")
        strangers = [i for i in received if i not in deliveries]
        for delivery_id in strangers[:20]:
            violations.append(f"forward: the application received {delivery_id}, never sent")
        if unsigned:
            violations.append(f"forward: {unsigned} requests without a v1 signature")
        for problem in dead_bad:
            violations.append(f"dead-letter.ndjson: a line does not parse: {problem}")
        forwarded_not_ok = sum(1 for i in received if i in deliveries and i not in accepted_ok)
        forward_rows = [
            ("forwarding: time to drain after the load, seconds", f"{drain_seconds:.1f}"),
            ("  requests to the application / answered 500 on purpose", f"{requests} / {refused}"),
            ("  answered 200 and received by the application", sum(1 for i in accepted_ok if i in received)),
            ("  answered 200 and NEVER received nor dead-lettered (must be 0)", len(lost)),
            ("  dead letters", sum(len(r) for r in dead.values())),
            ("  received more than once (repeats allowed: at least once)",
             sum(1 for n in received.values() if n > 1)),
            ("  extra receipts in all", sum(n - 1 for n in received.values())),
            ("  received but not answered 200 (journaled, answer lost to a kill)", forwarded_not_ok),
            ("  received, never sent (must be 0)", len(strangers)),
        ]

    restart_ms.sort()
    rows = [
        ("SIGKILLs (each followed by a restart on the same journal)", kills),
        ("load time, seconds", f"{load_seconds:.1f}"),
        ("server starts (first + restarts + bind retries)", server.starts),
        ("  restarts that had to wait for the port", server.bind_retries),
        ("restart time after SIGKILL, median / max ms",
         f"{restart_ms[len(restart_ms) // 2]:.0f} / {restart_ms[-1]:.0f}" if restart_ms else "-"),
        ("deliveries sent (unique ids)", len(deliveries)),
        *([(f"  padded with {args.pad_bytes} spaces (one in {args.pad_every})",
             sum(1 for d in deliveries.values() if d["length"] > args.pad_bytes))]
          if args.pad_bytes else []),
        ("  valid (for accepted.ndjson)", sum(1 for d in deliveries.values() if d["valid"])),
        ("  invalid (for quarantine.ndjson)",
         sum(1 for d in deliveries.values() if not d["valid"])),
        ("HTTP attempts", attempts),
        ("  by outcome", ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))),
        ("valid deliveries answered 200", len(accepted_ok)),
        ("invalid deliveries answered (quarantined)", len(quarantine_answered)),
        ("deliveries never answered (gave up after the attempts)",
         len(deliveries) - len(answered)),
        ("valid deliveries answered otherwise (must be 0)", len(other_answers)),
        ("records in accepted.ndjson", sum(len(r) for r in accepted.values())),
        ("records in quarantine.ndjson", sum(len(r) for r in quarantined.values())),
        ("answered 200 and found in accepted.ndjson", len(accepted_ok) - missing),
        ("answered 200 and MISSING (must be 0)", missing),
        ("quarantined, answered and MISSING (must be 0)", q_missing),
        ("records differing from what was sent (must be 0)", mismatched + q_mismatched),
        ("lines that do not parse (must be 0)", len(accepted_bad) + len(quarantine_bad)),
        ("records of deliveries never sent, or in the wrong file (must be 0)",
         unknown + wrong_file),
        ("in accepted.ndjson but not answered 200 (allowed: at least once)", in_journal_not_ok),
        ("duplicate records (retries of unanswered attempts)", duplicates),
        ("  duplicates beyond the attempts made (must be 0)", unexplained),
        ("torn records left by SIGKILL itself (seen before a restart)", len(natural_torn)),
        ("torn records written by this script before a restart", len(injected_torn)),
        ("torn records reported and cut off by the restarts", len(server.torn_reports)),
        ("  expected from what was seen (must match)", len(expected_reports)),
        ("lines in accepted.ndjson.torn", len(side_lines)),
        ("journal append failures logged by serve", errors_logged),
        *forward_rows,
    ]
    print(f"crash.py: seed {args.seed}, {args.senders} senders, kill every "
          f"{args.min_gap}-{args.max_gap} s, torn record written after {args.tear_rate:.0%} of "
          f"the kills, work directory {args.work}")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    if natural_torn:
        print("torn by SIGKILL:", natural_torn)
    if violations:
        print(f"\n{len(violations)} VIOLATIONS:", file=sys.stderr)
        for violation in violations[:50]:
            print("  " + violation, file=sys.stderr)
        return 1
    print("\nno violation: every answered delivery is in its journal, whole")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""trtc-live serve under hostile clients, on loopback, at a larger scale than the tests.

Starts `trtc-live serve` (journal on, in a temporary directory) with the given timeouts and
connection limit, then in turn:

  baseline       signed deliveries, one at a time: latency
  idle           IDLE connections that send nothing (at most the limit): the server's file
                 descriptors and resident memory, and delivery latency while they are held
  beyond limit   the limit's worth of idle connections plus EXTRA more queued: how long one
                 delivery waits for a slot
  slowloris      SLOW connections sending their headers a byte every 200 ms: when each is cut,
                 delivery latency meanwhile
  endless body   SLOW connections streaming a chunked body forever: what each gets and when,
                 delivery latency meanwhile

Prints one line per phase. Figures depend on the machine and on what else runs on it.
Installs nothing; needs python3 and a built `trtc-live` (cargo build --release -p trtc-live-cli).

  benches/scripts/hostile.py [--binary target/release/trtc-live] [--idle 500] [--extra 500] [--slow 100]
                   [--max-connections 512] [--header-timeout 2] [--body-timeout 2]
"""

import argparse
import hashlib
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

SDK_APP_ID = "1400000000"
TOKEN = "hostile-bench-token"
PACKET = (
    '{"CallbackCommand": "Live.CallbackAfterEndBattle", "BattleId": "b-1", "Duration": 30000,'
    ' "CreateTime": 1739956115, "StartTime": 1739956115, "EndTime": 1739956145, "OpType": 0,'
    ' "FromRoomInfo": {"RoomId": "pk-3", "Score": 0, "Owner_Account": 144115245353757792},'
    ' "ToRoomList": [{"RoomId": "pk-5", "Score": 0, "Owner_Account": 144115245442327522}],'
    ' "EventTime": 1739956146119}'
)


def signed_query():
    now = str(int(time.time()))
    sign = hashlib.sha256((TOKEN + now).encode()).hexdigest()
    return (
        f"SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&contenttype=json"
        f"&ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={sign}&RequestTime={now}"
    )


def request(body=PACKET):
    return (
        f"POST /webhook?{signed_query()} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"Connection: close\r\n\r\n{body}"
    ).encode()


def read_all(sock):
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


def deliver(address):
    """One signed delivery on a new connection: (status, seconds)."""
    started = time.monotonic()
    with socket.create_connection(address, timeout=30) as sock:
        sock.sendall(request())
        answer = read_all(sock)
    took = time.monotonic() - started
    match = re.match(rb"HTTP/1\.1 (\d{3})", answer)
    return (int(match.group(1)) if match else None), took


def latencies(address, count):
    results = [deliver(address) for _ in range(count)]
    statuses = sorted({status for status, _ in results}, key=str)
    times = sorted(took * 1000 for _, took in results)
    return statuses, statistics.median(times), times[-1]


def server_figures(pid):
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    with open(f"/proc/{pid}/status") as status:
        rss = next(int(l.split()[1]) for l in status if l.startswith("VmRSS:"))
    return fds, rss


def connect_many(address, count):
    """`count` connections, opened one after the other (each handshake done before the next:
    a burst of non-blocking connects overflows the kernel's queues, and the dropped SYNs are
    retried a second later, which would blur every figure)."""
    return [socket.create_connection(address, timeout=5) for _ in range(count)]


def close_all(sockets):
    for sock in sockets:
        sock.close()


def watch_closes(sockets, started, deadline):
    """Seconds from `started` until each socket is closed by the server (None if still open)."""
    closed = [None] * len(sockets)
    for sock in sockets:
        sock.setblocking(False)
    while time.monotonic() < deadline and None in closed:
        for i, sock in enumerate(sockets):
            if closed[i] is not None:
                continue
            try:
                if sock.recv(65536) == b"":
                    closed[i] = time.monotonic() - started
            except BlockingIOError:
                pass
            except OSError:
                closed[i] = time.monotonic() - started
        time.sleep(0.01)
    return closed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/trtc-live")
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--extra", type=int, default=500)
    parser.add_argument("--slow", type=int, default=100)
    parser.add_argument("--max-connections", type=int, default=512)
    parser.add_argument("--header-timeout", type=int, default=2)
    parser.add_argument("--body-timeout", type=int, default=2)
    args = parser.parse_args()
    limit = args.max_connections

    with tempfile.TemporaryDirectory() as directory:
        token_file = os.path.join(directory, "token")
        with open(token_file, "w") as f:
            f.write(TOKEN)
        server = subprocess.Popen(
            [args.binary, "serve", "--sdkappid", SDK_APP_ID, "--listen", "127.0.0.1:0",
             "--token-file", token_file, "--journal", os.path.join(directory, "journal"),
             "--header-timeout-secs", str(args.header_timeout),
             "--body-timeout-secs", str(args.body_timeout),
             "--max-connections", str(limit)],
            stderr=subprocess.PIPE, text=True, env={**os.environ, "RUST_LOG": "warn"},
        )
        try:
            line = server.stderr.readline()
            host, port = re.search(r"http://([\d.]+):(\d+)", line).groups()
            address = (host, int(port))
            threading.Thread(target=lambda: server.stderr.read(), daemon=True).start()
            run(address, server.pid, args, limit)
        finally:
            server.terminate()
            server.wait()


def run(address, pid, args, limit):
    statuses, p50, worst = latencies(address, 50)
    fds, rss = server_figures(pid)
    print(f"baseline: 50 deliveries {statuses}, median {p50:.2f} ms, max {worst:.2f} ms; "
          f"server {fds} fds, {rss} KiB resident")

    idle = connect_many(address, min(args.idle, limit - 1))
    opened = time.monotonic()
    time.sleep(0.5)
    fds_idle, rss_idle = server_figures(pid)
    statuses, p50, worst = latencies(address, 50)
    print(f"idle: {len(idle)} idle connections held: server {fds_idle} fds, {rss_idle} KiB "
          f"resident (+{(rss_idle - rss) / len(idle):.1f} KiB each); 50 deliveries meanwhile "
          f"{statuses}, median {p50:.2f} ms, max {worst:.2f} ms")
    closed = watch_closes(idle, opened, opened + args.header_timeout + 5)
    cut = [c for c in closed if c is not None]
    print(f"idle: {len(cut)}/{len(idle)} closed by the server {min(cut):.3f} to "
          f"{max(cut):.3f} s after the last was opened (header timeout {args.header_timeout} s)")
    close_all(idle)

    first_opened = time.monotonic()
    full = connect_many(address, limit)
    queued = connect_many(address, args.extra)
    fds_full, _ = server_figures(pid)
    sent = time.monotonic()
    status, took = deliver(address)
    print(f"beyond limit: {limit} idle holding every slot (opened in {len(full)} connects) and "
          f"{args.extra} more queued (server {fds_full} fds), opened in "
          f"{sent - first_opened:.3f} s: one delivery then answered {status} after {took:.3f} s, "
          f"{sent + took - first_opened:.3f} s after the first holder opened (header timeout "
          f"{args.header_timeout} s)")
    close_all(full + queued)
    time.sleep(args.header_timeout + 0.5)

    slow = connect_many(address, args.slow)
    opened = time.monotonic()
    time.sleep(0.2)
    head = request()
    stop = threading.Event()

    def drip():
        position = 0
        while not stop.is_set() and position < len(head):
            for sock in slow:
                try:
                    sock.send(head[position:position + 1])
                except OSError:
                    pass
            position += 1
            time.sleep(0.2)

    dripper = threading.Thread(target=drip)
    dripper.start()
    statuses, p50, worst = latencies(address, 20)
    closed = watch_closes(slow, opened, opened + args.header_timeout + 5)
    stop.set()
    dripper.join()
    cut = [c for c in closed if c is not None]
    print(f"slowloris: {args.slow} connections sending a header byte every 200 ms: "
          f"{len(cut)}/{args.slow} cut {min(cut):.3f} to {max(cut):.3f} s after the last was opened; "
          f"20 deliveries "
          f"meanwhile {statuses}, median {p50:.2f} ms, max {worst:.2f} ms")
    close_all(slow)

    endless = connect_many(address, args.slow)
    time.sleep(0.2)
    opening = (f"POST /webhook?{signed_query()} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               "Transfer-Encoding: chunked\r\n\r\n").encode()
    for sock in endless:
        sock.setblocking(True)
        sock.sendall(opening)
    stop = threading.Event()

    def trickle():
        while not stop.is_set():
            for sock in endless:
                try:
                    sock.send(b"1\r\n \r\n")
                except OSError:
                    pass
            time.sleep(0.1)

    started = time.monotonic()  # the heads were sent: the body deadline runs
    trickler = threading.Thread(target=trickle)
    trickler.start()
    statuses, p50, worst = latencies(address, 20)
    answers = []
    for sock in endless:
        sock.settimeout(args.body_timeout + 5)
        data = read_all(sock)
        answers.append((data[9:12].decode(errors="replace"), time.monotonic() - started))
    stop.set()
    trickler.join()
    codes = sorted({code for code, _ in answers})
    times = [t for _, t in answers]
    print(f"endless body: {args.slow} chunked bodies that never end: answered {codes} "
          f"{min(times):.3f} to {max(times):.3f} s after their heads; 20 deliveries meanwhile {statuses}, "
          f"median {p50:.2f} ms, max {worst:.2f} ms")
    close_all(endless)


if __name__ == "__main__":
    sys.exit(main())

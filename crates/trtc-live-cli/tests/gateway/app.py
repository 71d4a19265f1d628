#!/usr/bin/env python3
"""The application behind `trtc-live serve --forward-to`, for the gateway tests: an HTTP server
on loopback that records every request and checks its Standard Webhooks signature with the
`standardwebhooks` package (PyPI), a verifier this project did not write.

Prints `listening on http://127.0.0.1:PORT` on standard output once it listens. Each request
becomes one line of JSON in --record (flushed at once): its path and query, its headers (names
in lower case), its body in base64, the monotonic and wall time it arrived, whether the
signature verified and, if not, why. The answer: the next status of --statuses (a comma-separated
list, used up in order; 200 afterwards), after --delay-ms, with --answer as the body of a 2xx
answer (the OK packet by default).
"""

import argparse
import base64
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

OK = b'{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}'


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--record", required=True)
    parser.add_argument("--secret", required=True, help="the whsec_ secret")
    parser.add_argument("--statuses", default="")
    parser.add_argument("--delay-ms", type=float, default=0)
    parser.add_argument("--answer", default=None)
    parser.add_argument("--tls-cert", default=None, help="a PEM certificate chain: serve https")
    parser.add_argument("--tls-key", default=None, help="the PEM private key of --tls-cert")
    args = parser.parse_args()

    webhook = Webhook(args.secret)
    statuses = [int(s) for s in args.statuses.split(",") if s]
    answer = OK if args.answer is None else args.answer.encode()
    lock = threading.Lock()
    record = open(args.record, "a", encoding="utf-8")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            arrived, wall = time.monotonic(), time.time()
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            try:
                webhook.verify(body, headers, json_parse=False)
                verified, error = True, None
            except (WebhookVerificationError, ValueError) as failure:
                verified, error = False, str(failure)
            with lock:
                status = statuses.pop(0) if statuses else 200
                record.write(json.dumps({
                    "path": self.path,
                    "headers": headers,
                    "body": base64.b64encode(body).decode(),
                    "monotonic": arrived,
                    "time": wall,
                    "verified": verified,
                    "error": error,
                    "status": status,
                }) + "\n")
                record.flush()
            if args.delay_ms:
                time.sleep(args.delay_ms / 1000)
            reply = answer if 200 <= status < 300 else b"failing on purpose"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *_):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            # A gateway killed on purpose leaves connections reset: not worth a traceback.
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", args.port), Handler)
    scheme = "http"
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    print(f"listening on {scheme}://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())

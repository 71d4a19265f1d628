"""TRTC Live webhooks with the standard library alone: python wsgi_app.py PORT (0: any)."""

import os
import sys
from wsgiref.simple_server import make_server

from trtc_live_webhooks import Delivery, Receiver
from trtc_live_webhooks.wsgi import wsgi_app


def on_webhook(delivery: Delivery) -> None:
    print(delivery.command, delivery.webhook.model_dump_json(exclude_unset=True), flush=True)


receiver = Receiver("1400000000", token=os.environ["TRTC_WEBHOOK_TOKEN"])
server = make_server("127.0.0.1", int(sys.argv[1]), wsgi_app(receiver, on_webhook))
print(f"listening on http://127.0.0.1:{server.server_port}", flush=True)
server.serve_forever()

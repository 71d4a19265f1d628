"""The package's ASGI application under uvicorn on a loopback port, for the CLI's tests
(crates/trtc-live-cli/tests/python_package.rs): prints ``listening on URL``, then one line per
delivery; rejects every gift with the pass-through code 102150."""

import asyncio
import os
import socket

import uvicorn

from trtc_live_webhooks import Answer, Delivery, Receiver
from trtc_live_webhooks.asgi import asgi_app


async def on_webhook(delivery: Delivery) -> Answer | None:
    print(delivery.command, flush=True)
    if delivery.command == "Live.CallbackBeforeSendGift":
        return Answer.reject_gift("no gifts today", 102150)
    return None


def main() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    app = asgi_app(Receiver("1400000000", token=os.environ["TRTC_WEBHOOK_TOKEN"]), on_webhook)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    print(f"listening on http://127.0.0.1:{listener.getsockname()[1]}", flush=True)
    asyncio.run(uvicorn.Server(config).serve(sockets=[listener]))


if __name__ == "__main__":
    main()

"""An ASGI application that receives webhooks, with no framework (uvicorn, hypercorn, ...).

.. code-block:: python

    from trtc_live_webhooks import Answer, Receiver
    from trtc_live_webhooks.asgi import asgi_app

    async def on_webhook(delivery):
        return Answer.letting_through(delivery.command)

    app = asgi_app(Receiver("1400000000", token="..."), on_webhook)
    # uvicorn module:app --host 127.0.0.1 --port 8080

The handler may be a coroutine function or a plain function (then run in a thread). Every path
is the webhook's; the checks and answers are those of :func:`trtc_live_webhooks.wsgi.wsgi_app`.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any

from ._body import declared_too_large, not_read, read_limit
from .answers import Answer, HttpResponse
from .receiver import Delivery, ReceiveError, Receiver, answer_response

__all__ = ["asgi_app", "call_handler"]

Handler = Callable[[Delivery], "Answer | None | Awaitable[Answer | None]"]


async def call_handler(handler: Handler, delivery: Delivery) -> Answer | None:
    """``handler(delivery)``: awaited if it is a coroutine function, else run in a thread."""
    if inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(getattr(handler, "__call__", None)):
        return await handler(delivery)  # type: ignore[misc]
    result = await asyncio.to_thread(handler, delivery)
    if inspect.isawaitable(result):
        result = await result
    return result  # type: ignore[return-value]


async def _read(receive: Callable[[], Awaitable[dict[str, Any]]], limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionError("the client disconnected")
        chunk = message.get("body", b"")
        chunks.append(chunk[: limit - size])
        size += len(chunk)
        if size >= limit or not message.get("more_body", False):
            return b"".join(chunks)


async def _answer(scope: dict[str, Any], receive: Any, receiver: Receiver, handler: Handler, clock: Callable[[], float]) -> HttpResponse:
    now = clock()
    method = scope.get("method", "")
    if method != "POST":
        return receiver.response_for(receiver.method_not_allowed(method))
    headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope.get("headers", [])}
    too_large = declared_too_large(receiver, headers.get("content-length"))
    if too_large is not None:
        return receiver.response_for(too_large)
    try:
        body = await _read(receive, read_limit(receiver))
    except ConnectionError as error:
        return receiver.response_for(not_read(str(error)))
    try:
        delivery = receiver.receive(method, scope.get("query_string", b""), body, now)
    except ReceiveError as error:
        return receiver.response_for(error)
    return answer_response(delivery, await call_handler(handler, delivery))


def asgi_app(receiver: Receiver, handler: Handler, *, clock: Callable[[], float] = time.time) -> Callable[..., Awaitable[None]]:
    """An ASGI application checking requests with ``receiver`` and answering accepted ones with
    ``handler(delivery)``; ``clock`` gives the time (tests fix it)."""

    async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        response = await _answer(scope, receive, receiver, handler, clock)
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
        headers.append((b"content-length", str(len(response.body)).encode("ascii")))
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})

    return application

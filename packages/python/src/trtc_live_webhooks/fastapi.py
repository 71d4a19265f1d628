"""FastAPI integration: a router whose one route receives webhooks.

.. code-block:: python

    from fastapi import FastAPI
    from trtc_live_webhooks import Answer, Delivery, Receiver
    from trtc_live_webhooks.fastapi import webhook_router

    async def on_webhook(delivery: Delivery) -> Answer | None:
        return None  # OK; the gift allowed, the message sent unchanged

    app = FastAPI()
    app.include_router(webhook_router(Receiver("1400000000", token="..."), on_webhook, path="/webhook"))

The route reads the raw body itself (not through FastAPI's JSON parsing) and runs every check of
:meth:`Receiver.receive`; every method reaches it, so that a GET is answered 405 as the table
says. ``pip install "trtc-live-webhooks[fastapi]"`` installs FastAPI.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from fastapi import APIRouter, Request, Response

from ._body import declared_too_large, not_read, read_limit
from .answers import HttpResponse
from .asgi import Handler, call_handler
from .receiver import ReceiveError, Receiver, answer_response

__all__ = ["webhook_router"]

_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


async def _read(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        chunks.append(chunk[: limit - size])
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)


def webhook_router(
    receiver: Receiver,
    handler: Handler,
    *,
    path: str = "/webhook",
    clock: Callable[[], float] = time.time,
    **router_options: object,
) -> APIRouter:
    """An :class:`~fastapi.APIRouter` with one route at ``path`` that checks requests with
    ``receiver`` and answers accepted ones with ``handler(delivery)`` (a coroutine function, or
    a plain function run in a thread), returning an ``Answer`` or ``None``; ``clock`` gives the
    time (tests fix it)."""
    router = APIRouter(**router_options)  # type: ignore[arg-type]

    async def receive_webhook(request: Request) -> Response:
        now = clock()
        response = await _answer(request, receiver, handler, now)
        return Response(response.body, response.status, headers=dict(response.headers))

    router.add_api_route(path, receive_webhook, methods=_METHODS, include_in_schema=True)
    return router


async def _answer(request: Request, receiver: Receiver, handler: Handler, now: float) -> HttpResponse:
    if request.method != "POST":
        return receiver.response_for(receiver.method_not_allowed(request.method))
    too_large = declared_too_large(receiver, request.headers.get("content-length"))
    if too_large is not None:
        return receiver.response_for(too_large)
    try:
        body = await _read(request, read_limit(receiver))
    except Exception as error:  # the client went away while sending
        return receiver.response_for(not_read(str(error)))
    try:
        delivery = receiver.receive("POST", request.url.query, body, now)
    except ReceiveError as error:
        return receiver.response_for(error)
    return answer_response(delivery, await call_handler(handler, delivery))

"""A WSGI application that receives webhooks, with no framework.

.. code-block:: python

    from wsgiref.simple_server import make_server
    from trtc_live_webhooks import Answer, Receiver
    from trtc_live_webhooks.wsgi import wsgi_app

    def on_webhook(delivery):
        print(delivery.command, delivery.webhook)
        return Answer.letting_through(delivery.command)

    app = wsgi_app(Receiver("1400000000", token="..."), on_webhook)
    make_server("127.0.0.1", 8080, app).serve_forever()

Every path is the webhook's. A request is checked by :meth:`Receiver.receive`; the handler gets
accepted deliveries only and returns an :class:`Answer` (or ``None``: let the event happen);
every rejection is answered per the receiver's table. A ``Content-Length`` over the receiver's
limit is refused before the body is read, and a body is never read past the limit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from ._body import declared_too_large, not_read, read_limit
from .answers import Answer, HttpResponse
from .receiver import Delivery, ReceiveError, Receiver, answer_response

__all__ = ["wsgi_app"]

Handler = Callable[[Delivery], "Answer | None"]


def _read(environ: dict[str, Any], receiver: Receiver) -> bytes:
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH") or ""
    limit = read_limit(receiver)
    if length.strip().isdigit():
        return stream.read(min(int(length), limit))
    if environ.get("wsgi.input_terminated"):
        return stream.read(limit)
    return b""


def _answer(environ: dict[str, Any], receiver: Receiver, handler: Handler, clock: Callable[[], float]) -> HttpResponse:
    now = clock()
    method = environ.get("REQUEST_METHOD", "")
    if method != "POST":
        return receiver.response_for(receiver.method_not_allowed(method))
    too_large = declared_too_large(receiver, environ.get("CONTENT_LENGTH"))
    if too_large is not None:
        return receiver.response_for(too_large)
    try:
        body = _read(environ, receiver)
    except OSError as error:
        return receiver.response_for(not_read(str(error)))
    try:
        delivery = receiver.receive(method, environ.get("QUERY_STRING", ""), body, now)
    except ReceiveError as error:
        return receiver.response_for(error)
    return answer_response(delivery, handler(delivery))


def wsgi_app(
    receiver: Receiver, handler: Handler, *, clock: Callable[[], float] = time.time
) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """A WSGI application checking requests with ``receiver`` and answering accepted ones with
    ``handler(delivery)``; ``clock`` gives the time (tests fix it)."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        response = _answer(environ, receiver, handler, clock)
        headers = [*response.headers, ("Content-Length", str(len(response.body)))]
        start_response(response.status_line, headers)
        return [response.body]

    return application

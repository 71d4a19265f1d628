"""Reading a request body within the receiver's limit, for the framework adapters."""

from __future__ import annotations

from .receiver import ReceiveError, Receiver, Rejection


def declared_too_large(receiver: Receiver, content_length: str | None) -> ReceiveError | None:
    """The rejection of a ``Content-Length`` over the limit (refused before the body is read)."""
    if content_length is None or not content_length.strip().isdigit():
        return None
    size = int(content_length)
    return receiver.body_too_large(size) if size > receiver.max_body_bytes else None


def read_limit(receiver: Receiver) -> int:
    """How many bytes to read at most: one over the limit, so that the receiver reports it."""
    return receiver.max_body_bytes + 1


def not_read(reason: str) -> ReceiveError:
    """The rejection of a body whose reading failed."""
    return ReceiveError(Rejection.BODY_NOT_READ, f"the body could not be read: {reason}")

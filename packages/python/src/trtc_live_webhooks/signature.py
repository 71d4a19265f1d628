"""Tencent's webhook signature: ``Sign = sha256(Token + RequestTime)``.

As printed in Tencent's Webhooks Overview: the SHA-256 of the token immediately followed by the
``RequestTime`` string, as 64 lowercase hexadecimal digits, and a ``RequestTime`` more than a
minute off the receiver's clock is refused. The signature covers the token and the time only,
not the body nor the other URL parameters: serve the webhook URL over HTTPS.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from fractions import Fraction

__all__ = ["DEFAULT_TOLERANCE", "sign", "signature_matches", "unix_seconds", "verify_signature"]

#: How far ``RequestTime`` may be from the receiver's clock, either way, by default: 60 s, as
#: Tencent's overview says ("more than 1 minute" is invalid). Exactly 60 s is accepted.
DEFAULT_TOLERANCE = 60

_U64_MAX = 2**64 - 1


def sign(token: str, request_time: str) -> str:
    """The ``Sign`` Tencent sends with ``request_time``: SHA-256 of ``token`` followed by
    ``request_time`` (no separator), as 64 lowercase hexadecimal digits."""
    return hashlib.sha256((token + request_time).encode("utf-8")).hexdigest()


def signature_matches(token: str, request_time: str, received: str) -> bool:
    """Whether ``received`` is the signature of ``request_time`` with ``token``.

    Hexadecimal digits are compared without regard to case (a digit's case carries no
    information), in constant time (:func:`hmac.compare_digest`): how long it takes does not
    depend on how many leading digits are right.
    """
    expected = sign(token, request_time).encode("ascii")
    return hmac.compare_digest(expected, received.encode("utf-8", "surrogatepass").lower())


def unix_seconds(text: str) -> int | None:
    """``text`` as Unix seconds: 1 to 20 ASCII decimal digits that fit 64 bits, else ``None``."""
    if not 1 <= len(text) <= 20 or not all("0" <= c <= "9" for c in text):
        return None
    value = int(text)
    return value if value <= _U64_MAX else None


def window_error(
    request_time: int, now: float | Fraction, tolerance: float = DEFAULT_TOLERANCE
) -> str | None:
    """``"too old"`` or ``"in the future"`` when ``request_time`` is more than ``tolerance``
    seconds from ``now`` (exactly ``tolerance`` is accepted; ``now`` keeps its fraction), else
    ``None``. Computed exactly, never rounded."""
    gap = Fraction(now) - request_time
    if gap > Fraction(tolerance):
        return "too old"
    if -gap > Fraction(tolerance):
        return "in the future"
    return None


def verify_signature(token: str, request_time: str, sign: str, now: float | None = None) -> bool:
    """Tencent's check of a webhook URL's ``Sign`` and ``RequestTime``: ``sign`` is the SHA-256
    of ``token`` followed by ``request_time`` (hexadecimal, either case, compared in constant
    time), and ``request_time`` (Unix seconds) is at most 60 s from ``now`` (Unix seconds; the
    system clock when ``None``), either way.

    >>> verify_signature("xxxxyyyy", "1669872112",
    ...     "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061", now=1669872115)
    True
    """
    seconds = unix_seconds(request_time)
    if seconds is None or not signature_matches(token, request_time, sign):
        return False
    return window_error(seconds, time.time() if now is None else now) is None

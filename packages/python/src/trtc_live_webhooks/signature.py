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

__all__ = [
    "DEFAULT_TOLERANCE",
    "sign",
    "signature_matches",
    "trim_token",
    "unix_seconds",
    "verify_signature",
]

#: How far ``RequestTime`` may be from the receiver's clock, either way, by default: 60 s, as
#: Tencent's overview says ("more than 1 minute" is invalid). Exactly 60 s is accepted.
DEFAULT_TOLERANCE = 60

_U64_MAX = 2**64 - 1

#: Unicode's White_Space characters: what Rust's ``str::trim`` and JavaScript's
#: ``\p{White_Space}`` remove. (``str.strip()`` also removes U+001C to U+001F, which are not.)
_WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def trim_token(token: str) -> str:
    """The token as configured with Tencent, without the whitespace around it (Unicode white
    space: spaces, tabs, line breaks...), as the Rust receiver's ``Token::new`` and the npm
    package's ``trimToken`` read it; whitespace inside it is kept. A token read from a file or an
    environment variable often ends with a line break; kept, it would make every ``Sign``
    differ. Tencent's pages give no token that begins or ends with whitespace."""
    return token.strip(_WHITE_SPACE)


def sign(token: str, request_time: str) -> str:
    """The ``Sign`` Tencent sends with ``request_time``: SHA-256 of ``token`` (without the
    whitespace around it, see :func:`trim_token`) followed by ``request_time`` (no separator),
    as 64 lowercase hexadecimal digits."""
    return hashlib.sha256((trim_token(token) + request_time).encode("utf-8")).hexdigest()


def signature_matches(token: str, request_time: str, received: str) -> bool:
    """Whether ``received`` is the signature of ``request_time`` with ``token`` (without the
    whitespace around it). An empty token is refused with ``ValueError``: Tencent's tokens are
    not empty, and an empty one is almost certainly a secret that could not be read.

    Hexadecimal digits are compared without regard to case (a digit's case carries no
    information), in constant time (:func:`hmac.compare_digest`): how long it takes does not
    depend on how many leading digits are right.
    """
    if not trim_token(token):
        raise ValueError("the webhook token is empty")
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
    of ``token`` (without the whitespace around it, as :class:`~.receiver.Receiver` and the Rust
    receiver read it; see :func:`trim_token`) followed by ``request_time`` (hexadecimal, either
    case, compared in constant time), and ``request_time`` (Unix seconds) is at most 60 s from
    ``now`` (Unix seconds; the system clock when ``None``), either way. An empty token raises
    ``ValueError``.

    >>> verify_signature("xxxxyyyy", "1669872112",
    ...     "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061", now=1669872115)
    True
    """
    seconds = unix_seconds(request_time)
    # The signature is compared whatever the time, so that the time taken says nothing.
    matches = signature_matches(token, request_time, sign)
    if seconds is None or not matches:
        return False
    return window_error(seconds, time.time() if now is None else now) is None

"""Receive Tencent TRTC Live (TUILiveKit) webhooks in Python: the JSON Schemas of every packet,
pydantic v2 models, an exact reader, the signature check, and a receiver with the same checks and
answers as the Rust toolkit ``trtc-live-webhooks``.

>>> from trtc_live_webhooks import parse_webhook
>>> battle = parse_webhook(b'{"CallbackCommand": "Live.CallbackAfterEndBattle", ...}')  # doctest: +SKIP
"""

from importlib.metadata import PackageNotFoundError, version

from .answers import Answer, HttpResponse, failure_response
from .models import Webhook
from .receiver import (
    DEFAULT_MAX_BODY_BYTES,
    Delivery,
    InvalidBeforeWebhookPolicy,
    ReceiveError,
    Receiver,
    Rejection,
)
from .signature import DEFAULT_TOLERANCE, sign, trim_token, verify_signature
from .webhook import Issue, WebhookError, WebhookWarning, parse_response, parse_webhook

try:
    __version__ = version("trtc-live-webhooks")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "Answer",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_TOLERANCE",
    "Delivery",
    "HttpResponse",
    "InvalidBeforeWebhookPolicy",
    "Issue",
    "ReceiveError",
    "Receiver",
    "Rejection",
    "Webhook",
    "WebhookError",
    "WebhookWarning",
    "__version__",
    "failure_response",
    "parse_response",
    "parse_webhook",
    "sign",
    "trim_token",
    "verify_signature",
]

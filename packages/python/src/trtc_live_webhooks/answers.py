r"""The answers to webhooks: OK for the notifications, a decision for the two before-webhooks.

Tencent counts anything but HTTP 200 with a JSON body as a failed delivery. For the
notifications the body is ignored; ``Live.CallbackBeforeSendGift`` and
``Group.CallbackBeforeSendMsg`` read its ``ErrorCode`` as a decision:

============================== =================== ================================================
webhook                        ``ErrorCode``       effect
============================== =================== ================================================
``Live.CallbackBeforeSendGift`` 0                  the gift goes through (:meth:`Answer.allow_gift`)
\                               1                  rejected (:meth:`Answer.reject_gift`)
\                               102100 to 102200   rejected, the code passed through
``Group.CallbackBeforeSendMsg`` 0                  sent, rewritten if the answer has ``MsgBody`` or
                                                   ``CloudCustomData`` (:meth:`Answer.send_message`)
\                               1                  not sent; the sender gets error 10016
                                                   (:meth:`Answer.forbid_message`)
\                               2                  dropped silently (:meth:`Answer.drop_message`)
\                               10100 to 10200     not sent; code and ``ErrorInfo`` reach the sender
============================== =================== ================================================

The bodies are byte for byte those of the Rust receiver.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from .models import (
    BEFORE_WEBHOOKS,
    CallbackResponse,
    GroupCallbackBeforeSendMsgResponse,
    LiveCallbackBeforeSendGiftResponse,
    MessageElement,
    REQUEST_MODELS,
)

__all__ = ["Answer", "HttpResponse", "failure_response"]

GIFT = "Live.CallbackBeforeSendGift"
MESSAGE = "Group.CallbackBeforeSendMsg"

_JSON_HEADERS = (("Content-Type", "application/json"),)


@dataclass(frozen=True)
class HttpResponse:
    """An HTTP answer: status, headers and body, for any framework."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = _JSON_HEADERS

    @property
    def status_line(self) -> str:
        """``"200 OK"``, as WSGI's ``start_response`` takes it."""
        return f"{self.status} {HTTPStatus(self.status).phrase}"

    def header(self, name: str) -> str | None:
        """The value of the header ``name`` (any case), if set."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def _json(value: Any) -> bytes:
    # serde_json's compact form: no spaces, non-ASCII as UTF-8, the same escapes.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _text(value: str, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} is not Unicode text (it holds a lone surrogate)") from None
    return value


def failure_response(status: int, info: str) -> HttpResponse:
    """A failure answer: ``status``, and ``{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":info}``
    (1 is accepted by every response schema), as every rejection is answered."""
    packet = {"ActionStatus": "FAIL", "ErrorCode": 1, "ErrorInfo": info}
    return HttpResponse(status, _json(packet))


def _element(element: MessageElement | Mapping[str, Any]) -> MessageElement:
    if isinstance(element, MessageElement):
        return element
    return MessageElement.model_validate(dict(element))


class Answer:
    """What the application answers a webhook it accepted: HTTP 200 and a response packet.

    Build it with :meth:`ok` for a notification, or one of the decisions for a gift
    (:meth:`allow_gift`, :meth:`reject_gift`) or a room message (:meth:`send_message`,
    :meth:`forbid_message`, :meth:`drop_message`). A decision fits only its webhook
    (:meth:`fits`): a gift's pass-through code means nothing to a message.
    """

    __slots__ = ("_packet", "_decides")

    def __init__(self, packet: CallbackResponse | LiveCallbackBeforeSendGiftResponse | GroupCallbackBeforeSendMsgResponse, decides: str | None) -> None:
        self._packet = packet
        self._decides = decides

    # -- notifications -------------------------------------------------------------------

    @classmethod
    def ok(cls) -> Answer:
        """The answer to a notification (and "let it happen" to a before-webhook):
        ``{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}``."""
        return cls(CallbackResponse(ActionStatus="OK", ErrorCode=0, ErrorInfo=""), None)

    # -- gifts ---------------------------------------------------------------------------

    @classmethod
    def allow_gift(cls) -> Answer:
        """Lets the gift through (``ErrorCode`` 0)."""
        return cls._gift(0, "")

    @classmethod
    def reject_gift(cls, reason: str = "", code: int = 1) -> Answer:
        """Rejects the gift: ``code`` 1, or 102100 to 102200 to pass the code through; ``reason``
        is the ``ErrorInfo``."""
        if type(code) is not int or not (code == 1 or 102100 <= code <= 102200):
            raise ValueError(f"a gift is rejected with ErrorCode 1 or 102100 to 102200, not {code!r}")
        return cls._gift(code, _text(reason, "reason"))

    @classmethod
    def _gift(cls, code: int, info: str) -> Answer:
        packet = LiveCallbackBeforeSendGiftResponse(ActionStatus="OK", ErrorCode=code, ErrorInfo=info)
        return cls(packet, GIFT)

    # -- room messages -------------------------------------------------------------------

    @classmethod
    def send_message(
        cls,
        msg_body: Sequence[MessageElement | Mapping[str, Any]] | None = None,
        cloud_custom_data: str | None = None,
    ) -> Answer:
        """Sends the message (``ErrorCode`` 0): as the user wrote it, or with its ``MsgBody``
        and/or ``CloudCustomData`` replaced (``None`` keeps the user's)."""
        fields: dict[str, Any] = {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}
        if msg_body is not None:
            fields["MsgBody"] = [_element(element) for element in msg_body]
        if cloud_custom_data is not None:
            fields["CloudCustomData"] = _text(cloud_custom_data, "cloud_custom_data")
        return cls(GroupCallbackBeforeSendMsgResponse(**fields), MESSAGE)

    @classmethod
    def forbid_message(cls, reason: str = "", code: int = 1) -> Answer:
        """Does not send the message: ``code`` 1 (the sender gets error 10016), or 10100 to 10200
        (the code and ``reason`` reach the sender)."""
        if type(code) is not int or not (code == 1 or 10100 <= code <= 10200):
            raise ValueError(f"a message is forbidden with ErrorCode 1 or 10100 to 10200, not {code!r}")
        return cls._message(code, _text(reason, "reason"))

    @classmethod
    def drop_message(cls) -> Answer:
        """Drops the message silently (``ErrorCode`` 2): the sender is told it was sent."""
        return cls._message(2, "")

    @classmethod
    def _message(cls, code: int, info: str) -> Answer:
        packet = GroupCallbackBeforeSendMsgResponse(ActionStatus="OK", ErrorCode=code, ErrorInfo=info)
        return cls(packet, MESSAGE)

    # -- by command ----------------------------------------------------------------------

    @classmethod
    def letting_through(cls, command: str) -> Answer:
        """The answer to ``command`` that lets the event happen: OK to a notification, "allow"
        to a gift, "send unchanged" to a message."""
        if command == GIFT:
            return cls.allow_gift()
        if command == MESSAGE:
            return cls.send_message()
        return cls.ok()

    @classmethod
    def stopping(cls, command: str, reason: str) -> Answer | None:
        """The answer to ``command`` that stops the event, with ``reason``; ``None`` for a
        notification, which cannot be stopped."""
        if command == GIFT:
            return cls.reject_gift(reason)
        if command == MESSAGE:
            return cls.forbid_message(reason)
        return None

    @classmethod
    def for_webhook(cls, webhook: Any) -> Answer:
        """:meth:`letting_through` the webhook's command (``webhook`` is a request model)."""
        return cls.letting_through(webhook.CallbackCommand)

    # -- reading it ----------------------------------------------------------------------

    @property
    def packet(self) -> CallbackResponse | LiveCallbackBeforeSendGiftResponse | GroupCallbackBeforeSendMsgResponse:
        """The response packet, as a model."""
        return self._packet.model_copy(deep=True)

    def fits(self, command: str) -> bool:
        """Whether this answer can be given to ``command``: OK fits every command, a gift
        decision only the gift webhook, a message decision only the message webhook."""
        return self._decides is None or self._decides == command

    @property
    def kind(self) -> str:
        """What kind of answer this is, in words: ``the OK answer``, ``a gift decision`` or ``a
        message decision``."""
        return {None: "the OK answer", GIFT: "a gift decision", MESSAGE: "a message decision"}[self._decides]

    @property
    def lets_through(self) -> bool:
        """Whether the answer lets the event happen (``ErrorCode`` 0)."""
        return self._packet.ErrorCode == 0

    def to_json(self) -> bytes:
        """The JSON body, as the Rust receiver writes it (members in the order of the Rust
        types)."""
        packet = self._packet
        fields: dict[str, Any] = {"ActionStatus": packet.ActionStatus}
        if getattr(packet, "CloudCustomData", None) is not None:
            fields["CloudCustomData"] = packet.CloudCustomData
        fields["ErrorCode"] = packet.ErrorCode
        fields["ErrorInfo"] = packet.ErrorInfo
        msg_body = getattr(packet, "MsgBody", None)
        if msg_body is not None:
            fields["MsgBody"] = [
                {"MsgContent": e.MsgContent, "MsgType": e.MsgType, **(e.model_extra or {})}
                for e in msg_body
            ]
        return _json(fields)

    def response(self) -> HttpResponse:
        """HTTP 200, ``Content-Type: application/json``, the JSON body."""
        return HttpResponse(200, self.to_json())

    def __repr__(self) -> str:
        return f"Answer({self.to_json().decode('utf-8')})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Answer) and (self._decides, self.to_json()) == (other._decides, other.to_json())

    def __hash__(self) -> int:
        return hash((self._decides, self.to_json()))


def _check_tables() -> None:
    # The answers above name the two before-webhooks; the generated tables must agree.
    assert BEFORE_WEBHOOKS == {GIFT, MESSAGE} and GIFT in REQUEST_MODELS, BEFORE_WEBHOOKS


_check_tables()

"""Receiving webhooks: every check of a request, in the Rust receiver's order, and the answers.

:meth:`Receiver.receive` takes the request's method, query string and body, and an explicit
``now`` (the clock is a parameter, so tests never depend on wall time). It checks, in this
order, and raises the :class:`ReceiveError` of the first check that fails:

1. the method is POST;
2. the body is at most ``max_body_bytes`` (1 MiB by default);
3. the query string names no parameter twice;
4. ``SdkAppid`` is present and is this application's;
5. with a token: ``Sign`` is present, ``RequestTime`` is present and is Unix seconds, ``Sign``
   is right (SHA-256 of the token followed by ``RequestTime``, hexadecimal in either case,
   compared in constant time), and ``RequestTime`` is within 60 s of ``now``, either way;
6. the URL's command word: ``CallbackCommand``, or ``WebhookCommand`` (the newest English
   overview's name for it); both present with different words are refused;
7. the URL parameters match their schema;
8. the body is JSON; 9. its ``CallbackCommand`` is known; 10. it is the URL's; 11. the packet
   matches its schema and its model.

So a body that is not authenticated is never parsed. Each rejection has its answer
(:attr:`Rejection.status` and a FAIL packet with :attr:`Rejection.error_info`), the same as the
Rust receiver's, byte for byte.
"""

from __future__ import annotations

import enum
import json
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import unquote_to_bytes

from pydantic import ValidationError

from ._json import JsonSyntaxError, parse_json
from .answers import Answer, HttpResponse, failure_response
from .models import BEFORE_WEBHOOKS, REQUEST_MODELS, Webhook, WebhookUrlParameters
from ._warnings import WebhookWarning, request_warnings, url_warnings
from .signature import DEFAULT_TOLERANCE, signature_matches, trim_token, unix_seconds, window_error
from .webhook import Issue, WebhookError, _command_of, _schema_issues, _typed

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "Delivery",
    "InvalidBeforeWebhookPolicy",
    "ReceiveError",
    "Receiver",
    "Rejection",
]

#: The largest body accepted by default: 1 MiB (every documented packet is under 2 KiB).
DEFAULT_MAX_BODY_BYTES = 1 << 20


class Rejection(enum.Enum):
    """Why a request was refused: one member per check, in the order the checks run, with its
    HTTP status and the fixed ``ErrorInfo`` of its FAIL packet (never anything the request
    carried). The values are the names of the Rust receiver's ``ReceiveError`` variants."""

    METHOD_NOT_ALLOWED = "MethodNotAllowed"
    BODY_TOO_LARGE = "BodyTooLarge"
    BODY_NOT_READ = "BodyNotRead"
    REPEATED_PARAMETER = "RepeatedParameter"
    SDK_APP_ID_MISSING = "SdkAppIdMissing"
    SDK_APP_ID_MISMATCH = "SdkAppIdMismatch"
    SIGN_MISSING = "SignMissing"
    REQUEST_TIME_MISSING = "RequestTimeMissing"
    REQUEST_TIME_INVALID = "RequestTimeInvalid"
    SIGN_MISMATCH = "SignMismatch"
    REQUEST_TIME_TOO_OLD = "RequestTimeTooOld"
    REQUEST_TIME_IN_FUTURE = "RequestTimeInFuture"
    URL_COMMAND_CONFLICT = "UrlCommandConflict"
    URL_PARAMETERS = "UrlParameters"
    NOT_JSON = "NotJson"
    UNKNOWN_COMMAND = "UnknownCommand"
    COMMAND_MISMATCH = "CommandMismatch"
    SCHEMA = "Schema"

    @property
    def status(self) -> int:
        """The HTTP status, before any :class:`InvalidBeforeWebhookPolicy`."""
        return _TABLE[self][0]

    @property
    def error_info(self) -> str:
        """The ``ErrorInfo`` of the FAIL packet."""
        return _TABLE[self][1]

    @property
    def authenticated(self) -> bool:
        """Whether a request refused for this reason passed the ``SdkAppid`` check and, with a
        token, the signature and time checks: its payload is genuine, worth keeping."""
        return _TABLE[self][2]


_TABLE: dict[Rejection, tuple[int, str, bool]] = {
    Rejection.METHOD_NOT_ALLOWED: (405, "webhooks are POST requests", False),
    Rejection.BODY_TOO_LARGE: (413, "body too large", False),
    Rejection.BODY_NOT_READ: (400, "body could not be read", False),
    Rejection.REPEATED_PARAMETER: (400, "a query parameter is repeated", False),
    Rejection.SDK_APP_ID_MISSING: (400, "SdkAppid missing", False),
    Rejection.SDK_APP_ID_MISMATCH: (403, "SdkAppid is not this application's", False),
    Rejection.SIGN_MISSING: (401, "Sign missing", False),
    Rejection.REQUEST_TIME_MISSING: (401, "RequestTime missing", False),
    Rejection.REQUEST_TIME_INVALID: (401, "RequestTime is not Unix seconds", False),
    Rejection.SIGN_MISMATCH: (401, "Sign does not match", False),
    Rejection.REQUEST_TIME_TOO_OLD: (401, "RequestTime too old", False),
    Rejection.REQUEST_TIME_IN_FUTURE: (401, "RequestTime in the future", False),
    Rejection.URL_COMMAND_CONFLICT: (400, "CallbackCommand and WebhookCommand differ", True),
    Rejection.URL_PARAMETERS: (400, "invalid URL parameters", True),
    Rejection.NOT_JSON: (400, "body is not JSON", True),
    Rejection.UNKNOWN_COMMAND: (400, "unknown CallbackCommand", True),
    Rejection.COMMAND_MISMATCH: (400, "CallbackCommand differs between URL and body", True),
    Rejection.SCHEMA: (422, "packet does not match its schema", True),
}


class InvalidBeforeWebhookPolicy(enum.Enum):
    """What to answer ``Live.CallbackBeforeSendGift`` or ``Group.CallbackBeforeSendMsg`` when
    the request is authenticated but its payload cannot be read (URL parameters, JSON, command
    or schema): Tencent reads these answers as decisions.

    ``FAIL_DELIVERY`` (the default) answers the failure status, so that Tencent applies the
    application's own failure behaviour (a gift is blocked unless
    ``Live.CallbackBeforeCallBackNotBlock`` is configured). ``ALLOW`` answers HTTP 200 with the
    decision that lets the event happen; ``REFUSE`` with the one that stops it.
    """

    FAIL_DELIVERY = "fail_delivery"
    ALLOW = "allow"
    REFUSE = "refuse"


def _shown(text: str) -> str:
    """``text`` quoted for a message, cut after 100 characters (it comes from the request)."""
    if len(text) <= 100:
        return json.dumps(text, ensure_ascii=False)
    return f"{json.dumps(text[:100], ensure_ascii=False)}... ({len(text.encode('utf-8', 'replace'))} bytes)"


class ReceiveError(Exception):
    """A refused request: :attr:`rejection` says which check failed; ``str(error)`` says what
    was found (never the token).

    :attr:`command` is the command the request is for once it is authenticated (the URL's
    ``CallbackCommand`` when it names a known command; for ``SCHEMA``, the body's), ``None``
    before. :attr:`errors` carries the issues of the URL parameters, the JSON or the packet.
    """

    def __init__(
        self,
        rejection: Rejection,
        message: str,
        *,
        command: str | None = None,
        errors: list[Issue] | None = None,
    ) -> None:
        super().__init__(message)
        self.rejection = rejection
        self.command = command
        self.errors = errors or []

    @property
    def status(self) -> int:
        """The HTTP status of the table, before any policy."""
        return self.rejection.status

    @property
    def error_info(self) -> str:
        """The ``ErrorInfo`` of the FAIL packet."""
        return self.rejection.error_info

    @property
    def is_authenticated(self) -> bool:
        """See :attr:`Rejection.authenticated`."""
        return self.rejection.authenticated

    def response(
        self, policy: InvalidBeforeWebhookPolicy = InvalidBeforeWebhookPolicy.FAIL_DELIVERY
    ) -> HttpResponse:
        """The answer: the FAIL packet with the table's status (and ``Allow: POST`` for 405),
        or, for an authenticated before-webhook, the decision of ``policy``."""
        if self.is_authenticated and self.command in BEFORE_WEBHOOKS:
            if policy is InvalidBeforeWebhookPolicy.ALLOW:
                return Answer.letting_through(self.command).response()
            if policy is InvalidBeforeWebhookPolicy.REFUSE:
                stopping = Answer.stopping(self.command, self.error_info)
                assert stopping is not None
                return stopping.response()
        response = failure_response(self.status, self.error_info)
        if self.rejection is Rejection.METHOD_NOT_ALLOWED:
            response = HttpResponse(response.status, response.body, response.headers + (("Allow", "POST"),))
        return response


@dataclass(frozen=True)
class Delivery:
    """An accepted webhook: its URL parameters and its packet, both typed and valid, the body
    exactly as received, and what they are still worth a warning for."""

    #: The URL's query parameters (unknown ones in ``model_extra``).
    parameters: WebhookUrlParameters
    #: The packet: one of the request models.
    webhook: Webhook
    #: The body, as received.
    body: bytes
    #: The warnings of the URL parameters and of the packet, the URL's first, as the Rust
    #: receiver's ``Delivery::warnings``: values of open enumerations outside their known values
    #: (``unknown_enum_value``: an ``OptPlatform`` of a new client platform), members the packet
    #: lacks as an older revision (``older_revision``), semantic checks (``semantic``). They
    #: never change the verdict: the delivery is accepted all the same; log them, count them.
    warnings: tuple[WebhookWarning, ...] = field(default=())

    @property
    def command(self) -> str:
        """The webhook's command word."""
        return self.webhook.CallbackCommand


class _RepeatedName(Exception):
    pass


def _decode_component(raw: bytes) -> str:
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8", "replace")


def parse_query(query: str | bytes) -> dict[str, str]:
    """The parameters of a query string, decoded as ``application/x-www-form-urlencoded``
    (``+`` is a space, percent escapes are UTF-8, invalid UTF-8 becomes U+FFFD); raises
    ``ValueError`` naming a parameter given twice."""
    if isinstance(query, str):
        try:
            raw = query.encode("latin-1")  # WSGI's QUERY_STRING: bytes decoded as latin-1.
        except UnicodeEncodeError:
            raw = query.encode("utf-8")
    else:
        raw = bytes(query)
    parameters: dict[str, str] = {}
    for piece in raw.split(b"&"):
        if not piece:
            continue
        name, _, value = piece.partition(b"=")
        key = _decode_component(name)
        if key in parameters:
            raise _RepeatedName(key)
        parameters[key] = _decode_component(value)
    return parameters


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class Receiver:
    """Checks webhook requests for one application and turns them into typed deliveries.

    ``sdk_app_id`` is the application's SDKAppID (1 to 20 digits); with a ``token`` (the one set
    with Tencent's ``set_callback_token``) every request must carry a right ``Sign`` and a fresh
    ``RequestTime``; without one they are neither required nor checked. The whitespace around
    the token is removed (:func:`~.signature.trim_token`: a token file's line break), as the
    Rust receiver's ``Token::new`` does. Build it once and share it. Its ``repr`` never shows
    the token.
    """

    def __init__(
        self,
        sdk_app_id: str,
        token: str | None = None,
        *,
        tolerance: float = DEFAULT_TOLERANCE,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        invalid_before_webhook: InvalidBeforeWebhookPolicy = InvalidBeforeWebhookPolicy.FAIL_DELIVERY,
    ) -> None:
        if not (isinstance(sdk_app_id, str) and 1 <= len(sdk_app_id) <= 20 and all("0" <= c <= "9" for c in sdk_app_id)):
            raise ValueError(f"the SDKAppID must be 1 to 20 decimal digits, not {sdk_app_id!r}")
        if token is not None:
            token = trim_token(token)
        if token is not None and not token:
            raise ValueError("the webhook token is empty")
        if max_body_bytes <= 0:
            raise ValueError("the body size limit is 0 bytes")
        if tolerance < 0:
            raise ValueError("the tolerance is negative")
        self.sdk_app_id = sdk_app_id
        self._token = token
        self.tolerance = tolerance
        self.max_body_bytes = max_body_bytes
        self.invalid_before_webhook = InvalidBeforeWebhookPolicy(invalid_before_webhook)

    @property
    def has_token(self) -> bool:
        """Whether requests must be signed."""
        return self._token is not None

    def __repr__(self) -> str:
        token = "***" if self._token is not None else None
        return (
            f"Receiver(sdk_app_id={self.sdk_app_id!r}, token={token}, tolerance={self.tolerance!r}, "
            f"max_body_bytes={self.max_body_bytes!r}, invalid_before_webhook={self.invalid_before_webhook})"
        )

    def receive(self, method: str, query: str | bytes, body: bytes, now: float | None = None) -> Delivery:
        """Checks a request (``method``, the raw ``query`` string without ``?``, ``body``)
        received at ``now`` (Unix seconds; the system clock when ``None``); returns the
        delivery or raises the :class:`ReceiveError` of the first check that fails."""
        if method != "POST":
            raise self.method_not_allowed(method)
        body = bytes(body)
        if len(body) > self.max_body_bytes:
            raise self.body_too_large(len(body))
        try:
            parameters = parse_query(query)
        except _RepeatedName as repeated:
            raise ReceiveError(
                Rejection.REPEATED_PARAMETER,
                f"query parameter {_shown(str(repeated))} is given more than once",
            ) from None
        self._authenticate(parameters, time.time() if now is None else now)

        # The command word: CallbackCommand, or WebhookCommand (the newest English overview's
        # name for it); both, with different words, are refused.
        callback_word = parameters.get("CallbackCommand")
        webhook_word = parameters.get("WebhookCommand")
        if callback_word is not None and webhook_word is not None and callback_word != webhook_word:
            raise ReceiveError(
                Rejection.URL_COMMAND_CONFLICT,
                f"the URL names two commands: CallbackCommand {_shown(callback_word)} and "
                f"WebhookCommand {_shown(webhook_word)}",
            )
        url_word = callback_word if callback_word is not None else (webhook_word or "")
        url_command = url_word if url_word in REQUEST_MODELS else None
        issues = _schema_issues("WebhookUrlParameters", parameters)
        if issues:
            raise ReceiveError(
                Rejection.URL_PARAMETERS,
                f"the URL parameters break their schema: {len(issues)} violation(s)"
                + "".join(f"\n  {issue}" for issue in issues),
                command=url_command,
                errors=issues,
            )
        try:
            packet = parse_json(body)
        except JsonSyntaxError as error:
            issue = Issue("", "syntax", error.message, "syntax", error.line, error.column)
            raise ReceiveError(Rejection.NOT_JSON, f"the body is not JSON: {error}", command=url_command, errors=[issue]) from None
        try:
            command = _command_of(packet)
        except WebhookError as error:
            raise ReceiveError(Rejection.UNKNOWN_COMMAND, error.errors[0].message, command=url_command, errors=error.errors) from None
        if url_word != command:
            raise ReceiveError(
                Rejection.COMMAND_MISMATCH,
                f"CallbackCommand differs: {_shown(url_word)} in the URL, {_shown(command)} in the body",
                command=url_command,
            )
        model = REQUEST_MODELS[command]
        try:
            issues = _schema_issues(model.__name__, packet)
            if issues:
                raise WebhookError(issues, command)
            webhook = _typed(model, packet, command)
        except WebhookError as error:
            raise ReceiveError(Rejection.SCHEMA, str(error), command=command, errors=error.errors) from None
        try:
            url_parameters = WebhookUrlParameters.model_validate(parameters)
        except ValidationError as error:  # the schema accepted them: cannot happen
            raise ReceiveError(Rejection.URL_PARAMETERS, str(error), command=url_command) from None
        warnings = (*url_warnings(parameters), *request_warnings(command, packet))
        return Delivery(url_parameters, webhook, body, warnings)

    def _authenticate(self, parameters: dict[str, str], now: float) -> None:
        found = parameters.get("SdkAppid")
        if found is None:
            raise ReceiveError(Rejection.SDK_APP_ID_MISSING, "the URL has no SdkAppid parameter")
        if found != self.sdk_app_id:
            raise ReceiveError(Rejection.SDK_APP_ID_MISMATCH, f"SdkAppid {_shown(found)} is not this application's")
        if self._token is None:
            return
        received = parameters.get("Sign")
        if received is None:
            raise ReceiveError(Rejection.SIGN_MISSING, "the URL has no Sign parameter, and a token is configured")
        request_time_text = parameters.get("RequestTime")
        if request_time_text is None:
            raise ReceiveError(Rejection.REQUEST_TIME_MISSING, "the URL has no RequestTime parameter, and a token is configured")
        request_time = unix_seconds(request_time_text)
        if request_time is None:
            raise ReceiveError(
                Rejection.REQUEST_TIME_INVALID,
                f"RequestTime {_shown(request_time_text)} is not Unix seconds (1 to 20 decimal digits)",
            )
        if not signature_matches(self._token, request_time_text, received):
            raise ReceiveError(Rejection.SIGN_MISMATCH, "Sign does not match the token and RequestTime")
        problem = window_error(request_time, now, self.tolerance)
        if problem is not None:
            clock = int(now) if now >= 0 else 0
            gap = abs(clock - request_time)
            if problem == "too old":
                rejection, where = Rejection.REQUEST_TIME_TOO_OLD, "before"
            else:
                rejection, where = Rejection.REQUEST_TIME_IN_FUTURE, "after"
            raise ReceiveError(
                rejection,
                f"RequestTime {request_time} is {gap} s {where} the receiver's clock ({clock}), "
                f"more than the {_seconds(self.tolerance)} s allowed",
            )

    @staticmethod
    def method_not_allowed(method: str) -> ReceiveError:
        """The rejection of a request whose method is not POST (methods are case-sensitive)."""
        return ReceiveError(Rejection.METHOD_NOT_ALLOWED, f"method {_shown(method)} not allowed: webhooks are POSTed")

    def body_too_large(self, size: int) -> ReceiveError:
        """The rejection of a body of ``size`` bytes over the limit (for adapters that refuse a
        body before reading it all)."""
        return ReceiveError(
            Rejection.BODY_TOO_LARGE,
            f"body of {size} bytes is over the limit of {self.max_body_bytes} bytes",
        )

    def response_for(self, error: ReceiveError) -> HttpResponse:
        """The answer to ``error``, with this receiver's :class:`InvalidBeforeWebhookPolicy`."""
        return error.response(self.invalid_before_webhook)

    def respond(
        self,
        method: str,
        query: str | bytes,
        body: bytes,
        handler: Callable[[Delivery], Answer | None],
        now: float | None = None,
    ) -> HttpResponse:
        """The whole exchange: checks the request, calls ``handler`` with an accepted delivery,
        and gives the HTTP answer. A handler returning ``None`` lets the event happen
        (:meth:`Answer.letting_through`). An answer that does not fit the webhook (a gift
        decision to a message) is a bug of the handler: it is answered 500 with a FAIL packet,
        a failed delivery, rather than misread by Tencent."""
        try:
            delivery = self.receive(method, query, body, now)
        except ReceiveError as error:
            return self.response_for(error)
        return answer_response(delivery, handler(delivery))


def answer_response(delivery: Delivery, answer: Answer | None) -> HttpResponse:
    """The HTTP answer to ``delivery`` from the handler's ``answer`` (see :meth:`Receiver.respond`)."""
    if answer is None:
        answer = Answer.letting_through(delivery.command)
    if not isinstance(answer, Answer):
        return failure_response(500, "the handler did not return an Answer")
    if not answer.fits(delivery.command):
        return failure_response(500, f"{answer.kind} cannot answer {delivery.command}")
    return answer.response()

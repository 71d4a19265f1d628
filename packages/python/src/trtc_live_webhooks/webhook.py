"""Reading a packet: exact JSON, its command, its schema, its typed model."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from ._json import JsonSyntaxError, parse_json
from ._warnings import WebhookWarning, open_enum, request_warnings
from .models import CONFIGURATION_WORDS, REQUEST_MODELS, RESPONSE_MODELS, Webhook
from .schemas import validator_of

__all__ = ["Issue", "WebhookError", "WebhookWarning", "parse_response", "parse_webhook"]


@dataclass(frozen=True)
class Issue:
    """One thing wrong with a packet.

    ``kind`` is the kind of the Rust validator's report: ``syntax`` (not JSON), ``unknown_command``
    (no known ``CallbackCommand``), ``schema`` (the packet breaks its schema) or ``decode`` (the
    schema accepts it but the typed model cannot hold it exactly: an integer written
    ``30000.0``, ``1e2`` or ``-0``).
    """

    #: Where, as a JSON pointer (``/ToRoomList/0/RoomId``; ``""`` for the whole packet).
    pointer: str
    #: The JSON Schema keyword that failed (``required``, ``enum``, ``type``...); for the other
    #: kinds, the kind itself.
    keyword: str
    #: What is wrong, in words.
    message: str
    #: ``syntax``, ``unknown_command``, ``schema`` or ``decode``.
    kind: str = "schema"
    #: For a syntax error: the line and column (from 1) in the text.
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.pointer or "(packet)"
        if self.line is not None:
            where = f"line {self.line} column {self.column}"
        return f"{where}: {self.message}"


class WebhookError(ValueError):
    """A packet that is not read: ``errors`` holds every :class:`Issue` found (for a packet that
    breaks its schema, every violation, sorted by place).

    ``malformed`` is true when the text is not JSON; ``command`` is the packet's command word
    when it has a known one.
    """

    def __init__(self, errors: list[Issue], command: str | None = None) -> None:
        self.errors = errors
        self.command = command
        what = f"not a valid {command} packet" if command else "not a valid packet"
        if errors and errors[0].kind == "syntax":
            what = "malformed JSON"
        details = "; ".join(str(issue) for issue in errors)
        super().__init__(f"{what}: {details}")

    @property
    def malformed(self) -> bool:
        """Whether the text is not JSON."""
        return any(issue.kind == "syntax" for issue in self.errors)


def _pointer(path: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _syntax_error(error: JsonSyntaxError) -> WebhookError:
    return WebhookError(
        [Issue("", "syntax", error.message, "syntax", error.line, error.column)]
    )


def _known_commands() -> str:
    return ", ".join(sorted(REQUEST_MODELS))


def _command_of(packet: Any) -> str:
    """The packet's known command word, or the ``unknown_command`` error, as the Rust validator
    routes packets."""
    if not isinstance(packet, dict):
        pointer, message = "", "the packet is not a JSON object, so it has no CallbackCommand"
    elif "CallbackCommand" not in packet:
        pointer, message = "", "the packet has no CallbackCommand"
    elif not isinstance(packet["CallbackCommand"], str):
        pointer, message = "/CallbackCommand", "CallbackCommand is not a string"
    elif packet["CallbackCommand"] in REQUEST_MODELS:
        return packet["CallbackCommand"]
    else:
        word = packet["CallbackCommand"]
        pointer = "/CallbackCommand"
        if word in CONFIGURATION_WORDS:
            what = CONFIGURATION_WORDS[word].split(". ")[0]
            message = f"CallbackCommand {word!r} is a configuration word that Tencent never sends ({what})"
        else:
            message = f"unknown CallbackCommand {word!r}"
    message += f"; known commands: {_known_commands()}"
    raise WebhookError([Issue(pointer, "unknown_command", message, "unknown_command")])


def _open_enum_of(error: Any) -> str | None:
    """The open enumeration whose own keyword (its ``anyOf`` or ``type``) failed, if any."""
    schema = error.schema
    if isinstance(schema, dict) and schema.get("x-trtc-open-enum") is True:
        return schema.get("title")
    return None


def _schema_issues(type_name: str, packet: Any) -> list[Issue]:
    errors = sorted(
        validator_of(type_name).iter_errors(packet),
        key=lambda e: (list(e.absolute_path), str(e.validator)),
    )
    issues = []
    for e in errors:
        message = e.message
        name = _open_enum_of(e)
        if name is not None and e.validator == "anyOf":
            # One issue per value, as the Rust validator says it: when the value is not even of
            # the enumeration's type, its type error says so; else what is accepted.
            if any(o.validator == "type" and _open_enum_of(o) == name and o.absolute_path == e.absolute_path for o in errors):
                continue
            known_values, accepts = open_enum(name) or ((), "")
            known = ", ".join(str(k) for k in known_values)
            written = json.dumps(e.instance, ensure_ascii=False)
            message = f"{written} is not a {name}: {accepts} (known: {known}; another is accepted with a warning)"
        issues.append(Issue(_pointer(e.absolute_path), str(e.validator), message))
    return issues


def _decode_issues(error: ValidationError) -> list[Issue]:
    issues = []
    for detail in error.errors():
        location = [part for part in detail["loc"] if not _is_union_tag(part)]
        value = detail.get("input")
        if isinstance(value, float) and detail["type"] in ("int_type", "value_error"):
            message = (
                f"{value!r} is an integer written as a float (with a fraction, an exponent, or "
                "-0), which the typed model does not read, so that no integer goes through a float"
            )
        else:
            message = detail["msg"]
        issues.append(Issue(_pointer(location), "decode", message, "decode"))
    return issues


def _is_union_tag(part: Any) -> bool:
    # pydantic names the branch of a union in the location (`int`, `str`, a Literal...).
    return isinstance(part, str) and (
        part in ("int", "str", "bool") or part.startswith(("literal[", "function-", "constrained-"))
    )


def _typed(model: type[BaseModel], packet: dict[str, Any], command: str | None) -> Any:
    try:
        return model.model_validate(packet)
    except ValidationError as error:
        raise WebhookError(_decode_issues(error), command) from None


def parse_webhook(
    body: bytes | bytearray | memoryview | str,
    *,
    on_warning: Callable[[WebhookWarning], Any] | None = None,
) -> Webhook:
    """Reads a request packet, as the Rust validator does, and returns its typed model.

    The text is read exactly (every integer exact; see :mod:`trtc_live_webhooks._json` for what
    is refused), routed by its ``CallbackCommand``, checked against that command's schema
    (every violation reported), then turned into its model (one of :data:`~.models.Webhook`).
    Raises :class:`WebhookError` with every issue found.

    A valid packet may still be worth a warning, and ``on_warning`` is called with each, in the
    Rust validator's order (see :class:`WebhookWarning`): a value an open enumeration does not
    know yet (an ``OptPlatform`` or an ``OpType`` Tencent added), a member an older packet lacks,
    a semantic check (a battle that ends before it starts). The packet is valid all the same.
    """
    try:
        packet = parse_json(body)
    except JsonSyntaxError as error:
        raise _syntax_error(error) from None
    command = _command_of(packet)
    model = REQUEST_MODELS[command]
    issues = _schema_issues(model.__name__, packet)
    if issues:
        raise WebhookError(issues, command)
    webhook = _typed(model, packet, command)
    if on_warning is not None:
        for warning in request_warnings(command, packet):
            on_warning(warning)
    return webhook


def parse_response(command: str, body: bytes | bytearray | memoryview | str) -> BaseModel:
    """Reads a response packet (an answer) to ``command`` and returns its typed model; raises
    :class:`WebhookError` as :func:`parse_webhook` does, and ``KeyError`` for an unknown
    command."""
    model = RESPONSE_MODELS[command]
    try:
        packet = parse_json(body)
    except JsonSyntaxError as error:
        raise _syntax_error(error) from None
    issues = _schema_issues(model.__name__, packet)
    if issues:
        raise WebhookError(issues, command)
    return _typed(model, packet, command)

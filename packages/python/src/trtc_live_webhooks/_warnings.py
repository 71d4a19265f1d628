"""Warnings about valid packets, as the Rust validator gives them (its ``Warning``): values of
open enumerations outside their known values (``unknown_enum_value``), members Tencent added
later that an older packet lacks (``older_revision``), and the semantic checks (``semantic``).
A warning never changes the verdict: the packet is valid.

They are read from the bundle's vendor keywords (``x-trtc-open-enum``, ``x-trtc-since``,
``x-trtc-clock``; see the repository's ``schemas/README.md``), and the tests of the repository
hold them to the Rust ones: the same kind, JSON pointer and message.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from ._semantic import semantic_warnings
from .models import REQUEST_MODELS
from .schemas import _bundle

__all__ = ["WebhookWarning", "request_warnings", "url_warnings"]


@dataclass(frozen=True)
class WebhookWarning:
    """Something a valid packet (or its URL parameters) is still worth a warning for.

    ``kind`` is ``unknown_enum_value`` (a value of an open enumeration outside its known values,
    such as an ``OptPlatform`` of a new client platform: Tencent may have added it),
    ``older_revision`` (a member Tencent added later is missing, and the packet's own time is
    before it appeared, or the packet carries no time of its own) or ``semantic`` (a rule of the
    documentation beyond the schema; ``check`` names it).
    """

    #: ``unknown_enum_value``, ``older_revision`` or ``semantic``.
    kind: str
    #: The JSON pointer of the member concerned (for a missing member, where it would stand).
    pointer: str
    #: What was found.
    message: str
    #: For ``semantic``: the check (``battle-time-order``...).
    check: str | None = None

    def __str__(self) -> str:
        return f"{self.pointer or '(packet)'}: {self.message} [{self.kind}]"


def _escape(key: str) -> str:
    return "/" + key.replace("~", "~0").replace("/", "~1")


def _json_text(value: Any) -> str:
    """``value`` as JSON text, as Rust prints it: a string quoted and escaped, a number in
    digits."""
    return json.dumps(value, ensure_ascii=False)


def _definitions() -> dict[str, Any]:
    return _bundle()["definitions"]


def _referenced(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        return ref[len("#/definitions/") :]
    return None


@functools.cache
def open_enum(name: str) -> tuple[tuple[Any, ...], str] | None:
    """The known values of the open enumeration ``name`` and what it accepts, in words
    (``an integer from 0 to 9007199254740991``, ``a string``); ``None`` if it is not one."""
    schema = _definitions().get(name, {})
    if schema.get("x-trtc-open-enum") is not True:
        return None
    values, any_value = schema["anyOf"]
    if any_value["type"] == "integer":
        accepts = f"an integer from {any_value['minimum']} to {any_value['maximum']}"
    else:
        accepts = f"a {any_value['type']}"
    return tuple(values["enum"]), accepts


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _unknown_values(schema: dict[str, Any], value: Any, path: str, out: list[WebhookWarning]) -> None:
    name = _referenced(schema)
    if name is not None:
        found = open_enum(name)
        if found is None:
            _unknown_values(_definitions().get(name, {}), value, path, out)
        elif not any(_same(known, value) for known in found[0]):
            known = ", ".join(_json_text(k) for k in found[0])
            out.append(
                WebhookWarning(
                    "unknown_enum_value",
                    path,
                    f"{_json_text(value)} is not a known value of {name} ({known}): accepted, "
                    "as Tencent may have added it",
                )
            )
        return
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not isinstance(value, dict):
        return
    # Member by member in the order of their names, as the Rust types hold them.
    for key in sorted(properties):
        if key in value:
            _unknown_values(properties[key], value[key], path + _escape(key), out)


def _unknown_values_of(name: str, value: Any) -> list[WebhookWarning]:
    out: list[WebhookWarning] = []
    _unknown_values(_definitions().get(name, {}), value, "", out)
    return out


def _millis_of(since: str) -> int:
    moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
    return (moment - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(milliseconds=1)


@functools.cache
def _revisions(name: str) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, str, int], ...]]:
    """The clocks (member, milliseconds per unit) and dated members (member, date as written,
    date in Unix milliseconds) of packet ``name``."""
    schema = _definitions().get(name, {})
    properties = schema.get("properties", {})
    clocks = tuple(
        (member, 1000 if _referenced(properties.get(member, {})) == "UnixSeconds" else 1)
        for member in schema.get("x-trtc-clock", [])
    )
    dated = tuple(
        (member, prop["x-trtc-since"], _millis_of(prop["x-trtc-since"]))
        for member, prop in properties.items()
        if isinstance(prop.get("x-trtc-since"), str)
    )
    return clocks, dated


def _clock_millis(value: Any, scale: int) -> int | None:
    if type(value) is int and value >= 0:
        return value * scale
    if isinstance(value, str) and 1 <= len(value) <= 19 and value.isascii() and value.isdigit():
        return int(value) * scale
    return None


#: The last millisecond a date is written as one: 9999-12-31T23:59:59.999Z.
_LAST_WRITTEN = 253402300799999


def format_millis(millis: int) -> str:
    """``2022-07-12T07:51:09.059Z`` for a time in Unix milliseconds; ``<n> ms`` beyond the year
    9999."""
    if millis > _LAST_WRITTEN:
        return f"{millis} ms"
    t = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=millis)
    return (
        f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
        f".{t.microsecond // 1000:03d}Z"
    )


def _older_revisions(name: str, packet: Any) -> list[WebhookWarning]:
    clocks, dated = _revisions(name)
    if not isinstance(packet, dict):
        return []
    missing = [d for d in dated if d[0] not in packet]
    if not missing:
        return []
    clock = None
    for member, scale in clocks:
        millis = _clock_millis(packet[member], scale) if member in packet else None
        if millis is not None:
            clock = (member, millis)
            break
    warnings = []
    for member, since, since_millis in missing:
        if clock is not None and clock[1] >= since_millis:
            continue
        if clock is None:
            why = "this packet carries no time of its own to date it by: taken as an older revision of the packet"
        else:
            why = f"this packet's {clock[0]} ({format_millis(clock[1])}) is before that: an older revision of the packet"
        warnings.append(
            WebhookWarning(
                "older_revision",
                _escape(member),
                f"{member} is missing: Tencent sends it since {since}, and {why}",
            )
        )
    return warnings


def request_warnings(command: str, packet: Any) -> list[WebhookWarning]:
    """The warnings of a valid request of ``command`` (its JSON value), in the Rust validator's
    order: semantic warnings, then the members it lacks as an older revision, then its unknown
    values of open enumerations (member by member, in the order of the members' names)."""
    name = REQUEST_MODELS[command].__name__
    semantic = [
        WebhookWarning("semantic", pointer, message, check)
        for check, pointer, message in semantic_warnings(command, packet)
    ]
    return semantic + _older_revisions(name, packet) + _unknown_values_of(name, packet)


def url_warnings(parameters: dict[str, str]) -> list[WebhookWarning]:
    """The warnings of valid URL parameters: their unknown values of open enumerations."""
    return _unknown_values_of("WebhookUrlParameters", parameters)

"""What the generated models (``models.py``) are built on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

__all__ = [
    "EXACT_INT",
    "NOT_NULL",
    "WebhookModel",
    "check_dependencies",
    "check_not_all_absent",
    "check_revisions",
]


class WebhookModel(BaseModel):
    """The base of every packet model: strict (a value is taken only in its JSON type: an integer
    member refuses ``30000.0``, ``true`` and ``"30000"``), and open (unknown members are kept in
    ``model_extra`` and dumped again, as Tencent may add members)."""

    model_config = ConfigDict(extra="allow", strict=True)


def _exact_int(value: Any) -> Any:
    # A Literal of integers alone takes True for 1, and 1.0: JSON Schema's enum refuses true,
    # and the Rust types refuse an integer written as a float.
    if type(value) is not int:
        raise ValueError(f"{value!r} is not a JSON integer")
    return value


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("null is not allowed: an optional member is absent, never null")
    return value


#: Refuses anything but an ``int`` (``bool`` and ``float`` included) before a ``Literal`` of
#: integers is checked.
EXACT_INT = BeforeValidator(_exact_int)

#: Refuses an explicit ``null`` for an optional member (which may only be absent).
NOT_NULL = BeforeValidator(_not_null)


def check_dependencies(
    model: BaseModel,
    members: Mapping[str, tuple[str, ...]],
    values: Mapping[str, Mapping[str, tuple[Any, ...]]],
) -> None:
    """JSON Schema's ``dependencies`` on a validated model: when a member is present, ``members``
    names the members it requires, and ``values`` restricts the values of others."""
    present = model.model_fields_set | set(model.model_extra or ())
    for member, required in members.items():
        if member in present:
            for name in required:
                if name not in present:
                    raise ValueError(f"{name!r} is required when {member!r} is present")
    for member, restrictions in values.items():
        if member in present:
            for name, allowed in restrictions.items():
                value = getattr(model, name, None)
                if name in present and not any(
                    type(value) is type(choice) and value == choice for choice in allowed
                ):
                    choices = ", ".join(repr(choice) for choice in allowed)
                    raise ValueError(
                        f"{name} must be one of {choices} when {member!r} is present, "
                        f"not {value!r}"
                    )


def check_not_all_absent(model: BaseModel, members: tuple[str, ...]) -> None:
    """JSON Schema's ``not`` of members all absent, on a validated model: one of ``members`` at
    least is present (``CallbackCommand`` or ``WebhookCommand`` in the webhook URL)."""
    present = model.model_fields_set | set(model.model_extra or ())
    if not any(member in present for member in members):
        others = ", ".join(repr(member) for member in members[1:])
        raise ValueError(f"{members[0]!r} (or {others}) is a required property")


def _present(model: BaseModel) -> dict[str, Any]:
    values = {name: getattr(model, name) for name in model.model_fields_set}
    values.update(model.model_extra or {})
    return values


def _millis(value: Any, scale: int, digits: bool) -> int | None:
    # The clock's value in Unix milliseconds: an integer (bool excluded), or for a clock that
    # may be written as a string, a string of ASCII decimal digits.
    if type(value) is int:
        return value * scale
    if digits and isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value) * scale
    return None


def check_revisions(
    model: BaseModel,
    clocks: tuple[tuple[str, int, bool], ...],
    since: Mapping[str, tuple[int, str]],
) -> None:
    """The revision rules of a packet whose members were added over time: the packet's clock
    is the first of ``clocks`` (member, milliseconds per unit, whether a string of digits is
    read) that it carries; when that clock is at or after the date (Unix milliseconds) of a
    member of ``since``, the member is required. A packet without a clock, or whose clock is
    not a time, requires none (an older revision of the packet)."""
    present = _present(model)
    clock = next((name for name, _, _ in clocks if name in present), None)
    if clock is None:
        return
    scale, digits = next((s, d) for name, s, d in clocks if name == clock)
    millis = _millis(present[clock], scale, digits)
    if millis is None:
        return
    for member, (date, written) in since.items():
        if member not in present and millis >= date:
            raise ValueError(
                f"{member!r} is required: Tencent sends it since {written}, and this packet's "
                f"{clock} is not before that"
            )

"""The Rust validator's semantic checks (``trtc_live_validate::SEMANTIC_CHECKS``), ported check by
check: what the documentation says about a packet's times, beyond its schema. They run on
valid packets and give warnings of kind ``semantic``, never an error; the tests of the
repository hold them to the Rust ones, message included.

Battle ``CreateTime``, ``StartTime``, ``EndTime``, room ``CreateTime`` and message ``MsgTime``
are Unix seconds; ``EventTime`` and a battle's ``Duration`` are milliseconds.
"""

from __future__ import annotations

from typing import Any

__all__ = ["semantic_warnings"]

#: How far ``Duration`` may be from the ``EndTime - StartTime`` window, in milliseconds,
#: inclusive.
DURATION_TOLERANCE_MS = 1000

#: (check, JSON pointer, message)
Found = tuple[str, str, str]


def _integer(value: Any) -> int | None:
    if type(value) is int:
        return value
    if isinstance(value, str) and 1 <= len(value) <= 19 and value.isascii() and value.isdigit():
        return int(value)
    return None


def _event_time_not_before(check: str, event_time_ms: int, field: str, seconds: int, sent_after: str) -> list[Found]:
    time_ms = seconds * 1000
    if event_time_ms >= time_ms:
        return []
    name = field.replace("/", ".")
    return [
        (
            check,
            "/EventTime",
            f"EventTime {event_time_ms} ms is before {name} {seconds} s ({time_ms} ms): the webhook is "
            f"sent after {sent_after}, so EventTime must not be before {name}",
        )
    ]


def _battle(ended: bool, packet: dict[str, Any]) -> list[Found]:
    create, start, end, duration, event_time, op_type = (
        _integer(packet.get(member))
        for member in ("CreateTime", "StartTime", "EndTime", "Duration", "EventTime", "OpType")
    )
    if None in (create, start, duration, event_time) or (ended and None in (end, op_type)):
        return []
    # CreateTime, then StartTime unless the battle never started (OpType 2), then EndTime.
    times = [("CreateTime", create)]
    if not ended or op_type != 2:
        times.append(("StartTime", start))
    if ended:
        times.append(("EndTime", end))
    found: list[Found] = []
    for (earlier, earlier_value), (later, later_value) in zip(times, times[1:]):
        if later_value < earlier_value:
            found.append(
                (
                    "battle-time-order",
                    f"/{later}",
                    f"{later} {later_value} s is before {earlier} {earlier_value} s: a battle's {later} "
                    f"must not be before its {earlier}",
                )
            )
    # With OpType 0 the battle's time ran out: EndTime - StartTime matches Duration within 1 s.
    if ended and op_type == 0 and end >= start:
        window_ms = (end - start) * 1000
        off_by = abs(window_ms - duration)
        if off_by > DURATION_TOLERANCE_MS:
            found.append(
                (
                    "battle-duration-window",
                    "/Duration",
                    f"Duration {duration} ms is {off_by} ms off EndTime - StartTime = {end} - {start} = "
                    f"{end - start} s ({window_ms} ms): with OpType 0 the battle's time ran out, so they "
                    f"must match within {DURATION_TOLERANCE_MS} ms",
                )
            )
    # The latest of the battle's times (the last of equal ones).
    latest = times[0]
    for time in times:
        if time[1] >= latest[1]:
            latest = time
    found += _event_time_not_before(
        "event-time-after-battle-times",
        event_time,
        latest[0],
        latest[1],
        "the battle ended" if ended else "the battle started",
    )
    return found


def semantic_warnings(command: str, packet: Any) -> list[Found]:
    """The semantic warnings of a valid request of ``command``, in the order of the Rust checks,
    each as (check, JSON pointer, message)."""
    if not isinstance(packet, dict):
        return []
    if command in ("Live.CallbackAfterStartBattle", "Live.CallbackAfterEndBattle"):
        return _battle(command == "Live.CallbackAfterEndBattle", packet)
    if command in ("Live.CallbackAfterCreateRoom", "Live.CallbackAfterDestroyRoom", "Live.CallbackAfterUpdateRoomInfo"):
        room = packet.get("RoomInfo")
        created = _integer(room.get("CreateTime")) if isinstance(room, dict) else None
        event_time = _integer(packet.get("EventTime"))
        if created is None or event_time is None:
            return []
        return _event_time_not_before(
            "event-time-after-room-creation", event_time, "RoomInfo/CreateTime", created, "the room was created"
        )
    if command == "Group.CallbackAfterSendMsg":
        event_time = _integer(packet.get("EventTime"))
        msg_time = _integer(packet.get("MsgTime"))
        if event_time is None or msg_time is None:
            return []
        return _event_time_not_before(
            "event-time-after-message-time", event_time, "MsgTime", msg_time, "the message was sent"
        )
    return []

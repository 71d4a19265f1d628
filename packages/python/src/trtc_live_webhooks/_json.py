"""Reading JSON text exactly, with the rules of the Rust validator.

Python's ``json`` keeps every integer exact (144115245442327522 stays 144115245442327522), but
it accepts text that the Rust validator (serde_json) refuses, and it cannot tell ``-0`` from
``0``. So that a packet gets the same verdict in both languages, this reader:

- takes UTF-8 only, and refuses a leading byte order mark (``json.loads`` skips one in bytes);
- refuses ``NaN``, ``Infinity`` and ``-Infinity``, which are not JSON, and numbers beyond the
  range of a double (``1e400``, or an integer of more than 308 digits);
- refuses strings with a lone surrogate (``"\\ud800"``), which are not Unicode text;
- refuses nesting deeper than 127 arrays and objects, as serde_json does (and so never recurses
  deeply: ``json.loads`` would raise ``RecursionError`` on 100,000 levels);
- reads ``-0`` as the float ``-0.0``, as serde_json does, so that an integer field refuses it
  like ``30000.0`` (an integer written as a float), while ``0`` stays the integer 0;
- takes the last value of a member given twice, as the Rust validator does.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

__all__ = ["JsonSyntaxError", "MAX_DEPTH", "parse_json"]

#: The deepest nesting of arrays and objects that serde_json reads (its recursion limit).
MAX_DEPTH = 127


class JsonSyntaxError(ValueError):
    """The text is not JSON (as the Rust validator reads it).

    ``line`` and ``column`` (from 1, the column counted in characters) locate the error;
    ``message`` says what is wrong, without the position.
    """

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(f"{message} at line {line} column {column}")
        self.message = message
        self.line = line
        self.column = column


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _error_at(text: str, offset: int, message: str) -> JsonSyntaxError:
    line, column = _position(text, offset)
    return JsonSyntaxError(message, line, column)


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def _float(digits: str) -> float:
    number = float(digits)
    if math.isinf(number):
        raise ValueError(f"{digits} is beyond the range of a double")
    return number


def _int(digits: str) -> int | float:
    if digits == "-0":
        # serde_json reads -0 as a float (-0.0), which an integer field refuses.
        return -0.0
    if len(digits) > 308 and math.isinf(float(digits)):
        raise ValueError("an integer beyond the range of a double")
    return int(digits)


# Strings (skipped whole) and brackets: enough to measure nesting without parsing.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)
# A \u escape of a surrogate: only then can a string hold a lone surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_WHITESPACE = " \t\n\r"


def _check_depth(text: str) -> None:
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _error_at(text, match.start(), "recursion limit exceeded")
        elif token in "]}":
            depth -= 1


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def decode_text(body: bytes | bytearray | memoryview | str) -> str:
    """``body`` as text: bytes must be UTF-8 (strictly) and must not start with a byte order
    mark; a ``str`` must not start with one either."""
    if isinstance(body, str):
        text = body
    else:
        raw = bytes(body)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            prefix = raw[: error.start].decode("utf-8")
            line, column = _position(prefix, len(prefix))
            raise JsonSyntaxError(
                f"byte 0x{raw[error.start]:02X} is not UTF-8 (JSON text must be UTF-8)",
                line,
                column,
            ) from None
    if text.startswith("\ufeff"):
        raise JsonSyntaxError(
            "the text starts with a byte order mark, which JSON does not allow "
            "(RFC 8259, section 8.1)"
        )
    return text


def parse_json(body: bytes | bytearray | memoryview | str) -> Any:
    """Parses one JSON value, exactly (see the module's documentation); raises
    :class:`JsonSyntaxError` for anything the Rust validator would not read."""
    text = decode_text(body)
    if not text.strip(_WHITESPACE):
        raise _error_at(text, len(text), "empty input: there is no JSON value")
    _check_depth(text)
    try:
        value = json.loads(text, parse_constant=_not_json, parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as error:
        raise JsonSyntaxError(error.msg, error.lineno, error.colno) from None
    except (ValueError, RecursionError) as error:
        raise JsonSyntaxError(str(error)) from None
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise JsonSyntaxError("a string holds a lone surrogate, which is not Unicode text")
    return value

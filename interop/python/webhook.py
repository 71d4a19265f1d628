"""Reading TRTC Live webhooks in Python with the bundled JSON Schema.

Python's ``json`` keeps every integer exact (144115245442327522 stays 144115245442327522), so
only two things need care: ``NaN``, ``Infinity``, numbers beyond the range of a double (``1e400``)
and lone surrogates are not JSON text that the Rust validator or ajv accept; and JSON Schema's ``pattern`` is an ECMA-262 regular expression,
which Python's ``re`` is not (its ``$`` also matches before a final newline), so patterns are
matched with ``regress``, the ECMA-262 engine the Rust validator uses.
"""

import functools
import json
import math

import regress
from jsonschema import Draft7Validator, ValidationError, validators


@functools.cache
def _ecma_regex(pattern):
    return regress.Regex(pattern)


def _ecma_pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and _ecma_regex(pattern).find(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


#: Draft 7, with `pattern` as JSON Schema defines it.
WebhookValidator = validators.extend(Draft7Validator, {"pattern": _ecma_pattern})


class Malformed(ValueError):
    """The text is not JSON."""


def _not_json(constant):
    raise Malformed(f"{constant} is not JSON")


def _finite(digits):
    number = float(digits)
    if math.isinf(number):
        raise Malformed(f"{digits} is beyond the range of a double")
    return number


def parse(text):
    """Parses JSON text: integers stay exact, a key given twice takes its last value, and NaN,
    Infinity, numbers beyond a double (1e400) and lone surrogates ("\\ud800", not Unicode text)
    are refused."""
    try:
        packet = json.loads(text, parse_constant=_not_json, parse_float=_finite)
        json.dumps(packet, ensure_ascii=False).encode("utf-8")
    except json.JSONDecodeError as error:
        raise Malformed(str(error)) from error
    except UnicodeEncodeError as error:
        raise Malformed(f"a lone surrogate: {error}") from error
    return packet


class Invalid(ValueError):
    """The packet breaks its schema: ``errors`` holds every violation."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{e.json_path}: {e.message}" for e in errors))
        self.errors = errors


class WebhookReader:
    """Validates packets against the bundle ``dist/trtc-live-webhooks.schema.json``."""

    def __init__(self, bundle_text):
        self.bundle = json.loads(bundle_text)
        self.requests = WebhookValidator(self.bundle)
        self.responses = {}

    def read(self, text):
        """The request packet in ``text``; raises ``Malformed`` or ``Invalid``."""
        return _checked(self.requests, parse(text))

    def read_response(self, command, text):
        """The response packet to ``command`` ("Live.CallbackAfterEndBattle") in ``text``."""
        return _checked(self.response_validator(command), parse(text))

    def response_validator(self, command):
        """The validator of the response packets to ``command``."""
        name = command.replace(".", "") + "Response"
        if name not in self.responses:
            self.responses[name] = WebhookValidator(definition_schema(self.bundle, name))
        return self.responses[name]


def definition_schema(bundle, name):
    """A schema whose root is ``#/definitions/<name>`` of the bundle (draft 7 ignores the
    siblings of ``$ref``, so the definition is referenced from ``allOf``)."""
    return {
        "$schema": bundle["$schema"],
        "$id": bundle["$id"],
        "definitions": bundle["definitions"],
        "allOf": [{"$ref": f"#/definitions/{name}"}],
    }


def _checked(validator, packet):
    errors = sorted(validator.iter_errors(packet), key=lambda e: list(e.absolute_path))
    if errors:
        raise Invalid(errors)
    return packet

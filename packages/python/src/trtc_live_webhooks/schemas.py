"""The JSON Schemas (draft-07) of every packet, as shipped in this package, and their validators.

``bundle()`` is ``trtc-live-webhooks.schema.json``: every request, response and shared shape
under ``definitions``, named as the models of :mod:`trtc_live_webhooks.models`, and a root that
validates any request packet. ``request_schema(command)`` and ``response_schema(command)`` are
self-contained schemas of one packet, for any JSON Schema tool.

Validation follows JSON Schema exactly: ``pattern`` is an ECMA-262 regular expression, matched
with ``regress`` (Python's ``re`` is not ECMA-262: its ``$`` also matches before a final
newline, so ``"1670574414123\\n"`` would pass ``^[0-9]{1,19}$``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

import regress
from jsonschema import Draft7Validator, ValidationError, validators

from .models import REQUEST_MODELS, RESPONSE_MODELS

__all__ = [
    "BUNDLE_FILE",
    "SchemaValidator",
    "bundle",
    "bundle_text",
    "request_schema",
    "response_schema",
    "url_parameters_schema",
    "definition_schema",
]

#: The file name of the bundle inside the package's ``schema_files`` folder.
BUNDLE_FILE = "trtc-live-webhooks.schema.json"


@functools.cache
def bundle_text() -> str:
    """The bundle's text, as shipped."""
    return resources.files(__package__).joinpath("schema_files", BUNDLE_FILE).read_text("utf-8")


@functools.cache
def _bundle() -> dict[str, Any]:
    return json.loads(bundle_text())


def bundle() -> dict[str, Any]:
    """The bundle: every schema in one draft-07 document, with no external reference (a new
    copy each call, free to change)."""
    return json.loads(bundle_text())


def definition_schema(name: str) -> dict[str, Any]:
    """A self-contained schema whose root is ``#/definitions/<name>`` of the bundle (draft-07
    ignores the siblings of ``$ref``, so the definition is referenced from ``allOf``)."""
    source = _bundle()
    if name not in source["definitions"]:
        raise KeyError(f"no definition {name!r} in the bundle")
    return {
        "$schema": source["$schema"],
        "$id": source["$id"],
        "definitions": source["definitions"],
        "allOf": [{"$ref": f"#/definitions/{name}"}],
    }


def _known(command: str) -> str:
    if command not in REQUEST_MODELS:
        raise KeyError(f"unknown command word {command!r}")
    return command


def request_schema(command: str) -> dict[str, Any]:
    """The schema of ``command``'s request packet (``"Live.CallbackAfterEndBattle"``)."""
    return definition_schema(REQUEST_MODELS[_known(command)].__name__)


def response_schema(command: str) -> dict[str, Any]:
    """The schema of the response packet (your answer) to ``command``."""
    return definition_schema(RESPONSE_MODELS[_known(command)].__name__)


def url_parameters_schema() -> dict[str, Any]:
    """The schema of the webhook URL's query parameters (every value a string)."""
    return definition_schema("WebhookUrlParameters")


@functools.cache
def _ecma_regex(pattern: str) -> regress.Regex:
    return regress.Regex(pattern)


def _ecma_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and _ecma_regex(pattern).find(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


#: Draft 7, with ``pattern`` as JSON Schema defines it (ECMA-262).
SchemaValidator = validators.extend(Draft7Validator, {"pattern": _ecma_pattern})


@functools.cache
def validator_of(name: str) -> Any:
    """The validator of the bundle's definition ``name``, compiled once."""
    return SchemaValidator(definition_schema(name))


@functools.cache
def root_validator() -> Any:
    """The validator of the bundle's root: any request packet."""
    return SchemaValidator(_bundle())

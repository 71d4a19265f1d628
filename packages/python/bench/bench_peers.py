"""Times Python's validators on the benchmark payloads, in process. Run by ``cargo xtask bench``
(docs/benchmarks.md) with the tools environment of packages/python, which writes the payloads
and prints the table:

    packages/python/.venv/bin/python packages/python/bench/bench_peers.py BUNDLE PAYLOADS.ndjson [--quick]

The package is read from packages/python/src (its dependencies are in the tools environment).

PAYLOADS.ndjson holds one payload a line (name, kind, role, command, type, sets, text). For each
tool, payload set and kind, one JSON line out: {tool, version, payload_set, kind, payloads,
ns_per_payload, wrong_verdicts}. A batch runs every payload of the set ``iterations`` times;
ns_per_payload is the median of the batches, after a warm-up. The garbage collector stays on, as
in a server."""

import json
import os
import statistics
import sys
import time
from importlib.metadata import version

import fastjsonschema
import pydantic
from jsonschema import Draft7Validator

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
from trtc_live_webhooks import WebhookError, parse_response, parse_webhook  # noqa: E402
from trtc_live_webhooks import models as webhooks  # noqa: E402
from trtc_live_webhooks.schemas import definition_schema  # noqa: E402


def by_payload(payloads, bundle, compile_schema):
    """`compile_schema` of each payload's schema, compiled once per schema: the bundle's root for
    requests, the type's definition for responses. The root goes without its `oneOf`, the list of
    packets it carries for code generators: the same verdicts, and its routing alone is what the
    Rust validator measured against these tools does."""
    routing = {key: value for key, value in bundle.items() if key != "oneOf"}
    compiled = {}
    result = {}
    for payload in payloads:
        key = "" if payload["role"] == "request" else payload["type"]
        if key not in compiled:
            schema = routing if key == "" else definition_schema(key)
            compiled[key] = compile_schema(schema)
        result[payload["name"]] = compiled[key]
    return result


def tools(bundle_text, payloads):
    """(name, version, check) of each tool; check(payload) says whether it accepts it."""
    bundle = json.loads(bundle_text)

    draft7 = by_payload(payloads, bundle, Draft7Validator)

    def draft7_check(payload):
        return draft7[payload["name"]].is_valid(json.loads(payload["text"]))

    # The package's reader: exact parse, ECMA-262 patterns, every error collected and sorted,
    # then the typed model.
    def project_check(payload):
        try:
            if payload["role"] == "request":
                parse_webhook(payload["text"])
            else:
                parse_response(payload["command"], payload["text"])
        except WebhookError:
            return False
        return True

    fast = by_payload(payloads, bundle, fastjsonschema.compile)

    def fast_check(payload):
        try:
            fast[payload["name"]](json.loads(payload["text"]))
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    models = {p["name"]: getattr(webhooks, p["type"]) for p in payloads}

    def pydantic_check(strict):
        def check(payload):
            try:
                models[payload["name"]].model_validate_json(payload["text"], strict=strict)
            except pydantic.ValidationError:
                return False
            return True

        return check

    jsonschema_version = f"jsonschema {version('jsonschema')}"
    pydantic_version = f"pydantic {version('pydantic')}"
    del bundle_text
    return [
        ("jsonschema Draft7Validator: json.loads + is_valid", jsonschema_version, draft7_check),
        (
            "parse_webhook (Python package): exact parse + iter_errors + model",
            f"{jsonschema_version}, regress {version('regress')}",
            project_check,
        ),
        (
            "fastjsonschema: json.loads + validate",
            f"fastjsonschema {version('fastjsonschema')}",
            fast_check,
        ),
        ("pydantic v2: model_validate_json", pydantic_version, pydantic_check(False)),
        ("pydantic v2 strict: model_validate_json", pydantic_version, pydantic_check(True)),
    ]


def batch(check, payloads, iterations):
    """Nanoseconds to run `check` over `payloads`, `iterations` times."""
    start = time.perf_counter_ns()
    for _ in range(iterations):
        for payload in payloads:
            check(payload)
    return time.perf_counter_ns() - start


def measure(check, payloads, quick):
    """The median time per payload of `check` over `payloads`, in nanoseconds."""
    batch_ns, warmup_ns, batches = (20e6, 100e6, 3) if quick else (200e6, 1000e6, 9)
    iterations = 1
    while batch(check, payloads, iterations) < batch_ns:
        iterations *= 2
    warmup_end = time.perf_counter_ns() + warmup_ns
    while time.perf_counter_ns() < warmup_end:
        batch(check, payloads, iterations)
    times = [batch(check, payloads, iterations) / iterations for _ in range(batches)]
    return statistics.median(times) / len(payloads)


def main(bundle_path, payloads_path, *options):
    quick = "--quick" in options
    with open(bundle_path, encoding="utf-8") as bundle:
        bundle_text = bundle.read()
    with open(payloads_path, encoding="utf-8") as lines:
        payloads = [json.loads(line) for line in lines if line.strip()]
    for name, tool_version, check in tools(bundle_text, payloads):
        for set_name in ("samples", "end-battle"):
            for kind in ("valid", "invalid"):
                chosen = [p for p in payloads if p["kind"] == kind and set_name in p["sets"]]
                if not chosen:
                    continue
                wrong = [p for p in chosen if check(p) != (kind == "valid")]
                for payload in wrong:
                    warning = f"warning: {name} gives the wrong verdict to {payload['name']}"
                    print(warning, file=sys.stderr)
                line = {
                    "tool": name,
                    "version": tool_version,
                    "payload_set": set_name,
                    "kind": kind,
                    "payloads": len(chosen),
                    "ns_per_payload": measure(check, chosen, quick),
                    "wrong_verdicts": len(wrong),
                }
                print(json.dumps(line), flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: bench_peers.py BUNDLE PAYLOADS.ndjson [--quick]")
    main(*sys.argv[1:])

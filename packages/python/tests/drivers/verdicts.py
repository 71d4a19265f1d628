"""The package's verdict on every packet of a corpus, for the tests of the repository
(tests/tests/interop), which compare it with the Rust validator's.

One JSON line in (name, role, command, text, and for a valid packet canonical: the JSON Rust
reads), one line out: name, verdict (valid, invalid or malformed), decode (the schema accepts
the packet but the typed model refuses a number's form, as Rust's does), the warnings of a valid
request when there are some (as Rust serializes them) and, when canonical is given, exact: the
model dumped back gives exactly that JSON (same values, same types). The lines
are shared among the processors: the mutation corpus holds tens of thousands of packets."""

import json
import multiprocessing
import os
import sys

from trtc_live_webhooks import WebhookError, parse_response, parse_webhook


def same(a, b):
    """JSON equality that also tells 1 from 1.0 and True from 1."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def as_rust(warning):
    """A warning as the Rust validator serializes its Warning (check only for semantic ones)."""
    shown = {"kind": warning.kind}
    if warning.check is not None:
        shown["check"] = warning.check
    shown.update(instance_path=warning.pointer, message=warning.message)
    return shown


def judge(entry):
    result = {"name": entry["name"], "verdict": "valid", "decode": False}
    warnings = []
    try:
        if entry["role"] == "response":
            packet = parse_response(entry["command"], entry["text"])
        else:
            packet = parse_webhook(entry["text"], on_warning=warnings.append)
    except WebhookError as error:
        kinds = {issue.kind for issue in error.errors}
        result["verdict"] = "malformed" if error.malformed else "invalid"
        result["decode"] = kinds == {"decode"}
        return result
    if warnings:
        result["warnings"] = [as_rust(w) for w in warnings]
    if entry.get("canonical") is not None:
        dumped = packet.model_dump(mode="json", exclude_unset=True)
        result["exact"] = same(dumped, json.loads(entry["canonical"]))
    return result


def line(text):
    return json.dumps(judge(json.loads(text)))


def main(corpus_path):
    with open(corpus_path, encoding="utf-8") as corpus:
        lines = corpus.readlines()
    processes = min(os.cpu_count() or 1, max(1, len(lines) // 1000))
    if processes == 1:
        results = map(line, lines)
    else:
        pool = multiprocessing.Pool(processes)
        results = pool.imap(line, lines, chunksize=256)
    for result in results:
        print(result)


if __name__ == "__main__":
    main(*sys.argv[1:])

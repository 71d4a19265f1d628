"""The verdict of Python's jsonschema on every packet of a corpus: one JSON line in (name, role,
command, text), one line out (name, verdict). Run by tests/tests/interop.rs, which compares the
verdicts with the Rust validator's and ajv's."""

import json
import sys

from webhook import Invalid, Malformed, WebhookReader


def verdict(reader, entry):
    try:
        if entry["role"] == "response":
            reader.read_response(entry["command"], entry["text"])
        else:
            reader.read(entry["text"])
    except Malformed:
        return "malformed"
    except Invalid:
        return "invalid"
    return "valid"


def main(bundle_path, corpus_path):
    with open(bundle_path, encoding="utf-8") as bundle:
        reader = WebhookReader(bundle.read())
    with open(corpus_path, encoding="utf-8") as corpus:
        for line in corpus:
            entry = json.loads(line)
            print(json.dumps({"name": entry["name"], "verdict": verdict(reader, entry)}))


if __name__ == "__main__":
    main(*sys.argv[1:])

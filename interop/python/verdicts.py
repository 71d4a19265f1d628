"""The verdict of Python's jsonschema on every packet of a corpus: one JSON line in (name, role,
command, text), one line out (name, verdict). Run by tests/tests/interop, which compares the
verdicts with the Rust validator's and ajv's. The verdict alone is asked (``is_valid``, not every
error), and the lines are shared among the processors: the mutation corpus holds tens of
thousands of packets."""

import json
import multiprocessing
import os
import sys

from webhook import Malformed, WebhookReader, parse

_reader = None


def _start(bundle_path):
    global _reader
    with open(bundle_path, encoding="utf-8") as bundle:
        _reader = WebhookReader(bundle.read())


def verdict(reader, entry):
    try:
        packet = parse(entry["text"])
    except Malformed:
        return "malformed"
    if entry["role"] == "response":
        validator = reader.response_validator(entry["command"])
    else:
        validator = reader.requests
    return "valid" if validator.is_valid(packet) else "invalid"


def _line(line):
    entry = json.loads(line)
    return json.dumps({"name": entry["name"], "verdict": verdict(_reader, entry)})


def main(bundle_path, corpus_path):
    with open(corpus_path, encoding="utf-8") as corpus:
        lines = corpus.readlines()
    processes = min(os.cpu_count() or 1, max(1, len(lines) // 1000))
    if processes == 1:
        _start(bundle_path)
        results = map(_line, lines)
    else:
        pool = multiprocessing.Pool(processes, initializer=_start, initargs=(bundle_path,))
        results = pool.imap(_line, lines, chunksize=256)
    for result in results:
        print(result)


if __name__ == "__main__":
    main(*sys.argv[1:])

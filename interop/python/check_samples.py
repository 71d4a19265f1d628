"""Every valid sample, parsed with the pydantic v2 models that datamodel-code-generator made
from the bundle (``generated/webhooks.py``): each must parse, and dump back to exactly the JSON
the Rust toolkit reads (same values, same types: no integer turned into a float or a string, no
field dropped). Run by tests/tests/interop.rs."""

import json
import sys

from generated import webhooks


def same(a, b):
    """JSON equality that also tells 1 from 1.0 and True from 1."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def main(samples_path):
    failures = []
    with open(samples_path, encoding="utf-8") as samples:
        entries = [json.loads(line) for line in samples]
    for entry in entries:
        model = getattr(webhooks, entry["type"])
        try:
            parsed = model.model_validate_json(entry["text"])
        except ValueError as error:
            failures.append(f"{entry['name']}: {error}")
            continue
        dumped = parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
        if not same(dumped, json.loads(entry["canonical"])):
            failures.append(f"{entry['name']}: dumped as {json.dumps(dumped)}")
    if failures:
        sys.exit("\n".join(failures))
    print(f"{len(entries)} samples parsed exactly by the pydantic models")


if __name__ == "__main__":
    main(*sys.argv[1:])

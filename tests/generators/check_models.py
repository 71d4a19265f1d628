"""Checks the pydantic models datamodel-code-generator writes from the bundle (webhooks.py, found
through PYTHONPATH): every request type named on the command line is a model, and the root
model, TrtcLiveWebhook, reads each sample of the NDJSON file (one {"type", "packet"} per line)
as the model of its type and dumps it back unchanged, every integer exact. Run by
tests/tests/generators."""

import json
import sys

import webhooks


def main(samples_path, *request_types):
    for name in request_types:
        model = getattr(webhooks, name, None)
        if model is None or not issubclass(model, webhooks.BaseModel):
            sys.exit(f"no model {name}")
    count = 0
    with open(samples_path, encoding="utf-8") as samples:
        for line in samples:
            sample = json.loads(line)
            read = webhooks.TrtcLiveWebhook.model_validate(sample["packet"]).root
            if type(read).__name__ != sample["type"]:
                sys.exit(f"a {sample['type']} sample read as {type(read).__name__}")
            again = json.loads(read.model_dump_json(by_alias=True, exclude_unset=True))
            if again != sample["packet"]:
                sys.exit(f"a {sample['type']} sample changed: {again} != {sample['packet']}")
            count += 1
    print(f"{len(request_types)} request models, {count} samples read exactly")


if __name__ == "__main__":
    main(*sys.argv[1:])

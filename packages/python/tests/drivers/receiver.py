"""The package's receiver on a list of requests, for the tests of the repository
(tests/tests/interop), which compare its answers with the Rust receiver's.

One JSON line in: name, method, query, body, now (Unix seconds), token (or null), policy
(fail_delivery, allow or refuse), max_body_bytes. One line out: name, status, allow (the Allow
header, or null), body (the answer's text), rejection (the check that failed, or null), warnings
(of an accepted delivery, as Rust serializes them). An accepted delivery is answered as a
handler returning None would have it: the event let through."""

import json
import sys

from verdicts import as_rust

from trtc_live_webhooks import InvalidBeforeWebhookPolicy, ReceiveError, Receiver


def main():
    for text in sys.stdin:
        request = json.loads(text)
        receiver = Receiver(
            "1400000000",
            token=request["token"],
            max_body_bytes=request["max_body_bytes"],
            invalid_before_webhook=InvalidBeforeWebhookPolicy(request["policy"]),
        )
        body = request["body"].encode("utf-8")
        rejection = None
        warnings = []
        try:
            delivery = receiver.receive(request["method"], request["query"], body, request["now"])
            warnings = [as_rust(w) for w in delivery.warnings]
        except ReceiveError as error:
            rejection = error.rejection.value
        response = receiver.respond(request["method"], request["query"], body, lambda d: None, request["now"])
        print(
            json.dumps(
                {
                    "name": request["name"],
                    "status": response.status,
                    "allow": response.header("Allow"),
                    "body": response.body.decode("utf-8"),
                    "rejection": rejection,
                    "warnings": warnings,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()

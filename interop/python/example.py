"""Reads one request packet from standard input and prints its verdict; for a valid packet, the
command and any account id, exact."""

import sys

from webhook import Invalid, Malformed, WebhookReader

bundle_path = sys.argv[1] if len(sys.argv) > 1 else "dist/trtc-live-webhooks.schema.json"
with open(bundle_path, encoding="utf-8") as bundle:
    reader = WebhookReader(bundle.read())
try:
    packet = reader.read(sys.stdin.read())
except (Malformed, Invalid) as error:
    sys.exit(f"{type(error).__name__.lower()}: {error}")
if packet["CallbackCommand"] == "Live.CallbackAfterEndBattle":
    # Python's integers are exact: 144115245442327522 stays 144115245442327522.
    rooms = [packet["FromRoomInfo"], *packet["ToRoomList"]]
    print(packet["CallbackCommand"], "owners:", ", ".join(str(r["Owner_Account"]) for r in rooms))
else:
    print(packet["CallbackCommand"])

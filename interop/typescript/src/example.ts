// Reads one request packet from standard input and prints its verdict; for a valid packet, the
// command and any account id, exact.
import { readFileSync } from "node:fs";
import { WebhookReader } from "./webhook.js";

const reader = new WebhookReader(
  readFileSync(process.argv[2] ?? "dist/trtc-live-webhooks.schema.json", "utf8"),
);
const reading = reader.read(readFileSync(0, "utf8"));
if (reading.verdict !== "valid") {
  console.error(reading.verdict, reading.verdict === "invalid" ? reading.errors : reading.error);
  process.exit(1);
}
const packet = reading.packet;
if (packet.CallbackCommand === "Live.CallbackAfterEndBattle") {
  // Owner_Account is a string, a number, or a bigint beyond 2^53: never rounded.
  const owners = [packet.FromRoomInfo, ...packet.ToRoomList].map((room) => room.Owner_Account);
  console.log(packet.CallbackCommand, "owners:", owners.join(", "));
} else {
  console.log(packet.CallbackCommand);
}

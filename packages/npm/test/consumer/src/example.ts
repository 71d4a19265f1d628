// Reads one webhook from standard input and prints its command; for a battle's end, the owners
// of its rooms, exact.
import { readFileSync } from "node:fs";
import { parseWebhook, WebhookError } from "trtc-live-webhooks";

try {
  const webhook = parseWebhook(readFileSync(0));
  if (webhook.CallbackCommand === "Live.CallbackAfterEndBattle") {
    // Owner_Account is a string, a number, or a bigint beyond 2^53: never rounded.
    const owners = [webhook.FromRoomInfo, ...webhook.ToRoomList].map((room) => room.Owner_Account);
    console.log(webhook.CallbackCommand, "owners:", owners.join(", "));
  } else {
    console.log(webhook.CallbackCommand);
  }
} catch (error) {
  if (!(error instanceof WebhookError)) throw error;
  for (const { instancePath, keyword, message } of error.errors) {
    console.error(`${error.kind}: ${instancePath || "(packet)"}: ${message} [${keyword}]`);
  }
  process.exitCode = 1;
}

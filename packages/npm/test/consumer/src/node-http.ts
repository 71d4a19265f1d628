// The same endpoint on Node's own http server, with `receive` and no framework: it reads the
// body, checks the request, and answers.
import { createServer } from "node:http";
import { Answer, GiftDecision, receive, serialize } from "trtc-live-webhooks";

const options = { sdkAppId: "1400000000", token: process.env.TRTC_WEBHOOK_TOKEN };
const server = createServer(async (request, response) => {
  const now = Date.now();
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const reception = receive({ method: request.method ?? "", url: request.url ?? "/", body }, options, now);
  let answer;
  if (!reception.accepted) {
    answer = reception.answer; // 401 for a wrong Sign, 403 for another application's, ...
  } else {
    const webhook = reception.delivery.webhook;
    console.log("received", serialize(webhook));
    if (webhook.CallbackCommand === "Live.CallbackBeforeSendGift" && webhook.GiftWater.Coins > 1000) {
      answer = Answer.gift(webhook, GiftDecision.reject("gift too expensive")).httpAnswer();
    } else {
      answer = Answer.forDelivery(reception.delivery).httpAnswer();
    }
  }
  response.writeHead(answer.status, answer.headers).end(answer.body);
});
server.listen(Number(process.env.PORT ?? 8080), "127.0.0.1", () => {
  console.log("listening on", server.address());
});

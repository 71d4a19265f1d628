// A Fastify app receiving the webhooks at /webhook: a gift worth more than 1000 coins is
// refused, everything else goes through. TRTC_WEBHOOK_TOKEN is the token set with Tencent.
import Fastify from "fastify";
import { Answer, GiftDecision, serialize } from "trtc-live-webhooks";
import { fastifyWebhook } from "trtc-live-webhooks/fastify";

const app = Fastify();
await app.register(fastifyWebhook, {
  path: "/webhook",
  sdkAppId: "1400000000",
  token: process.env.TRTC_WEBHOOK_TOKEN,
  handler: (delivery) => {
    const webhook = delivery.webhook;
    console.log("received", serialize(webhook));
    if (webhook.CallbackCommand === "Live.CallbackBeforeSendGift" && webhook.GiftWater.Coins > 1000) {
      return Answer.gift(webhook, GiftDecision.reject("gift too expensive"));
    }
    return Answer.forDelivery(delivery);
  },
});
console.log("listening on", await app.listen({ host: "127.0.0.1", port: Number(process.env.PORT ?? 8080) }));

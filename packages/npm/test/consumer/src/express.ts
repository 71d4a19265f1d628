// An Express app receiving the webhooks at /webhook: a gift worth more than 1000 coins is
// refused, everything else goes through. TRTC_WEBHOOK_TOKEN is the token set with Tencent.
import express from "express";
import { Answer, GiftDecision, serialize } from "trtc-live-webhooks";
import { expressWebhook } from "trtc-live-webhooks/express";

const app = express();
app.all(
  "/webhook",
  expressWebhook({ sdkAppId: "1400000000", token: process.env.TRTC_WEBHOOK_TOKEN }, (delivery) => {
    const webhook = delivery.webhook;
    console.log("received", serialize(webhook));
    if (webhook.CallbackCommand === "Live.CallbackBeforeSendGift" && webhook.GiftWater.Coins > 1000) {
      return Answer.gift(webhook, GiftDecision.reject("gift too expensive"));
    }
    return Answer.forDelivery(delivery);
  }),
);
const server = app.listen(Number(process.env.PORT ?? 8080), "127.0.0.1", () => {
  console.log("listening on", server.address());
});

// The package from CommonJS: `require` gets the same API, with its types.
import assert = require("node:assert/strict");
import webhooks = require("trtc-live-webhooks");
import express = require("trtc-live-webhooks/express");
import fastify = require("trtc-live-webhooks/fastify");

const { parseWebhook, verifySignature, WebhookError, Answer, GiftDecision } = webhooks;

assert.equal(
  verifySignature("xxxxyyyy", "1669872112", "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061", 1669872112),
  true,
);
const webhook: webhooks.Webhook = parseWebhook('{"CallbackCommand": "Live.CallbackBeforeSendGift", "Operator_Account": 144115245442327522, "RoomId": "r", "GiftWater": {"From_Account": "a", "To_Account": ["b"], "Time": 1, "GiftId": "g", "Count": 1, "Coins": 5}}');
if (webhook.CallbackCommand !== "Live.CallbackBeforeSendGift") throw new Error("a gift");
assert.equal(webhook.Operator_Account, 144115245442327522n);
assert.equal(Answer.gift(webhook, GiftDecision.reject("no")).body(), '{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"no"}');
assert.throws(() => parseWebhook("{"), WebhookError);
assert.equal(typeof express.expressWebhook, "function");
assert.equal(typeof fastify.fastifyWebhook, "function");
// The CommonJS build, not the ESM one.
assert.match(require.resolve("trtc-live-webhooks"), /dist[\\/]cjs[\\/]index\.js$/);
console.log("the public API (CommonJS) works as documented");

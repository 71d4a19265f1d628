// trtc-live-webhooks: Tencent TRTC Live (TUILiveKit) webhooks for Node, generated from the
// project's JSON Schemas.
export { Answer, failureAnswer, GiftDecision, MessageDecision, serialize } from "./answer.js";
export type { GiftDecisionPacket, HttpAnswer, MessageDecisionPacket, MessageRewrite } from "./answer.js";
export { bundleText, commandWords } from "./generated/schema.js";
export { DEFAULT_MAX_BODY_BYTES, receive, ReceiveError, receiveGenuine } from "./receive.js";
export type {
  Delivery,
  InvalidBeforeWebhookPolicy,
  InvalidDelivery,
  ReceiveErrorCode,
  Reception,
  ReceiverOptions,
  WebhookRequest,
} from "./receive.js";
export { DEFAULT_TOLERANCE_SECONDS, sign, trimToken, verifySignature } from "./signature.js";
export type * from "./types.js";
export { parseResponse, parseWebhook, WebhookError } from "./webhook.js";
export type { ParseOptions, WarningKind, WebhookIssue, WebhookWarning } from "./webhook.js";

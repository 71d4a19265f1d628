// The package's public API as an ESM user sees it, compiled strictly: every assertion here runs,
// and every type annotation and `@ts-expect-error` is checked by tsc.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  Answer,
  commandWords,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_TOLERANCE_SECONDS,
  failureAnswer,
  GiftDecision,
  MessageDecision,
  parseResponse,
  parseWebhook,
  receive,
  ReceiveError,
  receiveGenuine,
  serialize,
  sign,
  trimToken,
  verifySignature,
  WebhookError,
  type AccountId,
  type CommandWord,
  type Delivery,
  type ExactInteger,
  type InvalidDelivery,
  type LiveCallbackAfterEndBattle,
  type RequestOf,
  type ResponseOf,
  type Webhook,
  type WebhookIssue,
} from "trtc-live-webhooks";
import { rustCommandWords } from "./samples.js";

// Tencent's documented signing example.
const TOKEN = "xxxxyyyy";
const REQUEST_TIME = "1669872112";
const SIGN = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";
const T = Number(REQUEST_TIME);

// --- verifySignature, sign ---------------------------------------------------------------------
assert.equal(sign(TOKEN, REQUEST_TIME), SIGN);
assert.equal(verifySignature(TOKEN, REQUEST_TIME, SIGN, T), true);
assert.equal(verifySignature(TOKEN, REQUEST_TIME, SIGN.toUpperCase(), T), true, "hex in either case");
assert.equal(verifySignature(TOKEN, REQUEST_TIME, SIGN, T + 60), true, "60 s late is accepted");
assert.equal(verifySignature(TOKEN, REQUEST_TIME, SIGN, T - 60), true, "60 s early is accepted");
assert.equal(verifySignature(TOKEN, REQUEST_TIME, SIGN, T + 60.001), false, "past 60 s is refused");
assert.equal(verifySignature(TOKEN, REQUEST_TIME, SIGN, T - 61), false);
assert.equal(verifySignature(TOKEN, REQUEST_TIME, `${SIGN.slice(0, 63)}0`, T), false);
assert.equal(verifySignature(TOKEN, REQUEST_TIME, SIGN.slice(0, 63), T), false);
assert.equal(verifySignature("xxxxyyyz", REQUEST_TIME, SIGN, T), false, "another token");
assert.equal(verifySignature("xxxx yyyy", REQUEST_TIME, SIGN, T), false, "whitespace inside a token is kept");
// The whitespace around a token is not part of it (a token file's line break), as in Rust.
assert.equal(verifySignature(`${TOKEN}\n`, REQUEST_TIME, SIGN, T), true);
assert.equal(sign(` ${TOKEN}\r\n`, REQUEST_TIME), SIGN);
assert.equal(trimToken("\u3000xxxxyyyy\t"), TOKEN);
assert.equal(verifySignature(TOKEN, `${REQUEST_TIME}.0`, SIGN, T), false, "RequestTime is digits");
assert.equal(verifySignature(TOKEN, "18446744073709551616", sign(TOKEN, "18446744073709551616"), T), false);
assert.equal(verifySignature(TOKEN, String(Math.floor(Date.now() / 1000)), sign(TOKEN, String(Math.floor(Date.now() / 1000)))), true);
assert.throws(() => verifySignature("", REQUEST_TIME, SIGN, T), TypeError, "an empty token is refused");
assert.throws(() => verifySignature(" \n", REQUEST_TIME, SIGN, T), TypeError, "so is whitespace alone");
assert.equal(DEFAULT_TOLERANCE_SECONDS, 60);

// --- parseWebhook: exact, typed ----------------------------------------------------------------
const endBattleText = `{"CallbackCommand": "Live.CallbackAfterEndBattle",
  "BattleId": "4siHsNsWN/T3aub9zKraqPfGQAimPhdFoe6VWhtz9lY=", "Duration": 30000,
  "CreateTime": 1739956115, "StartTime": 1739956115, "EndTime": 1739956145, "OpType": 0,
  "FromRoomInfo": {"RoomId": "pk-3", "Score": 0, "Owner_Account": 144115245353757792},
  "ToRoomList": [{"RoomId": "pk-5", "Score": 0, "Owner_Account": 144115245442327522}],
  "EventTime": 1739956146119}`;
const webhook: Webhook = parseWebhook(new TextEncoder().encode(endBattleText));
assert.equal(webhook.CallbackCommand, "Live.CallbackAfterEndBattle");
if (webhook.CallbackCommand !== "Live.CallbackAfterEndBattle") throw new Error("narrowed above");
const battle: LiveCallbackAfterEndBattle = webhook;
const owner: AccountId = battle.ToRoomList[0]!.Owner_Account;
assert.equal(owner, 144115245442327522n, "the account id is a bigint, exact");
assert.equal(typeof battle.FromRoomInfo.Owner_Account, "bigint");
assert.equal(battle.Duration, 30000, "a small integer is a number");
const duration: ExactInteger = battle.Duration;
assert.equal(typeof duration, "number");
assert.equal(battle.OpType, 0);
const reason: 0 | 1 | 2 = battle.OpType;
void reason;
// Unknown members are kept (typed unknown).
const extended = parseWebhook(endBattleText.replace('"OpType": 0', '"OpType": 0, "NewMember": [1, 2]'));
assert.deepEqual(extended["NewMember"], [1, 2]);
// The JSON text again, exact.
assert.match(serialize(webhook), /"Owner_Account":144115245442327522\}/);
// Narrowing on the command word gives each packet's own members.
const gift = parseWebhook(
  `{"CallbackCommand": "Live.CallbackBeforeSendGift", "Operator_Account": "viewer", "RoomId": "r",
    "GiftWater": {"From_Account": "viewer", "To_Account": ["anchor"], "Time": 1703589922,
                  "GiftId": "rose", "Count": 3, "Coins": 1000}}`,
);
assert.equal(gift.CallbackCommand, "Live.CallbackBeforeSendGift");
if (gift.CallbackCommand !== "Live.CallbackBeforeSendGift") throw new Error("narrowed above");
// Counts and coins are 64-bit in the schemas: number up to 2^53, bigint beyond; compare freely.
assert.ok(gift.GiftWater.Coins > 100);
assert.equal(BigInt(gift.GiftWater.Coins) * BigInt(gift.GiftWater.Count), 3000n);
const message = parseWebhook(
  `{"CallbackCommand": "Group.CallbackBeforeSendMsg", "GroupId": "@TGS#2J4SZEAEL", "Type": "Live",
    "From_Account": "jared", "Operator_Account": "admin", "Random": 123456,
    "MsgId": "144115233406643804-1727580296-4467", "EventTime": "1670574414123",
    "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "red packet"}}]}`,
);
if (message.CallbackCommand !== "Group.CallbackBeforeSendMsg") throw new Error("a message");
// Random is bounded within 32 bits: a number, and arithmetic compiles.
const random: number = message.Random * 2 + 1;
assert.equal(random, 246913);
assert.equal(message.EventTime, "1670574414123", "EventTime kept in the form received");
// A command's request type by its word.
const sameGift: RequestOf<"Live.CallbackBeforeSendGift"> = gift;
void sameGift;

// --- WebhookError: what and where ------------------------------------------------------------
function refusal(body: string): WebhookError {
  try {
    parseWebhook(body);
  } catch (error) {
    assert.ok(error instanceof WebhookError, String(error));
    return error;
  }
  throw new Error(`accepted: ${body}`);
}
const invalid = refusal('{"CallbackCommand": "Live.CallbackAfterEndBattle", "OpType": -1, "Duration": -5}');
assert.equal(invalid.kind, "invalid");
assert.equal(invalid.command, "Live.CallbackAfterEndBattle");
const at = (pointer: string): WebhookIssue[] => invalid.errors.filter((issue) => issue.instancePath === pointer);
// OpType is an open enumeration (any integer from 0, the known ones as a first branch): ajv
// reports both branches of its anyOf, and the anyOf.
assert.deepEqual(at("/OpType").map((issue) => issue.keyword), ["enum", "minimum", "anyOf"]);
assert.deepEqual(at("/Duration").map((issue) => issue.keyword), ["minimum"]);
assert.ok(at("").some((issue) => issue.keyword === "required" && issue.message.includes("BattleId")));
assert.ok(invalid.errors.every((issue) => typeof issue.message === "string" && typeof issue.schemaPath === "string"));
const tooBig = refusal(endBattleText.replace("30000", "18446744073709551616"));
assert.deepEqual(
  tooBig.errors.map((issue) => [issue.instancePath, issue.keyword, issue.message]),
  [["/Duration", "maximum", "must be <= 18446744073709551615"]],
  "bounds are compared and printed exactly",
);
const floatForm = refusal(endBattleText.replace("30000", "30000.0"));
assert.deepEqual(floatForm.errors.map((issue) => [issue.instancePath, issue.keyword]), [["/Duration", "type"]]);
assert.match(floatForm.errors[0]!.message, /30000\.0 is written with a fraction/);
const malformed = refusal('{\n  "CallbackCommand": x\n}');
assert.equal(malformed.kind, "malformed");
assert.equal(malformed.errors[0]!.keyword, "syntax");
assert.equal(malformed.errors[0]!.line, 2);
assert.equal(refusal("").kind, "malformed");
assert.equal(refusal("\uFEFF{}").kind, "malformed", "a byte order mark is not JSON");
assert.equal(refusal('{"a": 1e400}').kind, "malformed", "beyond a double");
assert.equal(refusal('{"a": "\\ud800"}').kind, "malformed", "a lone surrogate");
assert.throws(() => parseWebhook(new Uint8Array([0x7b, 0xff, 0x7d])), WebhookError, "not UTF-8");
const unknown = refusal('{"CallbackCommand": "Live.CallbackAfterNothing"}');
assert.equal(unknown.kind, "invalid");
assert.equal(unknown.command, undefined);
assert.deepEqual(unknown.errors.map((issue) => [issue.instancePath, issue.keyword]), [["/CallbackCommand", "enum"]]);
// The last of a member given twice counts, as in the Rust validator.
assert.equal(parseWebhook(endBattleText.replace('"OpType": 0', '"OpType": -1, "OpType": 0')).CallbackCommand, "Live.CallbackAfterEndBattle");

// --- parseResponse -----------------------------------------------------------------------------
const ok: ResponseOf<"Live.CallbackAfterEndBattle"> = parseResponse(
  "Live.CallbackAfterEndBattle",
  '{"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}',
);
assert.equal(ok.ActionStatus, "OK");
assert.throws(() => parseResponse("Live.CallbackBeforeSendGift", '{"ActionStatus": "OK", "ErrorCode": 2, "ErrorInfo": ""}'), WebhookError);
assert.throws(
  () => parseResponse("Group.CallbackBeforeSendMsg", '{"ActionStatus": "OK", "ErrorCode": 1, "ErrorInfo": "", "CloudCustomData": "x"}'),
  WebhookError,
  "a rewrite comes only with ErrorCode 0",
);

// --- Answers -----------------------------------------------------------------------------------
assert.equal(Answer.ok().body(), '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}');
assert.deepEqual(Answer.ok().httpAnswer(), {
  status: 200,
  headers: { "content-type": "application/json" },
  body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}',
});
const rejected = Answer.gift(gift, GiftDecision.rejectWithCode(102_150, "no coins"));
assert.equal(rejected.body(), '{"ActionStatus":"OK","ErrorCode":102150,"ErrorInfo":"no coins"}');
assert.equal(rejected.fits("Live.CallbackBeforeSendGift"), true);
assert.equal(rejected.fits("Group.CallbackBeforeSendMsg"), false);
assert.equal(rejected.letsThrough, false);
assert.equal(Answer.gift(gift, GiftDecision.allow()).letsThrough, true);
assert.throws(() => GiftDecision.rejectWithCode(102_201, "x"), RangeError);
assert.throws(() => MessageDecision.forbidWithCode(10_099, "x"), RangeError);
const rewritten = Answer.message(
  message,
  MessageDecision.sendRewritten({ msgBody: [{ MsgType: "TIMTextElem", MsgContent: { Text: "***" } }] }),
);
assert.equal(rewritten.body(), '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"***"}}]}');
assert.equal(Answer.message(message, MessageDecision.dropSilently()).body(), '{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}');
assert.equal(Answer.forWebhook(message).body(), '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}');
// A decision is given to its own webhook only, and is built by its builders.
// @ts-expect-error: a message is not a gift.
Answer.gift(message, GiftDecision.allow());
// @ts-expect-error: a message decision does not answer a gift.
Answer.gift(gift, MessageDecision.send());
// @ts-expect-error: a decision is built by GiftDecision, not by hand.
Answer.gift(gift, { ActionStatus: "OK", ErrorCode: 5, ErrorInfo: "" });
for (const answer of [Answer.ok(), rejected, rewritten]) {
  // Every answer is a valid response packet.
  const command: CommandWord = answer === rejected ? "Live.CallbackBeforeSendGift" : "Group.CallbackBeforeSendMsg";
  parseResponse(command, answer.body());
}
assert.deepEqual(failureAnswer(503, "busy"), {
  status: 503,
  headers: { "content-type": "application/json" },
  body: '{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"busy"}',
});

// --- receive -----------------------------------------------------------------------------------
const options = { sdkAppId: "1400000000", token: TOKEN };
const url = (command: string, time = REQUEST_TIME, signature = sign(TOKEN, time)) =>
  `/webhook?SdkAppid=1400000000&CallbackCommand=${command}&contenttype=json&ClientIP=127.0.0.1` +
  `&OptPlatform=iOS&Sign=${signature}&RequestTime=${time}`;
const signedAt = new Date((T + 3) * 1000);
const accepted = receive({ method: "POST", url: url("Live.CallbackAfterEndBattle"), body: endBattleText }, options, signedAt);
assert.ok(accepted.accepted);
const delivery: Delivery = accepted.delivery;
assert.equal(delivery.command, "Live.CallbackAfterEndBattle");
assert.equal(delivery.parameters.OptPlatform, "iOS");
assert.equal(delivery.parameters.Sign, SIGN);
assert.match(serialize(delivery.webhook), /144115245442327522/);
assert.equal(new TextDecoder().decode(delivery.body), endBattleText, "the body as received");
// WebhookCommand (the newest overview's name) in place of CallbackCommand; both must agree.
const webhookCommand = url("Live.CallbackAfterEndBattle").replace("CallbackCommand=", "WebhookCommand=");
assert.ok(receive({ method: "POST", url: webhookCommand, body: endBattleText }, options, signedAt).accepted);
const conflict = receive(
  { method: "POST", url: `${url("Live.CallbackAfterEndBattle")}&WebhookCommand=Live.CallbackAfterStartBattle`, body: endBattleText },
  options,
  signedAt,
);
assert.equal(!conflict.accepted && conflict.error.code, "UrlCommandConflict");
assert.deepEqual(!conflict.accepted && conflict.answer, failureAnswer(400, "CallbackCommand and WebhookCommand differ"));
// The token's surrounding whitespace is not part of it.
assert.ok(receive({ method: "POST", url: url("Live.CallbackAfterEndBattle"), body: endBattleText }, { ...options, token: `${TOKEN}\n` }, signedAt).accepted);
function rejection(reception: ReturnType<typeof receive>): ReceiveError {
  assert.ok(!reception.accepted, "refused");
  assert.ok(reception.error instanceof ReceiveError);
  return reception.error;
}
const wrongSignRequest = {
  method: "POST",
  url: url("Live.CallbackAfterEndBattle", REQUEST_TIME, "0".repeat(64)),
  body: endBattleText,
};
const wrongSign = receive(wrongSignRequest, options, signedAt);
assert.equal(rejection(wrongSign).code, "SignMismatch");
assert.deepEqual(!wrongSign.accepted && wrongSign.answer, failureAnswer(401, "Sign does not match"));
const stale = receive({ method: "POST", url: url("Live.CallbackAfterEndBattle"), body: endBattleText }, options, (T + 61) * 1000);
assert.equal(rejection(stale).code, "RequestTimeTooOld");
const get = receive({ method: "GET", url: url("Live.CallbackAfterEndBattle"), body: "" }, options, signedAt);
assert.equal(rejection(get).code, "MethodNotAllowed");
assert.equal(!get.accepted && get.answer.headers["allow"], "POST");
const invalidGift = { method: "POST", url: url("Live.CallbackBeforeSendGift"), body: '{"CallbackCommand": "Live.CallbackBeforeSendGift"}' };
const failed = receive(invalidGift, options, signedAt);
assert.equal(rejection(failed).code, "Schema");
assert.equal(rejection(failed).authenticated, true);
assert.equal(rejection(failed).command, "Live.CallbackBeforeSendGift");
assert.equal(!failed.accepted && failed.answer.status, 422);
const allowed = receive(invalidGift, { ...options, invalidBeforeWebhook: "allow" }, signedAt);
assert.deepEqual(!allowed.accepted && allowed.answer, Answer.ok().httpAnswer());
const refused = receive(invalidGift, { ...options, invalidBeforeWebhook: "refuse" }, signedAt);
assert.equal(!refused.accepted && refused.answer.body, '{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"packet does not match its schema"}');
assert.throws(() => receive(invalidGift, { sdkAppId: "14000abc" }), TypeError);
// An application that asks for invalid deliveries gets what could be read of them, and they are
// still refused unless it answers them.
assert.equal(!failed.accepted && failed.invalid, undefined, "receive describes nothing");
const genuine = receiveGenuine(invalidGift, options, signedAt);
assert.ok(!genuine.accepted && genuine.invalid !== undefined);
const invalidGiftDelivery: InvalidDelivery = genuine.invalid;
assert.equal(invalidGiftDelivery.error.code, "Schema");
assert.equal(invalidGiftDelivery.command, "Live.CallbackBeforeSendGift");
assert.equal(invalidGiftDelivery.commandWord, "Live.CallbackBeforeSendGift");
assert.ok(invalidGiftDelivery.issues.some((issue) => issue.keyword === "required"));
assert.deepEqual(invalidGiftDelivery.packet, { CallbackCommand: "Live.CallbackBeforeSendGift" });
assert.equal(invalidGiftDelivery.webhook, undefined);
assert.equal(invalidGiftDelivery.parameters?.CallbackCommand, "Live.CallbackBeforeSendGift");
assert.deepEqual(!genuine.accepted && genuine.answer, !failed.accepted && failed.answer);
assert.equal(rejection(receiveGenuine(wrongSignRequest, options, signedAt)).code, "SignMismatch");
assert.equal((receiveGenuine(wrongSignRequest, options, signedAt) as { invalid?: unknown }).invalid, undefined, "nothing before authentication");
assert.throws(() => receive(invalidGift, { sdkAppId: "1400000000", token: "" }), /the webhook token is empty/);
assert.equal(DEFAULT_MAX_BODY_BYTES, 1024 * 1024);

// --- The schemas -------------------------------------------------------------------------------
assert.deepEqual([...commandWords].sort(), [...rustCommandWords].sort());
for (const word of commandWords) {
  for (const role of ["request", "response"]) {
    const path = new URL(import.meta.resolve(`trtc-live-webhooks/schemas/${word}/${role}.schema.json`));
    const schema = JSON.parse(readFileSync(path, "utf8")) as { title: string; definitions?: object };
    assert.equal(schema.title, `${word.replace(".", "")}${role === "response" ? "Response" : ""}`);
    for (const [, name] of readFileSync(path, "utf8").matchAll(/"\$ref": "#\/definitions\/([A-Za-z]+)"/g)) {
      assert.ok(name !== undefined && Object.hasOwn(schema.definitions ?? {}, name), `${word} ${role}: ${name}`);
    }
  }
}
const schemaFile = (path: string) =>
  JSON.parse(readFileSync(new URL(import.meta.resolve(`trtc-live-webhooks/schemas/${path}`)), "utf8")) as {
    title: string;
    definitions: Record<string, unknown>;
  };
const bundle = schemaFile("trtc-live-webhooks.schema.json");
assert.equal(bundle.title, "TrtcLiveWebhook");
for (const word of commandWords) assert.ok(Object.hasOwn(bundle.definitions, word.replace(".", "")), word);
assert.equal(schemaFile("common/url-parameters.schema.json").title, "WebhookUrlParameters");

console.log("the public API (ESM) works as documented");

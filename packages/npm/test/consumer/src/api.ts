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
  type WebhookWarning,
} from "trtc-live-webhooks";

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
// Times and durations are bounded within 2^53 - 1 by the schemas: numbers, and arithmetic
// compiles (EndTime and StartTime are Unix seconds, Duration milliseconds).
const duration: number = battle.Duration;
const lasted: number = (battle.EndTime - battle.StartTime) * 1000;
assert.equal(lasted, duration, "the battle lasted its Duration");
const ended: Date = new Date(battle.EndTime * 1000);
assert.equal(ended.toISOString(), "2025-02-19T09:09:05.000Z");
assert.equal(battle.EventTime - battle.EndTime * 1000, 1119, "EventTime is milliseconds");
// Account ids may go beyond 2^53 (a bigint then) or be strings: arithmetic on them does not
// compile. A message's MsgSeq is 64-bit (an ExactInteger: a number, or a bigint beyond 2^53).
// @ts-expect-error: an account id is not a number.
void (() => battle.FromRoomInfo.Owner_Account * 2);
const sent = parseWebhook(
  `{"CallbackCommand": "Group.CallbackAfterSendMsg", "GroupId": "@TGS#1", "Type": "Public", "From_Account": "a",
    "Operator_Account": "a", "Random": 1, "MsgSeq": 18446744073709551615, "MsgTime": 1567032819, "MsgBody": []}`,
);
if (sent.CallbackCommand !== "Group.CallbackAfterSendMsg") throw new Error("a message");
const sequence: ExactInteger | undefined = sent.MsgSeq;
assert.equal(sequence, 18446744073709551615n);
// OpType is an open enumeration: 0, 1 and 2 are known, and Tencent may add reasons, so the
// type is `0 | 1 | 2 | (number & {})`. Handle the known ones and keep a default for the others.
function endedBecause(reason: LiveCallbackAfterEndBattle["OpType"]): string {
  switch (reason) {
    case 0:
      return "time up";
    case 1:
      return "every owner left";
    case 2:
      return "never started";
    default:
      return `a reason added since (${reason})`;
  }
}
assert.equal(endedBecause(battle.OpType), "time up");
assert.equal(endedBecause(7), "a reason added since (7)");
// @ts-expect-error: an open enumeration is not its known values only.
const closed: 0 | 1 | 2 = battle.OpType;
void closed;
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
// Counts and coins are bounded within 2^53 - 1 by the schemas: numbers, and arithmetic compiles.
assert.ok(gift.GiftWater.Coins > 100);
const total: number = gift.GiftWater.Coins * gift.GiftWater.Count;
assert.equal(total, 3000);
const sentAt: number = gift.GiftWater.Time * 1000 + 500;
assert.equal(new Date(sentAt).toISOString(), "2023-12-26T11:25:22.500Z");
// A value beyond 2^53 - 1 there is refused by the schema (see below), never rounded.
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

// --- Warnings: valid, but worth hearing of -----------------------------------------------------
const heard: WebhookWarning[] = [];
const newReason = parseWebhook(endBattleText.replace('"OpType": 0', '"OpType": 3'), { onWarning: (w) => heard.push(w) });
assert.equal(newReason.CallbackCommand, "Live.CallbackAfterEndBattle", "a new OpType is accepted");
assert.deepEqual(heard, [
  {
    kind: "unknown_enum_value",
    instancePath: "/OpType",
    message: "3 is not a known value of BattleEndReason (0, 1, 2): accepted, as Tencent may have added it",
  },
]);
// A room message of 2019, before Tencent added EventTime and MsgId: valid, an older revision.
const message2019 = `{"CallbackCommand": "Group.CallbackAfterSendMsg", "GroupId": "@TGS#1", "Type": "Public",
  "From_Account": "a", "Operator_Account": "a", "Random": 1, "MsgSeq": 2, "MsgTime": 1567032819, "MsgBody": []}`;
heard.length = 0;
parseWebhook(message2019, { onWarning: (w) => heard.push(w) });
assert.deepEqual(
  heard.map((w) => [w.kind, w.instancePath]),
  [["older_revision", "/MsgId"], ["older_revision", "/EventTime"]],
);
assert.match(heard[0]!.message, /^MsgId is missing: Tencent sends it since 2024-09-29T03:24:56Z, and this packet's MsgTime \(2019-08-28T22:53:39.000Z\) is before that/);
// One second after EventTime appeared, the packet must carry it.
assert.throws(() => parseWebhook(message2019.replace("1567032819", "1657612270")), WebhookError);
// A battle that ends before it started: a semantic warning, with the check's name.
heard.length = 0;
parseWebhook(endBattleText.replace('"EndTime": 1739956145', '"EndTime": 1739956100'), { onWarning: (w) => heard.push(w) });
assert.deepEqual(heard.map((w) => [w.kind, w.check, w.instancePath]), [["semantic", "battle-time-order", "/EndTime"]]);
assert.equal(heard[0]!.message, "EndTime 1739956100 s is before StartTime 1739956115 s: a battle's EndTime must not be before its StartTime");
// Without a listener, nothing is computed and nothing changes.
assert.equal(parseWebhook(message2019).CallbackCommand, "Group.CallbackAfterSendMsg");

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
// OpType is an open enumeration (any integer from 0 to 2^53 - 1, the known ones as a first
// branch): one issue, said as the Rust validator says it.
assert.deepEqual(
  at("/OpType").map((issue) => [issue.keyword, issue.message]),
  [["anyOf", "-1 is not a BattleEndReason: an integer from 0 to 9007199254740991 (known: 0, 1, 2; another is accepted with a warning)"]],
);
assert.deepEqual(at("/Duration").map((issue) => issue.keyword), ["minimum"]);
// A value of another type is one issue too: its type.
assert.deepEqual(
  refusal(endBattleText.replace('"OpType": 0', '"OpType": "0"')).errors.map((issue) => [issue.instancePath, issue.keyword]),
  [["/OpType", "type"]],
);
assert.ok(at("").some((issue) => issue.keyword === "required" && issue.message.includes("BattleId")));
assert.ok(invalid.errors.every((issue) => typeof issue.message === "string" && typeof issue.schemaPath === "string"));
for (const beyond of ["9007199254740992", "18446744073709551616"]) {
  const tooBig = refusal(endBattleText.replace("30000", beyond));
  assert.deepEqual(
    tooBig.errors.map((issue) => [issue.instancePath, issue.keyword, issue.message]),
    [["/Duration", "maximum", "must be <= 9007199254740991"]],
    "bounds are compared exactly: a duration is at most 2^53 - 1",
  );
}
const idTooBig = refusal(endBattleText.replace("144115245442327522", "18446744073709551616"));
assert.deepEqual(
  idTooBig.errors.map((issue) => [issue.instancePath, issue.keyword, issue.message]),
  [["/ToRoomList/0/Owner_Account", "maximum", "must be <= 18446744073709551615"]],
  "64-bit bounds are compared and printed exactly",
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
assert.deepEqual(delivery.warnings, [], "nothing to warn of");
// A platform Tencent added since: accepted, with a warning (the URL's first, then the packet's).
const harmony = receive(
  { method: "POST", url: url("Live.CallbackAfterEndBattle").replace("OptPlatform=iOS", "OptPlatform=HarmonyOS"), body: endBattleText.replace('"OpType": 0', '"OpType": 3') },
  options,
  signedAt,
);
assert.ok(harmony.accepted);
assert.deepEqual(
  harmony.delivery.warnings.map((w) => [w.kind, w.instancePath, w.message]),
  [
    [
      "unknown_enum_value",
      "/OptPlatform",
      '"HarmonyOS" is not a known value of OptPlatform ("RESTAPI", "Web", "Android", "iOS", "Windows", "Mac", "iPad", "Unknown"): accepted, as Tencent may have added it',
    ],
    ["unknown_enum_value", "/OpType", "3 is not a known value of BattleEndReason (0, 1, 2): accepted, as Tencent may have added it"],
  ],
);
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
assert.equal(commandWords.length, 18);
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

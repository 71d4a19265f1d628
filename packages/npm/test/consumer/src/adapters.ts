// The Express and Fastify adapters at their edges, over loopback: methods, body limits (declared
// and streamed), bodies without a content type or read by another middleware, handlers that
// throw or answer what does not fit, and invalid deliveries handed to an application that asks
// for them. Each case is sent to each adapter and must be answered as the receiver's table says.
import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import Fastify from "fastify";
import { Answer, GiftDecision, sign, type Delivery, type InvalidDelivery } from "trtc-live-webhooks";
import { expressWebhook, type EndpointOptions, type WebhookHandler } from "trtc-live-webhooks/express";
import { fastifyWebhook } from "trtc-live-webhooks/fastify";

const TOKEN = "xxxxyyyy";
const T = 1669872112;
const LIMIT = 1024;
const failures: unknown[] = [];
const options: EndpointOptions = {
  sdkAppId: "1400000000",
  token: TOKEN,
  maxBodyBytes: LIMIT,
  now: () => new Date((T + 3) * 1000),
  onError: (error) => failures.push(error),
};

// A gift makes the handler throw; a message gets a gift's decision (which does not fit it).
const handler: WebhookHandler = async (delivery: Delivery) => {
  const webhook = delivery.webhook;
  if (webhook.CallbackCommand === "Live.CallbackBeforeSendGift") throw new Error("the handler failed");
  if (webhook.CallbackCommand === "Group.CallbackBeforeSendMsg") {
    const gift = { ...webhook, CallbackCommand: "Live.CallbackBeforeSendGift" } as never;
    return Answer.gift(gift, GiftDecision.allow());
  }
  return Answer.forDelivery(delivery);
};

const query = (command: string) =>
  `?SdkAppid=1400000000&CallbackCommand=${command}&contenttype=json&ClientIP=127.0.0.1` +
  `&OptPlatform=RESTAPI&Sign=${sign(TOKEN, String(T))}&RequestTime=${T}`;
const endBattle = JSON.stringify({
  CallbackCommand: "Live.CallbackAfterEndBattle",
  BattleId: "b",
  Duration: 30000,
  CreateTime: 1,
  StartTime: 1,
  EndTime: 31,
  OpType: 0,
  FromRoomInfo: { RoomId: "r1", Score: 0, Owner_Account: "o1" },
  ToRoomList: [{ RoomId: "r2", Score: 0, Owner_Account: "o2" }],
  EventTime: 32000,
});
const gift = JSON.stringify({
  CallbackCommand: "Live.CallbackBeforeSendGift",
  Operator_Account: "v",
  RoomId: "r",
  GiftWater: { From_Account: "v", To_Account: ["a"], Time: 1, GiftId: "g", Count: 1, Coins: 1 },
});
const message = JSON.stringify({
  CallbackCommand: "Group.CallbackBeforeSendMsg",
  GroupId: "g",
  Type: "Live",
  From_Account: "f",
  Operator_Account: "o",
  Random: 1,
  MsgId: "m",
  EventTime: "1",
  MsgBody: [],
});

interface Case {
  what: string;
  method: string;
  command: string;
  body?: string | ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
  status: number;
  errorInfo?: string;
  allow?: string;
}

const stream = (bytes: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let sent = 0; sent < bytes; sent += 256) controller.enqueue(new Uint8Array(256).fill(0x20));
      controller.close();
    },
  });
const json = { "content-type": "application/json" };
const cases = (): Case[] => [
  { what: "accepted", method: "POST", command: "Live.CallbackAfterEndBattle", body: endBattle, headers: json, status: 200 },
  { what: "no content type", method: "POST", command: "Live.CallbackAfterEndBattle", body: endBattle, status: 200 },
  { what: "a text content type", method: "POST", command: "Live.CallbackAfterEndBattle", body: endBattle, headers: { "content-type": "text/plain" }, status: 200 },
  { what: "GET", method: "GET", command: "Live.CallbackAfterEndBattle", status: 405, errorInfo: "webhooks are POST requests", allow: "POST" },
  { what: "PUT over the limit", method: "PUT", command: "Live.CallbackAfterEndBattle", body: " ".repeat(LIMIT + 1), headers: json, status: 405, errorInfo: "webhooks are POST requests", allow: "POST" },
  { what: "declared over the limit", method: "POST", command: "Live.CallbackAfterEndBattle", body: " ".repeat(LIMIT + 1), headers: json, status: 413, errorInfo: "body too large" },
  { what: "streamed over the limit", method: "POST", command: "Live.CallbackAfterEndBattle", body: stream(4 * LIMIT), headers: json, status: 413, errorInfo: "body too large" },
  { what: "at the limit", method: "POST", command: "Live.CallbackAfterEndBattle", body: endBattle.padEnd(LIMIT), headers: json, status: 200 },
  { what: "empty", method: "POST", command: "Live.CallbackAfterEndBattle", body: "", headers: json, status: 400, errorInfo: "body is not JSON" },
  { what: "the handler throws", method: "POST", command: "Live.CallbackBeforeSendGift", body: gift, headers: json, status: 500, errorInfo: "the webhook handler failed" },
  { what: "an answer that does not fit", method: "POST", command: "Group.CallbackBeforeSendMsg", body: message, headers: json, status: 500, errorInfo: "the webhook handler failed" },
];

async function check(name: string, base: string): Promise<void> {
  for (const c of cases()) {
    const init: RequestInit & { duplex?: "half" } = { method: c.method, headers: c.headers ?? {} };
    if (c.body !== undefined) {
      init.body = c.body;
      if (typeof c.body !== "string") init.duplex = "half";
    }
    const response = await fetch(`${base}/webhook${query(c.command)}`, init);
    const text = await response.text();
    const what = `${name}, ${c.what}: ${response.status} ${text}`;
    assert.equal(response.status, c.status, what);
    assert.equal(response.headers.get("content-type"), "application/json", what);
    const packet = JSON.parse(text) as { ActionStatus: string; ErrorCode: number; ErrorInfo: string };
    if (c.status === 200) {
      assert.deepEqual(packet, { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" }, what);
    } else {
      assert.deepEqual(packet, { ActionStatus: "FAIL", ErrorCode: 1, ErrorInfo: c.errorInfo }, what);
    }
    if (c.allow !== undefined) assert.equal(response.headers.get("allow"), c.allow, what);
  }
  // The two handler failures went to onError.
  assert.equal(failures.length, 2, `${name}: ${failures.map(String).join("; ")}`);
  failures.length = 0;
}

function listening(server: { address(): AddressInfo | string | null }): string {
  const address = server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/** Starts an Express app on a free port of loopback. */
function serve(app: ReturnType<typeof express>): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve(server));
  });
}

// Express, mounted as the README says.
const expressApp = express();
expressApp.all("/webhook", expressWebhook(options, handler));
const expressServer = await serve(expressApp);
await check("express", listening(expressServer));

// Express with express.raw() before it: the raw body is used. With express.json() before it,
// the numbers were read as doubles: refused, saying so.
const rawApp = express();
rawApp.all("/webhook", express.raw({ type: "*/*" }), expressWebhook(options, handler));
rawApp.all("/parsed", express.json(), expressWebhook(options, handler));
const rawServer = await serve(rawApp);
const rawBase = listening(rawServer);
const raw = await fetch(`${rawBase}/webhook${query("Live.CallbackAfterEndBattle")}`, { method: "POST", headers: json, body: endBattle });
assert.equal(raw.status, 200, await raw.text());
const parsed = await fetch(`${rawBase}/parsed${query("Live.CallbackAfterEndBattle")}`, { method: "POST", headers: json, body: endBattle });
const parsedText = await parsed.text();
assert.equal(parsed.status, 500, parsedText);
assert.match(parsedText, /the body was read by another middleware/);

// Fastify, registered as the README says, beside a route of the application's own, whose JSON
// parsing the plugin leaves alone.
const fastifyApp = Fastify();
fastifyApp.post("/other", async (request) => ({ got: request.body }));
await fastifyApp.register(fastifyWebhook, { ...options, path: "/webhook", handler });
await fastifyApp.listen({ host: "127.0.0.1", port: 0 });
const fastifyBase = listening(fastifyApp.server);
await check("fastify", fastifyBase);
const other = await fetch(`${fastifyBase}/other`, { method: "POST", headers: json, body: '{"a": 1}' });
assert.deepEqual(await other.json(), { got: { a: 1 } });

// Invalid deliveries, for an application that asks for them: a command word no schema knows is
// acknowledged, a refused gift stays refused, and a decision cannot answer an unknown command.
const seen: InvalidDelivery[] = [];
const invalidOptions: EndpointOptions = {
  ...options,
  onInvalid: (invalid) => {
    seen.push(invalid);
    if (invalid.commandWord === "Live.CallbackAfterSomethingNew") return Answer.ok();
    if (invalid.commandWord === "Live.CallbackAfterOtherNew") return Answer.gift({} as never, GiftDecision.allow());
    return undefined;
  },
};
async function checkInvalid(name: string, base: string): Promise<void> {
  const post = (command: string, body: string) =>
    fetch(`${base}/webhook${query(command)}`, { method: "POST", headers: json, body });
  const unknown = await post("Live.CallbackAfterSomethingNew", '{"CallbackCommand": "Live.CallbackAfterSomethingNew", "RoomId": "r"}');
  assert.equal(unknown.status, 200, `${name}: ${await unknown.text()}`);
  const last = seen.at(-1)!;
  assert.deepEqual([last.error.code, last.command, last.commandWord], ["UnknownCommand", undefined, "Live.CallbackAfterSomethingNew"]);
  assert.deepEqual(last.packet, { CallbackCommand: "Live.CallbackAfterSomethingNew", RoomId: "r" });
  const refused = await post("Live.CallbackBeforeSendGift", '{"CallbackCommand": "Live.CallbackBeforeSendGift"}');
  assert.equal(refused.status, 422, name);
  assert.equal(seen.at(-1)!.command, "Live.CallbackBeforeSendGift");
  const unfit = await post("Live.CallbackAfterOtherNew", '{"CallbackCommand": "Live.CallbackAfterOtherNew"}');
  assert.equal(unfit.status, 500, name);
  assert.equal(failures.length, 1, `${name}: the decision that does not fit`);
  failures.length = 0;
  // A request whose command words contradict each other is refused without being handed over.
  const before = seen.length;
  const mismatch = await post("Live.CallbackAfterStartBattle", endBattle);
  assert.equal(mismatch.status, 400, name);
  assert.equal(seen.length, before, name);
}
const invalidApp = express();
invalidApp.all("/webhook", expressWebhook(invalidOptions, handler));
const invalidServer = await serve(invalidApp);
await checkInvalid("express", listening(invalidServer));
const invalidFastify = Fastify();
await invalidFastify.register(fastifyWebhook, { ...invalidOptions, path: "/webhook", handler });
await invalidFastify.listen({ host: "127.0.0.1", port: 0 });
await checkInvalid("fastify", listening(invalidFastify.server));

expressServer.close();
rawServer.close();
invalidServer.close();
await fastifyApp.close();
await invalidFastify.close();
console.log("the adapters answer every case as the receiver's table says");

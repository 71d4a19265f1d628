// A reference webhook receiver in Node (fastify + ajv), for bench/receiver.sh to measure
// `trtc-live serve` against. It does what serve does before its journal, in serve's order, with
// serve's answers (crates/trtc-live-receiver/src/error.rs has the table): POST only, the body
// limit, no query parameter twice, SdkAppid ours, then with a token Sign = hex sha256(token +
// RequestTime) compared in constant time and RequestTime within the tolerance, the URL
// parameters against their schema, then the body: JSON, a known CallbackCommand, the URL's
// CallbackCommand, the command's schema. A valid packet is answered
// {"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}; nothing is kept.
//
// Usage: node build/src/reference-receiver.js --sdkappid ID [--token-file FILE]
//   [--listen 127.0.0.1:8080] [--bundle dist/trtc-live-webhooks.schema.json]
//   [--max-body-bytes 1048576] [--tolerance-secs 60] [--parser exact|json]
// --parser exact (the default) reads packets with WebhookReader (lossless-json: every integer
// exact, as this project's TypeScript reader does); --parser json with JSON.parse and the same
// ajv schema (faster, but integers beyond 2^53 are rounded).
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Ajv, type ValidateFunction } from "ajv";
import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import { parseExact } from "./exact.js";
import { WebhookReader } from "./webhook.js";

const { values: options } = parseArgs({
  options: {
    sdkappid: { type: "string" },
    "token-file": { type: "string" },
    listen: { type: "string", default: "127.0.0.1:8080" },
    bundle: {
      type: "string",
      default: fileURLToPath(new URL("../../../../dist/trtc-live-webhooks.schema.json", import.meta.url)),
    },
    "max-body-bytes": { type: "string", default: String(1 << 20) },
    "tolerance-secs": { type: "string", default: "60" },
    parser: { type: "string", default: "exact" },
  },
});
const sdkAppId = options.sdkappid;
if (sdkAppId === undefined) throw new Error("--sdkappid is required");
const token = readToken(options["token-file"]);
const maxBodyBytes = Number(options["max-body-bytes"]);
const toleranceMs = BigInt(options["tolerance-secs"]) * 1000n;
const exact = options.parser === "exact";
if (!exact && options.parser !== "json") throw new Error("--parser is exact or json");

const bundleText = readFileSync(options.bundle, "utf8");
const bundle = JSON.parse(bundleText) as {
  $id: string;
  properties: { CallbackCommand: { enum: string[] } };
  definitions: { WebhookUrlParameters: object };
};
const reader = new WebhookReader(bundleText);
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
// The bundle's vendor keywords annotate only; strict mode wants them declared.
ajv.addVocabulary(["x-trtc-open-enum", "x-trtc-since", "x-trtc-clock"]);
ajv.addSchema(bundle);
const urlParametersValid = ajv.getSchema(`${bundle.$id}#/definitions/WebhookUrlParameters`);
const packetValid = ajv.getSchema(bundle.$id);
if (urlParametersValid === undefined || packetValid === undefined) {
  throw new Error(`${options.bundle}: not the bundle of the webhook schemas`);
}
const commands = new Set(bundle.properties.CallbackCommand.enum);
const utf8 = new TextDecoder("utf-8", { fatal: true });
const U64_MAX = 2n ** 64n - 1n;

/** The token file's text without its line break, as serve reads it. */
function readToken(path: string | undefined): Buffer | undefined {
  if (path === undefined) return undefined;
  const text = readFileSync(path, "utf8").replace(/[\r\n]+$/, "");
  if (text === "") throw new Error(`the token file ${path} is empty`);
  return Buffer.from(text, "utf8");
}

/** A refusal: its HTTP status and the fixed ErrorInfo of serve's table. */
class Refusal {
  constructor(
    readonly status: number,
    readonly info: string,
  ) {}
}

const OK = '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}';

function answer(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).header("content-type", "application/json").send(body);
}

function refuse(reply: FastifyReply, refusal: Refusal): FastifyReply {
  if (refusal.status === 405) reply.header("allow", "POST");
  const body = JSON.stringify({ ActionStatus: "FAIL", ErrorCode: 1, ErrorInfo: refusal.info });
  return answer(reply, refusal.status, body);
}

/** The query string's parameters, decoded; a name given twice is refused. */
function queryParameters(url: string): Record<string, string> {
  const at = url.indexOf("?");
  const parameters: Record<string, string> = {};
  if (at < 0) return parameters;
  for (const [name, value] of new URLSearchParams(url.slice(at + 1))) {
    if (Object.hasOwn(parameters, name)) throw new Refusal(400, "a query parameter is repeated");
    parameters[name] = value;
  }
  return parameters;
}

/** SdkAppid, then with a token Sign and RequestTime. */
function authenticate(query: Record<string, string>, now: number): void {
  const found = query.SdkAppid;
  if (found === undefined) throw new Refusal(400, "SdkAppid missing");
  if (found !== sdkAppId) throw new Refusal(403, "SdkAppid is not this application's");
  if (token === undefined) return;
  const sign = query.Sign;
  if (sign === undefined) throw new Refusal(401, "Sign missing");
  const requestTimeText = query.RequestTime;
  if (requestTimeText === undefined) throw new Refusal(401, "RequestTime missing");
  if (!/^[0-9]{1,20}$/.test(requestTimeText) || BigInt(requestTimeText) > U64_MAX) {
    throw new Refusal(401, "RequestTime is not Unix seconds");
  }
  const expected = createHash("sha256").update(token).update(requestTimeText).digest("hex");
  const received = Buffer.from(sign.toLowerCase(), "utf8");
  const wanted = Buffer.from(expected, "utf8");
  if (received.length !== wanted.length || !timingSafeEqual(received, wanted)) {
    throw new Refusal(401, "Sign does not match");
  }
  const away = BigInt(now) - BigInt(requestTimeText) * 1000n;
  if (away > toleranceMs) throw new Refusal(401, "RequestTime too old");
  if (-away > toleranceMs) throw new Refusal(401, "RequestTime in the future");
}

/** The body's CallbackCommand, when the body is an object that has one. */
function bodyCommand(packet: unknown): unknown {
  return packet !== null && typeof packet === "object" && !Array.isArray(packet)
    ? (packet as { CallbackCommand?: unknown }).CallbackCommand
    : undefined;
}

/** The body's command checks, in serve's order, once the packet is known to be invalid. */
function commandRefusal(packet: unknown, urlCommand: string | undefined): Refusal {
  const command = bodyCommand(packet);
  if (typeof command !== "string" || !commands.has(command)) {
    return new Refusal(400, "unknown CallbackCommand");
  }
  if (command !== urlCommand) return new Refusal(400, "CallbackCommand differs between URL and body");
  return new Refusal(422, "packet does not match its schema");
}

/** The packet's checks: JSON, command, URL command, schema. */
function checkPacket(body: Buffer, urlCommand: string | undefined): void {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new Refusal(400, "body is not JSON");
  }
  if (exact) {
    const reading = reader.read(text);
    if (reading.verdict === "malformed") throw new Refusal(400, "body is not JSON");
    if (reading.verdict === "valid") {
      if (reading.packet.CallbackCommand !== urlCommand) {
        throw new Refusal(400, "CallbackCommand differs between URL and body");
      }
      return;
    }
    throw commandRefusal(parseExact(text), urlCommand);
  }
  let packet: unknown;
  try {
    packet = JSON.parse(text);
  } catch {
    throw new Refusal(400, "body is not JSON");
  }
  if ((packetValid as ValidateFunction)(packet)) {
    if (bodyCommand(packet) !== urlCommand) {
      throw new Refusal(400, "CallbackCommand differs between URL and body");
    }
    return;
  }
  throw commandRefusal(packet, urlCommand);
}

async function handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const now = Date.now();
  try {
    if (request.method !== "POST") throw new Refusal(405, "webhooks are POST requests");
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (body.length > maxBodyBytes) throw new Refusal(413, "body too large");
    const query = queryParameters(request.url);
    authenticate(query, now);
    if (!(urlParametersValid as ValidateFunction)(query)) {
      throw new Refusal(400, "invalid URL parameters");
    }
    checkPacket(body, query.CallbackCommand);
    return answer(reply, 200, OK);
  } catch (error) {
    if (error instanceof Refusal) return refuse(reply, error);
    throw error;
  }
}

const app = Fastify({ bodyLimit: maxBodyBytes, logger: false });
// Every body, whatever its Content-Type, as bytes: the packet is read by the checks above.
app.removeAllContentTypeParsers();
app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
// Errors raised while fastify reads the body: too large, cut short, ... answered as serve does.
app.setErrorHandler((error: { statusCode?: number }, request, reply) => {
  if (request.method !== "POST") return refuse(reply, new Refusal(405, "webhooks are POST requests"));
  if (error.statusCode === 413) return refuse(reply, new Refusal(413, "body too large"));
  if (error.statusCode !== undefined && error.statusCode < 500) {
    return refuse(reply, new Refusal(400, "body could not be read"));
  }
  return answer(reply, 500, JSON.stringify({ ActionStatus: "FAIL", ErrorCode: 1, ErrorInfo: "internal error" }));
});
app.all("/", handle);
app.all("/*", handle);

const [host, port] = splitAddress(options.listen);
const address = await app.listen({ host, port });
// Scripts read the address from this line, as from serve's.
console.error(`reference-receiver: listening on ${address} (parser ${options.parser})`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}

function splitAddress(listen: string): [string, number] {
  const at = listen.lastIndexOf(":");
  const port = Number(listen.slice(at + 1));
  if (at < 0 || !Number.isInteger(port)) throw new Error(`--listen ${listen}: not HOST:PORT`);
  return [listen.slice(0, at).replace(/^\[|\]$/g, ""), port];
}

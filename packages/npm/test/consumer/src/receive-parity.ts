// `receive` (or `receiveGenuine`) on every request of a list: one JSON line in (name, method,
// url, body_hex, now_ms, options, genuine), one line out (name, accepted, command, webhook,
// body_hex, warnings; or code, status, allow, body, and what an invalid delivery holds). Run by
// tests/tests/interop, which gives the same requests to the Rust receiver and compares.
import { readFileSync } from "node:fs";
import { receive, receiveGenuine, serialize, type ReceiverOptions } from "trtc-live-webhooks";
import { warningAsRust } from "./warning-json.js";

const [requestsPath] = process.argv.slice(2);
if (requestsPath === undefined) throw new Error("usage: receive-parity.js REQUESTS.ndjson");
interface Request {
  name: string;
  method: string;
  url: string;
  body_hex: string;
  now_ms: number;
  options: ReceiverOptions;
  genuine: boolean;
}
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const out: string[] = [];
for (const line of readFileSync(requestsPath, "utf8").split("\n")) {
  if (line === "") continue;
  const request = JSON.parse(line) as Request;
  const body = Buffer.from(request.body_hex, "hex");
  const receiving = request.genuine ? receiveGenuine : receive;
  const reception = receiving({ method: request.method, url: request.url, body }, request.options, request.now_ms);
  if (reception.accepted) {
    const delivery = reception.delivery;
    out.push(
      JSON.stringify({
        name: request.name,
        accepted: true,
        command: delivery.command,
        webhook: serialize(delivery.webhook),
        body_hex: hex(delivery.body),
        warnings: delivery.warnings.map(warningAsRust),
      }),
    );
    continue;
  }
  const invalid = reception.invalid;
  out.push(
    JSON.stringify({
      name: request.name,
      accepted: false,
      code: reception.error.code,
      authenticated: reception.error.authenticated,
      command: reception.error.command ?? null,
      status: reception.answer.status,
      allow: reception.answer.headers["allow"] ?? null,
      content_type: reception.answer.headers["content-type"] ?? null,
      body: reception.answer.body,
      invalid:
        invalid === undefined
          ? null
          : {
              code: invalid.error.code,
              query: invalid.query,
              parameters: invalid.parameters !== undefined,
              url_issues: invalid.urlIssues.length > 0,
              body_hex: hex(invalid.body),
              command_word: invalid.commandWord ?? null,
              command: invalid.command ?? null,
              issues: invalid.issues.length > 0,
              packet: invalid.packet === undefined ? null : serialize(invalid.packet),
              webhook: invalid.webhook !== undefined,
            },
    }),
  );
}
process.stdout.write(out.length === 0 ? "" : `${out.join("\n")}\n`);

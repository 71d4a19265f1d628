// `receive` on every request of a list: one JSON line in (name, method, url, body_hex, now_ms,
// options), one line out (name, accepted, code, status, allow, body, webhook). Run by
// tests/tests/interop, which gives the same requests to the Rust receiver and compares.
import { readFileSync } from "node:fs";
import { receive, serialize, type ReceiverOptions } from "trtc-live-webhooks";

const [requestsPath] = process.argv.slice(2);
if (requestsPath === undefined) throw new Error("usage: receive-parity.js REQUESTS.ndjson");
interface Request {
  name: string;
  method: string;
  url: string;
  body_hex: string;
  now_ms: number;
  options: ReceiverOptions;
}
const out: string[] = [];
for (const line of readFileSync(requestsPath, "utf8").split("\n")) {
  if (line === "") continue;
  const request = JSON.parse(line) as Request;
  const body = Buffer.from(request.body_hex, "hex");
  const reception = receive({ method: request.method, url: request.url, body }, request.options, request.now_ms);
  out.push(
    reception.accepted
      ? JSON.stringify({ name: request.name, accepted: true, command: reception.delivery.command, webhook: serialize(reception.delivery.webhook) })
      : JSON.stringify({
          name: request.name,
          accepted: false,
          code: reception.error.code,
          authenticated: reception.error.authenticated,
          command: reception.error.command ?? null,
          status: reception.answer.status,
          allow: reception.answer.headers["allow"] ?? null,
          content_type: reception.answer.headers["content-type"] ?? null,
          body: reception.answer.body,
        }),
  );
}
process.stdout.write(out.length === 0 ? "" : `${out.join("\n")}\n`);

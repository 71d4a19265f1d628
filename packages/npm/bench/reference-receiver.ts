// A reference webhook receiver in Node, for benches/scripts/receiver.sh to measure `trtc-live serve`
// against: Fastify with the package's adapter (trtc-live-webhooks/fastify), which does what
// serve does before its journal, in serve's order, with serve's answers (the package's `receive`
// is held to the Rust receiver's outcomes by tests/tests/interop). A valid packet is answered as
// `Answer.forDelivery` says; nothing is kept.
//
// Usage (after `npm ci && npm run build` in packages/npm, and `tsc -p bench`):
//   node bench/build/reference-receiver.js --sdkappid ID [--token-file FILE]
//     [--listen 127.0.0.1:8080] [--max-body-bytes 1048576] [--tolerance-secs 60]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import Fastify from "fastify";
import { Answer } from "trtc-live-webhooks";
import { fastifyWebhook } from "trtc-live-webhooks/fastify";

const { values: options } = parseArgs({
  options: {
    sdkappid: { type: "string" },
    "token-file": { type: "string" },
    listen: { type: "string", default: "127.0.0.1:8080" },
    "max-body-bytes": { type: "string", default: String(1 << 20) },
    "tolerance-secs": { type: "string", default: "60" },
  },
});
const sdkAppId = options.sdkappid;
if (sdkAppId === undefined) throw new Error("--sdkappid is required");

/** The token file's text without its line break, as serve reads it. */
function readToken(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return readFileSync(path, "utf8").replace(/[\r\n]+$/, "");
}

const app = Fastify({ logger: false });
await app.register(fastifyWebhook, {
  sdkAppId,
  token: readToken(options["token-file"]),
  maxBodyBytes: Number(options["max-body-bytes"]),
  toleranceSeconds: Number(options["tolerance-secs"]),
  // Every path, as serve.
  path: "/*",
  handler: (delivery) => Answer.forDelivery(delivery),
});

const at = options.listen.lastIndexOf(":");
const port = Number(options.listen.slice(at + 1));
if (at < 0 || !Number.isInteger(port)) throw new Error(`--listen ${options.listen}: not HOST:PORT`);
const address = await app.listen({ host: options.listen.slice(0, at).replace(/^\[|\]$/g, ""), port });
// Scripts read the address from this line, as from serve's.
console.error(`reference-receiver: listening on ${address}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}

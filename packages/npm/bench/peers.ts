// Times ajv and the package's `parseWebhook` / `parseResponse` on the benchmark payloads, in
// process. Run by `cargo xtask bench` (docs/benchmarks.md), which writes the payloads and prints
// the table:
//
//   node bench/build/peers.js BUNDLE PAYLOADS.ndjson [--quick]
//
// PAYLOADS.ndjson holds one payload a line (name, kind, role, command, type, sets, text). For
// each tool, payload set and kind, one JSON line out: {tool, version, payload_set, kind,
// payloads, ns_per_payload, wrong_verdicts}. A batch runs every payload of the set `iterations`
// times; ns_per_payload is the median of the batches, after a warm-up.
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import { parseResponse, parseWebhook, WebhookError, type CommandWord } from "trtc-live-webhooks";

interface Payload {
  name: string;
  kind: "valid" | "invalid";
  role: "request" | "response";
  command: CommandWord;
  type: string;
  sets: string[];
  text: string;
}

/** A tool's verdict on one payload: whether it accepts it. */
type Check = (payload: Payload) => boolean;

interface Tool {
  name: string;
  version: string;
  check: Check;
}

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const [bundlePath, payloadsPath] = args.filter((arg) => !arg.startsWith("--"));
if (bundlePath === undefined || payloadsPath === undefined) {
  throw new Error("usage: peers.js BUNDLE PAYLOADS.ndjson [--quick]");
}

// Timing: the warm-up lets the JIT compile the hot paths; a batch lasts at least BATCH_NS.
const BATCH_NS = quick ? 20e6 : 200e6;
const WARMUP_NS = quick ? 100e6 : 1000e6;
const BATCHES = quick ? 3 : 9;

const bundle = JSON.parse(readFileSync(bundlePath, "utf8")) as { $id: string };
const payloads = readFileSync(payloadsPath, "utf8")
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => JSON.parse(line) as Payload);

/** The version of a package installed in packages/npm/node_modules. */
function packageVersion(name: string): string {
  const path = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
}

/** ajv with the bundle: its root for requests, `#/definitions/<Type>` for responses. */
function ajvCheck(allErrors: boolean): Check {
  const ajv = new Ajv({ allErrors, strict: true, allowUnionTypes: true });
  // The bundle's vendor keywords annotate only; strict mode wants them declared.
  ajv.addVocabulary(["x-trtc-open-enum", "x-trtc-since", "x-trtc-clock"]);
  ajv.addSchema(bundle);
  const schemaOf = (payload: Payload) => {
    const ref = payload.role === "request" ? bundle.$id : `${bundle.$id}#/definitions/${payload.type}`;
    // The bundle has no `$async` schema: its validators return a boolean.
    const validate = ajv.getSchema(ref) as ValidateFunction | undefined;
    if (validate === undefined) throw new Error(`no schema ${ref}`);
    return validate;
  };
  // Compiled once, before any timing.
  const validators = new Map(payloads.map((payload) => [payload, schemaOf(payload)]));
  return (payload) => validators.get(payload)!(JSON.parse(payload.text));
}

/** The package's verdict: the packet read exactly and validated, every error collected. */
const packageCheck: Check = (payload) => {
  try {
    if (payload.role === "request") parseWebhook(payload.text);
    else parseResponse(payload.command, payload.text);
    return true;
  } catch (error) {
    if (error instanceof WebhookError) return false;
    throw error;
  }
};

const ajvVersion = `ajv ${packageVersion("ajv")}`;
const ownVersion = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
const tools: Tool[] = [
  { name: "ajv: JSON.parse + validate", version: ajvVersion, check: ajvCheck(false) },
  { name: "ajv allErrors: JSON.parse + validate", version: ajvVersion, check: ajvCheck(true) },
  {
    name: "trtc-live-webhooks (npm): parseWebhook",
    version: `trtc-live-webhooks ${ownVersion}, ${ajvVersion}, lossless-json ${packageVersion("lossless-json")}`,
    check: packageCheck,
  },
];

/** Counts accepted payloads, so that no call can be optimized away. */
let accepted = 0;

/** Nanoseconds to run `check` over `set`, `iterations` times. */
function batch(check: Check, set: Payload[], iterations: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    for (const payload of set) if (check(payload)) accepted++;
  }
  return Number(process.hrtime.bigint() - start);
}

/** The median time per payload of `check` over `set`, in nanoseconds. */
function measure(check: Check, set: Payload[]): number {
  let iterations = 1;
  while (batch(check, set, iterations) < BATCH_NS) iterations *= 2;
  const warmupEnd = process.hrtime.bigint() + BigInt(WARMUP_NS);
  while (process.hrtime.bigint() < warmupEnd) batch(check, set, iterations);
  const times: number[] = [];
  for (let b = 0; b < BATCHES; b++) times.push(batch(check, set, iterations) / iterations);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]! / set.length;
}

for (const tool of tools) {
  for (const setName of ["samples", "end-battle"]) {
    for (const kind of ["valid", "invalid"] as const) {
      const set = payloads.filter((p) => p.kind === kind && p.sets.includes(setName));
      if (set.length === 0) continue;
      const wrong = set.filter((payload) => tool.check(payload) !== (kind === "valid"));
      for (const payload of wrong) {
        console.error(`warning: ${tool.name} gives the wrong verdict to ${payload.name}`);
      }
      const ns = measure(tool.check, set);
      console.log(
        JSON.stringify({
          tool: tool.name,
          version: tool.version,
          payload_set: setName,
          kind,
          payloads: set.length,
          ns_per_payload: ns,
          wrong_verdicts: wrong.length,
        }),
      );
    }
  }
}
if (accepted < 0) console.error(accepted);

// Every valid sample, read with the package: it must be valid, and give back exactly the JSON
// text the Rust toolkit gives (no number rounded, no member dropped). The samples are also
// checked against the package's types at compile time: samples.ts, written by
// tests/tests/interop, declares each one `satisfies` its type (integers beyond 2^53 as bigints).
import { readFileSync } from "node:fs";
import { parseResponse, parseWebhook, serialize, type CommandWord } from "trtc-live-webhooks";
import { sampleCount } from "./samples.js";

const [corpusPath] = process.argv.slice(2);
if (corpusPath === undefined) throw new Error("usage: check-samples.js VALID-SAMPLES.ndjson");
type Sample = { name: string; role: string; command: CommandWord; text: string; canonical: string };
const samples = readFileSync(corpusPath, "utf8")
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => JSON.parse(line) as Sample);
const failures: string[] = [];
for (const sample of samples) {
  try {
    const packet = sample.role === "response" ? parseResponse(sample.command, sample.text) : parseWebhook(sample.text);
    const text = serialize(packet);
    if (text !== sample.canonical) failures.push(`${sample.name}: read as ${text}, not ${sample.canonical}`);
  } catch (error) {
    failures.push(`${sample.name}: ${String(error)}`);
  }
}
if (samples.length !== sampleCount) failures.push(`${samples.length} samples read, ${sampleCount} type-checked`);
if (failures.length > 0) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`${samples.length} samples read exactly and type-checked`);

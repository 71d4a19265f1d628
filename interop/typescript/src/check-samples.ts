// Every valid sample, read with the reader: it must be valid, and give back exactly the JSON
// text the Rust toolkit gives (no number rounded, no field dropped). The samples are also
// checked against the generated types at compile time: ../generated/samples.ts, written by
// tests/tests/interop.rs, declares each one `satisfies` its type.
import { readFileSync } from "node:fs";
import { stringify } from "lossless-json";
import { WebhookReader } from "./webhook.js";
import { sampleCount } from "../generated/samples.js";

const [bundlePath, corpusPath] = process.argv.slice(2);
if (bundlePath === undefined || corpusPath === undefined) {
  throw new Error("usage: check-samples.js BUNDLE VALID-SAMPLES.ndjson");
}
const reader = new WebhookReader(readFileSync(bundlePath, "utf8"));
type Sample = { name: string; role: string; command: string; text: string; canonical: string };
const samples = readFileSync(corpusPath, "utf8")
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => JSON.parse(line) as Sample);
const failures: string[] = [];
for (const sample of samples) {
  const reading =
    sample.role === "response"
      ? reader.readResponse(sample.command, sample.text)
      : reader.read(sample.text);
  if (reading.verdict !== "valid") {
    failures.push(`${sample.name}: ${reading.verdict}`);
  } else if (stringify(reading.packet) !== sample.canonical) {
    failures.push(`${sample.name}: read as ${stringify(reading.packet)}, not ${sample.canonical}`);
  }
}
if (samples.length !== sampleCount) {
  failures.push(`${samples.length} samples read, ${sampleCount} type-checked`);
}
if (failures.length > 0) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`${samples.length} samples read exactly and type-checked`);

// The verdict of ajv on every packet of a corpus: one JSON line in (name, role, command, text),
// one line out (name, verdict). Run by tests/tests/interop.rs, which compares the verdicts with
// the Rust validator's and Python's.
import { readFileSync } from "node:fs";
import { WebhookReader } from "./webhook.js";

const [bundlePath, corpusPath] = process.argv.slice(2);
if (bundlePath === undefined || corpusPath === undefined) {
  throw new Error("usage: verdicts.js BUNDLE CORPUS.ndjson");
}
const reader = new WebhookReader(readFileSync(bundlePath, "utf8"));
for (const line of readFileSync(corpusPath, "utf8").split("\n")) {
  if (line === "") continue;
  const entry = JSON.parse(line) as { name: string; role: string; command: string; text: string };
  const reading =
    entry.role === "response"
      ? reader.readResponse(entry.command, entry.text)
      : reader.read(entry.text);
  console.log(JSON.stringify({ name: entry.name, verdict: reading.verdict }));
}

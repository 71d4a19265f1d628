// The verdict of `parseWebhook` (requests) or `parseResponse` (responses) on every packet of a
// corpus, with the warnings of a valid request: one JSON line in (name, role, command, text), one
// line out (name, verdict, and warnings when there are some, each as the Rust validator
// serializes its `Warning`). Run by tests/tests/interop, which compares them with the Rust
// validator's.
import { readFileSync } from "node:fs";
import { parseResponse, parseWebhook, WebhookError, type CommandWord, type WebhookWarning } from "trtc-live-webhooks";
import { warningAsRust } from "./warning-json.js";

const [corpusPath] = process.argv.slice(2);
if (corpusPath === undefined) throw new Error("usage: verdicts.js CORPUS.ndjson");
const out: string[] = [];
for (const line of readFileSync(corpusPath, "utf8").split("\n")) {
  if (line === "") continue;
  const entry = JSON.parse(line) as { name: string; role: string; command: CommandWord; text: string };
  let verdict = "valid";
  const warnings: WebhookWarning[] = [];
  try {
    if (entry.role === "response") parseResponse(entry.command, entry.text);
    else parseWebhook(entry.text, { onWarning: (warning) => warnings.push(warning) });
  } catch (error) {
    if (!(error instanceof WebhookError)) throw error;
    verdict = error.kind;
  }
  const printed = warnings.length === 0 ? { name: entry.name, verdict } : { name: entry.name, verdict, warnings: warnings.map(warningAsRust) };
  out.push(JSON.stringify(printed));
}
process.stdout.write(out.length === 0 ? "" : `${out.join("\n")}\n`);

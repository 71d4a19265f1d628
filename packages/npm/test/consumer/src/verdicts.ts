// The verdict of `parseWebhook` (requests) or `parseResponse` (responses) on every packet of a
// corpus: one JSON line in (name, role, command, text), one line out (name, verdict). Run by
// tests/tests/interop, which compares them with the Rust validator's.
import { readFileSync } from "node:fs";
import { parseResponse, parseWebhook, WebhookError, type CommandWord } from "trtc-live-webhooks";

const [corpusPath] = process.argv.slice(2);
if (corpusPath === undefined) throw new Error("usage: verdicts.js CORPUS.ndjson");
const out: string[] = [];
for (const line of readFileSync(corpusPath, "utf8").split("\n")) {
  if (line === "") continue;
  const entry = JSON.parse(line) as { name: string; role: string; command: CommandWord; text: string };
  let verdict = "valid";
  try {
    if (entry.role === "response") parseResponse(entry.command, entry.text);
    else parseWebhook(entry.text);
  } catch (error) {
    if (!(error instanceof WebhookError)) throw error;
    verdict = error.kind;
  }
  out.push(JSON.stringify({ name: entry.name, verdict }));
}
process.stdout.write(out.length === 0 ? "" : `${out.join("\n")}\n`);

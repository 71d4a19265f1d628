// Reading packets: `parseWebhook` for the requests Tencent sends, `parseResponse` for the answers.
import type { CommandWord, ResponseOf, Webhook } from "./types.js";
import { commandOf, readRequest, readResponse, type Reading, type WebhookIssue } from "./validation.js";
import { requestWarnings, type WebhookWarning } from "./warnings.js";

export type { WebhookIssue } from "./validation.js";
export type { WarningKind, WebhookWarning } from "./warnings.js";

/** How {@link parseWebhook} reports what a valid packet is still worth a warning for. */
export interface ParseOptions {
  /**
   * Called with each warning of a valid packet, in the Rust validator's order (see
   * {@link WebhookWarning}): a value an open enumeration does not know yet, a member an older
   * packet lacks, a semantic check. The packet is valid all the same.
   */
  readonly onWarning?: ((warning: WebhookWarning) => void) | undefined;
}

/**
 * A packet that was refused: `kind` says whether the text is not JSON (`malformed`) or breaks
 * its schema (`invalid`), and `errors` says what and where, every error of the packet.
 */
export class WebhookError extends Error {
  /** `malformed`: the text is not JSON. `invalid`: JSON that breaks the packet's schema. */
  readonly kind: "malformed" | "invalid";
  /** Every error: JSON pointer, schema keyword, message. */
  readonly errors: readonly WebhookIssue[];
  /** The command the packet names, when it names a known one. */
  readonly command: CommandWord | undefined;

  constructor(kind: "malformed" | "invalid", errors: readonly WebhookIssue[], command?: CommandWord) {
    const [first] = errors;
    const what = kind === "malformed" ? "not JSON" : `not a valid ${command ?? "webhook"} packet`;
    const where = first === undefined ? "" : `: ${first.instancePath || "(packet)"} ${first.message}`;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    super(`${what}${where}${more}`);
    this.name = "WebhookError";
    this.kind = kind;
    this.errors = errors;
    this.command = command;
  }
}

/** The text of a body: UTF-8 bytes are decoded strictly (a byte order mark stays, and is refused). */
export function bodyText(body: string | Uint8Array): string | undefined {
  if (typeof body === "string") return body;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return undefined;
  }
}

const NOT_UTF8: WebhookIssue = {
  instancePath: "",
  keyword: "syntax",
  message: "the body is not UTF-8 text",
  schemaPath: "",
  line: 1,
  column: 1,
};

/** Reads `body` with `read`: the reading, or malformed when the bytes are not UTF-8. */
export function readBody(body: string | Uint8Array, read: (text: string) => Reading): Reading {
  const text = bodyText(body);
  return text === undefined ? { verdict: "malformed", issues: [NOT_UTF8] } : read(text);
}

/**
 * Reads a webhook (request packet) exactly and validates it against its command's schema.
 *
 * Numbers stay exact: an integer beyond 2^53 (an account id such as 144115245442327522) is a
 * `bigint`, every other number a `number`. A member given twice takes its last value. The
 * verdict is the Rust validator's: an integer written with a fraction or an exponent
 * (`30000.0`) is refused where the schema wants an integer, as is a number beyond a double.
 *
 * A valid packet may still be worth a warning (`options.onWarning` hears of each): an
 * `OptPlatform` or an `OpType` Tencent added, an older packet without a member Tencent added
 * since, a battle that ends before it starts. Returns the packet, typed by its
 * `CallbackCommand`; throws a {@link WebhookError} otherwise.
 */
export function parseWebhook(body: string | Uint8Array, options: ParseOptions = {}): Webhook {
  const reading = readBody(body, readRequest);
  if (reading.verdict === "valid") {
    const webhook = reading.packet as Webhook;
    const onWarning = options.onWarning;
    if (onWarning !== undefined) {
      for (const warning of requestWarnings(webhook.CallbackCommand, webhook)) onWarning(warning);
    }
    return webhook;
  }
  if (reading.verdict === "malformed") throw new WebhookError("malformed", reading.issues);
  throw new WebhookError("invalid", reading.issues, commandOf(reading.packet));
}

/**
 * Reads the response packet (an app's answer) to `command` and validates it against that
 * command's response schema, as {@link parseWebhook} does for requests.
 */
export function parseResponse<C extends CommandWord>(command: C, body: string | Uint8Array): ResponseOf<C> {
  const reading = readBody(body, (text) => readResponse(command, text));
  if (reading.verdict === "valid") return reading.packet as ResponseOf<C>;
  throw new WebhookError(reading.verdict, reading.issues, command);
}

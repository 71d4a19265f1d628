// Warnings about valid packets, as the Rust validator gives them (its `Warning`): values of open
// enumerations outside their known values (`unknown_enum_value`), members Tencent added later
// that an older packet lacks (`older_revision`), and the semantic checks (`semantic`). A warning
// never changes the verdict: the packet is valid.
import { pointer } from "./exact.js";
import { definitionNames } from "./generated/schema.js";
import { semanticWarnings } from "./semantic.js";
import type { CommandWord } from "./types.js";
import { exactBundle, openEnum, referenced, revisionsOf } from "./vendor.js";

/** What a warning is about. */
export type WarningKind = "semantic" | "older_revision" | "unknown_enum_value";

/**
 * Something a valid packet (or its URL parameters) is still worth a warning for, as the Rust
 * validator and receiver report it (the same kind, pointer and message):
 *
 * - `unknown_enum_value`: a value of an open enumeration outside its known values (an
 *   `OptPlatform` of a new client platform, an `OpType` of 3): Tencent may have added it;
 * - `older_revision`: a member Tencent added later is missing, and the packet's own time is
 *   before that member appeared (or the packet carries no time of its own): an older packet;
 * - `semantic`: a rule of the documentation beyond the schema (`check` names it), such as a
 *   battle that ends before it starts.
 */
export interface WebhookWarning {
  readonly kind: WarningKind;
  /** For `semantic`: the check (`battle-time-order`, `event-time-after-message-time`, ...). */
  readonly check?: string;
  /** The JSON pointer of the member concerned (for a missing member, where it would stand). */
  readonly instancePath: string;
  /** What was found. */
  readonly message: string;
}

/**
 * The warnings of a valid request of `command`, in the Rust validator's order: semantic
 * warnings, then the members it lacks as an older revision, then its unknown values of open
 * enumerations (member by member, in the order of the members' names).
 */
export function requestWarnings(command: CommandWord, packet: unknown): WebhookWarning[] {
  const name = definitionNames[command].request;
  return [...semanticWarnings(command, packet), ...olderRevisions(name, packet), ...unknownValues(name, packet)];
}

/** The warnings of valid URL parameters: their unknown values of open enumerations. */
export function urlWarnings(parameters: Record<string, string>): WebhookWarning[] {
  return unknownValues("WebhookUrlParameters", parameters);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `value` as JSON text, as Rust prints it: a string quoted and escaped, a number in digits. */
function jsonText(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** The values of open enumerations in `value` (of definition `name`) that are not known ones. */
function unknownValues(name: string, value: unknown): WebhookWarning[] {
  const out: WebhookWarning[] = [];
  walk(exactBundle().definitions[name] ?? {}, value, [], out);
  return out;
}

function walk(schema: Record<string, unknown>, value: unknown, path: string[], out: WebhookWarning[]): void {
  const name = referenced(schema);
  if (name !== undefined) {
    const open = openEnum(name);
    if (open === undefined) {
      walk(exactBundle().definitions[name] ?? {}, value, path, out);
    } else if (!open.known.some((known) => known === value)) {
      out.push({
        kind: "unknown_enum_value",
        instancePath: pointer(path),
        message: `${jsonText(value)} is not a known value of ${open.name} (${open.known.map(jsonText).join(", ")}): accepted, as Tencent may have added it`,
      });
    }
    return;
  }
  const properties = schema["properties"];
  if (!isObject(properties) || !isObject(value)) return;
  // Member by member in the order of their names, as the Rust types hold them.
  for (const key of Object.keys(properties).sort()) {
    if (Object.hasOwn(value, key)) walk(properties[key] as Record<string, unknown>, value[key], [...path, key], out);
  }
}

/** A clock's value in Unix milliseconds: an integer, or a string of 1 to 19 digits. */
function clockMillis(value: unknown, scale: bigint): bigint | undefined {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return BigInt(value) * scale;
  if (typeof value === "bigint" && value >= 0n) return value * scale;
  if (typeof value === "string" && /^[0-9]{1,19}$/.test(value)) return BigInt(value) * scale;
  return undefined;
}

/** The last millisecond a date is written as one: 9999-12-31T23:59:59.999Z. */
const LAST_WRITTEN = 253402300799999n;

/** `2022-07-12T07:51:09.059Z` for a time in Unix milliseconds; `<n> ms` beyond the year 9999. */
export function formatMillis(millis: bigint): string {
  return millis <= LAST_WRITTEN ? new Date(Number(millis)).toISOString() : `${millis} ms`;
}

/** The dated members a packet of definition `name` lacks as an older revision. */
function olderRevisions(name: string, packet: unknown): WebhookWarning[] {
  const { clocks, members } = revisionsOf(name);
  if (!isObject(packet)) return [];
  const missing = members.filter((dated) => !Object.hasOwn(packet, dated.member));
  if (missing.length === 0) return [];
  let clock: { member: string; millis: bigint } | undefined;
  for (const candidate of clocks) {
    const millis = Object.hasOwn(packet, candidate.member)
      ? clockMillis(packet[candidate.member], candidate.scale)
      : undefined;
    if (millis !== undefined) {
      clock = { member: candidate.member, millis };
      break;
    }
  }
  return missing
    .filter((dated) => clock === undefined || clock.millis < dated.sinceMillis)
    .map((dated) => ({
      kind: "older_revision" as const,
      instancePath: pointer([dated.member]),
      message:
        `${dated.member} is missing: Tencent sends it since ${dated.since}, and ` +
        (clock === undefined
          ? "this packet carries no time of its own to date it by: taken as an older revision of the packet"
          : `this packet's ${clock.member} (${formatMillis(clock.millis)}) is before that: an older revision of the packet`),
    }));
}

// What the bundle's vendor keywords say (see the repository's schemas/README.md): the open
// enumerations (`x-trtc-open-enum`) and, per packet, its clocks (`x-trtc-clock`) and the members
// Tencent added later (`x-trtc-since`). Read once from the bundle, exactly (its bounds are
// written as they are in the schemas).
import { isLosslessNumber, parse as parseLossless } from "lossless-json";
import { bundleText } from "./generated/schema.js";

/** A schema of the bundle, read exactly: numbers are lossless-json's `LosslessNumber`s. */
type Schema = Record<string, unknown>;

/** One open enumeration: any value of its type is valid, the known ones are listed. */
export interface OpenEnum {
  /** Its definition's name (and title): `BattleEndReason`, `OptPlatform`... */
  readonly name: string;
  /** The known values. */
  readonly known: readonly (string | number)[];
  /** What it accepts, in words: `a string`, `an integer from 0 to 9007199254740991`. */
  readonly accepts: string;
}

/** One of a packet's own times, which date it. */
export interface Clock {
  /** The member (`EventTime`, `MsgTime`). */
  readonly member: string;
  /** Milliseconds per unit: 1000 for Unix seconds, 1 for Unix milliseconds. */
  readonly scale: bigint;
}

/** A member Tencent added later, and since when it is required. */
export interface Dated {
  readonly member: string;
  /** The date as written in the schema (RFC 3339, UTC). */
  readonly since: string;
  /** The date in Unix milliseconds. */
  readonly sinceMillis: bigint;
}

/** The revision rules of a packet. */
export interface Revisions {
  /** Its clocks, in order of preference. */
  readonly clocks: readonly Clock[];
  /** Its dated members, in the schema's order. */
  readonly members: readonly Dated[];
}

interface Vendor {
  readonly exact: { definitions: Record<string, Schema> };
  readonly openEnums: ReadonlyMap<string, OpenEnum>;
  readonly revisions: Map<string, Revisions>;
}

let vendor: Vendor | undefined;

/** The bundle read exactly, with its open enumerations, on first use. */
function read(): Vendor {
  if (vendor !== undefined) return vendor;
  const exact = parseLossless(bundleText) as { definitions: Record<string, Schema> };
  const openEnums = new Map<string, OpenEnum>();
  for (const [name, schema] of Object.entries(exact.definitions)) {
    if (schema["x-trtc-open-enum"] !== true) continue;
    const [values, any] = schema["anyOf"] as [Schema, Schema];
    const known = (values["enum"] as unknown[]).map((value) =>
      isLosslessNumber(value) ? Number(value.toString()) : (value as string),
    );
    const accepts =
      any["type"] === "integer"
        ? `an integer from ${String(any["minimum"])} to ${String(any["maximum"])}`
        : `a ${String(any["type"])}`;
    openEnums.set(name, { name, known, accepts });
  }
  vendor = { exact, openEnums, revisions: new Map() };
  return vendor;
}

/** The bundle read exactly (integer bounds as lossless numbers). */
export function exactBundle(): { definitions: Record<string, Schema> } {
  return read().exact;
}

/** The open enumeration of definition `name`, if it is one. */
export function openEnum(name: string): OpenEnum | undefined {
  return read().openEnums.get(name);
}

/** The definition a `$ref` of the bundle names (`#/definitions/<Name>`). */
export function referenced(schema: Schema): string | undefined {
  const ref = schema["$ref"];
  return typeof ref === "string" && ref.startsWith("#/definitions/") ? ref.slice("#/definitions/".length) : undefined;
}

/** The revision rules of packet definition `name` (none for most). */
export function revisionsOf(name: string): Revisions {
  const { exact, revisions } = read();
  let rules = revisions.get(name);
  if (rules === undefined) {
    const schema = exact.definitions[name] ?? {};
    const properties = (schema["properties"] ?? {}) as Record<string, Schema>;
    const clocks = ((schema["x-trtc-clock"] ?? []) as string[]).map((member) => {
      const unit = referenced(properties[member] ?? {});
      return { member, scale: unit === "UnixSeconds" ? 1000n : 1n };
    });
    const members = Object.entries(properties)
      .filter(([, property]) => typeof property["x-trtc-since"] === "string")
      .map(([member, property]) => {
        const since = property["x-trtc-since"] as string;
        return { member, since, sinceMillis: BigInt(Date.parse(since)) };
      });
    rules = { clocks, members };
    revisions.set(name, rules);
  }
  return rules;
}

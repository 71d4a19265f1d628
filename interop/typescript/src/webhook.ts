// Reading TRTC Live webhooks in TypeScript with the bundled JSON Schema (ajv), every number
// exact: packets are parsed by `parseExact` (./exact.ts), never by `JSON.parse`.
import { Ajv, type ErrorObject } from "ajv";
import { isInteger, isSafeNumber, parse, type LosslessNumber } from "lossless-json";
import { parseExact } from "./exact.js";
import type * as Schema from "../generated/webhooks.js";

/** A JSON number as read here: a `number` when that is exact, a `bigint` beyond 2^53. */
export type Exact<T> = T extends number
  ? number | bigint
  : T extends readonly (infer Item)[]
    ? Exact<Item>[]
    : T extends object
      ? { [Key in keyof T]: Exact<T[Key]> }
      : T;

/** Any request packet, told apart by its `CallbackCommand`. */
export type Webhook = Exact<
  | Schema.FollowCallbackAfterFollowAdd
  | Schema.FollowCallbackAfterFollowDelete
  | Schema.GroupCallbackAfterSendMsg
  | Schema.GroupCallbackBeforeSendMsg
  | Schema.LiveCallbackAfterChangeOwner
  | Schema.LiveCallbackAfterCreateBattle
  | Schema.LiveCallbackAfterCreateRoom
  | Schema.LiveCallbackAfterCreateRoomReachingThreshold
  | Schema.LiveCallbackAfterDelMetadata
  | Schema.LiveCallbackAfterDestroyRoom
  | Schema.LiveCallbackAfterEndBattle
  | Schema.LiveCallbackAfterMemberStateChanged
  | Schema.LiveCallbackAfterModifyAdmin
  | Schema.LiveCallbackAfterSetMetadata
  | Schema.LiveCallbackAfterStartBattle
  | Schema.LiveCallbackAfterUpdateRoomInfo
  | Schema.LiveCallbackBeforeSendGift
  | Schema.MicCallbackAfterSeatInfoChanged
>;

/** A command word of the schema that `Webhook` forgets fails to compile here. */
type Forgotten = Exclude<Schema.TrtcLiveWebhook["CallbackCommand"], Webhook["CallbackCommand"]>;
export const everyCommandIsAWebhook: [Forgotten] extends [never] ? true : Forgotten = true;

/** What reading a packet gives: the packet, or why it was refused. */
export type Reading<T> =
  | { verdict: "valid"; packet: T }
  | { verdict: "invalid"; errors: ErrorObject[] }
  | { verdict: "malformed"; error: string };

/** Validates webhook packets against the bundle `dist/trtc-live-webhooks.schema.json`. */
export class WebhookReader {
  private readonly ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  private readonly id: string;
  private readonly bounds: bigint[];

  /** `bundleText`: the bundle's text (it is parsed exactly too: its bounds reach u64::MAX). */
  constructor(bundleText: string) {
    const bundle = JSON.parse(bundleText) as { $id: string };
    this.id = bundle.$id;
    // The bundle's vendor keywords annotate (open enumerations, when members appeared); they
    // validate nothing, and strict mode wants them declared.
    this.ajv.addVocabulary(["x-trtc-open-enum", "x-trtc-since", "x-trtc-clock"]);
    this.ajv.addSchema(bundle);
    this.bounds = unsafeBounds(parse(bundleText));
  }

  /** Reads a request packet: its command's schema decides. */
  read(text: string): Reading<Webhook> {
    return this.check(this.id, text) as Reading<Webhook>;
  }

  /** Reads the app's response packet to `command` (such as "Live.CallbackAfterEndBattle"). */
  readResponse(command: string, text: string): Reading<Exact<Schema.CallbackResponse>> {
    const name = `${command.replace(".", "")}Response`;
    return this.check(`${this.id}#/definitions/${name}`, text) as Reading<
      Exact<Schema.CallbackResponse>
    >;
  }

  private check(schemaRef: string, text: string): Reading<unknown> {
    let packet: unknown;
    try {
      packet = parseExact(text);
    } catch (error) {
      return { verdict: "malformed", error: String(error) };
    }
    const validate = this.ajv.getSchema(schemaRef);
    if (validate === undefined) throw new Error(`no schema ${schemaRef}`);
    if (validate(asAjvSees(packet, this.bounds))) return { verdict: "valid", packet };
    return { verdict: "invalid", errors: validate.errors ?? [] };
  }
}

// ajv compares numbers as doubles, and a double cannot tell u64::MAX (the schema's maximum)
// from 2^64. So each integer beyond 2^53 is shown to ajv as a double on the same side of every
// bound of the schema as the exact value: the verdict is exact, and the packet itself keeps the
// bigint. That holds for an integer-valued double too (`18446744073709551615.0` reads as 2^64,
// which must not pass as u64::MAX): the verdict is about the value the packet holds.

/** Every integer bound of the schema beyond 2^53 (minimum, maximum and exclusive ones). */
function unsafeBounds(node: unknown, found: bigint[] = []): bigint[] {
  if (Array.isArray(node)) node.forEach((item) => unsafeBounds(item, found));
  else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      const digits = (value as LosslessNumber)?.isLosslessNumber ? String(value) : undefined;
      if (/^(exclusiveM|m)(in|ax)imum$/.test(key) && digits !== undefined) {
        if (isInteger(digits) && !isSafeNumber(digits)) found.push(BigInt(digits));
      } else unsafeBounds(value, found);
    }
  }
  return found;
}

/** The packet with each bigint replaced by a double that compares with every bound as it does. */
function asAjvSees(value: unknown, bounds: bigint[]): unknown {
  if (typeof value === "bigint" || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
    const exact = BigInt(value as bigint | number);
    const bound = bounds.find((b) => b !== exact && Number(b) === Number(exact));
    return bound === undefined ? Number(exact) : nextDouble(Number(bound), exact > bound);
  }
  if (Array.isArray(value)) return value.map((item) => asAjvSees(item, bounds));
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, asAjvSees(v, bounds)]);
    return Object.fromEntries(entries);
  }
  return value;
}

/** The next double after `x` (an integer-valued double beyond 2^53) upwards or downwards. */
function nextDouble(x: number, upwards: boolean): number {
  const double = new Float64Array([x]);
  const bits = new BigInt64Array(double.buffer);
  bits[0] = bits[0]! + (upwards === x > 0 ? 1n : -1n);
  return double[0]!;
}

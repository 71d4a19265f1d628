// The schemas compiled once (ajv, draft-07, every error), and the reading of a packet: exact
// JSON, then its schema, with errors that say where and why.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { isLosslessNumber } from "lossless-json";
import { JsonSyntaxError, readExact } from "./exact.js";
import { bundleText, commandWords, definitionNames } from "./generated/schema.js";
import type { CommandWord } from "./types.js";
import { exactBundle, openEnum } from "./vendor.js";

/** One thing wrong with a packet. */
export interface WebhookIssue {
  /** Where: the JSON pointer of the value concerned (`""` for the packet itself). */
  readonly instancePath: string;
  /**
   * What failed: the JSON Schema keyword (`required`, `type`, `enum`, `maximum`, `pattern`...),
   * or `syntax` for text that is not JSON.
   */
  readonly keyword: string;
  /** Why, in words. */
  readonly message: string;
  /**
   * Where the failing keyword is, as ajv reports it: a JSON pointer in the packet's schema
   * (`#/properties/OpType/...`) or in a shared definition (`#/definitions/AccountId/...`); `""`
   * for `syntax`.
   */
  readonly schemaPath: string;
  /** For `syntax`: where the reading stopped, 1-based line and column. */
  readonly line?: number;
  readonly column?: number;
}

/** How a packet was read: valid, invalid (JSON that breaks its schema) or malformed (not JSON). */
export type Reading =
  | { readonly verdict: "valid"; readonly packet: unknown }
  | { readonly verdict: "invalid"; readonly packet: unknown; readonly issues: readonly WebhookIssue[] }
  | { readonly verdict: "malformed"; readonly issues: readonly WebhookIssue[] };

interface Compiled {
  /** Every integer bound of the schemas beyond 2^53, exact. */
  readonly bounds: readonly bigint[];
  readonly urlParameters: ValidateFunction;
  /** The validator of a definition of the bundle, compiled on first use. */
  readonly definition: (name: string) => ValidateFunction;
}

let compiled: Compiled | undefined;

/** The validators, compiled on first use. */
function schemas(): Compiled {
  if (compiled !== undefined) return compiled;
  const bundle = JSON.parse(bundleText) as { $id: string };
  // Strict mode (the bundle passes it); patterns are ECMA-262 regular expressions with the `u`
  // flag, as JSON Schema says.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  // The bundle's vendor keywords annotate (open enumerations, when members appeared); they
  // validate nothing, and strict mode wants them declared.
  ajv.addVocabulary(["x-trtc-open-enum", "x-trtc-since", "x-trtc-clock"]);
  ajv.addSchema(bundle);
  const get = (ref: string): ValidateFunction => {
    const validate = ajv.getSchema(ref);
    if (validate === undefined) throw new Error(`the bundled schema has no ${ref}`);
    return validate as ValidateFunction;
  };
  const definitions = new Map<string, ValidateFunction>();
  compiled = {
    bounds: unsafeBounds(exactBundle()),
    urlParameters: get(`${bundle.$id}#/definitions/WebhookUrlParameters`),
    definition: (name) => {
      let validate = definitions.get(name);
      if (validate === undefined) {
        validate = get(`${bundle.$id}#/definitions/${name}`);
        definitions.set(name, validate);
      }
      return validate;
    },
  };
  return compiled;
}

/**
 * Reads a request packet: its `CallbackCommand` routes it to its command's schema, as the
 * bundle's root does (the packet then passes the root exactly when it passes its command's
 * schema, which requires that word); a packet naming no known command is invalid.
 */
export function readRequest(text: string): Reading {
  return read(
    (packet) => {
      const command = commandOf(packet);
      return command === undefined ? undefined : schemas().definition(definitionNames[command].request);
    },
    text,
  );
}

/** Reads the response packet to `command`. */
export function readResponse(command: CommandWord, text: string): Reading {
  if (!(commandWords as readonly string[]).includes(command)) {
    throw new TypeError(`unknown command word ${JSON.stringify(command)}`);
  }
  const validate = schemas().definition(definitionNames[command].response);
  return read(() => validate, text);
}

/** The issues of the URL parameters (an object of strings) against their schema; none when valid. */
export function urlParameterIssues(parameters: Record<string, string>): readonly WebhookIssue[] {
  const validate = schemas().urlParameters;
  if (validate(parameters)) return [];
  return issuesOf(openEnumViolations(validate.errors ?? [], parameters, new Map()), new Map());
}

/** The known command `packet` names, if any. */
export function commandOf(packet: unknown): CommandWord | undefined {
  if (packet === null || typeof packet !== "object" || Array.isArray(packet)) return undefined;
  const word = (packet as { CallbackCommand?: unknown }).CallbackCommand;
  return typeof word === "string" && (commandWords as readonly string[]).includes(word)
    ? (word as CommandWord)
    : undefined;
}

/** Why a request packet names no known command: the one issue it gets. */
function unknownCommand(packet: unknown): WebhookIssue {
  const known = `one of the ${commandWords.length} command words (${commandWords.join(", ")})`;
  if (packet === null || typeof packet !== "object" || Array.isArray(packet)) {
    return { instancePath: "", keyword: "type", message: "must be object", schemaPath: "#/type" };
  }
  if (!Object.hasOwn(packet, "CallbackCommand")) {
    return {
      instancePath: "",
      keyword: "required",
      message: "must have required property 'CallbackCommand'",
      schemaPath: "#/required",
    };
  }
  return {
    instancePath: "/CallbackCommand",
    keyword: "enum",
    message: `must be ${known}`,
    schemaPath: "#/properties/CallbackCommand/enum",
  };
}

/** Reads `text`, then validates it with the validator `route` gives (none: no known command). */
function read(route: (packet: unknown) => ValidateFunction | undefined, text: string): Reading {
  const compiled = schemas();
  let reading;
  try {
    reading = readExact(text, compiled.bounds);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const issue = {
      instancePath: "",
      keyword: "syntax",
      message: error.message,
      schemaPath: "",
      line: error.line,
      column: error.column,
    };
    return { verdict: "malformed", issues: [issue] };
  }
  const validate = route(reading.view);
  if (validate === undefined) {
    return { verdict: "invalid", packet: reading.value, issues: [unknownCommand(reading.view)] };
  }
  if (validate(reading.view)) return { verdict: "valid", packet: reading.value };
  const errors = openEnumViolations(validate.errors ?? [], reading.value, reading.floatForms);
  return { verdict: "invalid", packet: reading.value, issues: issuesOf(errors, reading.floatForms) };
}

/** `#/definitions/<Name>/anyOf...` or `#/definitions/<Name>/type`: where an open enumeration fails. */
const OPEN_ENUM_PATH = /^#\/definitions\/([^/]+)\/(anyOf|type)(\/.*)?$/;

/**
 * The violations of open enumerations said as the Rust validator says them: one per value. An
 * open enumeration is an `anyOf` of its known values and the bare type, and ajv reports both
 * branches and the `anyOf` (`enum`, `minimum`, `anyOf` for an `OpType` of -1). The branches'
 * errors are dropped; the `anyOf` one says what is accepted (`-1 is not a BattleEndReason: an
 * integer from 0 to 9007199254740991 (known: 0, 1, 2; another is accepted with a warning)`), or
 * is dropped too when the value is not even of the enumeration's type (its `type` error says so).
 */
function openEnumViolations(
  errors: readonly ErrorObject[],
  packet: unknown,
  floatForms: ReadonlyMap<string, string>,
): ErrorObject[] {
  const kept: ErrorObject[] = [];
  for (const error of errors) {
    const at = OPEN_ENUM_PATH.exec(error.schemaPath);
    const open = at === null ? undefined : openEnum(at[1]!);
    if (at === null || open === undefined || at[2] === "type") {
      kept.push(error);
      continue;
    }
    if (at[3] !== undefined) continue; // a branch of the anyOf
    const typeFailed = errors.some(
      (other) => other.instancePath === error.instancePath && other.schemaPath === `#/definitions/${open.name}/type`,
    );
    if (typeFailed) continue;
    const value = valueAt(packet, error.instancePath);
    const written = floatForms.get(error.instancePath) ?? (typeof value === "string" ? JSON.stringify(value) : String(value));
    const known = open.known.map(String).join(", ");
    kept.push({ ...error, message: `${written} is not a ${open.name}: ${open.accepts} (known: ${known}; another is accepted with a warning)` });
  }
  return kept;
}

/** The value at JSON pointer `path` of `value`. */
function valueAt(value: unknown, path: string): unknown {
  let at = value;
  for (const segment of path.split("/").slice(1)) {
    const key = segment.replaceAll("~1", "/").replaceAll("~0", "~");
    at = at !== null && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined;
  }
  return at;
}

/** ajv's errors as issues, with exact bounds and the integers written as floats named. */
function issuesOf(errors: readonly ErrorObject[], floatForms: ReadonlyMap<string, string>): WebhookIssue[] {
  const issues: WebhookIssue[] = [];
  const floatFormsReported = new Set<string>();
  for (const error of errors) {
    const written = floatForms.get(error.instancePath);
    let message = `${error.message ?? "is not valid"}`;
    if (written !== undefined && error.keyword !== "anyOf") {
      // One issue per number written as a float, whatever the keywords that refused it.
      if (floatFormsReported.has(error.instancePath)) continue;
      floatFormsReported.add(error.instancePath);
      message = `${written} is written with a fraction or an exponent: an integer must be written as one`;
    } else if (/^(exclusiveM|m)(in|ax)imum$/.test(error.keyword)) {
      // ajv prints the bound as a double (u64::MAX as 18446744073709552000): print it exactly.
      const exact = schemas().bounds.find((bound) => Number(bound) === error.params.limit);
      if (exact !== undefined) message = message.replace(/[-0-9.e+]+$/, exact.toString());
    }
    issues.push({ instancePath: error.instancePath, keyword: error.keyword, message, schemaPath: error.schemaPath });
  }
  return issues;
}

/** Every integer bound of the schemas beyond 2^53 (minimum, maximum and exclusive ones). */
function unsafeBounds(node: unknown, found: bigint[] = []): bigint[] {
  if (Array.isArray(node)) node.forEach((item) => unsafeBounds(item, found));
  else if (node !== null && typeof node === "object" && !isLosslessNumber(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (/^(exclusiveM|m)(in|ax)imum$/.test(key) && isLosslessNumber(value)) {
        const digits = value.toString();
        if (/^-?[0-9]+$/.test(digits) && !Number.isSafeInteger(Number(digits))) found.push(BigInt(digits));
      } else unsafeBounds(value, found);
    }
  }
  return found;
}

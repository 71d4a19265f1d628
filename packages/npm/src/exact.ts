// Reading JSON text exactly. `JSON.parse` reads every number into a double: the account id
// 144115245442327522 becomes 144115245442327520. Here every integer beyond 2^53 becomes a bigint,
// exact, and every other number a number. Four more rules make the text read as the Rust
// validator reads it: a key given twice takes its last value; a string or key holding a lone
// surrogate ("\ud800", not Unicode text) is refused; so is a number beyond the range of a double
// (1e400); so is text nested more than 127 levels deep (serde_json's recursion limit); and an
// integer written with a fraction or an exponent (30000.0, 1e2, -0), which the schemas count as
// an integer but Rust's typed model does not, is shown to the validator as a value that no
// integer schema accepts.
import { parse } from "lossless-json";

/** Text that is not JSON, with where the reading stopped. */
export class JsonSyntaxError extends SyntaxError {
  /** Where the reading stopped: 1-based line and column (in characters) of the text. */
  readonly line: number;
  readonly column: number;

  constructor(message: string, text: string, position: number) {
    const before = text.slice(0, Math.max(0, Math.min(position, text.length)));
    const line = before.split("\n").length;
    const column = [...before.slice(before.lastIndexOf("\n") + 1)].length + 1;
    super(`${message} at line ${line} column ${column}`);
    this.name = "JsonSyntaxError";
    this.line = line;
    this.column = column;
  }
}

/** What reading the text gave. */
export interface ExactReading {
  /** The value: integers beyond 2^53 as bigints, every other number a number. */
  value: unknown;
  /**
   * What a JSON Schema validator that compares numbers as doubles (ajv) must be shown so that
   * its verdict is the exact one: the value itself, unless it holds a bigint or an integer
   * written as a float (see `viewOf`).
   */
  view: unknown;
  /** The JSON pointer of each integer written with a fraction or an exponent, and its text. */
  floatForms: Map<string, string>;
}

/** A number whose double would misrepresent it, held until the value is built. */
class Held {
  constructor(
    /** The number as written. */
    readonly text: string,
    /** Its value: a bigint for an integer beyond 2^53, else the double. */
    readonly value: number | bigint,
    /** Written with a fraction or an exponent (or `-0`) although its value is an integer. */
    readonly floatForm: boolean,
  ) {}
}

/** The deepest nesting of arrays and objects read, as serde_json reads (the Rust validator). */
const MAX_DEPTH = 127;

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
/** A `\uD800`-`\uDFFF` escape: the text may hold a lone surrogate once parsed. */
const SURROGATE_ESCAPE = /\\u[dD][89abAB]|\\u[dD][c-fC-F]/;
const LONE_SURROGATE = /\p{Surrogate}/u;

/** How many numbers the reading in progress held (JavaScript runs one reading at a time). */
let held = 0;

/** Each number read: a number, or a `Held` one when a double would misrepresent it. */
function parseNumber(digits: string): number | Held {
  if (INTEGER.test(digits) && digits !== "-0") {
    const number = Number(digits);
    if (Number.isSafeInteger(number)) return number;
    if (!Number.isFinite(number)) throw new SyntaxError(`${digits} is beyond the range of a double`);
    held++;
    return new Held(digits, BigInt(digits), false);
  }
  const number = Number(digits);
  if (!Number.isFinite(number)) throw new SyntaxError(`${digits} is beyond the range of a double`);
  if (!Number.isInteger(number)) return number;
  held++;
  return new Held(digits, number, true);
}

/** The reading's options, one object for every reading (a call site that stays monomorphic). */
const OPTIONS = {
  parseNumber,
  onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue,
};

/**
 * Reads `text` as JSON. `bounds` are the integer bounds of the schemas beyond 2^53 (see
 * `viewOf`). Throws a `JsonSyntaxError` for text that is not JSON, or that holds a lone
 * surrogate or a number beyond a double.
 */
export function readExact(text: string, bounds: readonly bigint[]): ExactReading {
  const tooDeep = depthExceeded(text);
  if (tooDeep !== undefined) {
    throw new JsonSyntaxError(`recursion limit exceeded: more than ${MAX_DEPTH} nested arrays and objects`, text, tooDeep);
  }
  held = 0;
  let value: unknown;
  try {
    value = parse(text, null, OPTIONS);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /(?: at position | at )(\d+)$/.exec(message);
    const position = at === null ? text.length : Number(at[1]);
    throw new JsonSyntaxError(at === null ? message : message.slice(0, at.index), text, position);
  }
  const surrogates = SURROGATE_ESCAPE.test(text) || LONE_SURROGATE.test(text);
  const floatForms = new Map<string, string>();
  if (held === 0 && !surrogates) return { value, view: value, floatForms };
  // The value is the parse's own tree: its held numbers are replaced in place, and the view
  // copies only the objects and arrays on the way to one.
  const building: Building = { bounds, floatForms, text, surrogates, path: [] };
  if (value instanceof Held) {
    building.floatForms.set("", value.text);
    return { value: value.value, view: viewOf(value, bounds), floatForms };
  }
  const view = build(value, building);
  return { value, view: view ?? value, floatForms };
}

/** Where the nesting of arrays and objects first goes deeper than `MAX_DEPTH`, if it does. */
function depthExceeded(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      // A string: skipped to its closing quote, escapes included.
      for (i++; i < text.length; i++) {
        const inner = text.charCodeAt(i);
        if (inner === 0x5c) i++;
        else if (inner === 0x22) break;
      }
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > MAX_DEPTH) return i;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return undefined;
}

interface Building {
  bounds: readonly bigint[];
  floatForms: Map<string, string>;
  text: string;
  /** Whether strings must be checked for lone surrogates. */
  surrogates: boolean;
  /** Where the walk is: the keys and indexes from the root. */
  path: string[];
}

/**
 * Replaces each held number below `node` (an object or an array of the parse) by its value, in
 * place, and checks strings for lone surrogates. Returns the view of `node` when it differs
 * (a copy holding the views of the held numbers), `undefined` when it is `node` itself.
 */
function build(node: unknown, building: Building): unknown {
  if (typeof node === "string") {
    if (building.surrogates) refuseLoneSurrogate(node, building.text);
    return undefined;
  }
  if (node === null || typeof node !== "object") return undefined;
  const members = node as Record<string, unknown>;
  let view: Record<string, unknown> | unknown[] | undefined;
  const keys = Array.isArray(node) ? undefined : Object.keys(node);
  const count = keys === undefined ? (node as unknown[]).length : keys.length;
  for (let i = 0; i < count; i++) {
    const key = keys === undefined ? String(i) : keys[i]!;
    if (keys !== undefined && building.surrogates) refuseLoneSurrogate(key, building.text);
    const child = members[key];
    let childView: unknown;
    if (child instanceof Held) {
      building.path.push(key);
      if (child.floatForm) building.floatForms.set(pointer(building.path), child.text);
      building.path.pop();
      setMember(members, key, child.value);
      childView = viewOf(child, building.bounds);
    } else {
      building.path.push(key);
      childView = build(child, building);
      building.path.pop();
      if (childView === undefined) continue;
    }
    view ??= Array.isArray(node) ? [...node] : { ...members };
    setMember(view as Record<string, unknown>, key, childView);
  }
  return view;
}

/** `object[key] = value`, a `__proto__` key included (an own member, not the prototype). */
function setMember(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

function refuseLoneSurrogate(text: string, whole: string): void {
  if (LONE_SURROGATE.test(text)) {
    throw new JsonSyntaxError(
      `${JSON.stringify(text.slice(0, 40))} holds a lone surrogate, which is not Unicode text`,
      whole,
      whole.length,
    );
  }
}

/** The JSON pointer of `path`. */
export function pointer(path: readonly string[]): string {
  return path.map((segment) => `/${segment.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/**
 * What ajv is shown for a held number. ajv compares numbers as doubles, and a double cannot
 * tell u64::MAX (a bound of the schemas) from 2^64: an integer beyond 2^53 is shown as a double
 * on the same side of every bound as the exact value, so the verdict is exact and the value
 * keeps its bigint. An integer written as a float is shown as NaN, which no integer schema
 * accepts (nor an `enum`, nor any bound) and any untyped one does: Rust's typed model refuses
 * 30000.0 where it wants an integer, and keeps it where any value goes.
 */
function viewOf(held: Held, bounds: readonly bigint[]): number {
  if (held.floatForm) return Number.NaN;
  const exact = held.value as bigint;
  const bound = bounds.find((b) => b !== exact && Number(b) === Number(exact));
  return bound === undefined ? Number(exact) : nextDouble(Number(bound), exact > bound);
}

/** The next double after `x` (an integer-valued double beyond 2^53) upwards or downwards. */
function nextDouble(x: number, upwards: boolean): number {
  const double = new Float64Array([x]);
  const bits = new BigInt64Array(double.buffer);
  bits[0] = bits[0]! + (upwards === x > 0 ? 1n : -1n);
  return double[0]!;
}

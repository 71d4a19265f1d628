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
  let held = 0;
  let value: unknown;
  try {
    value = parse(text, null, {
      parseNumber: (digits) => {
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
      },
      onDuplicateKey: ({ newValue }) => newValue,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /(?: at position | at )(\d+)$/.exec(message);
    const position = at === null ? text.length : Number(at[1]);
    throw new JsonSyntaxError(at === null ? message : message.slice(0, at.index), text, position);
  }
  const surrogates = SURROGATE_ESCAPE.test(text) || LONE_SURROGATE.test(text);
  if (held === 0 && !surrogates) return { value, view: value, floatForms: new Map() };
  const floatForms = new Map<string, string>();
  const [exact, view] = build(value, [], { bounds, floatForms, text });
  return { value: exact, view, floatForms };
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
}

/** The value and its view, with every `Held` number replaced, and strings checked. */
function build(node: unknown, path: string[], building: Building): [unknown, unknown] {
  if (node instanceof Held) {
    if (node.floatForm) building.floatForms.set(pointer(path), node.text);
    return [node.value, viewOf(node, building.bounds)];
  }
  if (typeof node === "string") {
    refuseLoneSurrogate(node, building.text);
    return [node, node];
  }
  if (Array.isArray(node)) {
    const value: unknown[] = [];
    const view: unknown[] = [];
    node.forEach((item, index) => {
      const [v, w] = build(item, [...path, String(index)], building);
      value.push(v);
      view.push(w);
    });
    return [value, view];
  }
  if (node !== null && typeof node === "object") {
    const value: [string, unknown][] = [];
    const view: [string, unknown][] = [];
    for (const [key, item] of Object.entries(node)) {
      refuseLoneSurrogate(key, building.text);
      const [v, w] = build(item, [...path, key], building);
      value.push([key, v]);
      view.push([key, w]);
    }
    // Object.fromEntries defines own properties: a "__proto__" key stays a member.
    return [Object.fromEntries(value), Object.fromEntries(view)];
  }
  return [node, node];
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

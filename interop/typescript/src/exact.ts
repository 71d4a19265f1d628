// `JSON.parse` reads every number into a double: the account id 144115245442327522 becomes
// 144115245442327520. Parse webhooks with lossless-json instead, keeping each integer beyond
// 2^53 as a bigint (and every other number as a number). Two more rules make it read what the
// Rust validator and Python read: a key given twice takes its last value, and a string with a
// lone surrogate ("\ud800", not Unicode text) is refused.
import { isInteger, isSafeNumber, parse } from "lossless-json";

const loneSurrogate = /\p{Surrogate}/u;

/** Parses JSON text; integers beyond 2^53 become bigints, exact. */
export function parseExact(text: string): unknown {
  return parse(
    text,
    (key, value) => {
      if (loneSurrogate.test(key) || (typeof value === "string" && loneSurrogate.test(value))) {
        throw new SyntaxError(`a lone surrogate in ${JSON.stringify(key)}`);
      }
      return value;
    },
    {
      parseNumber: (digits) =>
        isInteger(digits) && !isSafeNumber(digits) ? BigInt(digits) : Number(digits),
      onDuplicateKey: ({ newValue }) => newValue,
    },
  );
}

// `JSON.parse` reads every number into a double: the account id 144115245442327522 becomes
// 144115245442327520. Parse webhooks with lossless-json instead, keeping each integer beyond
// 2^53 as a bigint (and every other number as a number). Three more rules make it read what
// the Rust validator and Python read: a key given twice takes its last value, a string with a
// lone surrogate ("\ud800", not Unicode text) is refused, and so is a number beyond the range of
// a double (1e400, which would become Infinity).
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
      parseNumber: (digits) => {
        if (isInteger(digits) && !isSafeNumber(digits)) return BigInt(digits);
        const number = Number(digits);
        if (!Number.isFinite(number)) throw new SyntaxError(`${digits} is beyond a double`);
        return number;
      },
      onDuplicateKey: ({ newValue }) => newValue,
    },
  );
}

// Tencent's webhook signature: `Sign = sha256(Token + RequestTime)`, the SHA-256 of the token
// immediately followed by the `RequestTime` text, as 64 hexadecimal digits. It covers the token
// and the time only, not the body nor the other URL parameters.
import { createHash, timingSafeEqual } from "node:crypto";

/** How far `RequestTime` may be from the clock by default, either way: 60 seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 60;

const U64_MAX = 18446744073709551615n;

const AROUND = /^\p{White_Space}+|\p{White_Space}+$/gu;

/**
 * The token as configured with Tencent, without the whitespace around it (Unicode white space:
 * spaces, tabs, line breaks...), as the Rust receiver's `Token::new` reads it. A token read from
 * a file or an environment variable often ends with a line break; kept, it would make every
 * `Sign` differ. Tencent's pages give no token that begins or ends with whitespace.
 */
export function trimToken(token: string): string {
  return token.replace(AROUND, "");
}

/**
 * The `Sign` Tencent sends with `requestTime`: SHA-256 of the token immediately followed by
 * `requestTime`, as 64 lowercase hexadecimal digits. For senders and tests; a receiver calls
 * {@link verifySignature}.
 */
export function sign(token: string, requestTime: string): string {
  return createHash("sha256").update(trimToken(token), "utf8").update(requestTime, "utf8").digest("hex");
}

/**
 * `requestTime` as Unix seconds: 1 to 20 decimal digits within 64 bits, else `undefined`.
 */
export function unixSeconds(requestTime: string): bigint | undefined {
  if (!/^[0-9]{1,20}$/.test(requestTime)) return undefined;
  const seconds = BigInt(requestTime);
  return seconds <= U64_MAX ? seconds : undefined;
}

/**
 * Whether `sign` is `token`'s signature of `requestTime` (its hexadecimal digits in either case,
 * compared in constant time). An empty token (once the whitespace around it is removed) is
 * refused with a `TypeError`: Tencent's tokens are not empty, and an empty one is almost
 * certainly a secret that could not be read.
 */
export function signatureMatches(token: string, requestTime: string, received: string): boolean {
  if (trimToken(token) === "") throw new TypeError("the webhook token is empty");
  const expected = Buffer.from(sign(token, requestTime), "utf8");
  // Only ASCII letters change case: a hexadecimal digit's case carries no information.
  const given = Buffer.from(received.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()), "utf8");
  // Only the length, which the sender knows, may change the time taken.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Where `requestTime` (Unix seconds) stands from `nowMs` (milliseconds since the epoch, with
 * any fraction): `ok` within `toleranceSeconds` either way (exactly the tolerance is accepted),
 * else `too-old` or `in-future`. A clock before 1970 counts as 1970.
 */
export function timeWindow(
  requestTime: bigint,
  nowMs: number,
  toleranceSeconds: number,
): "ok" | "too-old" | "in-future" {
  const now = Math.max(0, nowMs);
  const signedAt = Number(requestTime) * 1000;
  const tolerance = toleranceSeconds * 1000;
  if (now >= signedAt) return now - signedAt > tolerance ? "too-old" : "ok";
  return signedAt - now > tolerance ? "in-future" : "ok";
}

/**
 * Tencent's check of a webhook URL's `Sign` and `RequestTime` with the application's token
 * (without the whitespace around it, see {@link trimToken}): `requestTime` is Unix seconds (1 to 20 digits), `sign` is the SHA-256 of `token` followed by
 * `requestTime` (hexadecimal, either case, compared in constant time), and `requestTime` is at
 * most 60 seconds from `nowSeconds` (the clock by default), in the past or the future.
 *
 * ```ts
 * // Tencent's documented example, checked at the second it was signed.
 * verifySignature("xxxxyyyy", "1669872112",
 *   "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061", 1669872112); // true
 * ```
 */
export function verifySignature(token: string, requestTime: string, sign: string, nowSeconds?: number): boolean {
  const seconds = unixSeconds(requestTime);
  // The signature is compared whatever the time, so that the time taken says nothing.
  const matches = signatureMatches(token, requestTime, sign);
  if (seconds === undefined || !matches) return false;
  const nowMs = nowSeconds === undefined ? Date.now() : nowSeconds * 1000;
  return timeWindow(seconds, nowMs, DEFAULT_TOLERANCE_SECONDS) === "ok";
}

// The receiver: every check of a request, in the order of the Rust receiver
// (trtc-live-receiver), with its rejections and its answers.
import { Answer, failureAnswer, type HttpAnswer } from "./answer.js";
import { commandWords } from "./generated/schema.js";
import { DEFAULT_TOLERANCE_SECONDS, signatureMatches, timeWindow, trimToken, unixSeconds } from "./signature.js";
import type { CommandWord, Webhook, WebhookUrlParameters } from "./types.js";
import { commandOf, readRequest, urlParameterIssues, type Reading, type WebhookIssue } from "./validation.js";
import { requestWarnings, urlWarnings, type WebhookWarning } from "./warnings.js";
import { readBody } from "./webhook.js";

/** The largest body accepted by default: 1 MiB (every documented packet is under 2 KiB). */
export const DEFAULT_MAX_BODY_BYTES = 1 << 20;

/**
 * What to answer `Live.CallbackBeforeSendGift` or `Group.CallbackBeforeSendMsg` when the request
 * is authenticated but its payload cannot be read (URL parameters, JSON, command, schema):
 *
 * - `fail-delivery` (the default): the failure status of the table (400 or 422). Tencent counts
 *   a failed delivery and applies the application's own setting (a gift is blocked unless
 *   `Live.CallbackBeforeCallBackNotBlock` is configured);
 * - `allow`: HTTP 200, the decision that lets the event happen (fail-open);
 * - `refuse`: HTTP 200, the decision that stops it (fail-closed).
 */
export type InvalidBeforeWebhookPolicy = "fail-delivery" | "allow" | "refuse";

/** What requests are checked against. */
export interface ReceiverOptions {
  /** The application's SDKAppID, 1 to 20 decimal digits: `SdkAppid` must be exactly this. */
  readonly sdkAppId: string;
  /**
   * The webhook token, when authentication is enabled with Tencent: every request must then
   * carry a right `Sign` and a fresh `RequestTime`. Without one they are neither required nor
   * checked. The whitespace around it is removed (a token file's line break). It never appears
   * in errors or answers.
   */
  readonly token?: string | undefined;
  /** How far `RequestTime` may be from the clock, either way (default 60 s; exactly that is accepted). */
  readonly toleranceSeconds?: number | undefined;
  /** The largest body accepted, in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number | undefined;
  /** What to answer an authenticated but unreadable before-webhook (default `fail-delivery`). */
  readonly invalidBeforeWebhook?: InvalidBeforeWebhookPolicy | undefined;
}

/** A request as received. */
export interface WebhookRequest {
  /** The HTTP method. */
  readonly method: string;
  /** The request target, path and query string (`/webhook?SdkAppid=...`), or a whole URL. */
  readonly url: string;
  /** The body's bytes (or its text). */
  readonly body: string | Uint8Array;
}

/** An accepted webhook: its command, its URL parameters and its packet, valid and typed. */
export interface Delivery {
  /** The command word, the URL's and the body's. */
  readonly command: CommandWord;
  /** The URL's query parameters, decoded (unknown ones included). */
  readonly parameters: WebhookUrlParameters;
  /** The packet, typed by its `CallbackCommand`; numbers exact (see `parseWebhook`). */
  readonly webhook: Webhook;
  /**
   * The body exactly as received, byte for byte (to store, forward or hash it: the packet
   * serialized again is the same JSON, not the same bytes).
   */
  readonly body: Uint8Array;
  /**
   * What the URL parameters and the packet are still worth a warning for, the URL's first, as
   * the Rust receiver's `Delivery::warnings`: values of open enumerations outside their known
   * values (`unknown_enum_value`: an `OptPlatform` of a new client platform), members the
   * packet lacks as an older revision (`older_revision`), semantic checks (`semantic`). They
   * never change the verdict: the delivery is accepted all the same; log them, count them.
   */
  readonly warnings: readonly WebhookWarning[];
}

/**
 * An authenticated request whose payload is not valid, given to the application that asked for
 * it ({@link receiveGenuine}) instead of only being refused: everything that could be read of
 * it. Its body is still not covered by the signature: read it defensively.
 */
export interface InvalidDelivery {
  /** The error the request is refused with, and its answer's reason. */
  readonly error: ReceiveError;
  /** The query string, as received (without the `?`). */
  readonly query: string;
  /** The URL parameters, when they match their schema. */
  readonly parameters: WebhookUrlParameters | undefined;
  /** What is wrong with the URL parameters (empty when they match their schema). */
  readonly urlIssues: readonly WebhookIssue[];
  /** The body exactly as received. */
  readonly body: Uint8Array;
  /** The command word: the body's `CallbackCommand` when it is a string, else the URL's. */
  readonly commandWord: string | undefined;
  /** The command, when the command word is a known one. */
  readonly command: CommandWord | undefined;
  /** Why the body is not a valid packet (every error, located); empty when only the URL is wrong. */
  readonly issues: readonly WebhookIssue[];
  /** The body read as JSON, exactly, when it is JSON. */
  readonly packet: unknown;
  /** The typed packet, when the body is valid (and only the URL parameters are not). */
  readonly webhook: Webhook | undefined;
}

/**
 * What {@link receive} made of a request: the delivery, or the error and its answer (with
 * {@link receiveGenuine}, and an authenticated request whose payload is not valid, what could be
 * read of it too).
 */
export type Reception =
  | { readonly accepted: true; readonly delivery: Delivery }
  | {
      readonly accepted: false;
      readonly error: ReceiveError;
      readonly answer: HttpAnswer;
      readonly invalid?: InvalidDelivery;
    };

/** The checks, in order, each with its rejection (the names of the Rust receiver's `ReceiveError`). */
export type ReceiveErrorCode =
  | "MethodNotAllowed"
  | "BodyTooLarge"
  | "BodyNotRead"
  | "RepeatedParameter"
  | "SdkAppIdMissing"
  | "SdkAppIdMismatch"
  | "SignMissing"
  | "RequestTimeMissing"
  | "RequestTimeInvalid"
  | "SignMismatch"
  | "RequestTimeTooOld"
  | "RequestTimeInFuture"
  | "UrlCommandConflict"
  | "UrlParameters"
  | "NotJson"
  | "UnknownCommand"
  | "CommandMismatch"
  | "Schema";

/** Each rejection's HTTP status and `ErrorInfo`: fixed, never an echo of the request. */
const TABLE: Record<ReceiveErrorCode, [status: number, errorInfo: string]> = {
  MethodNotAllowed: [405, "webhooks are POST requests"],
  BodyTooLarge: [413, "body too large"],
  BodyNotRead: [400, "body could not be read"],
  RepeatedParameter: [400, "a query parameter is repeated"],
  SdkAppIdMissing: [400, "SdkAppid missing"],
  SdkAppIdMismatch: [403, "SdkAppid is not this application's"],
  SignMissing: [401, "Sign missing"],
  RequestTimeMissing: [401, "RequestTime missing"],
  RequestTimeInvalid: [401, "RequestTime is not Unix seconds"],
  SignMismatch: [401, "Sign does not match"],
  RequestTimeTooOld: [401, "RequestTime too old"],
  RequestTimeInFuture: [401, "RequestTime in the future"],
  UrlCommandConflict: [400, "CallbackCommand and WebhookCommand differ"],
  UrlParameters: [400, "invalid URL parameters"],
  NotJson: [400, "body is not JSON"],
  UnknownCommand: [400, "unknown CallbackCommand"],
  CommandMismatch: [400, "CallbackCommand differs between URL and body"],
  Schema: [422, "packet does not match its schema"],
};

/** The webhooks whose answer is a decision: the policy applies to them only. */
const BEFORE_WEBHOOKS = new Set<CommandWord>(["Live.CallbackBeforeSendGift", "Group.CallbackBeforeSendMsg"]);

/** The rejections after authentication: the payload is genuine (or at least addressed to us). */
const AUTHENTICATED = new Set<ReceiveErrorCode>([
  "UrlCommandConflict",
  "UrlParameters",
  "NotJson",
  "UnknownCommand",
  "CommandMismatch",
  "Schema",
]);

/**
 * Why a request was refused: `code` names the check. Every rejection is answered with
 * `content-type: application/json` and `{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":...}`:
 *
 * | code | HTTP status | `ErrorInfo` |
 * |---|---|---|
 * | `MethodNotAllowed` | 405 (with `allow: POST`) | `webhooks are POST requests` |
 * | `BodyTooLarge` | 413 | `body too large` |
 * | `BodyNotRead` (adapters only) | 400 | `body could not be read` |
 * | `RepeatedParameter` | 400 | `a query parameter is repeated` |
 * | `SdkAppIdMissing` | 400 | `SdkAppid missing` |
 * | `SdkAppIdMismatch` | 403 | `SdkAppid is not this application's` |
 * | `SignMissing`, `RequestTimeMissing`, `RequestTimeInvalid`, `SignMismatch`, `RequestTimeTooOld`, `RequestTimeInFuture` | 401 | `Sign missing`, `RequestTime missing`, `RequestTime is not Unix seconds`, `Sign does not match`, `RequestTime too old`, `RequestTime in the future` |
 * | `UrlCommandConflict` | 400 | `CallbackCommand and WebhookCommand differ` |
 * | `UrlParameters` | 400, or the policy's 200 | `invalid URL parameters` |
 * | `NotJson` | 400, or the policy's 200 | `body is not JSON` |
 * | `UnknownCommand` | 400, or the policy's 200 | `unknown CallbackCommand` |
 * | `CommandMismatch` | 400, or the policy's 200 | `CallbackCommand differs between URL and body` |
 * | `Schema` | 422, or the policy's 200 | `packet does not match its schema` |
 *
 * "The policy's 200": see {@link InvalidBeforeWebhookPolicy}.
 */
export class ReceiveError extends Error {
  /** Which check failed. */
  readonly code: ReceiveErrorCode;
  /** The HTTP status of the table, before any policy. */
  readonly status: number;
  /** The `ErrorInfo` of the answer: a fixed text per code. */
  readonly errorInfo: string;
  /**
   * Whether the request passed the `SdkAppid` check and, with a token, the signature and time
   * checks: its payload is genuine, worth keeping for inspection rather than dropping.
   */
  readonly authenticated: boolean;
  /** Once authenticated: the URL's `CallbackCommand` when it names a known command (for `Schema`, the body's). */
  readonly command: CommandWord | undefined;
  /** For `UrlParameters`, `NotJson` and `Schema`: every error, located. */
  readonly issues: readonly WebhookIssue[];

  constructor(code: ReceiveErrorCode, message: string, command?: CommandWord, issues: readonly WebhookIssue[] = []) {
    super(message);
    this.name = "ReceiveError";
    this.code = code;
    [this.status, this.errorInfo] = TABLE[code];
    this.authenticated = AUTHENTICATED.has(code);
    this.command = this.authenticated ? command : undefined;
    this.issues = issues;
  }

  /** The answer of the table, with `policy` for an authenticated before-webhook. */
  answer(policy: InvalidBeforeWebhookPolicy = "fail-delivery"): HttpAnswer {
    const command = this.command;
    if (this.authenticated && command !== undefined && BEFORE_WEBHOOKS.has(command) && policy !== "fail-delivery") {
      const decision = policy === "allow" ? Answer.lettingThrough(command) : Answer.stopping(command, this.errorInfo);
      if (decision !== undefined) return decision.httpAnswer();
    }
    const answer = failureAnswer(this.status, this.errorInfo);
    if (this.code !== "MethodNotAllowed") return answer;
    return { ...answer, headers: { ...answer.headers, allow: "POST" } };
  }
}


/** The options, checked, with the defaults. */
export interface ReceiverConfig {
  readonly sdkAppId: string;
  readonly token: string | undefined;
  readonly toleranceSeconds: number;
  readonly maxBodyBytes: number;
  readonly invalidBeforeWebhook: InvalidBeforeWebhookPolicy;
}

/** The options, checked: the first problem is a `TypeError` (as the Rust receiver's `ConfigError`). */
export function checkOptions(options: ReceiverOptions): ReceiverConfig {
  if (typeof options?.sdkAppId !== "string" || !/^[0-9]{1,20}$/.test(options.sdkAppId)) {
    throw new TypeError(`the SDKAppID must be 1 to 20 decimal digits, not ${JSON.stringify(options?.sdkAppId)}`);
  }
  const token = options.token === undefined ? undefined : trimToken(String(options.token));
  if (token === "") throw new TypeError("the webhook token is empty");
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new TypeError(`the body size limit is ${maxBodyBytes} bytes`);
  }
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(toleranceSeconds >= 0)) throw new TypeError(`the tolerance must be at least 0 seconds, not ${toleranceSeconds}`);
  const invalidBeforeWebhook = options.invalidBeforeWebhook ?? "fail-delivery";
  if (!["fail-delivery", "allow", "refuse"].includes(invalidBeforeWebhook)) {
    throw new TypeError(`invalidBeforeWebhook is fail-delivery, allow or refuse, not ${JSON.stringify(invalidBeforeWebhook)}`);
  }
  return { sdkAppId: options.sdkAppId, token, toleranceSeconds, maxBodyBytes, invalidBeforeWebhook };
}

/** `text` for a message: quoted, and cut after 100 characters (it comes from the request). */
function shown(text: string): string {
  const characters = [...text];
  if (characters.length <= 100) return JSON.stringify(text);
  return `${JSON.stringify(characters.slice(0, 100).join(""))}... (${Buffer.byteLength(text)} bytes)`;
}

/** The known command `word` names, if any. */
function knownCommand(word: string | undefined): CommandWord | undefined {
  return word !== undefined && (commandWords as readonly string[]).includes(word) ? (word as CommandWord) : undefined;
}

/** The query string's parameters, decoded (`%XX` and `+`); the name of a repeated one. */
function queryOf(url: string): { parameters: Record<string, string> } | { repeated: string } {
  const at = url.indexOf("?");
  const parameters: Record<string, string> = Object.create(null);
  if (at < 0) return { parameters };
  for (const [name, value] of new URLSearchParams(url.slice(at + 1))) {
    if (Object.hasOwn(parameters, name)) return { repeated: name };
    parameters[name] = value;
  }
  return { parameters };
}

/**
 * Checks a request received at `now` (a `Date`, or milliseconds since the epoch; the clock by
 * default) and returns the typed delivery, or the error of the first check that failed and its
 * answer. The checks run in the order of the Rust receiver, so a request wrong in several ways
 * gets the error of the earliest:
 *
 * 1. the method is POST (`MethodNotAllowed`);
 * 2. the body is at most `maxBodyBytes` (`BodyTooLarge`);
 * 3. the query string names no parameter twice (`RepeatedParameter`);
 * 4. `SdkAppid` is present and is ours (`SdkAppIdMissing`, `SdkAppIdMismatch`);
 * 5. with a token: `Sign` is present, `RequestTime` is present and is Unix seconds, `Sign` is
 *    right, and `RequestTime` is within the tolerance of `now`, past or future (`SignMissing`,
 *    `RequestTimeMissing`, `RequestTimeInvalid`, `SignMismatch`, `RequestTimeTooOld`,
 *    `RequestTimeInFuture`);
 * 6. the URL's command word: `CallbackCommand`, or `WebhookCommand` (the newest English
 *    overview's name for it); both present with different words are refused
 *    (`UrlCommandConflict`);
 * 7. the URL parameters match their schema (`UrlParameters`);
 * 8. the body is JSON (`NotJson`);
 * 9. the body's `CallbackCommand` is a known command (`UnknownCommand`);
 * 10. the URL's command word is the body's (`CommandMismatch`);
 * 11. the packet matches its command's schema (`Schema`).
 *
 * The body of a request that is not authenticated (4, 5) is never parsed. Tencent's `Sign`
 * covers the token and `RequestTime` only: serve the webhook URL over HTTPS. Nothing is
 * remembered between calls, so a request is accepted each time it arrives within the
 * tolerance: make the handling idempotent.
 */
export function receive(request: WebhookRequest, options: ReceiverOptions, now: Date | number = Date.now()): Reception {
  return reception(request, options, now, false);
}

/**
 * {@link receive}, but an authenticated request whose payload is not valid (URL parameters
 * that break their schema, a body that is not JSON, an unknown command, a packet that breaks
 * its schema) also comes with what could be read of it (`invalid`, an {@link InvalidDelivery}),
 * for an application that would rather act on it than only refuse it (as the Rust receiver's
 * `receive_genuine`). It is still refused (`error`, `answer`) unless the application answers it
 * itself. The rejections before authentication, and a request whose command words contradict
 * each other (`UrlCommandConflict`, `CommandMismatch`), come without it.
 *
 * Acknowledging such a delivery hides a failure from Tencent's statistics and retries, and its
 * body is not covered by the signature: log it, alert on it, and read it defensively.
 */
export function receiveGenuine(
  request: WebhookRequest,
  options: ReceiverOptions,
  now: Date | number = Date.now(),
): Reception {
  return reception(request, options, now, true);
}

function reception(request: WebhookRequest, options: ReceiverOptions, now: Date | number, genuine: boolean): Reception {
  const config = checkOptions(options);
  const outcome = check(request, config, typeof now === "number" ? now : now.getTime(), genuine);
  if (outcome instanceof ReceiveError) {
    return { accepted: false, error: outcome, answer: outcome.answer(config.invalidBeforeWebhook) };
  }
  if ("error" in outcome) {
    const error = outcome.error;
    return { accepted: false, error, answer: error.answer(config.invalidBeforeWebhook), invalid: outcome };
  }
  return { accepted: true, delivery: outcome };
}

/** The body's bytes. */
function bytesOf(body: string | Uint8Array): Uint8Array {
  return typeof body === "string" ? new TextEncoder().encode(body) : body;
}

/** Every check, in order; with `genuine`, an authenticated invalid request is described. */
function check(
  request: WebhookRequest,
  config: ReceiverConfig,
  nowMs: number,
  genuine: boolean,
): Delivery | InvalidDelivery | ReceiveError {
  if (request.method !== "POST") {
    return new ReceiveError("MethodNotAllowed", `method ${shown(request.method)} not allowed: webhooks are POSTed`);
  }
  const size = typeof request.body === "string" ? Buffer.byteLength(request.body, "utf8") : request.body.byteLength;
  if (size > config.maxBodyBytes) {
    return new ReceiveError("BodyTooLarge", `body of ${size} bytes is over the limit of ${config.maxBodyBytes} bytes`);
  }
  const query = queryOf(request.url);
  if ("repeated" in query) {
    return new ReceiveError("RepeatedParameter", `query parameter ${shown(query.repeated)} is given more than once`);
  }
  const parameters = query.parameters;
  const refusal = authenticate(parameters, config, nowMs);
  if (refusal !== undefined) return refusal;

  const callbackWord = parameters.CallbackCommand;
  const webhookWord = parameters.WebhookCommand;
  if (callbackWord !== undefined && webhookWord !== undefined && callbackWord !== webhookWord) {
    return new ReceiveError(
      "UrlCommandConflict",
      `CallbackCommand ${shown(callbackWord)} and WebhookCommand ${shown(webhookWord)} differ`,
    );
  }
  const urlWord = callbackWord ?? webhookWord;
  const urlCommand = knownCommand(urlWord);
  const urlIssues = urlParameterIssues(parameters);
  const urlError = () =>
    new ReceiveError(
      "UrlParameters",
      `the URL parameters break their schema: ${urlIssues.length} violation(s)${issueLines(urlIssues)}`,
      urlCommand,
      urlIssues,
    );
  // Refused at the URL: the body is not even parsed.
  if (urlIssues.length > 0 && !genuine) return urlError();
  const reading = readBody(request.body, readRequest);
  const bodyCommand = reading.verdict === "malformed" ? undefined : commandOf(reading.packet);
  // A request that contradicts itself is refused, whatever else is wrong with it.
  if (bodyCommand !== undefined && bodyCommand !== urlCommand) {
    return new ReceiveError(
      "CommandMismatch",
      `CallbackCommand differs: ${shown(urlWord ?? "")} in the URL, ${JSON.stringify(bodyCommand)} in the body`,
      urlCommand,
    );
  }
  if (urlIssues.length === 0 && reading.verdict === "valid" && bodyCommand !== undefined) {
    return {
      command: bodyCommand,
      parameters: { ...parameters } as unknown as WebhookUrlParameters,
      webhook: reading.packet as Webhook,
      body: bytesOf(request.body),
      warnings: [...urlWarnings(parameters), ...requestWarnings(bodyCommand, reading.packet)],
    };
  }
  const error = urlIssues.length > 0 ? urlError() : bodyError(reading, urlCommand);
  if (!genuine) return error;
  const packet = reading.verdict === "malformed" ? undefined : reading.packet;
  const bodyWord = (packet as { CallbackCommand?: unknown } | undefined)?.CallbackCommand;
  const commandWord = typeof bodyWord === "string" && isObject(packet) ? bodyWord : urlWord;
  return {
    error,
    query: request.url.includes("?") ? request.url.slice(request.url.indexOf("?") + 1) : "",
    parameters: urlIssues.length === 0 ? ({ ...parameters } as unknown as WebhookUrlParameters) : undefined,
    urlIssues,
    body: bytesOf(request.body),
    commandWord,
    command: knownCommand(commandWord),
    issues: reading.verdict === "valid" ? [] : reading.issues,
    packet,
    webhook: reading.verdict === "valid" ? (reading.packet as Webhook) : undefined,
  };
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function issueLines(issues: readonly WebhookIssue[]): string {
  return issues.map((issue) => `\n  ${issue.instancePath || "(packet)"}: ${issue.message}`).join("");
}

/** The error of a body that is not a valid packet, for a request whose URL names `urlCommand`. */
function bodyError(reading: Reading, urlCommand: CommandWord | undefined): ReceiveError {
  if (reading.verdict === "malformed") {
    return new ReceiveError("NotJson", `the body is not JSON: ${reading.issues[0]?.message}`, urlCommand, reading.issues);
  }
  const bodyCommand = commandOf(reading.packet);
  if (bodyCommand === undefined) {
    return new ReceiveError("UnknownCommand", unknownCommandMessage(reading.packet), urlCommand);
  }
  const issues = reading.verdict === "invalid" ? reading.issues : [];
  return new ReceiveError(
    "Schema",
    `not a valid ${bodyCommand} packet: ${issues.length} violation(s)${issueLines(issues)}`,
    bodyCommand,
    issues,
  );
}

/** SdkAppid, then with a token Sign and RequestTime: the refusal, if any. */
function authenticate(
  parameters: Record<string, string>,
  config: ReceiverConfig,
  nowMs: number,
): ReceiveError | undefined {
  const found = parameters.SdkAppid;
  if (found === undefined) return new ReceiveError("SdkAppIdMissing", "the URL has no SdkAppid parameter");
  if (found !== config.sdkAppId) {
    return new ReceiveError("SdkAppIdMismatch", `SdkAppid ${shown(found)} is not this application's`);
  }
  if (config.token === undefined) return undefined;
  const sign = parameters.Sign;
  if (sign === undefined) {
    return new ReceiveError("SignMissing", "the URL has no Sign parameter, and a token is configured");
  }
  const requestTimeText = parameters.RequestTime;
  if (requestTimeText === undefined) {
    return new ReceiveError("RequestTimeMissing", "the URL has no RequestTime parameter, and a token is configured");
  }
  const requestTime = unixSeconds(requestTimeText);
  if (requestTime === undefined) {
    return new ReceiveError(
      "RequestTimeInvalid",
      `RequestTime ${shown(requestTimeText)} is not Unix seconds (1 to 20 decimal digits)`,
    );
  }
  if (!signatureMatches(config.token, requestTimeText, sign)) {
    return new ReceiveError("SignMismatch", "Sign does not match the token and RequestTime");
  }
  const window = timeWindow(requestTime, nowMs, config.toleranceSeconds);
  if (window === "ok") return undefined;
  const nowSeconds = BigInt(Math.floor(Math.max(0, nowMs) / 1000));
  const apart = window === "too-old" ? nowSeconds - requestTime : requestTime - nowSeconds;
  return new ReceiveError(
    window === "too-old" ? "RequestTimeTooOld" : "RequestTimeInFuture",
    `RequestTime ${requestTime} is ${apart < 0n ? 0n : apart} s ${window === "too-old" ? "before" : "after"} ` +
      `the receiver's clock (${nowSeconds}), more than the ${config.toleranceSeconds} s allowed`,
  );
}

function unknownCommandMessage(packet: unknown): string {
  const known = `known commands: ${commandWords.join(", ")}`;
  if (packet === null || typeof packet !== "object" || Array.isArray(packet)) {
    return `the packet is not a JSON object, so it has no CallbackCommand; ${known}`;
  }
  const word = (packet as { CallbackCommand?: unknown }).CallbackCommand;
  if (word === undefined) return `the packet has no CallbackCommand; ${known}`;
  if (typeof word !== "string") return `CallbackCommand is not a string; ${known}`;
  return `unknown CallbackCommand ${shown(word)}; ${known}`;
}

// The answers to webhooks: the OK packet of the notifications, the decisions of the two
// before-webhooks (which cannot be out of range), the failure packet, and their HTTP form.
import { stringify } from "lossless-json";
import type {
  CallbackResponse,
  CommandWord,
  GroupCallbackBeforeSendMsg,
  GroupCallbackBeforeSendMsgResponse,
  LiveCallbackBeforeSendGift,
  LiveCallbackBeforeSendGiftResponse,
  MessageElement,
  Webhook,
} from "./types.js";

/** An HTTP answer: status, headers (lowercase names) and the JSON body. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

declare const giftDecision: unique symbol;
declare const messageDecision: unique symbol;

/** A decision on a gift, built by {@link GiftDecision}. */
export type GiftDecisionPacket = LiveCallbackBeforeSendGiftResponse & { readonly [giftDecision]: true };

/** A decision on a room message, built by {@link MessageDecision}. */
export type MessageDecisionPacket = GroupCallbackBeforeSendMsgResponse & { readonly [messageDecision]: true };

/** An `ErrorCode` within `low..high`, or a `RangeError`. */
function codeWithin(code: number, low: number, high: number): number {
  if (!Number.isInteger(code) || code < low || code > high) {
    throw new RangeError(`ErrorCode ${code} is not allowed here: expected ${low} to ${high}`);
  }
  return code;
}

function decision(errorCode: number, errorInfo: string): { ActionStatus: "OK"; ErrorCode: number; ErrorInfo: string } {
  return { ActionStatus: "OK", ErrorCode: errorCode, ErrorInfo: errorInfo };
}

/**
 * The decisions on a `Live.CallbackBeforeSendGift`: `ErrorCode` 0 lets the gift through, 1
 * rejects it, 102100 to 102200 rejects it and passes the code through. Give one to
 * {@link Answer.gift}.
 */
export const GiftDecision = {
  /** Lets the gift through. */
  allow(): GiftDecisionPacket {
    return decision(0, "") as GiftDecisionPacket;
  },
  /** Rejects the gift, with a reason for the logs. */
  reject(reason: string): GiftDecisionPacket {
    return decision(1, reason) as GiftDecisionPacket;
  },
  /** Rejects the gift and passes `code` (102100 to 102200, else a `RangeError`) and `reason` through. */
  rejectWithCode(code: number, reason: string): GiftDecisionPacket {
    return decision(codeWithin(code, 102_100, 102_200), reason) as GiftDecisionPacket;
  },
} as const;

/** What a rewrite replaces in the message: its body, its custom data, or both. */
export interface MessageRewrite {
  /** The new message body. */
  readonly msgBody?: readonly MessageElement[];
  /** The new custom data. */
  readonly cloudCustomData?: string;
}

/**
 * The decisions on a `Group.CallbackBeforeSendMsg`: `ErrorCode` 0 sends the message (rewritten
 * or not), 1 forbids it (the sender gets error 10016), 2 drops it silently (the sender is told
 * it was sent), 10100 to 10200 forbids it and passes the code and the reason to the sender.
 * Give one to {@link Answer.message}.
 */
export const MessageDecision = {
  /** Sends the message as the user wrote it. */
  send(): MessageDecisionPacket {
    return decision(0, "") as MessageDecisionPacket;
  },
  /** Sends the message with its body and/or custom data replaced (what is not given stays the user's). */
  sendRewritten(rewrite: MessageRewrite): MessageDecisionPacket {
    const packet: Record<string, unknown> = decision(0, "");
    if (rewrite.msgBody !== undefined) packet.MsgBody = [...rewrite.msgBody];
    if (rewrite.cloudCustomData !== undefined) packet.CloudCustomData = rewrite.cloudCustomData;
    return packet as MessageDecisionPacket;
  },
  /** Does not send the message; the sender gets error 10016. */
  forbid(reason: string): MessageDecisionPacket {
    return decision(1, reason) as MessageDecisionPacket;
  },
  /** Drops the message silently; the sender is told it was sent. */
  dropSilently(): MessageDecisionPacket {
    return decision(2, "") as MessageDecisionPacket;
  },
  /** Does not send the message; `code` (10100 to 10200, else a `RangeError`) and `reason` reach the sender. */
  forbidWithCode(code: number, reason: string): MessageDecisionPacket {
    return decision(codeWithin(code, 10_100, 10_200), reason) as MessageDecisionPacket;
  },
} as const;

type Kind = "ok" | "gift" | "message";

const GIFT: CommandWord = "Live.CallbackBeforeSendGift";
const MESSAGE: CommandWord = "Group.CallbackBeforeSendMsg";

/**
 * The answer to an accepted webhook, sent with HTTP 200 and a JSON body:
 *
 * - {@link Answer.ok}: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`, for a notification
 *   (an after-event webhook, whose answer Tencent ignores); to a before-webhook it lets the gift
 *   or the message through;
 * - {@link Answer.gift}: a {@link GiftDecision} on a `Live.CallbackBeforeSendGift`;
 * - {@link Answer.message}: a {@link MessageDecision} on a `Group.CallbackBeforeSendMsg`.
 *
 * A gift decision cannot be given to a message, nor the reverse: `Answer.gift` takes the gift
 * it answers, which a handler only has when it received a gift.
 */
export class Answer {
  private constructor(
    /** The response packet. */
    readonly packet: CallbackResponse | LiveCallbackBeforeSendGiftResponse | GroupCallbackBeforeSendMsgResponse,
    private readonly kind: Kind,
  ) {}

  /** The answer to a notification (to a before-webhook: let it happen). */
  static ok(): Answer {
    return new Answer(decision(0, ""), "ok");
  }

  /** The decision on `gift` (the webhook being answered, which proves this is a gift's answer). */
  static gift(gift: LiveCallbackBeforeSendGift, decision: GiftDecisionPacket): Answer {
    void gift;
    return new Answer({ ...decision }, "gift");
  }

  /** The decision on `message` (the webhook being answered, which proves this is a message's answer). */
  static message(message: GroupCallbackBeforeSendMsg, decision: MessageDecisionPacket): Answer {
    void message;
    return new Answer({ ...decision }, "message");
  }

  /** The answer that lets the event happen: OK to a notification, allow to a gift, send to a message. */
  static forWebhook(webhook: Webhook): Answer {
    return Answer.lettingThrough(webhook.CallbackCommand);
  }

  /** {@link Answer.forWebhook} of the delivery's webhook. */
  static forDelivery(delivery: { readonly webhook: Webhook }): Answer {
    return Answer.forWebhook(delivery.webhook);
  }

  /** The answer to `command` that lets the event happen. */
  static lettingThrough(command: CommandWord): Answer {
    if (command === GIFT) return new Answer(GiftDecision.allow(), "gift");
    if (command === MESSAGE) return new Answer(MessageDecision.send(), "message");
    return Answer.ok();
  }

  /** The answer to `command` that stops the event, with `reason`; `undefined` for a notification. */
  static stopping(command: CommandWord, reason: string): Answer | undefined {
    if (command === GIFT) return new Answer(GiftDecision.reject(reason), "gift");
    if (command === MESSAGE) return new Answer(MessageDecision.forbid(reason), "message");
    return undefined;
  }

  /**
   * Whether `value` is an answer, of this copy of the package or of another (its ESM and its
   * CommonJS builds are two copies, which `instanceof` tells apart).
   */
  static isAnswer(value: unknown): value is Answer {
    if (value instanceof Answer) return true;
    const answer = value as Partial<Record<"fits" | "body" | "httpAnswer", unknown>> | null;
    return (
      typeof answer === "object" &&
      answer !== null &&
      typeof answer.fits === "function" &&
      typeof answer.body === "function" &&
      typeof answer.httpAnswer === "function"
    );
  }

  /**
   * Whether this answer can be given to `command`: OK to every command, a decision to its own;
   * to a request whose command is not known (`undefined`), only OK.
   */
  fits(command: CommandWord | undefined): boolean {
    return this.kind === "ok" || (this.kind === "gift" ? command === GIFT : command === MESSAGE);
  }

  /** Whether the answer lets the event happen (`ErrorCode` 0). */
  get letsThrough(): boolean {
    return this.packet.ErrorCode === 0;
  }

  /** The JSON body (integers beyond 2^53 in a rewritten message stay exact). */
  body(): string {
    return stringify(this.packet) ?? "";
  }

  /** HTTP 200, `content-type: application/json`, the JSON body. */
  httpAnswer(): HttpAnswer {
    return jsonAnswer(200, this.body());
  }
}

/** An answer with `status` and a JSON `body`. */
export function jsonAnswer(status: number, body: string, headers: Record<string, string> = {}): HttpAnswer {
  return { status, headers: { "content-type": "application/json", ...headers }, body };
}

/**
 * The failure answer: `status` and `{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":info}`, a
 * packet every response schema accepts. For a server that must refuse a delivery for a reason
 * of its own, in the same form as every rejection.
 */
export function failureAnswer(status: number, info: string): HttpAnswer {
  return jsonAnswer(status, JSON.stringify({ ActionStatus: "FAIL", ErrorCode: 1, ErrorInfo: info }));
}

/**
 * JSON text of a packet (or any value read by this package), exact: a `bigint` is written as
 * the integer it holds (`JSON.stringify` throws on one).
 */
export function serialize(value: unknown): string {
  return stringify(value) ?? "null";
}

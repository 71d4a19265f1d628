// What the framework adapters share: the application's handler, called with each accepted
// delivery, and the answer it gives, checked before it is sent.
import { Answer, failureAnswer, type HttpAnswer } from "./answer.js";
import {
  checkOptions,
  receive,
  ReceiveError,
  receiveGenuine,
  type Delivery,
  type InvalidDelivery,
  type ReceiverOptions,
  type WebhookRequest,
} from "./receive.js";
import type { CommandWord } from "./types.js";
import { parseResponse, WebhookError } from "./webhook.js";

/**
 * The application's handler: called for every genuine, valid webhook; its answer goes back to
 * Tencent (`Answer.forDelivery(delivery)` lets everything happen).
 */
export type WebhookHandler = (delivery: Delivery) => Answer | Promise<Answer>;

/** An adapter's options: the receiver's, and a clock for tests. */
export interface EndpointOptions extends ReceiverOptions {
  /** The clock: the current time, as a `Date` or milliseconds since the epoch (default `Date.now`). */
  readonly now?: (() => Date | number) | undefined;
  /**
   * Called when the handler throws, or returns something that is not an answer fitting the
   * webhook: the request is then answered HTTP 500 with a FAIL packet (a failed delivery, so
   * that Tencent applies the application's failure behaviour). By default the error is written
   * to standard error.
   */
  readonly onError?: ((error: unknown, delivery: Delivery | InvalidDelivery) => void) | undefined;
  /**
   * Receives the authenticated requests whose payload is not valid (see `receiveGenuine`),
   * instead of only refusing them: its answer goes back to Tencent (only `Answer.ok()` when
   * the command is not known), and `undefined` lets the request be refused as by default.
   * Without it, they are refused.
   */
  readonly onInvalid?: ((invalid: InvalidDelivery) => Answer | undefined | Promise<Answer | undefined>) | undefined;
}

/** An endpoint: the options checked once, and the handler. */
export class Endpoint {
  readonly maxBodyBytes: number;
  private readonly clock: () => Date | number;

  constructor(
    private readonly options: EndpointOptions,
    private readonly handler: WebhookHandler,
  ) {
    if (typeof handler !== "function") throw new TypeError("the webhook handler must be a function");
    this.maxBodyBytes = checkOptions(options).maxBodyBytes;
    this.clock = options.now ?? Date.now;
  }

  /** The time a request arrived. */
  now(): Date | number {
    return this.clock();
  }

  /** The answer to a request received at `now`: a rejection's, or the handler's. */
  async answer(request: WebhookRequest, now: Date | number): Promise<HttpAnswer> {
    const onInvalid = this.options.onInvalid;
    const reception = (onInvalid === undefined ? receive : receiveGenuine)(request, this.options, now);
    if (!reception.accepted) {
      const invalid = reception.invalid;
      if (invalid === undefined || onInvalid === undefined) return reception.answer;
      return this.checked(invalid, invalid.command, async () => (await onInvalid(invalid)) ?? reception.answer);
    }
    const delivery = reception.delivery;
    return this.checked(delivery, delivery.command, () => this.handler(delivery));
  }

  /**
   * The HTTP answer of `handle` to a delivery of `command` (`undefined`: not a known command):
   * an `Answer` that fits it and its response schema, an answer already made, or HTTP 500.
   */
  private async checked(
    delivery: Delivery | InvalidDelivery,
    command: CommandWord | undefined,
    handle: () => Answer | HttpAnswer | Promise<Answer | HttpAnswer>,
  ): Promise<HttpAnswer> {
    try {
      const answer = await handle();
      if (!Answer.isAnswer(answer)) {
        if (isHttpAnswer(answer)) return answer;
        throw new TypeError(`the webhook handler returned ${String(answer)}, not an Answer`);
      }
      if (!answer.fits(command)) throw new TypeError(`this answer cannot answer ${command ?? "an unknown command"}`);
      // A packet built by hand (from JavaScript) is held to the response schema too.
      if (command !== undefined) parseResponse(command, answer.body());
      return answer.httpAnswer();
    } catch (error) {
      this.reportError(error, delivery);
      const info = error instanceof WebhookError ? "the answer does not match its schema" : "the webhook handler failed";
      return failureAnswer(500, info);
    }
  }

  /** The answer to a body over the limit, refused while it was read (`size`: the bytes read so far). */
  tooLarge(size: number): HttpAnswer {
    const message = `body of at least ${size} bytes is over the limit of ${this.maxBodyBytes} bytes`;
    return new ReceiveError("BodyTooLarge", message).answer();
  }

  /** The answer to a body that could not be read (the connection failed while it came). */
  notRead(reason: unknown): HttpAnswer {
    return new ReceiveError("BodyNotRead", `the body could not be read: ${String(reason)}`).answer();
  }

  private reportError(error: unknown, delivery: Delivery | InvalidDelivery): void {
    if (this.options.onError !== undefined) {
      this.options.onError(error, delivery);
    } else {
      console.error(`trtc-live-webhooks: ${delivery.command ?? "a request"} answered HTTP 500:`, error);
    }
  }
}

function isHttpAnswer(value: unknown): value is HttpAnswer {
  return typeof value === "object" && value !== null && typeof (value as HttpAnswer).status === "number";
}

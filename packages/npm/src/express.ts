// The webhook endpoint for Express (4 or 5), or any server built on Node's `http` module: a
// request handler that reads the raw body itself, checks it with `receive`, calls the
// application's handler with each accepted delivery, and answers.
import type { IncomingMessage, ServerResponse } from "node:http";
import { failureAnswer, type HttpAnswer } from "./answer.js";
import { Endpoint, type EndpointOptions, type WebhookHandler } from "./endpoint.js";

export type { EndpointOptions, WebhookHandler } from "./endpoint.js";

/** A request as Express (or Node's `http` module) gives it. */
export type NodeRequest = IncomingMessage & { readonly originalUrl?: string; readonly body?: unknown };

/**
 * A request handler for Express (`app.all("/webhook", expressWebhook(options, handler))`) or for
 * `http.createServer`. Every method reaches it (others than POST are answered 405, as the
 * receiver says), so mount it with `app.all` or `app.use`.
 *
 * It reads the body itself, up to `maxBodyBytes` (a larger `Content-Length` is refused unread):
 * mount it before any body parser (`express.json()` would read the numbers as doubles). If a
 * parser ran first, a raw body it left (`express.raw()`, `express.text()`) is used; anything
 * else is answered HTTP 500, saying so.
 */
export function expressWebhook(
  options: EndpointOptions,
  handler: WebhookHandler,
): (request: NodeRequest, response: ServerResponse) => void {
  const endpoint = new Endpoint(options, handler);
  return (request, response) => {
    const now = endpoint.now();
    void answerRequest(endpoint, request, now).then(
      (answer) => send(response, answer),
      (error: unknown) => {
        console.error("trtc-live-webhooks: the request could not be answered:", error);
        send(response, failureAnswer(500, "internal error"));
      },
    );
  };
}

async function answerRequest(endpoint: Endpoint, request: NodeRequest, now: Date | number): Promise<HttpAnswer> {
  const method = request.method ?? "";
  const url = request.originalUrl ?? request.url ?? "/";
  // Refused before the body is read.
  if (method !== "POST") return endpoint.answer({ method, url, body: "" }, now);
  const body = await readBody(request, endpoint);
  return typeof body === "string" || body instanceof Uint8Array ? endpoint.answer({ method, url, body }, now) : body;
}

/** The body's bytes, or the answer refusing them. */
function readBody(request: NodeRequest, endpoint: Endpoint): Promise<Uint8Array | string | HttpAnswer> {
  if (request.readableEnded) {
    const parsed = request.body;
    if (typeof parsed === "string" || parsed instanceof Uint8Array) return Promise.resolve(parsed);
    return Promise.resolve(
      failureAnswer(500, "the body was read by another middleware: mount the webhook before body parsers"),
    );
  }
  const declared = Number(request.headers["content-length"]);
  if (declared > endpoint.maxBodyBytes) return Promise.resolve(closing(endpoint.tooLarge(declared)));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: Uint8Array | HttpAnswer) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    request.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > endpoint.maxBodyBytes) {
        chunks.length = 0;
        settle(closing(endpoint.tooLarge(size)));
      } else chunks.push(chunk);
    });
    request.on("end", () => settle(Buffer.concat(chunks)));
    request.on("error", (error) => settle(endpoint.notRead(error)));
    request.on("close", () => settle(endpoint.notRead("the connection closed before the body ended")));
  });
}

/** `answer`, closing the connection after it: the rest of the body is not read. */
function closing(answer: HttpAnswer): HttpAnswer {
  return { ...answer, headers: { ...answer.headers, connection: "close" } };
}

function send(response: ServerResponse, answer: HttpAnswer): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
  response.end(answer.body);
}

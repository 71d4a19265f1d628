// The webhook endpoint for Fastify 5: a plugin that routes one path to the receiver, reads the
// raw body (its own content-type parser, inside the plugin only), calls the application's
// handler with each accepted delivery, and answers.
import type { FastifyError, FastifyPluginCallback, FastifyReply, FastifyRequest } from "fastify";
import { failureAnswer, type HttpAnswer } from "./answer.js";
import { Endpoint, type EndpointOptions, type WebhookHandler } from "./endpoint.js";

export type { EndpointOptions, WebhookHandler } from "./endpoint.js";

/** The plugin's options: the receiver's, the path and the handler. */
export interface FastifyWebhookOptions extends EndpointOptions {
  /** The webhook's path (default `/`, under the plugin's prefix). */
  readonly path?: string | undefined;
  /** Called with every accepted delivery; its answer goes back to Tencent. */
  readonly handler: WebhookHandler;
}

/**
 * `app.register(fastifyWebhook, { path: "/webhook", sdkAppId, token, handler })`. Every method
 * of the path reaches the receiver (others than POST are answered 405). The body is read as
 * bytes whatever its `Content-Type`, up to `maxBodyBytes`; the plugin's parser and error handler
 * stay inside it, so the rest of the application keeps its own.
 */
export const fastifyWebhook: FastifyPluginCallback<FastifyWebhookOptions> = (app, options, done) => {
  const endpoint = new Endpoint(options, options.handler);
  const arrivals = new WeakMap<FastifyRequest, Date | number>();
  const arrival = (request: FastifyRequest) => arrivals.get(request) ?? endpoint.now();
  // The body as bytes: a string would get `; charset=utf-8` added to its content type.
  const reply = (response: FastifyReply, answer: HttpAnswer) =>
    response.code(answer.status).headers(answer.headers).send(Buffer.from(answer.body, "utf8"));

  app.addHook("onRequest", (request, _reply, next) => {
    arrivals.set(request, endpoint.now());
    next();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: endpoint.maxBodyBytes }, (_request, body, next) =>
    next(null, body),
  );
  // Errors while the body was read: answered as the receiver answers them.
  app.setErrorHandler((error: FastifyError, request, response) => {
    const method = request.method;
    if (method !== "POST") {
      return endpoint.answer({ method, url: request.url, body: "" }, arrival(request)).then((a) => reply(response, a));
    }
    if (error.statusCode === 413) return reply(response, endpoint.tooLarge(endpoint.maxBodyBytes + 1));
    if (error.statusCode !== undefined && error.statusCode < 500) return reply(response, endpoint.notRead(error.message));
    return reply(response, failureAnswer(500, "internal error"));
  });
  app.all(options.path ?? "/", { bodyLimit: endpoint.maxBodyBytes }, async (request, response) => {
    const body = request.body instanceof Uint8Array ? request.body : "";
    const answer = await endpoint.answer({ method: request.method, url: request.url, body }, arrival(request));
    return reply(response, answer);
  });
  done();
};

import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

/** undici's (fetch's) default: how long a response may take to start, and to continue. */
const IDLE_TIMEOUT_MS = 300_000;
/** Statuses whose response has no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * The last middleware of the Graph client's chain: sends the request with
 * Node's own HTTP client (keep-alive connections of the global agents) and
 * hands the SDK a fetch `Response` of the whole body. The SDK's own
 * HTTPMessageHandler calls `fetch`, whose web streams cost a quarter of a
 * large read's CPU time: 100 pages of 999 users took 1.7 s of CPU through
 * fetch and 1.3 s this way. A request the SDK hands over as a `Request`
 * object, or with a body other than text or bytes, still goes through fetch.
 *
 * A failed connection rejects with an error whose `cause` is Node's (with
 * its `code`, e.g. ECONNREFUSED), as fetch's does.
 */
export class NodeHttpMessageHandler implements Middleware {
  async execute(context: Context): Promise<void> {
    const options = context.options ?? {};
    const body = options.body;
    if (
      typeof context.request !== "string" ||
      !(body === undefined || typeof body === "string" || body instanceof Uint8Array)
    ) {
      context.response = await fetch(context.request, options);
      return;
    }
    context.response = await send(context.request, options.method ?? "GET", headersOf(options.headers), body);
  }
}

function headersOf(headers: RequestInit["headers"]): Record<string, string> {
  if (headers === undefined) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(new Headers(headers));
  return { ...(headers as Record<string, string>) };
}

function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(new Error(`request to ${url} failed`, { cause: error }));
    const request = (url.startsWith("https:") ? httpsRequest : httpRequest)(
      url,
      { method, headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("error", fail);
        answer.on("end", () => resolve(toResponse(answer, Buffer.concat(chunks))));
      },
    );
    request.setTimeout(IDLE_TIMEOUT_MS, () => request.destroy(new Error("timed out waiting for Graph")));
    request.on("error", fail);
    request.end(body);
  });
}

/** Each response's body as received, for callers that want the bytes themselves. */
const receivedBodies = new WeakMap<Response, Uint8Array>();

/**
 * The bytes of a response this handler received (in memory of their own,
 * which may be moved to another thread), without reading its
 * stream (which stays unread, for anyone else): a Response made of bytes
 * copies them, and reading them back out copies them again, which for a
 * large read was half a second of the main thread per million users.
 * Undefined for a response that came through fetch.
 */
export function receivedBody(response: Response): Uint8Array | undefined {
  return receivedBodies.get(response);
}

function toResponse(answer: IncomingMessage, body: Buffer): Response {
  const headers = new Headers();
  const raw = answer.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const status = answer.statusCode ?? 0;
  const init = { status, statusText: answer.statusMessage ?? "", headers };
  if (NULL_BODY.has(status)) return new Response(null, init);
  // A stream the body is put into only when read: unlike bytes, it is not copied up front.
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(body);
      controller.close();
    },
  });
  const response = new Response(stream, init);
  // Bytes of their own: a small Buffer lies in Node's shared pool, which must never move to a worker.
  const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
  receivedBodies.set(response, whole ? body : new Uint8Array(body));
  return response;
}

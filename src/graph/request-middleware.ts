import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { networkFailure } from "./graph-errors.js";

/** Receives one line per HTTP request sent: method, path, status, milliseconds. */
export type RequestLogger = (line: string) => void;

/**
 * Counts every HTTP request that leaves the process (retries included) and,
 * when asked, logs method, path, status and duration; never headers, bodies or
 * tokens. Sits just before the HTTP handler so each retry is seen. A failed
 * connection becomes a `network-error` naming the URL.
 */
export class RequestCountingMiddleware implements Middleware {
  private next: Middleware | undefined;
  private sent = 0;

  constructor(private readonly log?: RequestLogger) {}

  get count(): number {
    return this.sent;
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : context.request.url;
    const method = (
      context.options?.method ?? (typeof context.request === "string" ? "GET" : context.request.method)
    ).toUpperCase();
    this.sent += 1;
    const started = performance.now();
    try {
      await this.next!.execute(context);
    } catch (error) {
      this.log?.(`${method} ${pathOf(url)} failed after ${elapsed(started)} ms`);
      throw networkFailure(method, url, error);
    }
    this.log?.(`${method} ${pathOf(url)} ${context.response?.status ?? "?"} ${elapsed(started)} ms`);
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** Path and query only: the host is known, and query strings carry no secrets in Graph. */
function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return decodeURIComponent(`${parsed.pathname}${parsed.search}`);
  } catch {
    return url;
  }
}

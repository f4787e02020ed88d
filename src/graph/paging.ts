import { isLicensectlError } from "../model/errors.js";
import type { GraphConnection, GraphHttpResponse } from "./create-graph-client.js";
import { graphFailure } from "./graph-errors.js";
import { backoffDelayMs, isRetryableStatus, retryDelayMs } from "./retry-delay.js";

interface Page<T> {
  readonly value?: readonly T[];
  readonly "@odata.nextLink"?: string;
}

/** How paged reads wait and report. */
export interface PagingOptions {
  /** Called after each page with the number of items so far. */
  readonly onPage?: (itemsSoFar: number) => void;
  /** Waits before re-sending a GET whose connection failed; tests inject an instant one. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** Attempts per GET when the connection fails; 429/503/504 are first the SDK RetryHandler's business. */
export const GET_ATTEMPTS_ON_NETWORK_ERROR = 4;
/**
 * Waiting one GET may spend on 429/503/504 answers after the SDK's own
 * retries: a large tenant read under a busy app's throttling waits for its
 * turn (honouring Retry-After) rather than failing the whole plan.
 */
export const GET_THROTTLE_BUDGET_MS = 5 * 60_000;

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A GET, re-sent with jittered backoff when the connection drops: reads
 * are idempotent, and one reset should not fail a whole plan. A throttled
 * answer that outlasts the SDK's retries is retried after its Retry-After
 * until GET_THROTTLE_BUDGET_MS of waiting is spent.
 */
export async function getWithRetry(
  connection: GraphConnection,
  url: string,
  options: PagingOptions & { readonly raw?: boolean } = {},
): Promise<GraphHttpResponse> {
  let waitedMs = 0;
  let throttled = 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const response = await connection.send({
        method: "GET",
        url,
        ...(options.raw === true ? { raw: true } : {}),
      });
      if (!isRetryableStatus(response.status)) return response;
      throttled += 1;
      const delay = retryDelayMs({
        retryAfter: response.headers.get("retry-after"),
        attempt: throttled,
        random: options.random ?? Math.random,
      });
      if (waitedMs + delay > GET_THROTTLE_BUDGET_MS) return response;
      waitedMs += delay;
      await (options.sleep ?? realSleep)(delay);
    } catch (error) {
      if (
        !isLicensectlError(error) ||
        error.code !== "network-error" ||
        attempt >= GET_ATTEMPTS_ON_NETWORK_ERROR
      ) {
        throw error;
      }
      await (options.sleep ?? realSleep)(backoffDelayMs(attempt, options.random ?? Math.random));
    }
  }
}

/**
 * GETs `firstUrl` and every `@odata.nextLink` after it (verbatim), handing
 * each item to `onItem` as it arrives so large tenants are never copied
 * page by page. Returns the number of pages.
 */
export async function collectPages<T>(
  connection: GraphConnection,
  firstUrl: string,
  onItem: (item: T) => void,
  options: PagingOptions = {},
): Promise<number> {
  let url: string | undefined = firstUrl;
  let pages = 0;
  let items = 0;
  while (url !== undefined) {
    const response = await getWithRetry(connection, url, options);
    if (response.status < 200 || response.status >= 300) {
      throw graphFailure("GET", url, response.status, response.body);
    }
    pages += 1;
    const page = (response.body ?? {}) as Page<T>;
    const value = page.value ?? [];
    for (const item of value) onItem(item);
    items += value.length;
    options.onPage?.(items);
    const next = page["@odata.nextLink"];
    url = typeof next === "string" && next !== "" ? next : undefined;
  }
  return pages;
}

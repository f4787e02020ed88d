import type { BatchItem } from "./batch-packing.js";
import { graphErrorInfo, permissionFor } from "./graph-errors.js";
import { isRetryableStatus } from "./retry-delay.js";
import type { GraphErrorInfo, WriteEvent } from "./write-operations.js";

/* Reading the parts of a `$batch` answer: headers, inner headers, inner errors. */

/** Graph's code and message; a denied request also names the permission it needs. */
export function innerError(item: BatchItem, status: number, body: unknown): GraphErrorInfo {
  const info = graphErrorInfo(status, body);
  if (status !== 403 && info.code !== "Authorization_RequestDenied") return info;
  const permission = permissionFor(item.method, item.url);
  return {
    code: info.code,
    message: `${info.message} (${item.method} ${item.url} needs the permission ${permission}; grant it to the application)`,
  };
}

export function headersToRecord(headers: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  headers?.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

export function recordOf(value: unknown): Record<string, string> {
  if (value === null || typeof value !== "object") return {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === "string" || typeof v === "number") out[key] = String(v);
  }
  return out;
}

/** Header lookup ignoring case: inner batch headers come as a plain object. */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** What one send of one request came to. */
export type AttemptOutcome = "done" | "failed" | "throttled" | "answer-lost";

/** 2xx done, 429 throttled (not carried out), 503/504 an answer lost (maybe carried out), else failed. */
export function attemptOutcome(status: number): AttemptOutcome {
  if (status === 429) return "throttled";
  if (isRetryableStatus(status)) return "answer-lost";
  return status >= 200 && status < 300 ? "done" : "failed";
}

/** The journal event of one send of `item`. */
export function attemptEvent(
  item: BatchItem,
  attempt: number,
  answer: {
    readonly status: number;
    readonly outcome: AttemptOutcome;
    readonly requestId: string | undefined;
    readonly startedAt: string;
    readonly durationMs: number;
  },
): WriteEvent {
  const request = {
    method: item.method,
    url: item.url,
    ...(item.body !== undefined ? { body: item.body } : {}),
  };
  return {
    type: "attempt",
    id: item.id,
    attempt,
    request,
    status: answer.status,
    ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
    startedAt: answer.startedAt,
    durationMs: answer.durationMs,
    outcome: answer.outcome,
  };
}

import type { BatchItem } from "./batch-packing.js";
import { graphErrorInfo, permissionFor } from "./graph-errors.js";
import type { GraphErrorInfo } from "./write-operations.js";

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

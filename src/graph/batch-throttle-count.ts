import type { BatchItem } from "./batch-packing.js";
import { headerValue, recordOf } from "./batch-answer.js";
import type { PaceAnswer } from "./write-pacer.js";

/**
 * What a `$batch` answer tells the write pacer: how many writes Graph let
 * through and how many its throttle refused. Each write inside a `$batch` is
 * throttled on its own, so inner 429s count per write, and reads do not count.
 */

/** One item of a `$batch`: what was sent. */
interface Sent {
  readonly item: BatchItem;
}

/** One inner response of a `$batch` answer, as it came (anything may be missing). */
export interface InnerResponse {
  readonly id?: unknown;
  readonly status?: unknown;
  readonly headers?: unknown;
  readonly body?: unknown;
}

/** Writes among the batch's requests: only they meet Graph's write limit. */
export function writesIn(batch: readonly Sent[]): number {
  return batch.filter((pending) => pending.item.method !== "GET").length;
}

/** How many of the batch's writes the throttle let through and how many it refused (inner 429s count per write). */
export function throttleCount(batch: readonly Sent[], byId: ReadonlyMap<string, InnerResponse>): PaceAnswer {
  let accepted = 0;
  let throttled = 0;
  let other = true;
  let near = false;
  for (const pending of batch) {
    if (pending.item.method === "GET") continue;
    const inner = byId.get(pending.item.id.toLowerCase());
    if (inner === undefined || typeof inner.status !== "number") continue;
    if (inner.status !== 429) {
      if (inner.status !== 503 && inner.status !== 504) accepted += 1;
      near ||= headerValue(recordOf(inner.headers), "x-ms-throttle-limit-percentage") !== undefined;
      continue;
    }
    throttled += 1;
    other &&= otherLimit(recordOf(inner.headers)).otherLimit === true;
  }
  return {
    accepted,
    throttled,
    ...(throttled > 0 && other ? { otherLimit: true } : {}),
    ...(near ? { nearLimit: true } : {}),
  };
}

/** A 429 of Graph's resource-unit limit says nothing of the write rate (x-ms-throttle-information). */
export function otherLimit(headers: Readonly<Record<string, string>>): { otherLimit?: true } {
  return headerValue(headers, "x-ms-throttle-information") === "ResourceUnitLimitExceeded"
    ? { otherLimit: true }
    : {};
}

import { JsonBytes, type GraphResponse } from "./route-kit.js";
import type { TenantStore } from "./tenant-store.js";

/**
 * Pages of users already answered, served again byte for byte while the
 * tenant has not changed (EmulatorOptions.keepPages). In a benchmark the
 * emulator shares the machine with the client it serves, and writing each
 * page afresh spent the cores the client's own work needs: at a million
 * users, seconds of a read that the real service spends on its own
 * servers. Any change to the tenant drops every kept page, so nothing can
 * be served stale; with a consistency lag, reads are not kept at all.
 */

/** Kept pages' bytes per tenant; past this everything kept is dropped and kept anew. */
const MAX_KEPT_BYTES = 768 * 1024 * 1024;

/**
 * A kept answer, its body's bytes held as a one-byte string (a byte a
 * character): kept Buffers are memory outside the heap, and each 64 MB more
 * of it makes V8 collect the whole heap, which for a large tenant cost more
 * than writing the pages afresh; a large string is kept apart and never
 * scanned.
 */
interface KeptPage {
  readonly response: GraphResponse;
  readonly bytes: string;
}

interface Kept {
  generation: number;
  bytes: number;
  readonly pages: Map<string, KeptPage>;
  /** Requests answered once since the last change: kept when asked again. */
  readonly seen: Set<string>;
}

const kept = new WeakMap<TenantStore, Kept>();

/**
 * The answer to a page request: the kept one when the same request (`key`:
 * the query as sent and the headers it depends on) was answered since the
 * store last changed, else `answer()`'s, kept when its body is bytes.
 */
export function keptPage(store: TenantStore, key: string, answer: () => GraphResponse): GraphResponse {
  let entry = kept.get(store);
  if (entry === undefined || entry.generation !== store.generation) {
    entry = { generation: store.generation, bytes: 0, pages: new Map(), seen: new Set() };
    kept.set(store, entry);
  }
  const known = entry.pages.get(key);
  if (known !== undefined)
    return { ...known.response, body: new JsonBytes(Buffer.from(known.bytes, "latin1")) };
  const response = answer();
  if (response.status !== 200 || !(response.body instanceof JsonBytes)) return response;
  if (!entry.seen.has(key)) {
    entry.seen.add(key);
    return response;
  }
  const size = response.body.bytes.length;
  if (entry.bytes + size > MAX_KEPT_BYTES) {
    entry.pages.clear();
    entry.bytes = 0;
  }
  entry.pages.set(key, { response, bytes: response.body.bytes.toString("latin1") });
  entry.bytes += size;
  return response;
}

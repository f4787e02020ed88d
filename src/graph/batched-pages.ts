import type { BatchItem } from "./batch-packing.js";
import { runBatchItems } from "./batch-runner.js";
import type { GraphConnection } from "./create-graph-client.js";
import { graphFailure } from "./graph-errors.js";
import { collectPages, GET_THROTTLE_BUDGET_MS, type PagingOptions } from "./paging.js";

/** How a batched paged read sends and reports. */
export interface BatchedPagesOptions {
  /** `$batch` requests in flight at once. */
  readonly concurrency: number;
  readonly paging: Required<Pick<PagingOptions, "sleep" | "random">>;
  /** Called once per collection when its last page is read. */
  readonly onCollectionDone?: (index: number) => void;
}

interface PageRequest {
  /** Which of the collections this page belongs to. */
  readonly index: number;
  /** Relative to /v1.0 (a first page) or a nextLink as Graph gave it. */
  readonly url: string;
}

interface Page<T> {
  readonly value?: readonly T[];
  readonly "@odata.nextLink"?: string;
}

/**
 * Reads many small paged collections (the members of every licensed group)
 * with `$batch`: the first pages 20 to a request, then, round by round, the
 * next pages of the collections that have more. A tenant's 160 groups are
 * then read in 8 round trips instead of 160 requests (Graph counts each
 * request inside a batch against its limits all the same, so this saves
 * latency, not quota: "Combine multiple HTTP requests using JSON batching").
 *
 * A nextLink goes into a batch by its path under the Graph root; one that
 * is not under the root is followed on its own, verbatim, by collectPages
 * (which refuses links off the trusted host). Hands each page's items to
 * `onItems` with the collection's index; fails as a single GET would.
 */
export async function collectPagesInBatches<T>(
  connection: GraphConnection,
  firstUrls: readonly string[],
  onItems: (index: number, items: readonly T[]) => void,
  options: BatchedPagesOptions,
): Promise<void> {
  let round: PageRequest[] = firstUrls.map((url, index) => ({ index, url }));
  const root = `${connection.baseUrl}/`;
  while (round.length > 0) {
    const batchable = (page: PageRequest) => !/^https?:/i.test(page.url) || page.url.startsWith(root);
    const inBatch = round.filter(batchable);
    const alone = round.filter((page) => !batchable(page));
    const next: PageRequest[] = [];
    const items: BatchItem[] = inBatch.map((page, position) => ({
      id: String(position),
      method: "GET",
      url: page.url.startsWith(root) ? page.url.slice(root.length - 1) : page.url,
    }));
    const [results] = await Promise.all([
      runBatchItems(connection, items, {
        concurrency: options.concurrency,
        maxRetryTimeMs: GET_THROTTLE_BUDGET_MS,
        ...options.paging,
      }),
      Promise.all(
        alone.map(async ({ index, url }) => {
          await collectPages(connection, url, (item: T) => onItems(index, [item]), options.paging);
          options.onCollectionDone?.(index);
        }),
      ),
    ]);
    const byId = new Map(results.map((result) => [result.id, result]));
    for (const [position, page] of inBatch.entries()) {
      const result = byId.get(String(position))!;
      if (result.error !== undefined || result.status < 200 || result.status >= 300) {
        const body = result.error !== undefined ? { error: result.error } : result.body;
        throw graphFailure("GET", items[position]!.url, result.status, body);
      }
      const body = (result.body ?? {}) as Page<T>;
      onItems(page.index, body.value ?? []);
      const link = body["@odata.nextLink"];
      if (typeof link === "string" && link !== "") next.push({ index: page.index, url: link });
      else options.onCollectionDone?.(page.index);
    }
    round = next;
  }
}

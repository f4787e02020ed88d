import type { LiveUser } from "../model/live-state.js";
import { runBatchItems } from "./batch-runner.js";
import type { BatchItem } from "./batch-packing.js";
import type { GraphConnection } from "./create-graph-client.js";
import { UserNormalizer, type RawUser } from "./normalize-live-state.js";
import { collectPages, type PagingOptions } from "./paging.js";
import { readPartitions } from "./partition-reader.js";
import {
  FIRST_BOUNDARIES,
  packRanges,
  partitionTarget,
  rangeFilter,
  rangesBetween,
  refineRange,
  splitByTarget,
  type CountedRange,
  type UpnRange,
} from "./user-partitions.js";

/** How far the user read has come, for progress. */
export interface UserReadProgress {
  readonly users: number;
  readonly pages: number;
  /** Users Graph counted, once known. */
  readonly total?: number;
  /** Why a partitioned read was given up for a sequential one (reported once). */
  readonly restarted?: string;
}

export interface UserReadOptions {
  /** Partitions read at once; 1 reads `/users` page after page. */
  readonly concurrency: number;
  readonly pageSize: number;
  readonly select: string;
  readonly paging: Required<Pick<PagingOptions, "sleep" | "random">>;
  readonly onProgress?: (progress: UserReadProgress) => void;
  /**
   * Parse the pages of a partitioned read in worker threads (default: when
   * Graph counts at least WORKER_MIN_USERS users). Only where the built
   * worker script exists; otherwise in this thread.
   */
  readonly parseInWorkers?: boolean;
}

/** Times a range too large for one reader is split further (each level is one `$batch` of counts). */
const REFINE_LEVELS = 2;
/** How long the count batches may keep retrying throttled answers. */
const COUNT_RETRY_MS = 60_000;

/**
 * Reads every user. With a concurrency above 1 the collection is split into
 * `userPrincipalName` ranges sized by Graph's counts and read concurrently;
 * the read is kept only when it is proved complete: every user id once, and
 * as many as Graph counts for `/users`. On any mismatch (a count that lags,
 * a user renamed across ranges mid-read, a collation that orders the
 * boundaries otherwise) the users are read again page after page, which
 * needs no proof. A plan is never made from a partial read.
 */
export async function readUsers(connection: GraphConnection, options: UserReadOptions): Promise<LiveUser[]> {
  if (options.concurrency <= 1) return readSequentially(connection, options, undefined);
  const counted = await countRanges(connection, [{}, ...rangesBetween(FIRST_BOUNDARIES)], options);
  if (counted === undefined) {
    return readSequentially(connection, options, undefined, "Graph did not count the users");
  }
  const [whole, ...ranges] = counted;
  const total = whole!.count;
  if (total <= options.pageSize) return readSequentially(connection, options, total);
  const target = partitionTarget(total, options.concurrency, options.pageSize);
  // Ranges within the target are read at once; larger ones are split and counted again meanwhile.
  const { runs, large } = splitByTarget(ranges, target);
  const later = refine(connection, large, target, options).then((refined) => {
    if (refined === undefined) return "Graph did not count the user ranges";
    const sum = [...runs.flat(), ...refined.flat()].reduce((n, r) => n + r.count, 0);
    if (sum !== total) return `the ranges count ${sum} users, /users counts ${total}`;
    return refined.flatMap((pieces) => packRanges(pieces, target));
  });
  const read = await readPartitions(
    connection,
    runs.flatMap((run) => packRanges(run, target)),
    later,
    total,
    {
      ...options,
      onProgress: (users, pages) => options.onProgress?.({ users, pages, total }),
    },
  );
  if ("abandoned" in read) return readSequentially(connection, options, total, read.abandoned);
  if (read.duplicate !== undefined) {
    return readSequentially(
      connection,
      options,
      total,
      `user ${read.duplicate} was read in two ranges (renamed during the read?)`,
    );
  }
  if (read.users.length !== total) {
    return readSequentially(
      connection,
      options,
      total,
      `the ranges returned ${read.users.length} users, /users counts ${total}`,
    );
  }
  return read.users;
}

async function readSequentially(
  connection: GraphConnection,
  options: UserReadOptions,
  total: number | undefined,
  restarted?: string,
): Promise<LiveUser[]> {
  const users: LiveUser[] = [];
  const normalizer = new UserNormalizer();
  let pages = 0;
  const counts = total !== undefined ? { total } : {};
  if (restarted !== undefined) options.onProgress?.({ users: 0, pages: 0, ...counts, restarted });
  await collectPages(
    connection,
    `/users?$select=${options.select}&$top=${options.pageSize}`,
    (raw: RawUser) => users.push(normalizer.normalize(raw)),
    {
      ...options.paging,
      onPage: (done) => options.onProgress?.({ users: done, pages: (pages += 1), ...counts }),
    },
  );
  return users;
}

const countUrl = (range: UpnRange): string => {
  const filter = rangeFilter(range);
  // $top=1 and $select=id keep the answer tiny; $count=true with ConsistencyLevel: eventual adds @odata.count.
  return `/users?$count=true&$top=1&$select=id${filter === undefined ? "" : `&$filter=${encodeURIComponent(filter)}`}`;
};

/**
 * Graph's count of users in each range, in one or more `$batch` requests.
 * Counting is an advanced query (ConsistencyLevel: eventual and $count=true,
 * "Advanced query capabilities on Microsoft Entra ID objects"); undefined
 * when Graph refuses it, so the caller reads without partitions.
 */
async function countRanges(
  connection: GraphConnection,
  ranges: readonly UpnRange[],
  options: UserReadOptions,
): Promise<CountedRange[] | undefined> {
  const items: BatchItem[] = ranges.map((range, index) => ({
    id: String(index + 1),
    method: "GET",
    url: countUrl(range),
    headers: { ConsistencyLevel: "eventual" },
  }));
  const results = await runBatchItems(connection, items, {
    concurrency: 4,
    maxRetryTimeMs: COUNT_RETRY_MS,
    ...options.paging,
  });
  const byId = new Map(results.map((r) => [r.id, r]));
  const counted: CountedRange[] = [];
  for (const [index, range] of ranges.entries()) {
    const result = byId.get(String(index + 1));
    const count = (result?.body as { "@odata.count"?: unknown } | undefined)?.["@odata.count"];
    if (result === undefined || result.error !== undefined || typeof count !== "number") return undefined;
    counted.push({ range, count });
  }
  return counted;
}

/**
 * Splits ranges holding more than `target` users, counting the pieces, up to
 * REFINE_LEVELS deep: the counted pieces of each range, in order.
 */
async function refine(
  connection: GraphConnection,
  counted: readonly CountedRange[],
  target: number,
  options: UserReadOptions,
): Promise<CountedRange[][] | undefined> {
  let groups = counted.map((c) => [c]);
  for (let level = 0; level < REFINE_LEVELS; level += 1) {
    const split = groups.map((group) =>
      group.map((c) => (c.count > target ? refineRange(c.range) : [c.range])),
    );
    const pieces = split
      .flat()
      .filter((parts) => parts.length > 1)
      .flat();
    if (pieces.length === 0) break;
    const countedPieces = await countRanges(connection, pieces, options);
    if (countedPieces === undefined) return undefined;
    let next = 0;
    groups = groups.map((group, g) =>
      group.flatMap((c, index) =>
        split[g]![index]!.length > 1 ? split[g]![index]!.map(() => countedPieces[next++]!) : [c],
      ),
    );
  }
  return groups;
}

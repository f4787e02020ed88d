import type { LiveUser } from "../model/live-state.js";
import type { GraphConnection } from "./create-graph-client.js";
import { readDecodedPages } from "./decoded-pages.js";
import { firstDuplicateId } from "./duplicate-ids.js";
import type { PagingOptions } from "./paging.js";
import { RequestSlots, SlotsClosed } from "./request-slots.js";
import { inlineDecoder, UserPagePool, workersAvailable } from "./user-page-pool.js";
import { rangeFilter, type UserPartition } from "./user-partitions.js";

/**
 * Users from which a partitioned read parses its pages in worker threads.
 * What a worker saves is mostly collection: the parse's garbage stays in
 * its own small heap instead of the main thread's, which holds every user
 * read so far. Below this it saves less than its start and the copies cost.
 * Measured on 2 cores beside the emulator: 100,000 users read in 1.5 s in
 * this thread and 1.7 s with a worker; 1,000,000 in 21 s and 15.5 s.
 */
export const WORKER_MIN_USERS = 200_000;

/** How the partitions are read. */
export interface PartitionReadOptions {
  readonly concurrency: number;
  readonly pageSize: number;
  readonly select: string;
  readonly paging: Required<Pick<PagingOptions, "sleep" | "random">>;
  /** Users and pages read so far, against the users Graph counted. */
  readonly onProgress?: (users: number, pages: number) => void;
  /** See UserReadOptions.parseInWorkers. */
  readonly parseInWorkers?: boolean;
}

/** What the partitions gave: every user in range order, or why the read was given up. */
export type PartitionRead =
  { readonly users: LiveUser[]; readonly duplicate?: string } | { readonly abandoned: string };

/**
 * Reads every partition at once, with at most `concurrency` requests in
 * flight (a freed slot goes to the partition with the most left to read):
 * those known at the start at once, and those `later` brings (ranges that
 * had to be split and counted again) as soon as it settles, so the first
 * pages need not wait for the last counts. When `later` gives a reason
 * instead, the read stops and is abandoned. Notes a user read twice.
 */
export async function readPartitions(
  connection: GraphConnection,
  first: readonly UserPartition[],
  later: Promise<readonly UserPartition[] | string>,
  total: number,
  options: PartitionReadOptions,
): Promise<PartitionRead> {
  const read: { partition: UserPartition; pages: (readonly LiveUser[])[] }[] = [];
  const slots = new RequestSlots(options.concurrency);
  const running: Promise<void>[] = [];
  let abandoned: string | undefined;
  let failure: { readonly error: unknown } | undefined;
  const stop = (error?: unknown) => {
    if (error !== undefined) failure ??= { error };
    slots.close();
  };
  let users = 0;
  let pages = 0;
  const decoder =
    (options.parseInWorkers ?? total >= WORKER_MIN_USERS) && workersAvailable()
      ? new UserPagePool()
      : inlineDecoder();
  const readOne = async (partition: UserPartition): Promise<void> => {
    const filter = rangeFilter(partition.range);
    const url =
      `/users?$select=${options.select}&$top=${options.pageSize}` +
      (filter === undefined ? "" : `&$filter=${encodeURIComponent(filter)}`);
    let left = partition.expected;
    try {
      const got = await readDecodedPages(
        connection,
        url,
        decoder,
        options.paging,
        (page) => {
          users += page.length;
          pages += 1;
          left -= page.length;
          options.onProgress?.(users, pages);
        },
        { enter: () => slots.acquire(left), leave: () => slots.release() },
      );
      read.push({ partition, pages: got });
    } catch (error) {
      // Another partition failed or the read was abandoned: that is the outcome, not this.
      if (!(error instanceof SlotsClosed)) stop(error);
    }
  };
  const start = (partitions: readonly UserPartition[]) => {
    if (failure === undefined) for (const partition of partitions) running.push(readOne(partition));
  };
  start(first);
  try {
    await later.then(
      (more) => {
        if (typeof more !== "string") return start(more);
        abandoned = more;
        stop();
      },
      (error: unknown) => stop(error),
    );
    await Promise.all(running);
  } finally {
    await decoder.close();
  }
  if (failure !== undefined) throw failure.error;
  if (abandoned !== undefined) return { abandoned };
  // Partitions in range order: the result does not depend on which finished first.
  read.sort((a, b) => compareFrom(a.partition.range.from, b.partition.range.from));
  const all = concatenate(read.flatMap((r) => r.pages));
  const duplicate = firstDuplicateId(all)?.userPrincipalName;
  return { users: all, ...(duplicate !== undefined ? { duplicate } : {}) };
}

/** The lists one after another, in one array sized once (a million users are copied once, not per level). */
function concatenate<T>(lists: readonly (readonly T[])[]): T[] {
  let size = 0;
  for (const list of lists) size += list.length;
  const all = new Array<T>(size);
  let at = 0;
  for (const list of lists) for (let i = 0; i < list.length; i += 1) all[at++] = list[i]!;
  return all;
}

/** Lower bounds in ascending order, the open one first (bounds are lower-case Latin letters). */
function compareFrom(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

import { normalizeGuid } from "../util/guid.js";
import { waitUntil, type Clock } from "../util/consistency-window.js";
import type { BatchItem } from "./batch-packing.js";
import { runBatchItems, type BatchRunOptions } from "./batch-runner.js";
import type { GraphConnection } from "./create-graph-client.js";
import type { ReadBack, WriteOperation } from "./write-operations.js";

interface RawState {
  readonly skuId?: string;
  readonly disabledPlans?: readonly string[];
  readonly assignedByGroup?: string | null;
}

interface RawTarget {
  readonly usageLocation?: string | null;
  readonly licenseAssignmentStates?: readonly RawState[];
  readonly assignedLicenses?: readonly RawState[];
}

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const left = new Set(a.map(normalizeGuid));
  const right = new Set(b.map(normalizeGuid));
  return left.size === right.size && [...left].every((x) => right.has(x));
};

/** The GET that shows whether `operation` is in effect. */
function readBackUrl(operation: WriteOperation): string {
  if (operation.kind === "setUsageLocation")
    return `/users/${encodeURIComponent(normalizeGuid(operation.userId))}?$select=id,usageLocation`;
  const id = encodeURIComponent(normalizeGuid(operation.target.id));
  return operation.target.kind === "user"
    ? `/users/${id}?$select=id,licenseAssignmentStates`
    : `/groups/${id}?$select=id,assignedLicenses`;
}

/** Whether the target, as read, already holds what the operation asked for. */
export function writeInEffect(operation: WriteOperation, record: RawTarget | undefined): boolean {
  if (operation.kind === "setUsageLocation")
    return (record?.usageLocation ?? "").toUpperCase() === operation.usageLocation.toUpperCase();
  const { target, body } = operation;
  const direct =
    target.kind === "user"
      ? (record?.licenseAssignmentStates ?? []).filter(
          (s) => s.assignedByGroup === null || s.assignedByGroup === undefined,
        )
      : (record?.assignedLicenses ?? []);
  const held = (skuId: string) =>
    direct.find((s) => s.skuId !== undefined && normalizeGuid(s.skuId) === normalizeGuid(skuId));
  return (
    body.addLicenses.every((add) => {
      const found = held(add.skuId);
      return found !== undefined && sameSet(found.disabledPlans ?? [], add.disabledPlans);
    }) && body.removeLicenses.every((skuId) => held(skuId) === undefined)
  );
}

/** A write whose answer was lost, and when the loss was seen (on the clock of {@link ReadBackOptions}). */
export interface LostWrite {
  readonly operation: WriteOperation;
  readonly lostAt: number;
}

/** How read-backs are sent and how long a read may lag behind a write. */
export interface ReadBackOptions {
  /** The consistency window (see `DEFAULT_CONSISTENCY_WINDOW_MS`). */
  readonly windowMs: number;
  readonly clock: Clock;
  /** How the `$batch` reads are run (concurrency, retries). */
  readonly run: Omit<BatchRunOptions, "readBack" | "onEvent" | "onResult">;
}

/** Reads the targets of `writes` in `$batch` requests and judges each. */
async function readOnce(
  connection: GraphConnection,
  writes: readonly LostWrite[],
  options: ReadBackOptions,
): Promise<ReadBack[]> {
  const items: BatchItem[] = writes.map(({ operation }, index) => ({
    id: String(index + 1),
    method: "GET",
    url: readBackUrl(operation),
  }));
  try {
    const results = await runBatchItems(connection, items, options.run);
    return results.map((result, index) =>
      result.error !== undefined || result.status !== 200
        ? "unknown"
        : writeInEffect(writes[index]!.operation, result.body as RawTarget | undefined)
          ? "applied"
          : "not-applied",
    );
  } catch {
    return writes.map(() => "unknown");
  }
}

/**
 * After attempts whose answers were lost (503/504, a dropped connection, an
 * item missing from a `$batch` answer), each write may or may not have been
 * carried out, and sending it again is not harmless: a retried removal or
 * swap fails with "User does not have a corresponding license" once the first
 * attempt went through. Reads the targets back, all in `$batch` requests:
 * "applied" when the target already holds what the operation asked for
 * (licenses as direct assignments with the same disabled plans, or the usage
 * location), "not-applied" when it does not, "unknown" when the read failed.
 *
 * Entra is eventually consistent, so a read soon after the write can show the
 * target before it. A read that shows the write in effect is believed at once
 * (the state before the write did not hold what it asked for). A write read
 * as not carried out is believed only from a read sent once the consistency
 * window has passed since its answer was lost, so a write that went through
 * is never sent twice: those are read again together, after one wait for the
 * latest of them, so a storm of lost answers costs one window, not one per
 * write.
 */
export async function readBackWrites(
  connection: GraphConnection,
  writes: readonly LostWrite[],
  options: ReadBackOptions,
): Promise<ReadBack[]> {
  if (writes.length === 0) return [];
  const sentAt = options.clock.now();
  const verdicts = await readOnce(connection, writes, options);
  const doubtful = writes
    .map((write, index) => ({ write, index }))
    .filter(
      ({ write, index }) => verdicts[index] === "not-applied" && sentAt - write.lostAt < options.windowMs,
    );
  if (doubtful.length === 0) return verdicts;
  const latest = Math.max(...doubtful.map(({ write }) => write.lostAt));
  await waitUntil(latest + options.windowMs, options.clock);
  const again = await readOnce(
    connection,
    doubtful.map(({ write }) => write),
    options,
  );
  for (const [i, { index }] of doubtful.entries()) verdicts[index] = again[i]!;
  return verdicts;
}

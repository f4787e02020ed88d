import type { LicenseWriter } from "../graph/write-operations.js";
import type { ApplyEvent } from "./apply-events.js";

/** How long to wait for asynchronous group license processing, and how often to look. */
export interface GroupWaitOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** Replaced in tests so that waiting takes no time. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Large groups can take many minutes to process; past this the handover is left for a later run. */
export const DEFAULT_GROUP_WAIT: GroupWaitOptions = { timeoutMs: 10 * 60_000, pollMs: 5_000 };

export const PROCESSING_COMPLETE = "ProcessingComplete";

export interface GroupWaitResult {
  readonly complete: readonly string[];
  /** Groups still processing at the timeout, or whose state could not be read. */
  readonly incomplete: readonly string[];
  /** Set when reading the state failed, rather than timing out. */
  readonly error?: string;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `licenseProcessingState` until every group is `ProcessingComplete`
 * or the timeout passes. The time waited is counted in poll intervals, so the
 * bound does not depend on the clock. A null state (never licensed) counts
 * as complete: there is nothing to process.
 */
export async function waitForGroupProcessing(
  writer: LicenseWriter,
  groupIds: readonly string[],
  options: GroupWaitOptions,
  emit: (event: ApplyEvent) => void,
): Promise<GroupWaitResult> {
  const unique = [...new Set(groupIds)];
  if (unique.length === 0) return { complete: [], incomplete: [] };
  const sleep = options.sleep ?? realSleep;
  const pollMs = Math.max(1, options.pollMs);
  let pending = unique;
  let waitedMs = 0;
  for (;;) {
    let states;
    try {
      states = await writer.groupLicenseStatus(pending);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      emit({
        type: "waiting-for-groups",
        groupIds: pending,
        state: "timed-out",
        total: unique.length,
        waitedMs,
      });
      return { complete: unique.filter((id) => !pending.includes(id)), incomplete: pending, error: message };
    }
    const done = new Set(
      states
        .filter((status) => status.state === null || status.state === PROCESSING_COMPLETE)
        .map((s) => s.groupId),
    );
    pending = pending.filter((id) => !done.has(id));
    if (pending.length === 0) {
      emit({
        type: "waiting-for-groups",
        groupIds: unique,
        state: "complete",
        total: unique.length,
        waitedMs,
      });
      return { complete: unique, incomplete: [] };
    }
    if (waitedMs >= options.timeoutMs) {
      emit({
        type: "waiting-for-groups",
        groupIds: pending,
        state: "timed-out",
        total: unique.length,
        waitedMs,
      });
      return { complete: unique.filter((id) => !pending.includes(id)), incomplete: pending };
    }
    emit({ type: "waiting-for-groups", groupIds: pending, state: "waiting", total: unique.length, waitedMs });
    await sleep(pollMs);
    waitedMs += pollMs;
  }
}

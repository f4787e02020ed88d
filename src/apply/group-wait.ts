import type { LicenseWriter } from "../graph/write-operations.js";
import type { ApplyEvent } from "./apply-events.js";

/** How long to wait for asynchronous group license processing, and how often to look. */
export interface GroupWaitOptions {
  readonly timeoutMs: number;
  /** The longest pause between two polls. */
  readonly pollMs: number;
  /**
   * The first pause (default 250 ms, at most pollMs); each next one doubles
   * up to pollMs, so a small group is seen done quickly and a large one is
   * not polled needlessly often.
   */
  readonly firstPollMs?: number;
  /** Replaced in tests so that waiting takes no time. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Large groups can take many minutes to process; past this the handover is left for a later run. */
export const DEFAULT_GROUP_WAIT: GroupWaitOptions = { timeoutMs: 10 * 60_000, pollMs: 5_000 };

export const PROCESSING_COMPLETE = "ProcessingComplete";

const DEFAULT_FIRST_POLL_MS = 250;

/** Polls in a row a group must read ProcessingComplete on before it counts as processed. */
export const CONSECUTIVE_COMPLETE_POLLS = 2;

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
 * on {@link CONSECUTIVE_COMPLETE_POLLS} polls in a row, or the timeout passes.
 * Entra is eventually consistent: a first read right after a write can still
 * show the state from before it, so one "complete" is not trusted. A null
 * state is not complete either: every group waited for was just changed, and
 * Graph has not shown it queued yet. The time waited is counted in pauses, so
 * the bound does not depend on the clock.
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
  let pause = Math.min(pollMs, Math.max(1, options.firstPollMs ?? DEFAULT_FIRST_POLL_MS));
  let pending = unique;
  let waitedMs = 0;
  /** Complete polls in a row, per group (lower-case id). */
  const streak = new Map<string, number>();
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
    // Ids compared case-insensitively: Graph may answer with another casing than the plan's.
    const complete = new Set(
      states
        .filter((status) => status !== undefined && status.state === PROCESSING_COMPLETE)
        .map((status) => status.groupId.toLowerCase()),
    );
    for (const id of pending) {
      const key = id.toLowerCase();
      streak.set(key, complete.has(key) ? (streak.get(key) ?? 0) + 1 : 0);
    }
    pending = pending.filter((id) => (streak.get(id.toLowerCase()) ?? 0) < CONSECUTIVE_COMPLETE_POLLS);
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
    // The last pause is shortened so the final poll happens at the timeout, not after it.
    const next = Math.max(1, Math.min(pause, options.timeoutMs - waitedMs));
    await sleep(next);
    waitedMs += next;
    pause = Math.min(pollMs, pause * 2);
  }
}

/**
 * Microsoft Entra ID is eventually consistent: a read soon after a write can
 * be served by a replica that has not seen it yet ("Microsoft Graph: best
 * practices", section "Eventual consistency",
 * https://learn.microsoft.com/en-us/graph/best-practices-concept, and
 * "Advanced query capabilities on Microsoft Entra ID objects",
 * https://learn.microsoft.com/en-us/graph/aad-advanced-queries).
 *
 * licensectl assumes a bound on that lag, the consistency window: a read
 * sent at least this long after a moment shows the tenant as it was at that
 * moment or later. Microsoft publishes no figure; replication within a
 * tenant is normally well under a few seconds, so the default leaves a
 * margin. A read whose answer decides a removal (a group's copy is Active, a
 * lost removal was not carried out) is only believed when it was sent after
 * the window had passed since the write it must reflect; reads that only
 * confirm are believed at once.
 */
export const DEFAULT_CONSISTENCY_WINDOW_MS = 5_000;

/** Time on a monotonic clock and a way to wait, replaced together in tests. */
export interface Clock {
  /** Milliseconds on a monotonic clock. */
  readonly now: () => number;
  /** Waits `ms` milliseconds. */
  readonly sleep: (ms: number) => Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Waits until `clock.now()` reaches `at`; at once when it has already. */
export async function waitUntil(at: number, clock: Clock): Promise<void> {
  const remaining = Math.ceil(at - clock.now());
  if (remaining > 0) await clock.sleep(remaining);
}

/** Checks a window given by a user or a caller: a whole number of milliseconds, 0 or more. */
export function isConsistencyWindow(ms: number): boolean {
  return Number.isInteger(ms) && ms >= 0;
}

/**
 * The consistency lag the apply, CLI and reliability suites give their
 * emulators: every read of a user, group or SKU may show it up to this old,
 * as Entra's eventual consistency can. Short, so the suites stay quick, but
 * long enough that a read right after a write is often stale.
 */
export const TEST_CONSISTENCY_LAG_MS = 250;

/** Emulator options that turn the lag on. */
export const LAGGED = { consistencyLagMs: TEST_CONSISTENCY_LAG_MS } as const;

/** The client's consistency window for those emulators: the lag they were given. */
export const WINDOW = { consistencyWindowMs: TEST_CONSISTENCY_LAG_MS } as const;

/** The same window as a licensectl flag. */
export const WINDOW_ARGS: readonly string[] = ["--consistency-window", String(TEST_CONSISTENCY_LAG_MS)];

/** Waits out the lag, as a person running the next command would. */
export const afterLag = (): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, TEST_CONSISTENCY_LAG_MS + 20));

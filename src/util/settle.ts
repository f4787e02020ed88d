/**
 * Microsoft Entra ID is eventually consistent: a read soon after a write can
 * be served by a replica that has not seen it yet, so a read that disagrees
 * with what was just written is not yet evidence that the write is missing
 * ("Microsoft Graph: best practices", section "Eventual consistency",
 * https://learn.microsoft.com/en-us/graph/best-practices-concept, and "Advanced
 * query capabilities on Microsoft Entra ID objects",
 * https://learn.microsoft.com/en-us/graph/aad-advanced-queries).
 * These are the pauses before each re-read of such a read: long enough for a
 * replica to catch up, bounded so that a write that really is missing is
 * reported within seconds.
 */
export const DEFAULT_SETTLE_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000];

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads with `read` until `agrees` holds, pausing `delays` in turn before each
 * re-read, and returns the last read. No pause at all when the first read
 * already agrees, so a consistent tenant costs nothing extra.
 */
export async function settle<T>(
  read: () => Promise<T>,
  agrees: (value: T) => boolean,
  delays: readonly number[] = DEFAULT_SETTLE_DELAYS_MS,
  sleep: (ms: number) => Promise<void> = realSleep,
): Promise<T> {
  let value = await read();
  for (const delay of delays) {
    if (agrees(value)) return value;
    await sleep(delay);
    value = await read();
  }
  return value;
}

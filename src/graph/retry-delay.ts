/** Status codes that mean "try again later" for a whole request or one inside a batch. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** Backoff policy when Graph gives no Retry-After. */
export interface BackoffPolicy {
  /** Delay before the first retry, before jitter. */
  readonly baseMs: number;
  /** No single wait is longer than this. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

/** Longest Retry-After honoured; Graph asks for seconds, never hours. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * Parses a Retry-After value: delta-seconds (Graph's form) or an HTTP date.
 * Returns milliseconds, or undefined when absent or unreadable.
 */
export function parseRetryAfterMs(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(Math.round(Number(text) * 1000), MAX_RETRY_AFTER_MS);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}

/**
 * Exponential backoff with "equal jitter": half the exponential step plus a
 * random half, so concurrent clients spread out but never retry at once.
 * `attempt` is the number of tries already made (1 after the first failure).
 */
export function backoffDelayMs(
  attempt: number,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** How long to wait before retrying: Retry-After when Graph gives one, else jittered backoff. */
export function retryDelayMs(input: {
  readonly retryAfter: string | null | undefined;
  readonly attempt: number;
  readonly random: () => number;
  readonly now?: number;
  readonly policy?: BackoffPolicy;
}): number {
  return (
    parseRetryAfterMs(input.retryAfter, input.now) ??
    backoffDelayMs(input.attempt, input.random, input.policy)
  );
}

import type { BatchItem } from "./batch-packing.js";
import type { GraphErrorInfo, ReadBack, WriteEvent } from "./write-operations.js";

/* What the batch runner (batch-runner.ts) takes and gives back. */

/** Final answer for one batch item after any retries. */
export interface BatchItemResult {
  readonly id: string;
  /** Last HTTP status; 0 when no answer ever came (network). */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** Times it was sent. */
  readonly attempts: number;
  /** Set when the status is not 2xx, or when retries ran out. */
  readonly error?: GraphErrorInfo;
  /** An earlier attempt got no answer (dropped connection, lost item): it may have been carried out. */
  readonly afterLostAnswer?: boolean;
  /** Answers lost for this item (5xx, dropped connection, missing from the `$batch` answer). */
  readonly answersLost?: number;
  /** When the last answer was lost (`performance.now()`), for reading the target back later. */
  readonly lostAnswerAt?: number;
  /** Set when reading the target back settled the result instead of an answer. */
  readonly readBack?: ReadBack;
}

/** An item whose answer was lost, and when (`performance.now()`). */
export interface LostItem {
  readonly item: BatchItem;
  readonly lostAt: number;
}

export interface BatchRunOptions {
  /** `$batch` requests in flight at once. */
  readonly concurrency: number;
  /** Total wait one item may spend in retries before it fails. */
  readonly maxRetryTimeMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly onEvent?: (event: WriteEvent) => void;
  /** Called once per item as soon as its result is final. */
  readonly onResult?: (result: BatchItemResult) => void;
  /**
   * Reads the targets of writes back after their answers were lost, before
   * deciding to send them again: "applied" settles one, anything else re-sends
   * it. Called once for all the items whose answers one `$batch` lost, each
   * with when the loss was seen (`performance.now()`). Without it (reads), a
   * lost answer is simply retried.
   */
  readonly readBack?: (lost: readonly LostItem[]) => Promise<ReadBack[]>;
}

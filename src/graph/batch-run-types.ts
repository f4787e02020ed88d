import type { BatchItem } from "./batch-packing.js";
import type { GraphErrorInfo, ReadBack, WriteEvent } from "./write-operations.js";
import type { WritePacer } from "./write-pacer.js";

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
  /** Set when reading the target back settled the result instead of an answer. */
  readonly readBack?: ReadBack;
}

export interface BatchRunOptions {
  /** `$batch` requests in flight at once. */
  readonly concurrency: number;
  /** Total wait one item may spend in retries before it fails. */
  readonly maxRetryTimeMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Clock in ms for pacing (default performance.now); tests pair it with `sleep`. */
  readonly now?: () => number;
  readonly random: () => number;
  /**
   * Paces batches to the write rate learnt from 429s and holds every sender
   * during a Retry-After. Share one across runs to keep what it learnt (the
   * writer does); without it, each run learns afresh.
   */
  readonly pacer?: WritePacer;
  readonly onEvent?: (event: WriteEvent) => void;
  /** Called once per item as soon as its result is final. */
  readonly onResult?: (result: BatchItemResult) => void;
  /**
   * Reads a write's target back after its answer was lost, before deciding to
   * send it again: "applied" settles it, anything else re-sends it. Without
   * it (reads), a lost answer is simply retried.
   */
  readonly readBack?: (item: BatchItem) => Promise<ReadBack>;
}

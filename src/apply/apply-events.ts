import type { ReadBack, WriteEvent } from "../graph/write-operations.js";
import type { WaveKind } from "../model/plan.js";
import type { ChangeStatus } from "./apply-result.js";

/**
 * Progress of an apply, as typed, JSON-friendly events: the terminal renders
 * a bar, CI gets lines, tests record them. Wave indexes are 0-based.
 */
export type ApplyEvent =
  | { readonly type: "apply-started"; readonly waveCount: number; readonly changes: number }
  | {
      readonly type: "wave-started";
      readonly waveIndex: number;
      readonly waveCount: number;
      readonly kind: WaveKind;
      readonly changes: number;
    }
  | {
      readonly type: "change-done";
      readonly waveIndex: number;
      readonly changeId: string;
      readonly status: ChangeStatus;
      /** userPrincipalName or group displayName. */
      readonly principal: string;
      /** Graph's message for failures, the reason for skips. */
      readonly message?: string;
    }
  | { readonly type: "throttled"; readonly retryAfterMs: number; readonly scope: "batch" | "request" }
  /** One send of one change's write (the apply journal keeps these). */
  | (Omit<Extract<WriteEvent, { type: "attempt" }>, "type" | "id"> & {
      readonly type: "write-attempt";
      readonly waveIndex: number;
      readonly changeId: string;
    })
  /** A change's principal read back after its answer was lost. */
  | {
      readonly type: "read-back";
      readonly waveIndex: number;
      readonly changeId: string;
      readonly verdict: ReadBack;
    }
  | {
      readonly type: "waiting-for-groups";
      /** Groups not yet complete (all groups waited for, once `state` is `complete`). */
      readonly groupIds: readonly string[];
      readonly state: "waiting" | "complete" | "timed-out";
      /** How many groups this wait is for. */
      readonly total: number;
      /** Poll intervals slept so far. */
      readonly waitedMs: number;
    }
  | {
      readonly type: "wave-finished";
      readonly waveIndex: number;
      readonly waveCount: number;
      readonly kind: WaveKind;
      readonly applied: number;
      readonly failed: number;
      readonly skipped: number;
    }
  | {
      readonly type: "apply-finished";
      readonly applied: number;
      readonly failed: number;
      readonly skipped: number;
      readonly durationMs: number;
    };

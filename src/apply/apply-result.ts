import type { Change, PrincipalRef, SkuRef, WaveKind } from "../model/plan.js";
import type { GraphErrorInfo, MemberLicenseError } from "../graph/write-operations.js";

/**
 * What became of one plan change. "unknown": Graph's answer was lost and
 * reading the principal back failed too, so whether it was carried out is not
 * known (plan again to see).
 */
export type ChangeStatus = "applied" | "failed" | "unknown" | "skipped";

/** Why a change was not attempted. The message is derived from this data when the result is built. */
export interface SkipReason {
  readonly code:
    | "usage-location-failed" // the user's setUsageLocation did not apply, so an assignment would fail
    | "group-change-failed" // the group the handover waits for was not changed
    | "group-processing-incomplete" // the group's license processing did not complete in time
    | "group-copy-not-active"; // the group's copy of the license was not read Active for the user
  readonly message: string;
  /** The change this one depended on, when the dependency is a change. */
  readonly dependsOnChange?: string;
  /** The groups this one depended on, when the dependency is group processing. */
  readonly groupIds?: readonly string[];
}

/** The SKUs one `assignLicenses` change touches, by part number and id. */
export interface ChangeSkus {
  readonly add: readonly SkuRef[];
  readonly update: readonly SkuRef[];
  readonly remove: readonly SkuRef[];
}

/**
 * One change's outcome: enough to render it without the plan (principal,
 * SKUs or usage location), plus Graph's answer for failures and the reason
 * for skips.
 */
export interface ChangeOutcome {
  readonly changeId: string;
  readonly kind: Change["kind"];
  /** Index of the wave in the plan (0-based). */
  readonly waveIndex: number;
  readonly waveKind: WaveKind;
  readonly principal: Omit<PrincipalRef, "location">;
  readonly status: ChangeStatus;
  /** For `assignLicenses`. */
  readonly skus?: ChangeSkus;
  /** For `setUsageLocation`. */
  readonly usageLocation?: { readonly from: string | null; readonly to: string };
  /** Final HTTP status from Graph (0 = no answer); absent for skipped changes. */
  readonly httpStatus?: number;
  /** How many times the write was sent; absent for skipped changes. */
  readonly attempts?: number;
  /** Answers lost along the way; the principal was read back each time. */
  readonly answersLost?: number;
  /** Graph's error code and message, for failures. */
  readonly error?: GraphErrorInfo;
  /** Why it was skipped, for skips. */
  readonly reason?: SkipReason;
}

/** A group member whose group-based license could not be assigned, found after the group was processed. */
export interface GroupMemberLicenseError extends MemberLicenseError {
  readonly groupId: string;
  readonly groupName: string;
  /** Part number of `skuId` when the plan knows it. */
  readonly skuPartNumber?: string;
  /** What fixes it (a free seat, a usage location, the conflicting SKU) and how to have it retried. */
  readonly fix?: string;
  /** Set when the plan already showed this error: it is not this apply's doing. */
  readonly beforeApply?: true;
}

/** Counts of what went over the wire, taken from the writer's events. */
export interface ApplyTraffic {
  /** `$batch` (or single) HTTP requests sent, retries included. */
  readonly batches: number;
  /** Write operations sent, retries included. */
  readonly requests: number;
  /** Sends beyond the first, summed over operations. */
  readonly retries: number;
  /** 429 answers seen (batch or inner request): Graph held writes back. */
  readonly throttled: number;
  /**
   * Writes whose answer was lost (503/504, dropped connection, missing from a
   * `$batch` answer), each read back before it was sent again.
   */
  readonly answersLost: number;
}

/** Everything `applyPlan` did; the CLI decides the exit code from it (1 if anything failed). */
export interface ApplyResult extends ApplyTraffic {
  readonly applied: readonly ChangeOutcome[];
  readonly failed: readonly ChangeOutcome[];
  /** Changes whose answer was lost and could not be read back (status "unknown"). */
  readonly unknown: readonly ChangeOutcome[];
  readonly skipped: readonly ChangeOutcome[];
  readonly groupErrors: readonly GroupMemberLicenseError[];
  readonly warnings: readonly string[];
  readonly durationMs: number;
}

import type { ApplyResult } from "../../apply/apply-result.js";
import { applyVerdict } from "../../apply/verdict.js";

/** Version of the JSON contract of `apply --format json`; bumped on any incompatible change. */
export const APPLY_RESULT_FORMAT_VERSION = 1;

/** The apply result as a versioned JSON document, for machines (stdout only). Pure. */
export function renderApplyResultJson(result: ApplyResult): string {
  const document = {
    formatVersion: APPLY_RESULT_FORMAT_VERSION,
    kind: "licensectl/apply-result",
    ok: applyVerdict(result).ok,
    summary: {
      applied: result.applied.length,
      failed: result.failed.length,
      unknown: result.unknown.length,
      skipped: result.skipped.length,
      groupMembersWithErrors: result.groupErrors.length,
      batches: result.batches,
      requests: result.requests,
      retries: result.retries,
      throttled: result.throttled,
      answersLost: result.answersLost,
      durationMs: result.durationMs,
    },
    failed: result.failed,
    unknown: result.unknown,
    skipped: result.skipped,
    applied: result.applied,
    groupErrors: result.groupErrors,
    warnings: result.warnings,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

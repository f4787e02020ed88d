import type { ApplyResult } from "./apply-result.js";

/** Whether an apply did what its plan said, and if not, why, one line per kind of shortfall. */
export interface ApplyVerdict {
  readonly ok: boolean;
  readonly reasons: readonly string[];
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The verdict of an apply: it succeeded only when every change applied (none
 * failed, none has an unknown outcome) and
 * no member of a group it changed ended with a license error the plan did
 * not already show. A skipped change
 * (a direct license kept because the group's copy was not Active, a group
 * that did not finish processing) is a shortfall too: the tenant is not
 * where the plan said. The CLI exits 1 unless `ok`.
 */
export function applyVerdict(result: ApplyResult): ApplyVerdict {
  const reasons: string[] = [];
  if (result.failed.length > 0) reasons.push(`${count(result.failed.length, "change", "changes")} failed`);
  if (result.unknown.length > 0)
    reasons.push(
      `${count(result.unknown.length, "change has", "changes have")} an unknown outcome (the answer and the read-back were both lost)`,
    );
  const kept = result.skipped.filter((o) => o.reason?.code === "group-copy-not-active").length;
  if (kept > 0)
    reasons.push(
      `${count(kept, "user keeps a direct license", "users keep direct licenses")} because the group's copy is not Active for them`,
    );
  const otherSkips = result.skipped.length - kept;
  if (otherSkips > 0) reasons.push(`${count(otherSkips, "change was", "changes were")} skipped`);
  // Errors the plan already showed are listed but are not this run's doing.
  const caused = result.groupErrors.filter((e) => e.beforeApply !== true);
  if (caused.length > 0) {
    const users = new Set(caused.map((e) => e.userId.toLowerCase())).size;
    reasons.push(
      `${count(users, "group member holds", "group members hold")} a group license in error after this run (${count(caused.length, "error", "errors")})`,
    );
  }
  return { ok: reasons.length === 0, reasons };
}

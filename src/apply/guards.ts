import { LicensectlError } from "../model/errors.js";
import type { Plan } from "../model/plan.js";

/**
 * Users who lose a license in the plan, counted from the waves themselves:
 * direct removals plus group members losing a removed SKU. The applier trusts
 * the larger of this and the summary, so an edited plan file cannot slip
 * past the limit.
 */
export function countRemovals(plan: Plan): number {
  let removals = 0;
  for (const wave of plan.waves) {
    for (const change of wave.changes) {
      if (change.kind !== "assignLicenses" || change.remove.length === 0) continue;
      removals += change.target.kind === "user" ? 1 : (change.membersLosingLicenses ?? 0);
    }
  }
  return removals;
}

/**
 * Refuses, before any write, a plan that breaks a safety rule. The tenant
 * and staleness checks happen earlier, in the CLI, against the live tenant.
 */
export function checkApplyGuards(plan: Plan, options: { readonly maxRemovals?: number }): void {
  if (plan.mode === "additive") {
    const removing = plan.waves.flatMap((wave) =>
      wave.changes.filter((change) => change.kind === "assignLicenses" && change.remove.length > 0),
    );
    if (removing.length > 0) {
      const names = removing.map((change) =>
        change.kind === "assignLicenses" ? change.target.name : change.user.name,
      );
      throw new LicensectlError(
        "additive-removal",
        `The plan is additive but removes licenses from ${removing.length} principal(s): ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", ..." : ""}.`,
        {
          hint: "An additive plan never removes licenses; make a new plan with `licensectl plan` and apply that.",
        },
      );
    }
  }
  const limit = options.maxRemovals ?? plan.maxRemovals;
  if (limit === undefined) return;
  const removals = Math.max(plan.summary.removals, countRemovals(plan));
  if (removals > limit) {
    throw new LicensectlError(
      "max-removals-exceeded",
      `The plan removes licenses from ${removals} user(s), more than the limit of ${limit}.`,
      {
        hint: `Review the plan; if these removals are intended, apply with --max-removals ${removals}.`,
      },
    );
  }
}

import { LicensectlError } from "../model/errors.js";
import type { Plan } from "../model/plan.js";

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
        `the plan is additive but removes licenses from ${removing.length} principal(s): ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", ..." : ""}`,
        {
          hint: "An additive plan never removes licenses; make a new plan with `licensectl plan` and apply that.",
        },
      );
    }
  }
  const limit = options.maxRemovals ?? plan.maxRemovals;
  if (limit === undefined) return;
  // The planner's count: users who end up without a SKU by any path (a
  // handover or an E3 -> E5 swap's new SKU is not a loss). Recounting from the
  // changes alone would count those too and refuse plans the planner allowed.
  const removals = plan.summary.removals;
  if (removals > limit) {
    throw new LicensectlError(
      "max-removals-exceeded",
      `the plan removes licenses from ${removals} user(s), more than the limit of ${limit}`,
      {
        hint: `Review the plan; if these removals are intended, apply with --max-removals ${removals}.`,
      },
    );
  }
}

import type { Plan } from "../../model/plan.js";

/**
 * The plan as JSON: the Plan object itself, so that `plan --format json` and
 * `plan --out plan.json` are one document that `apply` can read. The contract
 * is schemas/plan.schema.json; `formatVersion` versions it.
 */
export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

import type { ImpactLevel, Plan } from "../../model/plan.js";
import type { Problem } from "../../model/problem.js";
import type { TenantPlanEntry, TenantStatus } from "../../model/tenant-run.js";

/** One tenant's line in a summary: what a reviewer compares across tenants. */
export interface TenantRow {
  readonly name: string;
  readonly status: TenantStatus;
  readonly adds?: number;
  readonly updates?: number;
  readonly removes?: number;
  /** Seats missing after the plan, summed over SKUs; for a plan refused for seats, the shortfall it named. */
  readonly seatsShort: number;
  readonly risk?: ImpactLevel;
}

/** Seats beyond `prepaidUnits.enabled` after the plan, over the SKUs in scope. */
export function seatsShortOfPlan(plan: Plan): number {
  return plan.seats
    .filter((s) => s.inScope)
    .reduce((sum, s) => sum + Math.max(0, s.consumedAfter - s.enabled), 0);
}

/** The shortfall the capacity check names in its problems ("needs N seats ...; the tenant has M enabled"). */
export function seatsShortOfProblems(problems: readonly Problem[]): number {
  let short = 0;
  for (const problem of problems) {
    if (problem.code !== "capacity-exceeded") continue;
    const match = /needs (\d+) seats after this plan; the tenant has (\d+) enabled/.exec(problem.message);
    if (match) short += Math.max(0, Number(match[1]) - Number(match[2]));
  }
  return short;
}

export function tenantRow(entry: TenantPlanEntry): TenantRow {
  if (!entry.plan)
    return {
      name: entry.name,
      status: entry.status,
      seatsShort: seatsShortOfProblems(entry.failure?.problems ?? []),
    };
  const s = entry.plan.summary;
  return {
    name: entry.name,
    status: entry.status,
    adds: s.adds,
    updates: s.updates,
    removes: s.removes,
    seatsShort: seatsShortOfPlan(entry.plan),
    risk: s.risk,
  };
}

/** Failed first, then tenants with changes, then those in sync; by name within each. */
export function byAttention<T extends { readonly name: string; readonly status: TenantStatus }>(
  entries: readonly T[],
): T[] {
  const rank: Record<TenantStatus, number> = { failed: 0, changed: 1, "in-sync": 2 };
  return [...entries].sort(
    (a, b) => rank[a.status] - rank[b.status] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

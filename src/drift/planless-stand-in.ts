import type { ResolvedDesiredState } from "../model/desired-state.js";
import type { LiveState } from "../model/live-state.js";
import { PLAN_FORMAT_VERSION, type Plan } from "../model/plan.js";

/**
 * A plan with no changes, for a drift report when the planner refused (for
 * instance because a SKU is over capacity): the report still shows every
 * other category, and the refusal itself as planProblems.
 */
export function planlessStandIn(
  desired: ResolvedDesiredState,
  live: LiveState,
  options: { readonly toolVersion: string; readonly now: Date; readonly liveDigest: string },
): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    toolVersion: options.toolVersion,
    createdAt: options.now.toISOString(),
    tenant: { id: live.tenant.id.toLowerCase(), displayName: live.tenant.displayName },
    mode: desired.scope.mode,
    manifestDigest: desired.digest,
    liveDigest: options.liveDigest,
    summary: {
      changes: 0,
      usersChanged: 0,
      groupsChanged: 0,
      adds: 0,
      updates: 0,
      removes: 0,
      usageLocations: 0,
      removals: 0,
      risk: "none",
    },
    seats: [],
    warnings: [],
    waves: [],
  };
}

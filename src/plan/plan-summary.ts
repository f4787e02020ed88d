import { worstImpact, type ImpactLevel, type PlanSummary, type Wave } from "../model/plan.js";

/** Counts over the waves; `removals` comes from the holdings (users who lose a SKU by every path). */
export function summarize(waves: readonly Wave[], removals: number): PlanSummary {
  const users = new Set<string>();
  const groups = new Set<string>();
  let changes = 0;
  let adds = 0;
  let updates = 0;
  let removes = 0;
  let usageLocations = 0;
  const impacts: ImpactLevel[] = [];
  for (const wave of waves) {
    for (const change of wave.changes) {
      changes++;
      impacts.push(change.impact);
      if (change.kind === "setUsageLocation") {
        usageLocations++;
        users.add(change.user.id);
        continue;
      }
      (change.target.kind === "user" ? users : groups).add(change.target.id);
      adds += change.add.length;
      updates += change.update.length;
      removes += change.remove.length;
    }
  }
  return {
    changes,
    usersChanged: users.size,
    groupsChanged: groups.size,
    adds,
    updates,
    removes,
    usageLocations,
    removals,
    risk: worstImpact(impacts),
  };
}

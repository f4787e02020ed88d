import type { DriftPrincipal, PendingChange } from "../model/drift.js";
import type { Plan, PrincipalRef } from "../model/plan.js";

function principalOf(ref: PrincipalRef): DriftPrincipal {
  return {
    kind: ref.kind,
    id: ref.id,
    name: ref.name,
    ...(ref.location ? { location: ref.location } : {}),
  };
}

/** The plan's changes in wave order, reduced to what a drift reader needs. */
export function pendingChanges(plan: Plan): PendingChange[] {
  const result: PendingChange[] = [];
  for (const wave of plan.waves) {
    for (const change of wave.changes) {
      if (change.kind === "setUsageLocation") {
        result.push({
          changeId: change.id,
          kind: change.kind,
          wave: wave.kind,
          principal: principalOf(change.user),
          impact: change.impact,
          add: [],
          update: [],
          remove: [],
          usageLocation: { from: change.from, to: change.to },
          reasons: change.reasons,
        });
        continue;
      }
      const skuRef = (s: { skuId: string; skuPartNumber: string }) => ({
        skuId: s.skuId,
        skuPartNumber: s.skuPartNumber,
      });
      result.push({
        changeId: change.id,
        kind: change.kind,
        wave: wave.kind,
        principal: principalOf(change.target),
        impact: change.impact,
        add: change.add.map(skuRef),
        update: change.update.map(skuRef),
        remove: change.remove.map(skuRef),
        ...(change.membersLosingLicenses !== undefined
          ? { membersLosingLicenses: change.membersLosingLicenses }
          : {}),
        ...(change.membersGainingLicenses !== undefined
          ? { membersGainingLicenses: change.membersGainingLicenses }
          : {}),
        reasons: change.reasons,
      });
    }
  }
  return result;
}

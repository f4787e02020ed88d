import type {
  AssignedLicense,
  LicenseAssignmentState,
  LiveState,
  LiveUser,
} from "../../src/model/live-state.js";
import type { Plan } from "../../src/model/plan.js";

/**
 * What the tenant looks like once a plan has been carried out, computed
 * without Graph: direct assignments replaced, group licenses pushed to direct
 * members, seat counts recounted. For property tests of the planner.
 */
export function simulateApply(live: LiveState, plan: Plan): LiveState {
  const lower = (s: string) => s.toLowerCase();
  const users = new Map(live.users.map((u) => [lower(u.id), { ...u }]));
  const groups = new Map(live.groups.map((g) => [lower(g.id), { ...g }]));
  const direct = new Map<string, LicenseAssignmentState[]>();
  for (const [id, user] of users)
    direct.set(
      id,
      user.licenseAssignmentStates.filter((s) => s.assignedByGroup === null),
    );

  for (const wave of plan.waves) {
    for (const change of wave.changes) {
      if (change.kind === "setUsageLocation") {
        users.get(change.user.id)!.usageLocation = change.to;
        continue;
      }
      const removed = new Set(change.remove.map((r) => r.skuId));
      const added: AssignedLicense[] = [
        ...change.add.map((a) => ({ skuId: a.skuId, disabledPlans: a.disabledPlans.map((p) => p.id) })),
        ...change.update.map((u) => ({ skuId: u.skuId, disabledPlans: u.toDisabledPlans.map((p) => p.id) })),
      ];
      const replaced = new Set([...removed, ...added.map((a) => a.skuId)]);
      if (change.target.kind === "user") {
        const states = direct.get(change.target.id)!.filter((s) => !replaced.has(s.skuId));
        for (const a of added) states.push({ ...a, assignedByGroup: null, state: "Active", error: null });
        direct.set(change.target.id, states);
      } else {
        const group = groups.get(change.target.id)!;
        group.assignedLicenses = [...group.assignedLicenses.filter((l) => !replaced.has(l.skuId)), ...added];
      }
    }
  }

  const result: LiveUser[] = [];
  for (const [id, user] of users) {
    const states = [...direct.get(id)!];
    for (const [groupId, group] of groups) {
      if (!group.memberIds?.map(lower).includes(id)) continue;
      for (const l of group.assignedLicenses)
        states.push({ ...l, assignedByGroup: groupId, state: "Active", error: null });
    }
    const assigned = new Map<string, readonly string[]>();
    for (const s of states) if (!assigned.has(s.skuId)) assigned.set(s.skuId, s.disabledPlans);
    result.push({
      ...user,
      licenseAssignmentStates: states,
      assignedLicenses: [...assigned].map(([skuId, disabledPlans]) => ({ skuId, disabledPlans })),
    });
  }
  const skus = live.skus.map((sku) => ({
    ...sku,
    consumedUnits: result.filter((u) => u.assignedLicenses.some((l) => l.skuId === lower(sku.skuId))).length,
  }));
  return { ...live, skus, users: result, groups: [...groups.values()] };
}

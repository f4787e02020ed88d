import type { LiveState } from "../../src/model/live-state.js";
import type { Plan } from "../../src/model/plan.js";

/**
 * A tenant reduced to what licensectl manages, keyed by names, with sorted
 * lists: two views are equal exactly when every principal holds the same
 * licenses (direct and per group, with the same disabled plans) and usage location.
 */
export function tenantView(live: LiveState): Record<string, string[]> {
  const lower = (s: string) => s.toLowerCase();
  const part = new Map(live.skus.map((s) => [lower(s.skuId), s.skuPartNumber]));
  const groupName = new Map(live.groups.map((g) => [lower(g.id), g.displayName]));
  const license = (skuId: string, disabled: readonly string[]) =>
    `${part.get(lower(skuId)) ?? lower(skuId)}[${disabled.map(lower).sort().join(",")}]`;
  const view: Record<string, string[]> = {};
  for (const user of live.users) {
    view[`user ${user.userPrincipalName}`] = [
      `usageLocation=${user.usageLocation ?? "none"}`,
      ...user.licenseAssignmentStates
        .map(
          (s) =>
            `${license(s.skuId, s.disabledPlans)} ${s.assignedByGroup === null ? "direct" : `via ${groupName.get(lower(s.assignedByGroup)) ?? s.assignedByGroup}`}`,
        )
        .sort(),
    ];
  }
  for (const group of live.groups)
    view[`group ${group.displayName}`] = group.assignedLicenses
      .map((l) => license(l.skuId, l.disabledPlans))
      .sort();
  return view;
}

/** Keys of `tenantView` whose value differs between two views. */
export function changedPrincipals(
  before: Record<string, string[]>,
  after: Record<string, string[]>,
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

/** Keys of `tenantView` a plan may change: its targets, and the members of groups it changes. */
export function principalsPlanned(plan: Plan, live: LiveState): Set<string> {
  const keys = new Set<string>();
  const upn = new Map(live.users.map((u) => [u.id.toLowerCase(), u.userPrincipalName]));
  for (const change of plan.waves.flatMap((w) => w.changes)) {
    if (change.kind === "setUsageLocation") {
      keys.add(`user ${upn.get(change.user.id.toLowerCase())}`);
    } else if (change.target.kind === "user") {
      keys.add(`user ${upn.get(change.target.id.toLowerCase())}`);
    } else {
      const group = live.groups.find((g) => g.id.toLowerCase() === change.target.id.toLowerCase())!;
      keys.add(`group ${group.displayName}`);
      for (const member of group.memberIds ?? []) keys.add(`user ${upn.get(member.toLowerCase())}`);
    }
  }
  return keys;
}

import type { PrincipalRef } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import type { DeclaredEntry } from "./eligibility.js";
import { checkGroupEligible } from "./eligibility.js";
import { diffLicenses, isEmptyDiff, type LicenseDiff, type DiffContext } from "./license-diff.js";
import { compareText, licensesOfGroup } from "./live-index.js";
import { groupRef } from "./principal-matching.js";

export interface PrincipalPlan {
  readonly ref: PrincipalRef;
  readonly diff: LicenseDiff;
}

export interface GroupPlans {
  readonly plans: readonly PrincipalPlan[];
  readonly refs: ReadonlyMap<string, PrincipalRef>;
  /** group id -> SKUs it holds after the plan, for groups that change. */
  readonly after: ReadonlyMap<string, ReadonlySet<string>>;
  /** skuId -> ids of the groups that gain it. */
  readonly gaining: ReadonlyMap<string, readonly string[]>;
  readonly problems: readonly Problem[];
}

/**
 * License diffs of the groups: those the manifests declare and, in
 * authoritative mode, every group holding an in-scope SKU. Planned before
 * users, because a group's additions decide which direct assignments are
 * handed over.
 */
export function planGroups(declared: ReadonlyMap<string, DeclaredEntry>, context: DiffContext): GroupPlans {
  const { index, scope } = context;
  const ids = new Set(declared.keys());
  if (context.mode === "authoritative") {
    for (const [id, group] of index.groups)
      if (group.assignedLicenses.some((l) => scope.has(l.skuId.toLowerCase()))) ids.add(id);
  }
  const plans: PrincipalPlan[] = [];
  const refs = new Map<string, PrincipalRef>();
  const after = new Map<string, ReadonlySet<string>>();
  const gaining = new Map<string, string[]>();
  const problems: Problem[] = [];
  for (const id of [...ids].sort(compareText)) {
    const group = index.groups.get(id)!;
    const entry = declared.get(id);
    const ref = entry?.principal ?? groupRef(group);
    const live = licensesOfGroup(group);
    const diff = diffLicenses(entry?.licenses, live, context);
    if (isEmptyDiff(diff)) continue;
    plans.push({ ref, diff });
    refs.set(id, ref);
    const skus = new Set(live.keys());
    for (const a of diff.adds) skus.add(a.skuId);
    for (const r of diff.removes) skus.delete(r);
    after.set(id, skus);
    for (const a of diff.adds) gaining.set(a.skuId, [...(gaining.get(a.skuId) ?? []), id]);
    if (diff.adds.length === 0) continue;
    problems.push(...checkGroupEligible(group, ref));
    if (index.groupsWithUnreadMembers.has(id))
      problems.push({
        code: "group-members-unknown",
        severity: "warning",
        message: `the members of group ${ref.name} were not read, so the seats its new licenses take are not counted`,
        hint: "Read the members of every group the manifests name.",
        ...(ref.location ? { location: ref.location } : {}),
      });
  }
  return { plans, refs, after, gaining, problems };
}

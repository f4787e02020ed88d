import type { ResolvedDesiredState } from "../model/desired-state.js";
import type { LiveUser } from "../model/live-state.js";
import type { PrincipalRef, SetUsageLocationChange } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import type { PlannedHandover } from "./changes.js";
import type { DeclaredEntry } from "./eligibility.js";
import { coveringGroups } from "./group-effects.js";
import type { GroupPlans, PrincipalPlan } from "./group-plans.js";
import { diffLicenses, isEmptyDiff, type DiffContext, type LicenseDiff } from "./license-diff.js";
import { compareText, skusHeldThroughGroup, type LiveIndex } from "./live-index.js";
import { groupRef, userRef } from "./principal-matching.js";
import { planUsageLocation } from "./usage-locations.js";

export interface UserPlans {
  readonly plans: readonly PrincipalPlan[];
  /** Direct removals deferred until a group that gains the SKU has been processed. */
  readonly handovers: readonly { readonly ref: PrincipalRef; readonly items: readonly PlannedHandover[] }[];
  readonly handoverGroupIds: ReadonlySet<string>;
  /** user id -> SKUs held directly after the plan, for users whose direct licenses change. */
  readonly directAfter: ReadonlyMap<string, ReadonlySet<string>>;
  readonly locationChanges: readonly SetUsageLocationChange[];
  readonly problems: readonly Problem[];
}

/**
 * Whether the user holds an in-scope SKU directly, by the same rule as
 * directLicensesOfUser but without building the map: most users of a large
 * tenant hold nothing directly, and this runs for every one of them.
 */
function holdsInScopeDirectly(user: LiveUser, scope: ReadonlySet<string>): boolean {
  if (user.licenseAssignmentStates.length === 0)
    return user.assignedLicenses.some((l) => scope.has(l.skuId.toLowerCase()));
  return user.licenseAssignmentStates.some(
    (s) => s.assignedByGroup === null && scope.has(s.skuId.toLowerCase()),
  );
}

/**
 * Groups through which the user holds `skuId` now, in effect, and that keep it
 * after the plan: the direct copy can go without a seat changing hands, but
 * only once apply has read the group's copy Active for the user.
 */
function groupsKeeping(user: LiveUser, skuId: string, groups: GroupPlans, index: LiveIndex): string[] {
  const result: string[] = [];
  for (const groupId of index.userGroups.get(user.id.toLowerCase()) ?? []) {
    if (!index.groups.has(groupId)) continue;
    const after = groups.after.get(groupId);
    if (after?.has(skuId) === false) continue;
    // A group that changes reprocesses every member: a copy in Error may then
    // become Active, so the direct copy waits to see (it stays if not).
    const reprocessed = after !== undefined && index.groupMemberSets.get(groupId)?.has(user.id.toLowerCase());
    if (!reprocessed && !skusHeldThroughGroup(user, groupId)?.has(skuId)) continue;
    result.push(groupId);
  }
  return result;
}

/**
 * License diffs and usage locations of the users: those the manifests declare
 * and, in authoritative mode, every user holding an in-scope SKU directly.
 */
export function planUsers(
  declared: ReadonlyMap<string, DeclaredEntry>,
  declaredLocations: ReadonlyMap<string, string | undefined>,
  groups: GroupPlans,
  desired: ResolvedDesiredState,
  context: DiffContext,
): UserPlans {
  const { index, scope } = context;
  const ids = new Set(declared.keys());
  if (context.mode === "authoritative") {
    for (const [id, user] of index.users) if (holdsInScopeDirectly(user, scope)) ids.add(id);
  }
  const plans: PrincipalPlan[] = [];
  const handovers: { ref: PrincipalRef; items: PlannedHandover[] }[] = [];
  const handoverGroupIds = new Set<string>();
  const directAfter = new Map<string, ReadonlySet<string>>();
  const locationChanges: SetUsageLocationChange[] = [];
  const problems: Problem[] = [];
  for (const id of [...ids].sort(compareText)) {
    const user = index.users.get(id)!;
    const entry = declared.get(id);
    const ref = entry?.principal ?? userRef(user);
    const live = index.directOf(id);
    const full = diffLicenses(entry?.licenses, live, context);
    const items: PlannedHandover[] = [];
    const removes: string[] = [];
    for (const skuId of full.removes) {
      const covering = coveringGroups(groups.gaining, id, skuId, index);
      const keeping = groupsKeeping(user, skuId, groups, index);
      if (covering.length === 0 && keeping.length === 0) {
        removes.push(skuId);
        continue;
      }
      const changing = keeping.filter((g) => groups.after.has(g));
      [...covering, ...changing].forEach((g) => handoverGroupIds.add(g));
      const refs = [...new Set([...covering, ...keeping])]
        .map((g) => groups.refs.get(g) ?? groupRef(index.groups.get(g)!))
        .sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
      items.push({ skuId, groups: refs, waitsForProcessing: covering.length + changing.length > 0 });
    }
    const diff: LicenseDiff = { ...full, removes };
    if (!isEmptyDiff(diff)) plans.push({ ref, diff });
    if (items.length > 0) handovers.push({ ref, items });
    if (!isEmptyDiff(full)) {
      const skus = new Set(live.keys());
      for (const a of full.adds) skus.add(a.skuId);
      for (const r of full.removes) skus.delete(r);
      directAfter.set(id, skus);
    }
    const declaredLocation = declaredLocations.get(id);
    const location = planUsageLocation(
      {
        user: ref,
        live: user,
        ...(declaredLocation !== undefined ? { declared: declaredLocation } : {}),
        needsLocation: diff.adds.length + diff.updates.length > 0,
      },
      desired.tenant.defaultUsageLocation,
    );
    problems.push(...location.problems);
    if (location.change) locationChanges.push(location.change);
  }
  return { plans, handovers, handoverGroupIds, directAfter, locationChanges, problems };
}

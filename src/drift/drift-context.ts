import type { SignInRead, SubscriptionsRead } from "../model/economics.js";
import type { Catalog } from "../catalog/catalog.js";
import type { ResolvedDesiredState, ResolvedPrincipal } from "../model/desired-state.js";
import type { DriftGroupRef, DriftPrincipal } from "../model/drift.js";
import type { LiveGroup, LiveSku, LiveState, LiveUser } from "../model/live-state.js";
import type { Plan, ServicePlanRef, SkuRef } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import { compareText, indexLiveState, type LiveIndex } from "../plan/live-index.js";
import { findGroup, findUser } from "../plan/principal-matching.js";

export { compareText };

/** What computeDrift reads: the same inputs the planner had, plus the plan it made. */
export interface DriftInput {
  readonly desired: ResolvedDesiredState;
  readonly live: LiveState;
  /** The plan; when the planner refused, a plan without changes (see planlessStandIn). */
  readonly plan: Plan;
  /** The problems that kept the planner from making a plan, if it refused. */
  readonly planProblems?: readonly Problem[];
  /** The bundled catalog: a service plan it lacks for a SKU is one Microsoft added since. */
  readonly reference: Catalog;
  /** The tenant's subscriptions (GET /directory/subscriptions), when read: renewals in the report. */
  readonly subscriptions?: SubscriptionsRead;
  /** Users' last sign-ins, when asked for: idle licenses in the report. */
  readonly signIns?: SignInRead;
  /** Overrides policies.inactiveDays (drift --inactive-days). */
  readonly inactiveDays?: number;
}

/**
 * Lookups shared by the drift detectors, built once per report so that a
 * 100,000-user tenant is walked a handful of times, never per item.
 */
export interface DriftContext extends DriftInput {
  readonly skus: ReadonlyMap<string, LiveSku>;
  readonly inScope: ReadonlySet<string>;
  /** Live user id -> the manifest entry that names the user. */
  readonly declaredUsers: ReadonlyMap<string, ResolvedPrincipal>;
  readonly declaredGroups: ReadonlyMap<string, ResolvedPrincipal>;
  skuRef(skuId: string): SkuRef;
  planRefs(planIds: readonly string[]): ServicePlanRef[];
  groupRef(groupId: string): DriftGroupRef;
  userPrincipal(user: LiveUser): DriftPrincipal;
  groupPrincipal(group: LiveGroup): DriftPrincipal;
  /** A manifest entry as a principal, with the live id when it names one. */
  declaredPrincipal(entry: ResolvedPrincipal): DriftPrincipal;
}

const lower = (text: string) => text.toLowerCase();

export function compareSkuRefs(a: SkuRef, b: SkuRef): number {
  return compareText(a.skuPartNumber, b.skuPartNumber) || compareText(a.skuId, b.skuId);
}

export function comparePrincipals(a: DriftPrincipal, b: DriftPrincipal): number {
  return (
    compareText(a.kind, b.kind) ||
    compareText(lower(a.name), lower(b.name)) ||
    compareText(a.id ?? "", b.id ?? "")
  );
}

/**
 * The live principal a manifest entry names, found exactly as the planner
 * finds it (principal-matching.ts): users by id or userPrincipalName, groups
 * by id, else displayName, else mailNickname, and an ambiguous name names
 * nobody. Drift and plan therefore always speak of the same principal.
 */
function liveOf(index: LiveIndex, entry: ResolvedPrincipal): LiveUser | LiveGroup | undefined {
  if (entry.kind === "user") return findUser(index, entry.ref);
  const hit = findGroup(index, entry.ref);
  return hit.kind === "found" ? hit.group : undefined;
}

/** Live id -> the first manifest entry that names it (a second one is the planner's duplicate error). */
function matchDeclared(
  index: LiveIndex,
  entries: readonly ResolvedPrincipal[],
): Map<string, ResolvedPrincipal> {
  const result = new Map<string, ResolvedPrincipal>();
  for (const entry of entries) {
    const found = liveOf(index, entry);
    if (found && !result.has(lower(found.id))) result.set(lower(found.id), entry);
  }
  return result;
}

export function createDriftContext(input: DriftInput): DriftContext {
  const { live, desired } = input;
  // The planner's own index of the tenant: the same lookups, built the same way.
  const index = indexLiveState(live);
  const { skus, planNames, groups: groupsById } = index;
  const declaredUsers = matchDeclared(index, desired.users);
  const declaredGroups = matchDeclared(index, desired.groups);

  const withLocation = (principal: DriftPrincipal, entry: ResolvedPrincipal | undefined): DriftPrincipal =>
    entry ? { ...principal, location: entry.location } : principal;

  return {
    ...input,
    skus,
    inScope: new Set(desired.scope.skuIds.map(lower)),
    declaredUsers,
    declaredGroups,
    skuRef(skuId) {
      const id = lower(skuId);
      const partNumber = skus.get(id)?.skuPartNumber ?? input.reference.skuById(id)?.partNumber ?? id;
      return { skuId: id, skuPartNumber: partNumber };
    },
    planRefs(planIds) {
      return [...new Set(planIds.map(lower))]
        .map((id) => ({ id, name: planNames.get(id) ?? input.reference.planById(id)?.name ?? id }))
        .sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
    },
    groupRef(groupId) {
      const id = lower(groupId);
      return { id, name: groupsById.get(id)?.displayName ?? id };
    },
    userPrincipal(user) {
      const id = lower(user.id);
      return withLocation({ kind: "user", id, name: user.userPrincipalName }, declaredUsers.get(id));
    },
    groupPrincipal(group) {
      const id = lower(group.id);
      return withLocation({ kind: "group", id, name: group.displayName }, declaredGroups.get(id));
    },
    declaredPrincipal(entry) {
      const found = liveOf(index, entry);
      if (!found) return { kind: entry.kind, name: entry.ref, location: entry.location };
      const name = "userPrincipalName" in found ? found.userPrincipalName : found.displayName;
      return { kind: entry.kind, id: lower(found.id), name, location: entry.location };
    },
  };
}

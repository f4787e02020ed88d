import type { SignInRead, SubscriptionsRead } from "../model/economics.js";
import type { Catalog } from "../catalog/catalog.js";
import type { ResolvedDesiredState, ResolvedPrincipal } from "../model/desired-state.js";
import type { DriftGroupRef, DriftPrincipal } from "../model/drift.js";
import type { LiveGroup, LiveSku, LiveState, LiveUser } from "../model/live-state.js";
import type { Plan, SeatSummary, ServicePlanRef, SkuRef, Wave } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import { compareText, indexLiveState, type LiveIndex } from "../plan/live-index.js";
import { findGroup, findUser } from "../plan/principal-matching.js";

export { compareText };

/** The plan the planner made from the same desired and live state. */
export interface DriftFromPlan {
  readonly plan: Plan;
  readonly planProblems?: never;
}

/**
 * The planner refused (seats short, a guard, a principal the tenant lacks):
 * its problems become drift of their own, and the report says who made it
 * and when, which a plan would otherwise have said.
 */
export interface DriftFromRefusal {
  readonly plan?: never;
  /** The problems that kept the planner from making a plan. */
  readonly planProblems: readonly Problem[];
  /** The licensectl version making the report. */
  readonly toolVersion: string;
  /** When the tenant was read. */
  readonly now: Date;
}

/** What computeDrift reads: the same inputs the planner had, plus its plan or its refusal. */
export type DriftInput = {
  readonly desired: ResolvedDesiredState;
  readonly live: LiveState;
  /** The bundled catalog: a service plan it lacks for a SKU is one Microsoft added since. */
  readonly reference: Catalog;
  /** The tenant's subscriptions (GET /directory/subscriptions), when read: renewals in the report. */
  readonly subscriptions?: SubscriptionsRead;
  /** Users' last sign-ins, when asked for: idle licenses in the report. */
  readonly signIns?: SignInRead;
  /** Overrides policies.inactiveDays (drift --inactive-days). */
  readonly inactiveDays?: number;
} & (DriftFromPlan | DriftFromRefusal);

/**
 * Lookups shared by the drift detectors, built once per report so that a
 * 100,000-user tenant is walked a handful of times, never per item.
 */
export type DriftContext = DriftInput & DriftLookups;

/** The lookups of a DriftContext. */
export interface DriftLookups {
  /** The plan's waves; none when the planner refused. */
  readonly waves: readonly Wave[];
  /** Seats per SKU after the plan; none when the planner refused. */
  readonly seatsAfterPlan: readonly SeatSummary[];
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
    waves: input.plan?.waves ?? [],
    seatsAfterPlan: input.plan?.seats ?? [],
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

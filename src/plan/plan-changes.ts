import type { ResolvedDesiredState, ResolvedLicense } from "../model/desired-state.js";
import type { LiveState } from "../model/live-state.js";
import {
  PLAN_FORMAT_VERSION,
  type AssignLicensesChange,
  type Change,
  type Plan,
  type PlanResult,
  type PrincipalRef,
} from "../model/plan.js";
import { hasErrors, type Problem } from "../model/problem.js";
import { checkCapacity, seatsAfter } from "./capacity.js";
import { assignLicensesChange, handoverChange, type PlannedHandover } from "./changes.js";
import { checkCompanySkus, checkGroupEligible, checkSkuStatus, type DeclaredEntry } from "./eligibility.js";
import {
  checkMaxRemovals,
  checkProtected,
  checkTenant,
  countRemovals,
  groupRemovalWarnings,
} from "./guards.js";
import { computeHoldings } from "./holdings.js";
import { declaredLicenses, diffLicenses, type LicenseDiff } from "./license-diff.js";
import { digestLiveState } from "./live-digest.js";
import { compareText, indexLiveState, licensesOfGroup, type LiveIndex } from "./live-index.js";
import { groupRef, matchPrincipals, userRef } from "./principal-matching.js";
import { sortProblems } from "./problem-order.js";
import { seatSummary } from "./seat-summary.js";
import { summarize } from "./plan-summary.js";
import { planUsageLocation } from "./usage-locations.js";
import { orderIntoWaves } from "./waves.js";

/** What the planner needs besides the two states; passed in so planning stays pure. */
export interface PlanOptions {
  /** Written into the plan file, so apply can refuse a plan from another version. */
  readonly toolVersion: string;
  /** The plan's createdAt. */
  readonly now: Date;
}

interface PrincipalPlan {
  readonly ref: PrincipalRef;
  readonly diff: LicenseDiff;
}

const isEmpty = (d: LicenseDiff) => d.adds.length + d.updates.length + d.removes.length === 0;

/** Principals holding an in-scope SKU directly: authoritative scope looks at them even when no manifest names them. */
function holdersOfScope(
  ids: Iterable<[string, ReadonlyMap<string, unknown>]>,
  scope: ReadonlySet<string>,
): string[] {
  const result: string[] = [];
  for (const [id, licenses] of ids) if ([...licenses.keys()].some((sku) => scope.has(sku))) result.push(id);
  return result;
}

function declaredMap(
  matched: readonly {
    readonly desired: { readonly licenses: readonly ResolvedLicense[] };
    readonly ref: PrincipalRef;
  }[],
  scope: ReadonlySet<string>,
  index: LiveIndex,
  problems: Problem[],
): Map<string, DeclaredEntry> {
  const result = new Map<string, DeclaredEntry>();
  for (const m of matched) {
    const declared = declaredLicenses(m.ref, m.desired.licenses, scope, index);
    problems.push(...declared.problems);
    result.set(m.ref.id, { principal: m.ref, licenses: declared.licenses });
  }
  return result;
}

/**
 * The planner: the difference between what the manifests declare and what the
 * tenant holds, as ordered waves of changes, after capacity and guard checks.
 * Pure and synchronous; it never mutates its inputs. Returns either a plan
 * (with its warnings) or the problems that prevent one.
 */
export function planChanges(
  desired: ResolvedDesiredState,
  live: LiveState,
  options: PlanOptions,
): PlanResult {
  const wrongTenant = checkTenant(desired, live);
  if (wrongTenant.length > 0) return { problems: wrongTenant };

  const index = indexLiveState(live);
  const scope = new Set(desired.scope.skuIds.map((id) => id.toLowerCase()));
  const mode = desired.scope.mode;
  const context = { scope, mode, index };
  const matches = matchPrincipals(desired, index);
  const problems: Problem[] = [...matches.problems];
  const declaredUsers = declaredMap(matches.users, scope, index, problems);
  const declaredGroups = declaredMap(matches.groups, scope, index, problems);
  problems.push(...checkCompanySkus([...declaredUsers.values(), ...declaredGroups.values()], index));

  // Groups first: their additions decide which direct assignments are handed over.
  const groupIds = new Set(declaredGroups.keys());
  if (mode === "authoritative") {
    const live = [...index.groups].map(
      ([id, g]) => [id, licensesOfGroup(g)] as [string, ReadonlyMap<string, unknown>],
    );
    for (const id of holdersOfScope(live, scope)) groupIds.add(id);
  }
  const groupPlans: PrincipalPlan[] = [];
  const groupRefs = new Map<string, PrincipalRef>();
  const groupAfter = new Map<string, ReadonlySet<string>>();
  const gainingGroups = new Map<string, string[]>();
  for (const id of [...groupIds].sort(compareText)) {
    const group = index.groups.get(id)!;
    const declared = declaredGroups.get(id);
    const ref = declared?.principal ?? groupRef(group);
    const liveLicenses = licensesOfGroup(group);
    const diff = diffLicenses(declared?.licenses, liveLicenses, context);
    if (isEmpty(diff)) continue;
    groupPlans.push({ ref, diff });
    groupRefs.set(id, ref);
    const after = new Set(liveLicenses.keys());
    for (const a of diff.adds) after.add(a.skuId);
    for (const r of diff.removes) after.delete(r);
    groupAfter.set(id, after);
    for (const a of diff.adds) gainingGroups.set(a.skuId, [...(gainingGroups.get(a.skuId) ?? []), id]);
    if (diff.adds.length > 0) {
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
  }

  const userIds = new Set(declaredUsers.keys());
  if (mode === "authoritative") {
    const live = [...index.users.keys()].map(
      (id) => [id, index.directOf(id)] as [string, ReadonlyMap<string, unknown>],
    );
    for (const id of holdersOfScope(live, scope)) userIds.add(id);
  }
  const declaredLocations = new Map(matches.users.map((m) => [m.ref.id, m.desired.usageLocation] as const));
  const userPlans: PrincipalPlan[] = [];
  const handovers: { ref: PrincipalRef; items: PlannedHandover[] }[] = [];
  const handoverGroupIds = new Set<string>();
  const directAfter = new Map<string, ReadonlySet<string>>();
  const changes: Change[] = [];
  for (const id of [...userIds].sort(compareText)) {
    const user = index.users.get(id)!;
    const declared = declaredUsers.get(id);
    const ref = declared?.principal ?? userRef(user);
    const liveDirect = index.directOf(id);
    const full = diffLicenses(declared?.licenses, liveDirect, context);
    const items: PlannedHandover[] = [];
    const removes: string[] = [];
    for (const skuId of full.removes) {
      const covering = (gainingGroups.get(skuId) ?? []).filter((g) => index.groupMemberSets.get(g)?.has(id));
      if (covering.length === 0) removes.push(skuId);
      else {
        covering.forEach((g) => handoverGroupIds.add(g));
        const groups = covering.map((g) => groupRefs.get(g)!);
        items.push({ skuId, groups: groups.sort((a, b) => compareText(a.name, b.name)) });
      }
    }
    const diff: LicenseDiff = { ...full, removes };
    if (!isEmpty(diff)) userPlans.push({ ref, diff });
    if (items.length > 0) handovers.push({ ref, items });
    if (!isEmpty(full)) {
      const after = new Set(liveDirect.keys());
      for (const a of full.adds) after.add(a.skuId);
      for (const r of full.removes) after.delete(r);
      directAfter.set(id, after);
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
    if (location.change) changes.push(location.change);
  }
  const holdings = computeHoldings(index, directAfter, groupAfter);
  const licenseChanges: AssignLicensesChange[] = [];
  for (const p of userPlans) licenseChanges.push(assignLicensesChange({ target: p.ref, ...p.diff }, index));
  for (const p of groupPlans) {
    const members = index.groupMembers.get(p.ref.id) ?? [];
    const added = p.diff.adds.map((a) => a.skuId);
    const gaining = members.filter((m) =>
      added.some((s) => !holdings.before(m).has(s) && holdings.after(m).has(s)),
    );
    const losing = members.filter((m) =>
      p.diff.removes.some((s) => holdings.before(m).has(s) && !holdings.after(m).has(s)),
    );
    licenseChanges.push(
      assignLicensesChange(
        {
          target: p.ref,
          ...p.diff,
          ...(added.length > 0 ? { membersGaining: gaining.length } : {}),
          ...(p.diff.removes.length > 0 ? { membersLosing: losing.length } : {}),
        },
        index,
      ),
    );
  }
  const handoverChanges = handovers.map((h) => handoverChange(h.ref, h.items, index));

  const addedSkus = new Map<string, ResolvedLicense>();
  for (const p of [...userPlans, ...groupPlans])
    for (const a of p.diff.adds) if (!addedSkus.has(a.skuId)) addedSkus.set(a.skuId, a.license);
  problems.push(...checkSkuStatus(addedSkus, index));
  const after = seatsAfter(index, holdings);
  problems.push(...checkCapacity(index, holdings, after));
  problems.push(
    ...checkProtected(
      matches.protectedUsers,
      matches.protectedGroups,
      [...licenseChanges, ...handoverChanges],
      holdings,
      index,
    ),
  );
  const removals = countRemovals(holdings);
  problems.push(...checkMaxRemovals(removals, desired.limits.maxRemovals));

  if (hasErrors(problems)) return { problems: sortProblems(problems) };

  const waves = orderIntoWaves([...changes, ...licenseChanges], handoverChanges, [...handoverGroupIds]);
  const warnings = [...groupRemovalWarnings(licenseChanges), ...sortProblems(problems)];
  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    toolVersion: options.toolVersion,
    createdAt: options.now.toISOString(),
    tenant: { id: live.tenant.id.toLowerCase(), displayName: live.tenant.displayName },
    mode,
    manifestDigest: desired.digest,
    liveDigest: digestLiveState(live),
    ...(desired.limits.maxRemovals !== undefined ? { maxRemovals: desired.limits.maxRemovals } : {}),
    summary: summarize(waves, removals),
    seats: seatSummary(index, after, scope),
    warnings,
    waves,
  };
  return { plan, problems: warnings };
}

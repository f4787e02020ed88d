import type { ResolvedDesiredState, ResolvedLicense } from "../model/desired-state.js";
import type { LiveState } from "../model/live-state.js";
import {
  PLAN_FORMAT_VERSION,
  type AssignLicensesChange,
  type Plan,
  type PlanResult,
  type PrincipalRef,
} from "../model/plan.js";
import { hasErrors, type Problem } from "../model/problem.js";
import { checkCapacity, seatsAfter } from "./capacity.js";
import { assignLicensesChange, handoverChange } from "./changes.js";
import { checkCompanySkus, checkSkuStatus, type DeclaredEntry } from "./eligibility.js";
import { memberEffects } from "./group-effects.js";
import { planGroups } from "./group-plans.js";
import {
  checkMaxRemovals,
  checkProtected,
  checkTenant,
  countRemovals,
  groupRemovalWarnings,
} from "./guards.js";
import { computeHoldings } from "./holdings.js";
import { declaredLicenses, type DiffContext } from "./license-diff.js";
import { digestLiveState } from "./live-digest.js";
import { indexLiveState, type LiveIndex } from "./live-index.js";
import { matchPrincipals } from "./principal-matching.js";
import { sortProblems } from "./problem-order.js";
import { seatSummary } from "./seat-summary.js";
import { planCost } from "../economics/cost.js";
import { checkPolicies } from "./policies.js";
import { summarize } from "./plan-summary.js";
import { planUsers } from "./user-plans.js";
import { planLicenseErrors } from "./member-errors.js";
import { deferGroupRemovals, deferReplacedRemovals, sequenceWaves, userLicenseChanges } from "./ordering.js";

/** What the planner needs besides the two states; passed in so planning stays pure. */
export interface PlanOptions {
  /** Written into the plan file, so apply can refuse a plan from another version. */
  readonly toolVersion: string;
  /** The plan's createdAt. */
  readonly now: Date;
}

function declaredMap(
  matched: readonly {
    readonly desired: { readonly licenses: readonly ResolvedLicense[] };
    readonly ref: PrincipalRef;
  }[],
  context: DiffContext,
  problems: Problem[],
): Map<string, DeclaredEntry> {
  const result = new Map<string, DeclaredEntry>();
  for (const m of matched) {
    const declared = declaredLicenses(m.ref, m.desired.licenses, context.scope, context.index);
    problems.push(...declared.problems);
    result.set(m.ref.id, { principal: m.ref, licenses: declared.licenses });
  }
  return result;
}

/**
 * The planner: the difference between what the manifests declare and what the
 * tenant holds, as ordered waves of changes, after capacity and guard checks.
 * Pure and synchronous; it never mutates its inputs. Returns either a plan
 * (with its warnings) or the problems that prevent one, never both.
 */
export function planChanges(
  desired: ResolvedDesiredState,
  live: LiveState,
  options: PlanOptions,
): PlanResult {
  const wrongTenant = checkTenant(desired, live);
  if (wrongTenant.length > 0) return { problems: wrongTenant };

  const index: LiveIndex = indexLiveState(live);
  const scope = new Set(desired.scope.skuIds.map((id) => id.toLowerCase()));
  const context: DiffContext = { scope, mode: desired.scope.mode, index };
  const matches = matchPrincipals(desired, index);
  const problems: Problem[] = [...matches.problems];
  const declaredUsers = declaredMap(matches.users, context, problems);
  const declaredGroups = declaredMap(matches.groups, context, problems);
  problems.push(...checkCompanySkus([...declaredUsers.values(), ...declaredGroups.values()], index));

  const groups = planGroups(declaredGroups, context);
  problems.push(...groups.problems);
  const declaredLocations = new Map(matches.users.map((m) => [m.ref.id, m.desired.usageLocation] as const));
  const users = planUsers(declaredUsers, declaredLocations, groups, desired, context);
  problems.push(...users.problems);

  const holdings = computeHoldings(index, users.directAfter, groups.after);
  const userChanges = userLicenseChanges(users.plans, groups, index);
  const licenseChanges: AssignLicensesChange[] = [...userChanges.changes];
  for (const p of groups.plans) {
    const added = p.diff.adds.map((a) => a.skuId);
    const effects = memberEffects(p.ref.id, added, p.diff.removes, index, holdings);
    const counts = {
      ...(added.length > 0 ? { membersGaining: effects.gaining } : {}),
      ...(p.diff.removes.length > 0 ? { membersLosing: effects.losing } : {}),
    };
    licenseChanges.push(assignLicensesChange({ target: p.ref, ...p.diff, ...counts }, index));
  }
  const handoverChanges = users.handovers.map((h) => handoverChange(h.ref, h.items, index));

  const addedSkus = new Map<string, ResolvedLicense>();
  for (const p of [...users.plans, ...groups.plans])
    for (const a of p.diff.adds) if (!addedSkus.has(a.skuId)) addedSkus.set(a.skuId, a.license);
  problems.push(...checkSkuStatus(addedSkus, index));
  const seats = seatsAfter(index, holdings);
  problems.push(...checkCapacity(index, holdings, seats));
  problems.push(...checkPolicies(desired.policies, index, holdings, seats));
  const touched = [...licenseChanges, ...userChanges.heldAdds, ...handoverChanges];
  problems.push(...checkProtected(matches.protectedUsers, matches.protectedGroups, touched, holdings, index));
  const removals = countRemovals(holdings);
  problems.push(...checkMaxRemovals(removals, desired.limits.maxRemovals));

  if (hasErrors(problems)) return { problems: sortProblems(problems) };

  const replaced = deferReplacedRemovals(licenseChanges, groups, holdings, index, seats);
  const moved = deferGroupRemovals(replaced.kept, groups, holdings, index, seats);
  problems.push(...moved.problems);
  if (hasErrors(problems)) return { problems: sortProblems(problems) };
  const waiting = [...replaced.deferred, ...moved.deferred];
  const ordered = sequenceWaves(
    {
      locationChanges: users.locationChanges,
      changes: moved.kept,
      heldAdds: userChanges.heldAdds,
      handovers: [...handoverChanges, ...waiting],
      handoverGroupIds: [
        ...users.handoverGroupIds,
        ...waiting.flatMap((c) => c.requiresActiveFrom?.flatMap((r) => r.groupIds) ?? []),
      ],
    },
    index,
    holdings,
  );
  // A shortfall checkCapacity already reported at the end is not repeated for the way there.
  const capacityKnown = problems.some((p) => p.code === "capacity-exceeded");
  problems.push(...ordered.problems.filter((p) => !(capacityKnown && p.code === "capacity-exceeded")));
  if (hasErrors(problems)) return { problems: sortProblems(problems) };
  const waves = ordered.waves;
  const licenseErrors = planLicenseErrors(index);
  const warnings = [...groupRemovalWarnings(licenseChanges), ...sortProblems(problems)];
  const seatRows = seatSummary(index, seats, scope);
  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    toolVersion: options.toolVersion,
    createdAt: options.now.toISOString(),
    tenant: { id: live.tenant.id.toLowerCase(), displayName: live.tenant.displayName },
    mode: desired.scope.mode,
    manifestDigest: desired.digest,
    liveDigest: digestLiveState(live),
    ...(desired.limits.maxRemovals !== undefined ? { maxRemovals: desired.limits.maxRemovals } : {}),
    summary: summarize(waves, removals),
    seats: seatRows,
    ...(desired.prices && desired.prices.length > 0 ? { cost: planCost(seatRows, desired.prices) } : {}),
    warnings,
    ...(licenseErrors.length > 0 ? { licenseErrors } : {}),
    waves,
  };
  return { plan, problems: warnings };
}

import type {
  AssignLicensesChange,
  ChangeReason,
  GroupCopyRequirement,
  SetUsageLocationChange,
  Wave,
} from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import { assignLicensesChange, changeIds, licenseImpact } from "./changes.js";
import type { GroupPlans, PrincipalPlan } from "./group-plans.js";
import type { LiveUser } from "../model/live-state.js";
import type { Holdings } from "./holdings.js";
import { isEmptyDiff } from "./license-diff.js";
import { compareText, skuRefOf, skusHeldThroughGroup, type LiveIndex } from "./live-index.js";
import {
  freeSeats,
  seatEffects,
  settle,
  shortfalls,
  stuckSwapsProblem,
  swapRounds,
  type SeatEffect,
} from "./seat-steps.js";
import { orderIntoWaves, waveKindOf } from "./waves.js";

/**
 * Gap-free, seat-feasible ordering of a plan's license changes: what runs
 * early (direct copies of SKUs already held), what waits (removals a group
 * makes up for), and swaps split into rounds that each have the seats they
 * need. Pure.
 */

/** Whether the user holds `skuId` through a group now, in effect, that loses it in this plan. */
function groupCopyEnds(user: LiveUser, skuId: string, groups: GroupPlans, index: LiveIndex): boolean {
  for (const groupId of index.userGroups.get(user.id.toLowerCase()) ?? []) {
    if (groups.after.get(groupId)?.has(skuId) !== false) continue;
    if (skusHeldThroughGroup(user, groupId)?.has(skuId)) return true;
  }
  return false;
}

/**
 * The users' license changes, with the additions of SKUs a user holds through
 * a group that loses them in this plan split off: those take no seat and run
 * before any removal, so moving from a group's copy to a direct one leaves no
 * gap.
 */
export function userLicenseChanges(
  plans: readonly PrincipalPlan[],
  groups: GroupPlans,
  index: LiveIndex,
): { readonly changes: AssignLicensesChange[]; readonly heldAdds: AssignLicensesChange[] } {
  const changes: AssignLicensesChange[] = [];
  const heldAdds: AssignLicensesChange[] = [];
  for (const p of plans) {
    const user = index.users.get(p.ref.id);
    const ending = (skuId: string) => user !== undefined && groupCopyEnds(user, skuId, groups, index);
    const held = p.diff.adds.filter((a) => ending(a.skuId));
    const rest = { ...p.diff, adds: p.diff.adds.filter((a) => !ending(a.skuId)) };
    if (held.length > 0)
      heldAdds.push(
        assignLicensesChange(
          { target: p.ref, adds: held, updates: [], removes: [], id: changeIds.heldAdd(p.ref) },
          index,
        ),
      );
    if (!isEmptyDiff(rest)) changes.push(assignLicensesChange({ target: p.ref, ...rest }, index));
  }
  return { changes, heldAdds };
}

/** For a user who gains a license through a group this plan licenses: that group's copy to wait for. */
function replacementOf(
  userId: string,
  groups: GroupPlans,
  holdings: Holdings,
  index: LiveIndex,
): GroupCopyRequirement | undefined {
  const before = holdings.before(userId);
  const after = holdings.after(userId);
  for (const p of [...groups.plans].sort((a, b) => compareText(a.ref.name, b.ref.name))) {
    if (!index.groupMemberSets.get(p.ref.id)?.has(userId)) continue;
    const gained = p.diff.adds
      .map((a) => a.skuId)
      .filter((sku) => !before.has(sku) && after.has(sku))
      .sort(compareText);
    if (gained.length > 0) return { ...skuRefOf(index, gained[0]!), groupIds: [p.ref.id] };
  }
  return undefined;
}

/**
 * Direct removals from users who gain another license through a group in this
 * plan wait for that group's copy to be Active for them, unless a seat they
 * free is needed on the way: the SKU's seats after the plan plus those held
 * back must fit its enabled seats.
 */
export function deferReplacedRemovals(
  changes: readonly AssignLicensesChange[],
  groups: GroupPlans,
  holdings: Holdings,
  index: LiveIndex,
  seatsAfter: ReadonlyMap<string, number>,
): { readonly kept: AssignLicensesChange[]; readonly deferred: AssignLicensesChange[] } {
  const kept: AssignLicensesChange[] = [];
  const deferred: AssignLicensesChange[] = [];
  const heldBack = new Map<string, number>();
  const room = (skuId: string) => {
    if ((holdings.gained.get(skuId)?.size ?? 0) === 0) return Infinity;
    const enabled = index.skus.get(skuId)?.prepaidUnits.enabled ?? 0;
    return enabled - (seatsAfter.get(skuId) ?? 0) - (heldBack.get(skuId) ?? 0);
  };
  for (const change of [...changes].sort((a, b) => compareText(a.target.name, b.target.name))) {
    const replacement =
      change.target.kind === "user" && waveKindOf(change) === "remove-users"
        ? replacementOf(change.target.id, groups, holdings, index)
        : undefined;
    if (!replacement || change.remove.some((r) => room(r.skuId) < 1)) {
      kept.push(change);
      continue;
    }
    for (const r of change.remove) heldBack.set(r.skuId, (heldBack.get(r.skuId) ?? 0) + 1);
    const group = groups.refs.get(replacement.groupIds[0]!)?.name ?? replacement.groupIds[0]!;
    const removed = change.remove.map((r) => r.skuPartNumber).join(", ");
    const reason: ChangeReason = {
      code: "replaced-by-group",
      message: `${change.target.name} gains ${replacement.skuPartNumber} through group ${group} in this plan, so the direct ${removed} goes only once that copy is read Active for the user; nobody needs the seat before then`,
      ...(change.target.location ? { location: change.target.location } : {}),
    };
    deferred.push({ ...change, requiresActiveFrom: [replacement], reasons: [...change.reasons, reason] });
  }
  return { kept, deferred };
}

/**
 * A group's removal of a SKU that some members keep through another group
 * gaining it in this plan waits for that group's copy to be read Active for
 * them (group -> group moves), unless the seats it frees are needed on the way.
 * The decision is made per SKU: a removal that frees seats someone needs
 * early and also takes away a SKU others keep through another group is split,
 * so the needed seats are freed in their wave and the covered SKU goes only
 * in the handover.
 */
export function deferGroupRemovals(
  changes: readonly AssignLicensesChange[],
  groups: GroupPlans,
  holdings: Holdings,
  index: LiveIndex,
  seatsAfter: ReadonlyMap<string, number>,
): {
  readonly kept: AssignLicensesChange[];
  readonly deferred: AssignLicensesChange[];
  readonly problems: Problem[];
} {
  const kept: AssignLicensesChange[] = [];
  const deferred: AssignLicensesChange[] = [];
  const problems: Problem[] = [];
  const heldBack = new Map<string, number>();
  const room = (skuId: string) =>
    (holdings.gained.get(skuId)?.size ?? 0) === 0
      ? Infinity
      : (index.skus.get(skuId)?.prepaidUnits.enabled ?? 0) -
        (seatsAfter.get(skuId) ?? 0) -
        (heldBack.get(skuId) ?? 0);
  for (const change of changes) {
    if (change.target.kind !== "group" || change.remove.length === 0) {
      kept.push(change);
      continue;
    }
    const { release } = seatEffects([change], index, holdings).get(change)!;
    const needs: GroupCopyRequirement[] = [];
    for (const r of change.remove) {
      const need = coveredMembers(change.target.id, r.skuId, groups, holdings, index);
      if (!need) continue;
      const freed = release.get(r.skuId) ?? 0;
      if (room(r.skuId) >= freed) needs.push(need);
      else problems.push(handoverShortProblem(change, need, freed - room(r.skuId), groups, index));
    }
    if (needs.length === 0) {
      kept.push(change);
      continue;
    }
    const waiting = new Set(needs.map((n) => n.skuId));
    for (const skuId of waiting) heldBack.set(skuId, (heldBack.get(skuId) ?? 0) + (release.get(skuId) ?? 0));
    const names = (ids: readonly string[]) => ids.map((id) => groups.refs.get(id)?.name ?? id).join(", ");
    const reasons: ChangeReason[] = needs.map((need) => ({
      code: "covered-by-group",
      message: `${need.userIds!.length} member${need.userIds!.length === 1 ? "" : "s"} of ${change.target.name} keep ${need.skuPartNumber} through group ${names(need.groupIds)}, which gains it in this plan, so this removal waits until that copy is read Active for them`,
      ...(change.target.location ? { location: change.target.location } : {}),
    }));
    const removal: AssignLicensesChange = {
      ...change,
      remove: change.remove.filter((r) => waiting.has(r.skuId)),
      requiresActiveFrom: needs,
      reasons: [...change.reasons, ...reasons],
    };
    const early = change.remove.filter((r) => !waiting.has(r.skuId));
    if (change.add.length + change.update.length + early.length === 0) {
      deferred.push(removal);
      continue;
    }
    // Split: the additions and the removals whose seats are needed run in their wave, the covered removals wait.
    kept.push(
      withoutCounts(
        {
          ...change,
          remove: early,
          reasons: change.reasons.filter((r) => r.code !== "swap" && r.code !== "not-declared"),
        },
        "membersLosingLicenses",
      ),
    );
    deferred.push(
      withoutCounts(
        {
          ...removal,
          id: changeIds.groupHandover(change.target),
          add: [],
          update: [],
          reasons: removal.reasons.filter((r) => r.code === "not-declared" || r.code === "covered-by-group"),
        },
        "membersGainingLicenses",
      ),
    );
  }
  return { kept, deferred, problems };
}

/**
 * A group's removal that must free seats early (someone gains the SKU and
 * nothing else frees one) while members keep that SKU only through another
 * group gaining it: no order leaves them without a moment's gap, so the plan
 * is refused rather than taking the license away and giving it back.
 */
function handoverShortProblem(
  change: AssignLicensesChange,
  need: GroupCopyRequirement,
  short: number,
  groups: GroupPlans,
  index: LiveIndex,
): Problem {
  const names = need.userIds!.map((id) => index.users.get(id)?.userPrincipalName ?? id);
  const shown =
    names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
  const via = need.groupIds.map((id) => groups.refs.get(id)?.name ?? id).join(", ");
  const seats = `${short} more ${need.skuPartNumber} seat${short === 1 ? "" : "s"}`;
  return {
    code: "capacity-exceeded",
    severity: "error",
    message: `group ${change.target.name} must give up ${need.skuPartNumber} early to free seats others gain in this plan, but ${shown} keep${names.length === 1 ? "s" : ""} it only through group ${via}, whose copy comes later: they would be without ${need.skuPartNumber} for a moment`,
    hint: `Buy ${seats} for the move (${short === 1 ? "it" : "they"} can be released once the plan is applied), so ${change.target.name}'s ${need.skuPartNumber} can wait for ${via}'s copy.`,
    ...(change.target.location ? { location: change.target.location } : {}),
  };
}

/**
 * The members of `groupId` who hold `skuId` through it now and keep it through
 * another group that gains it in this plan, with those groups; undefined when
 * there are none.
 */
function coveredMembers(
  groupId: string,
  skuId: string,
  groups: GroupPlans,
  holdings: Holdings,
  index: LiveIndex,
): GroupCopyRequirement | undefined {
  const covering = groups.gaining.get(skuId) ?? [];
  const users: string[] = [];
  const via = new Set<string>();
  for (const member of index.groupMembers.get(groupId) ?? []) {
    const user = index.users.get(member);
    if (!user || !skusHeldThroughGroup(user, groupId)?.has(skuId)) continue;
    if (!holdings.after(member).has(skuId)) continue;
    const through = covering.filter((g) => index.groupMemberSets.get(g)?.has(member));
    if (through.length === 0) continue;
    users.push(member);
    through.forEach((g) => via.add(g));
  }
  if (users.length === 0) return undefined;
  return {
    ...skuRefOf(index, skuId),
    groupIds: [...via].sort(compareText),
    userIds: users.sort(compareText),
  };
}

/** A part of a split group swap: impact recomputed, and the member count that belongs to the other part dropped. */
function withoutCounts(
  change: AssignLicensesChange,
  drop: "membersLosingLicenses" | "membersGainingLicenses",
): AssignLicensesChange {
  const copy: { -readonly [K in keyof AssignLicensesChange]: AssignLicensesChange[K] } = {
    ...change,
    impact: licenseImpact(change),
  };
  delete copy[drop];
  return copy;
}

/** Everything the ordering needs. */
export interface OrderingInput {
  readonly locationChanges: readonly SetUsageLocationChange[];
  readonly changes: readonly AssignLicensesChange[];
  readonly heldAdds: readonly AssignLicensesChange[];
  readonly handovers: readonly AssignLicensesChange[];
  readonly handoverGroupIds: readonly string[];
}

/**
 * The waves, after simulating seats wave by wave from the tenant's free seats:
 * removals free seats, swaps run in rounds that each fit, additions must fit
 * what is free by then. Swaps no order can fit refuse the plan.
 */
export function sequenceWaves(
  input: OrderingInput,
  index: LiveIndex,
  holdings: Holdings,
): { readonly waves: Wave[]; readonly problems: Problem[] } {
  const all = [...input.changes, ...input.heldAdds, ...input.handovers];
  const effects: Map<AssignLicensesChange, SeatEffect> = seatEffects(all, index, holdings);
  const free = freeSeats(index);
  const byKind = (kind: string) => input.changes.filter((c) => waveKindOf(c) === kind);
  settle(input.heldAdds, effects, free);
  settle(byKind("remove-users"), effects, free);
  settle(byKind("remove-groups"), effects, free);
  const { rounds, stuck } = swapRounds(byKind("updates"), effects, free);
  const problems: Problem[] = [];
  if (stuck.length > 0) problems.push(stuckSwapsProblem(stuck, effects, free, index));
  const updateRounds = new Map<string, number>();
  rounds.forEach((round, i) => round.forEach((change) => updateRounds.set(change.id, i)));
  for (const kind of ["add-users", "add-groups"]) {
    const wave = byKind(kind);
    const missing = shortfalls(wave, effects, free);
    for (const [skuId, n] of missing)
      problems.push({
        code: "capacity-exceeded",
        severity: "error",
        message: `the ${kind} wave needs ${n} more ${skuRefOf(index, skuId).skuPartNumber} seat${n === 1 ? "" : "s"} than are free when it runs`,
        hint: `Buy ${n} more ${skuRefOf(index, skuId).skuPartNumber} seat${n === 1 ? "" : "s"}, or free them by removing it from principals in the manifests.`,
      });
    settle(wave, effects, free);
  }
  const waves = orderIntoWaves({
    changes: [...input.locationChanges, ...input.changes],
    heldAdds: input.heldAdds,
    handovers: input.handovers,
    handoverGroupIds: input.handoverGroupIds,
    updateRounds,
  });
  return { waves, problems };
}

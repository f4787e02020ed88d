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
 */
export function deferGroupRemovals(
  changes: readonly AssignLicensesChange[],
  groups: GroupPlans,
  holdings: Holdings,
  index: LiveIndex,
  seatsAfter: ReadonlyMap<string, number>,
): { readonly kept: AssignLicensesChange[]; readonly deferred: AssignLicensesChange[] } {
  const kept: AssignLicensesChange[] = [];
  const deferred: AssignLicensesChange[] = [];
  const heldBack = new Map<string, number>();
  for (const change of changes) {
    if (change.target.kind !== "group" || change.remove.length === 0) {
      kept.push(change);
      continue;
    }
    const needs: GroupCopyRequirement[] = [];
    for (const r of change.remove) {
      const covering = groups.gaining.get(r.skuId) ?? [];
      const users: string[] = [];
      const via = new Set<string>();
      for (const member of index.groupMembers.get(change.target.id) ?? []) {
        const user = index.users.get(member);
        if (!user || !skusHeldThroughGroup(user, change.target.id)?.has(r.skuId)) continue;
        if (!holdings.after(member).has(r.skuId)) continue;
        const through = covering.filter((g) => index.groupMemberSets.get(g)?.has(member));
        if (through.length === 0) continue;
        users.push(member);
        through.forEach((g) => via.add(g));
      }
      if (users.length > 0)
        needs.push({
          ...skuRefOf(index, r.skuId),
          groupIds: [...via].sort(compareText),
          userIds: users.sort(compareText),
        });
    }
    const { release } = seatEffects([change], index, holdings).get(change)!;
    const room = (skuId: string) =>
      (holdings.gained.get(skuId)?.size ?? 0) === 0
        ? Infinity
        : (index.skus.get(skuId)?.prepaidUnits.enabled ?? 0) -
          (seatsAfter.get(skuId) ?? 0) -
          (heldBack.get(skuId) ?? 0);
    if (needs.length === 0 || [...release].some(([skuId, n]) => room(skuId) < n)) {
      kept.push(change);
      continue;
    }
    for (const [skuId, n] of release) heldBack.set(skuId, (heldBack.get(skuId) ?? 0) + n);
    const names = (ids: readonly string[]) => ids.map((id) => groups.refs.get(id)?.name ?? id).join(", ");
    const reasons: ChangeReason[] = needs.map((need) => ({
      code: "covered-by-group",
      message: `${need.userIds!.length} member${need.userIds!.length === 1 ? "" : "s"} of ${change.target.name} keep ${need.skuPartNumber} through group ${names(need.groupIds)}, which gains it in this plan, so this removal waits until that copy is read Active for them`,
      ...(change.target.location ? { location: change.target.location } : {}),
    }));
    const removal: AssignLicensesChange = {
      ...change,
      requiresActiveFrom: needs,
      reasons: [...change.reasons, ...reasons],
    };
    if (change.add.length + change.update.length === 0) {
      deferred.push(removal);
      continue;
    }
    // A swap is split: its additions run in their wave, its removals wait.
    kept.push(
      withoutCounts(
        {
          ...change,
          remove: [],
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
  return { kept, deferred };
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

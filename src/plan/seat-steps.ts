import type { AssignLicensesChange } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import type { Holdings } from "./holdings.js";
import { compareText, skuRefOf, type LiveIndex } from "./live-index.js";

/**
 * Seats, step by step. Checking capacity only at the end lets a plan through
 * whose every order runs out of seats on the way (two swaps that each need
 * the seat the other frees); here every wave must fit the seats free when it
 * starts. Changes in one wave run concurrently, so a wave's own releases help
 * only the waves after it.
 */

/** skuId -> seats. */
export type SeatCounts = ReadonlyMap<string, number>;

/** What one change takes and frees. */
export interface SeatEffect {
  readonly need: SeatCounts;
  readonly release: SeatCounts;
}

const bump = (map: Map<string, number>, skuId: string, by = 1) => map.set(skuId, (map.get(skuId) ?? 0) + by);

/**
 * Seats each change takes (users who gain a SKU they do not hold) and frees
 * (users who end without a SKU they hold). A loss that needs two changes (a
 * direct removal and a group's) is credited to neither: the seat is free only
 * once both ran, so no wave counts on it.
 */
export function seatEffects(
  changes: readonly AssignLicensesChange[],
  index: LiveIndex,
  holdings: Holdings,
): Map<AssignLicensesChange, SeatEffect> {
  const losers = new Map<string, AssignLicensesChange[]>();
  const needs = new Map<AssignLicensesChange, Map<string, number>>();
  for (const change of changes) {
    const need = new Map<string, number>();
    needs.set(change, need);
    const members =
      change.target.kind === "user" ? [change.target.id] : (index.groupMembers.get(change.target.id) ?? []);
    for (const member of members) {
      const before = holdings.before(member);
      const after = holdings.after(member);
      for (const a of change.add) if (!before.has(a.skuId) && after.has(a.skuId)) bump(need, a.skuId);
      for (const r of change.remove) {
        if (!before.has(r.skuId) || after.has(r.skuId)) continue;
        const key = `${member} ${r.skuId}`;
        losers.set(key, [...(losers.get(key) ?? []), change]);
      }
    }
  }
  const releases = new Map<AssignLicensesChange, Map<string, number>>();
  for (const [key, by] of losers) {
    if (by.length !== 1) continue;
    const skuId = key.slice(key.indexOf(" ") + 1);
    const release = releases.get(by[0]!) ?? new Map<string, number>();
    bump(release, skuId);
    releases.set(by[0]!, release);
  }
  const result = new Map<AssignLicensesChange, SeatEffect>();
  for (const change of changes)
    result.set(change, { need: needs.get(change)!, release: releases.get(change) ?? new Map() });
  return result;
}

/** Free seats per SKU now (negative when a tenant is over already). */
export function freeSeats(index: LiveIndex): Map<string, number> {
  const free = new Map<string, number>();
  for (const [skuId, sku] of index.skus) free.set(skuId, sku.prepaidUnits.enabled - sku.consumedUnits);
  return free;
}

/** Whether `need` fits `free` with `reserved` already promised in the same wave. */
function fits(need: SeatCounts, free: SeatCounts, reserved: SeatCounts): boolean {
  for (const [skuId, n] of need)
    if (n > 0 && n + (reserved.get(skuId) ?? 0) > (free.get(skuId) ?? 0)) return false;
  return true;
}

/**
 * Splits swaps into rounds that each fit the seats free when they start:
 * round 0 uses the seats free after the removal waves, each next round also
 * the seats the previous ones freed. `free` is updated to after the last
 * round. Swaps that fit no round are returned as `stuck`.
 */
export function swapRounds(
  swaps: readonly AssignLicensesChange[],
  effects: ReadonlyMap<AssignLicensesChange, SeatEffect>,
  free: Map<string, number>,
): { readonly rounds: AssignLicensesChange[][]; readonly stuck: AssignLicensesChange[] } {
  const rounds: AssignLicensesChange[][] = [];
  let pending = [...swaps];
  while (pending.length > 0) {
    const reserved = new Map<string, number>();
    const round: AssignLicensesChange[] = [];
    for (const change of pending) {
      const { need } = effects.get(change)!;
      if (!fits(need, free, reserved)) continue;
      for (const [skuId, n] of need) bump(reserved, skuId, n);
      round.push(change);
    }
    if (round.length === 0) break;
    settle(round, effects, free);
    rounds.push(round);
    pending = pending.filter((c) => !round.includes(c));
  }
  return { rounds, stuck: pending };
}

/** Moves `free` past a wave: its needs taken, then its releases given back. */
export function settle(
  wave: readonly AssignLicensesChange[],
  effects: ReadonlyMap<AssignLicensesChange, SeatEffect>,
  free: Map<string, number>,
): void {
  for (const change of wave) {
    const { need, release } = effects.get(change)!;
    for (const [skuId, n] of need) bump(free, skuId, -n);
    for (const [skuId, n] of release) bump(free, skuId, n);
  }
}

/** SKUs whose free seats a wave's needs would take below zero, with how many seats are missing. */
export function shortfalls(
  wave: readonly AssignLicensesChange[],
  effects: ReadonlyMap<AssignLicensesChange, SeatEffect>,
  free: SeatCounts,
): Map<string, number> {
  const need = new Map<string, number>();
  for (const change of wave) for (const [skuId, n] of effects.get(change)!.need) bump(need, skuId, n);
  const missing = new Map<string, number>();
  for (const [skuId, n] of need) {
    const short = n - Math.max(0, free.get(skuId) ?? 0);
    if (n > 0 && short > 0) missing.set(skuId, short);
  }
  return missing;
}

/** The refusal for swaps no order can carry out without a gap: who, which seats, and what unblocks them. */
export function stuckSwapsProblem(
  stuck: readonly AssignLicensesChange[],
  effects: ReadonlyMap<AssignLicensesChange, SeatEffect>,
  free: SeatCounts,
  index: LiveIndex,
): Problem {
  const part = (skuId: string) => skuRefOf(index, skuId).skuPartNumber;
  const people = stuck
    .map((change) => {
      const { need, release } = effects.get(change)!;
      const gets = [...need.keys()].map(part).sort(compareText).join(", ");
      const frees = [...release.keys()].map(part).sort(compareText).join(", ");
      return `${change.target.name} (needs ${gets || "no new seat"}${frees ? `, frees ${frees}` : ""})`;
    })
    .join("; ");
  const missing = shortfalls(stuck, effects, free);
  const seats = [...missing]
    .map(([skuId]) => `${part(skuId)}: ${Math.max(0, free.get(skuId) ?? 0)} free`)
    .sort(compareText)
    .join(", ");
  const smallest = [...missing].sort((a, b) => a[1] - b[1] || compareText(part(a[0]), part(b[0])))[0];
  // A cycle: the swaps free among themselves what they need. Otherwise seats are simply short.
  const freedBetween = new Map<string, number>();
  for (const change of stuck)
    for (const [skuId, n] of effects.get(change)!.release) bump(freedBetween, skuId, n);
  const short = [...missing].filter(([skuId, n]) => (freedBetween.get(skuId) ?? 0) < n);
  if (short.length > 0) {
    const [skuId, n] = short.sort((a, b) => compareText(part(a[0]), part(b[0])))[0]!;
    const enabled = index.skus.get(skuId)?.prepaidUnits.enabled ?? 0;
    return {
      code: "capacity-exceeded",
      severity: "error",
      message: `${part(skuId)} has ${Math.max(0, free.get(skuId) ?? 0)} free seats when the swaps run (${enabled} enabled), and the swaps of ${people} need ${n} more`,
      hint: `Buy ${n} more ${part(skuId)} seat${n === 1 ? "" : "s"}, or free them by removing ${part(skuId)} from principals in the manifests.`,
    };
  }
  return {
    code: "swap-needs-free-seat",
    severity: "error",
    message: `these license swaps each need a seat that another of them frees, so no order carries them out without someone going unlicensed: ${people} (${seats})`,
    hint: smallest
      ? `Free or buy ${smallest[1]} ${part(smallest[0])} seat${smallest[1] === 1 ? "" : "s"} for the time of the apply (one free seat lets the swaps run one after another), or move these principals in two steps: first the removals, then the additions.`
      : "Free a seat of one of the SKUs involved.",
  };
}

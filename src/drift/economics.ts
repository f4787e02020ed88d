import { unusedSeatCosts } from "../economics/cost.js";
import { roundMoney } from "../economics/currency-codes.js";
import { renewalReport } from "../economics/renewals.js";
import { idleUsers } from "../economics/idle-users.js";
import { POLICY_DEFAULTS, type DriftEconomics, type UnusedSeatTotal } from "../model/economics.js";
import type { SkuSeats } from "../model/drift.js";
import type { DriftInput } from "./drift-context.js";

/** The money side of the report, from what was already read; undefined when there is nothing to say. */
export function driftEconomics(
  seats: readonly SkuSeats[],
  input: Pick<DriftInput, "desired" | "subscriptions" | "signIns" | "inactiveDays" | "live">,
  now: Date,
): DriftEconomics | undefined {
  const prices = input.desired.prices ?? [];
  const policies = input.desired.policies;
  const renewals = input.subscriptions
    ? renewalReport(input.subscriptions, seats, {
        withinDays: policies?.renewalWarningDays ?? POLICY_DEFAULTS.renewalWarningDays,
        reserve: policies?.renewalReserve ?? POLICY_DEFAULTS.renewalReserve,
        now,
      })
    : undefined;
  const idle = input.signIns
    ? idleUsers(input.live, input.signIns, {
        inactiveDays: input.inactiveDays ?? policies?.inactiveDays ?? POLICY_DEFAULTS.inactiveDays,
        exempt: [...input.desired.protect.users, ...(policies?.exempt ?? [])],
        prices,
        now,
      })
    : undefined;
  if (prices.length === 0 && !renewals && !idle) return undefined;
  const unused =
    prices.length > 0
      ? unusedSeatCosts(
          seats.map((s) => ({ ...s, consumedBefore: s.consumed, consumedAfter: s.consumed })),
          prices,
        )
      : undefined;
  const totals = new Map<string, UnusedSeatTotal>();
  for (const row of unused ?? []) {
    const sum = totals.get(row.currency) ?? {
      currency: row.currency,
      unused: 0,
      monthlyCost: 0,
      yearlyCost: 0,
    };
    totals.set(row.currency, {
      currency: row.currency,
      unused: sum.unused + row.unused,
      monthlyCost: roundMoney(sum.monthlyCost + row.monthlyCost, row.currency),
      yearlyCost: roundMoney(sum.yearlyCost + row.yearlyCost, row.currency),
    });
  }
  return {
    ...(unused
      ? {
          unusedSeats: unused,
          unusedSeatTotals: [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
        }
      : {}),
    ...(renewals ? { renewals } : {}),
    ...(idle ? { idle } : {}),
  };
}

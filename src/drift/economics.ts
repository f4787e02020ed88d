import { unusedSeatCosts } from "../economics/cost.js";
import { roundMoney } from "../economics/currency-codes.js";
import type { ResolvedPrice } from "../model/economics.js";
import type { DriftEconomics, UnusedSeatTotal } from "../model/economics.js";
import type { SkuSeats } from "../model/drift.js";

/** The money side of the report, from the seats already read; undefined when there is nothing to say. */
export function driftEconomics(
  seats: readonly SkuSeats[],
  prices: readonly ResolvedPrice[] | undefined,
): DriftEconomics | undefined {
  if (!prices || prices.length === 0) return undefined;
  const unusedSeats = unusedSeatCosts(
    seats.map((s) => ({ ...s, consumedBefore: s.consumed, consumedAfter: s.consumed })),
    prices,
  );
  const totals = new Map<string, UnusedSeatTotal>();
  for (const row of unusedSeats) {
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
    unusedSeats,
    unusedSeatTotals: [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
  };
}

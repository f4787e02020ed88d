import type {
  CostTotal,
  PlanCost,
  PricePeriod,
  ResolvedPrice,
  SkuCostDelta,
  UnusedSeatCost,
} from "../model/economics.js";
import { roundMoney } from "./currency-codes.js";

/** Seats of one SKU as the cost computation needs them. */
export interface SeatCounts {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly enabled: number;
  readonly consumedBefore: number;
  readonly consumedAfter: number;
}

/** The price of one seat for one month: a yearly price spread over 12 months. */
export function monthlyUnitPrice(amount: number, period: PricePeriod): number {
  return period === "year" ? amount / 12 : amount;
}

const byId = (prices: readonly ResolvedPrice[]) => new Map(prices.map((p) => [p.skuId.toLowerCase(), p]));
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The cost effect of moving each SKU from `consumedBefore` to `consumedAfter`
 * seats, for the SKUs that have a price; SKUs without one are left out (no
 * invented prices). Totals are per currency, never converted. Pure.
 */
export function planCost(seats: readonly SeatCounts[], prices: readonly ResolvedPrice[]): PlanCost {
  const priced = byId(prices);
  const rows: SkuCostDelta[] = [];
  for (const seat of seats) {
    const price = priced.get(seat.skuId.toLowerCase());
    if (!price) continue;
    const unit = monthlyUnitPrice(price.amount, price.period);
    const money = (n: number) => roundMoney(n, price.currency);
    const delta = seat.consumedAfter - seat.consumedBefore;
    rows.push({
      skuId: seat.skuId,
      skuPartNumber: seat.skuPartNumber,
      currency: price.currency,
      monthlyUnitPrice: money(unit),
      seatsBefore: seat.consumedBefore,
      seatsAfter: seat.consumedAfter,
      monthlyBefore: money(unit * seat.consumedBefore),
      monthlyAfter: money(unit * seat.consumedAfter),
      monthlyDelta: money(unit * delta),
      yearlyDelta: money(unit * delta * 12),
    });
  }
  rows.sort((a, b) => compare(a.skuPartNumber, b.skuPartNumber) || compare(a.skuId, b.skuId));
  const totals = new Map<string, CostTotal>();
  for (const row of rows) {
    const sum = totals.get(row.currency) ?? {
      currency: row.currency,
      monthlyBefore: 0,
      monthlyAfter: 0,
      monthlyDelta: 0,
      yearlyDelta: 0,
    };
    totals.set(row.currency, {
      currency: row.currency,
      monthlyBefore: roundMoney(sum.monthlyBefore + row.monthlyBefore, row.currency),
      monthlyAfter: roundMoney(sum.monthlyAfter + row.monthlyAfter, row.currency),
      monthlyDelta: roundMoney(sum.monthlyDelta + row.monthlyDelta, row.currency),
      yearlyDelta: roundMoney(sum.yearlyDelta + row.yearlyDelta, row.currency),
    });
  }
  return { skus: rows, totals: [...totals.values()].sort((a, b) => compare(a.currency, b.currency)) };
}

/** What the enabled seats nobody holds cost, per priced SKU that has any. Pure. */
export function unusedSeatCosts(
  seats: readonly SeatCounts[],
  prices: readonly ResolvedPrice[],
): UnusedSeatCost[] {
  const priced = byId(prices);
  return seats
    .flatMap((seat): UnusedSeatCost[] => {
      const price = priced.get(seat.skuId.toLowerCase());
      const unused = seat.enabled - seat.consumedBefore;
      if (!price || unused <= 0) return [];
      const unit = monthlyUnitPrice(price.amount, price.period);
      return [
        {
          skuId: seat.skuId,
          skuPartNumber: seat.skuPartNumber,
          currency: price.currency,
          monthlyUnitPrice: roundMoney(unit, price.currency),
          enabled: seat.enabled,
          consumed: seat.consumedBefore,
          unused,
          monthlyCost: roundMoney(unit * unused, price.currency),
          yearlyCost: roundMoney(unit * unused * 12, price.currency),
        },
      ];
    })
    .sort((a, b) => compare(a.skuPartNumber, b.skuPartNumber));
}

import { describe, expect, it } from "vitest";
import { monthlyUnitPrice, planCost, unusedSeatCosts, type SeatCounts } from "../../src/economics/cost.js";
import { roundMoney } from "../../src/economics/currency-codes.js";
import type { ResolvedPrice } from "../../src/model/economics.js";

const at = { file: "prices.yaml", line: 1, column: 1 };
const sku = (name: string) => ({
  skuId: `00000000-0000-4000-8000-${name.padStart(12, "0")}`,
  skuPartNumber: name,
});
const seat = (name: string, enabled: number, before: number, after: number): SeatCounts => ({
  ...sku(name),
  enabled,
  consumedBefore: before,
  consumedAfter: after,
});
const price = (name: string, amount: number, currency: string, period: "month" | "year"): ResolvedPrice => ({
  ...sku(name),
  amount,
  currency,
  period,
  location: at,
});

describe("planCost", () => {
  it("prices the seat delta by the month and the year, a yearly price spread over 12 months", () => {
    const cost = planCost(
      [seat("E5", 60, 52, 24), seat("E3", 100, 80, 83)],
      [price("E5", 684, "USD", "year"), price("E3", 23, "USD", "month")],
    );
    expect(
      cost.skus.map((s) => [s.skuPartNumber, s.monthlyUnitPrice, s.monthlyDelta, s.yearlyDelta]),
    ).toEqual([
      ["E3", 23, 69, 828],
      ["E5", 57, -1596, -19152],
    ]);
    expect(cost.totals).toEqual([
      {
        currency: "USD",
        monthlyBefore: 80 * 23 + 52 * 57,
        monthlyAfter: 83 * 23 + 24 * 57,
        monthlyDelta: -1527,
        yearlyDelta: -18324,
      },
    ]);
  });

  it("leaves out SKUs without a price instead of counting them as free", () => {
    const cost = planCost([seat("E3", 10, 1, 5), seat("P2", 10, 1, 9)], [price("E3", 10, "EUR", "month")]);
    expect(cost.skus.map((s) => s.skuPartNumber)).toEqual(["E3"]);
    expect(cost.totals).toEqual([
      { currency: "EUR", monthlyBefore: 10, monthlyAfter: 50, monthlyDelta: 40, yearlyDelta: 480 },
    ]);
  });

  it("totals each currency on its own, never converting", () => {
    const cost = planCost(
      [seat("A", 10, 0, 1), seat("B", 10, 0, 2), seat("C", 10, 3, 0)],
      [price("A", 10, "USD", "month"), price("B", 5, "EUR", "month"), price("C", 1200, "JPY", "month")],
    );
    expect(cost.totals.map((t) => [t.currency, t.monthlyDelta])).toEqual([
      ["EUR", 10],
      ["JPY", -3600],
      ["USD", 10],
    ]);
  });

  it("rounds to the currency's minor unit, so a yearly price carries no float noise", () => {
    const [row] = planCost([seat("A", 10, 0, 3)], [price("A", 100, "USD", "year")]).skus;
    expect(row!.monthlyUnitPrice).toBe(8.33);
    expect(row!.monthlyDelta).toBe(25);
    expect(row!.yearlyDelta).toBe(300);
    expect(roundMoney(1000 / 12, "JPY")).toBe(83);
    expect(roundMoney(0.0004, "KWD")).toBe(0);
    expect(Object.is(roundMoney(-0.001, "USD"), -0)).toBe(false);
  });

  it("has no rows and no totals without prices", () => {
    expect(planCost([seat("A", 10, 0, 3)], [])).toEqual({ skus: [], totals: [] });
    expect(monthlyUnitPrice(120, "year")).toBe(10);
  });
});

describe("unusedSeatCosts", () => {
  it("costs the enabled seats nobody holds, per priced SKU that has any", () => {
    const rows = unusedSeatCosts(
      [seat("E5", 60, 52, 52), seat("E3", 100, 100, 100), seat("P2", 10, 3, 3)],
      [price("E5", 57, "USD", "month"), price("E3", 23, "USD", "month")],
    );
    expect(rows).toEqual([
      {
        ...sku("E5"),
        currency: "USD",
        monthlyUnitPrice: 57,
        enabled: 60,
        consumed: 52,
        unused: 8,
        monthlyCost: 456,
        yearlyCost: 5472,
      },
    ]);
  });
});

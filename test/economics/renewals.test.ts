import { describe, expect, it } from "vitest";
import { daysUntil, renewalReport } from "../../src/economics/renewals.js";
import type { LiveSubscription } from "../../src/model/economics.js";

const NOW = new Date("2026-11-27T12:00:00Z");
const E5 = { skuId: "06ebc4ee-1bb5-47dd-8120-11324bc54e06", skuPartNumber: "SPE_E5" };
const E3 = { skuId: "6fd2c87f-b296-42f0-b197-1e91e994b900", skuPartNumber: "ENTERPRISEPACK" };
const subscription = (
  id: string,
  sku: typeof E5,
  parts: Partial<LiveSubscription> = {},
): LiveSubscription => ({
  id,
  ...sku,
  status: "Enabled",
  isTrial: false,
  totalLicenses: 10,
  createdDateTime: "2025-01-01T00:00:00Z",
  nextLifecycleDateTime: null,
  ...parts,
});
const seats = [
  { ...E5, enabled: 60, consumed: 52 },
  { ...E3, enabled: 100, consumed: 100 },
];

describe("renewalReport", () => {
  it("lists each SKU's subscriptions, trials, earliest date and the seats reducible at renewal", () => {
    const report = renewalReport(
      {
        available: true,
        subscriptions: [
          subscription("b", E5, { totalLicenses: 50, nextLifecycleDateTime: "2027-06-30T00:00:00Z" }),
          subscription("a", E5, {
            totalLicenses: 10,
            isTrial: true,
            nextLifecycleDateTime: "2026-12-10T00:00:00Z",
          }),
          subscription("c", E3, { totalLicenses: 100 }),
          subscription("d", E3, { status: "Deleted" }),
        ],
      },
      seats,
      { withinDays: 30, reserve: 3, now: NOW },
    );
    if (!report.available) throw new Error("expected subscriptions");
    expect(
      report.skus.map((s) => [
        s.skuPartNumber,
        s.subscriptions.map((x) => x.id),
        s.trials,
        s.nextLifecycleDateTime,
        s.reducible,
      ]),
    ).toEqual([
      ["ENTERPRISEPACK", ["c"], 0, null, 0],
      ["SPE_E5", ["a", "b"], 1, "2026-12-10T00:00:00Z", 5],
    ]);
  });

  it("flags what renews or changes status within the window and what is in a bad state now, nothing else", () => {
    const report = renewalReport(
      {
        available: true,
        subscriptions: [
          subscription("soon", E5, { nextLifecycleDateTime: "2026-12-27T11:00:00Z" }),
          subscription("later", E5, { nextLifecycleDateTime: "2026-12-28T13:00:00Z" }),
          subscription("trial", E5, { isTrial: true, nextLifecycleDateTime: "2026-12-01T00:00:00Z" }),
          subscription("grace", E3, { status: "Warning" }),
          subscription("past", E3, { nextLifecycleDateTime: "2026-11-01T00:00:00Z" }),
        ],
      },
      seats,
      { withinDays: 30, reserve: 0, now: NOW },
    );
    if (!report.available) throw new Error("expected subscriptions");
    expect(report.flagged.map((f) => [f.subscription.id, f.conditions, f.daysLeft])).toEqual([
      ["trial", ["trial-ends"], 3],
      ["soon", ["due"], 29],
      ["grace", ["warning"], null],
    ]);
  });

  it("passes on why the subscriptions are unknown instead of guessing", () => {
    const read = { available: false as const, reason: "refused" };
    expect(renewalReport(read, seats, { withinDays: 30, reserve: 0, now: NOW })).toEqual(read);
    expect(daysUntil("not a date", NOW)).toBeNull();
  });
});

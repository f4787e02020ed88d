import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TenantFixture } from "../../src/emulator/index.js";
import type { DriftReport } from "../../src/model/drift.js";
import {
  contosoFixture,
  CONTOSO_TENANT_ID,
  isoInDays,
  startHarness,
  type CliHarness,
} from "./cli-harness.js";

let harness: CliHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** E5 bought twice (one renewing in 10 days), a trial of Project ending in 5, E3 in its grace period. */
function fixture(): TenantFixture {
  return contosoFixture({
    skus: [
      {
        sku: "SPE_E5",
        seats: 20,
        subscriptions: [
          { seats: 15, nextLifecycleDateTime: isoInDays(10.5) },
          { seats: 5, nextLifecycleDateTime: isoInDays(200.5) },
        ],
      },
      {
        sku: "PROJECTPROFESSIONAL",
        seats: 5,
        subscriptions: [{ seats: 5, trial: true, nextLifecycleDateTime: isoInDays(5.5) }],
      },
      {
        sku: "ENTERPRISEPACK",
        seats: 10,
        status: "Warning",
        subscriptions: [{ seats: 10, status: "Warning" }],
      },
    ],
    users: [
      { upn: "a@contoso.com", usageLocation: "US", licenses: [{ sku: "SPE_E5" }] },
      { upn: "b@contoso.com", usageLocation: "US", licenses: [{ sku: "SPE_E5" }] },
    ],
  });
}

const MANIFEST = `apiVersion: licensectl/v1
tenant: { id: ${CONTOSO_TENANT_ID} }
scope: { skus: [SPE_E5], mode: authoritative }
policies:
  renewals: { warnDays: 30, reserve: 3 }
prices:
  - { sku: SPE_E5, amount: 684, currency: USD, period: year }
users:
  - user: a@contoso.com
    licenses: [{ sku: SPE_E5 }]
  - user: b@contoso.com
    licenses: [{ sku: SPE_E5 }]
`;

describe("subscriptions and renewals", () => {
  it("drift lists each SKU's subscriptions and reducible seats, and flags what renews, ends or is in grace", async () => {
    harness = await startHarness({ tenant: fixture() });
    await writeFile(join(harness.dir, "licenses.yaml"), MANIFEST);
    const { code, out } = await harness.run(["drift", "-m", "licenses.yaml", "--format", "json"]);
    expect(code).toBe(0);
    const report = JSON.parse(out) as DriftReport;
    const renewals = report.economics?.renewals;
    if (!renewals?.available) throw new Error("expected renewals");
    const e5 = renewals.skus.find((s) => s.skuPartNumber === "SPE_E5")!;
    // 20 enabled, 2 consumed, 3 kept in reserve: 15 could go at renewal.
    expect(e5).toMatchObject({ enabled: 20, consumed: 2, reserve: 3, reducible: 15, trials: 0 });
    expect(e5.subscriptions.map((s) => s.totalLicenses)).toEqual([15, 5]);
    expect(renewals.flagged.map((f) => [f.subscription.skuPartNumber, f.conditions, f.daysLeft])).toEqual([
      ["PROJECTPROFESSIONAL", ["trial-ends"], 5],
      ["SPE_E5", ["due"], 10],
      ["ENTERPRISEPACK", ["warning"], null],
    ]);
    // Unused E5 seats cost money: 18 seats at $57 a month.
    expect(report.economics?.unusedSeats).toEqual([
      expect.objectContaining({ skuPartNumber: "SPE_E5", unused: 18, monthlyCost: 1026, yearlyCost: 12312 }),
    ]);
    const text = await harness.run(["drift", "-m", "licenses.yaml"]);
    expect(text.out).toMatch(/Subscriptions needing attention \(3\)/);
    expect(text.out).toMatch(/PROJECTPROFESSIONAL\s+\S+\s+Enabled \(trial\)\s+5\s+\S+\s+5\s+trial ends/);
  });

  it("skus shows the subscriptions behind each SKU, with the reserve from the command line", async () => {
    harness = await startHarness({ tenant: fixture() });
    const { code, out } = await harness.run(["skus", "--reserve", "1"]);
    expect(code).toBe(0);
    expect(out).toMatch(/Subscriptions and renewals:/);
    expect(out).toMatch(/SPE_E5\s+\S+\s+Enabled\s+15\s+\d{4}-\d\d-\d\d !\s+17/);
    const json = JSON.parse((await harness.run(["skus", "--format", "json"])).out) as {
      renewals: { available: boolean; flagged: unknown[] };
    };
    expect(json.renewals.available).toBe(true);
    expect(json.renewals.flagged).toHaveLength(3);
  });
});

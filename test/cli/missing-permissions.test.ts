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

/** An app granted less than everything: renewals and idle licenses are unknown, and nothing else fails. */

let harness: CliHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** What a read-only licensing app is often granted: users, groups, licenses, but neither subscriptions nor audit logs. */
const LICENSING_ONLY = ["User.Read.All", "GroupMember.Read.All", "LicenseAssignment.ReadWrite.All"];

/** Two E5 users, one idle for 200 days; E5 renews in 10 days. */
function fixture(permissions: readonly string[]): TenantFixture {
  return contosoFixture({
    tenant: { permissions },
    skus: [
      { sku: "SPE_E5", seats: 10, subscriptions: [{ seats: 10, nextLifecycleDateTime: isoInDays(10.5) }] },
    ],
    users: [
      {
        upn: "idle@contoso.com",
        usageLocation: "US",
        licenses: [{ sku: "SPE_E5" }],
        signInActivity: { lastSignInDateTime: isoInDays(-200) },
      },
      {
        upn: "recent@contoso.com",
        usageLocation: "US",
        licenses: [{ sku: "SPE_E5" }],
        signInActivity: { lastSignInDateTime: isoInDays(-3) },
      },
    ],
  });
}

const MANIFEST = `apiVersion: licensectl/v1
tenant: { id: ${CONTOSO_TENANT_ID} }
scope: { skus: [SPE_E5], mode: additive }
prices:
  - { sku: SPE_E5, amount: 57, currency: USD, period: month }
policies:
  inactiveDays: 90
  renewals: { warnDays: 30, reserve: 0 }
`;

async function drift(permissions: readonly string[]) {
  harness = await startHarness({ tenant: fixture(permissions) });
  await writeFile(join(harness.dir, "licenses.yaml"), MANIFEST);
  const json = await harness.run(["drift", "-m", "licenses.yaml", "--format", "json"]);
  const text = await harness.run(["drift", "-m", "licenses.yaml"]);
  return { json, report: JSON.parse(json.out) as DriftReport, text };
}

describe("an app without Organization.Read.All or AuditLog.Read.All", () => {
  it("drift reports subscriptions as unknown and calls nobody idle, instead of failing", async () => {
    const { json, report, text } = await drift(LICENSING_ONLY);
    expect(json.code).toBe(0);
    expect(report.economics?.renewals).toEqual({
      available: false,
      reason: expect.stringMatching(
        /GET \/directory\/subscriptions was refused \(Authorization_RequestDenied: Insufficient privileges to complete the operation\.\); grant Organization\.Read\.All/,
      ),
    });
    expect(report.economics?.idle).toEqual({
      available: false,
      reason: expect.stringMatching(/Authorization_RequestDenied.*AuditLog\.Read\.All/),
    });
    // Seats and their cost need neither permission.
    expect(report.economics?.unusedSeats).toEqual([
      expect.objectContaining({ skuPartNumber: "SPE_E5", unused: 8, monthlyCost: 456 }),
    ]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      /Idle licenses \(0\)\n\s+Unknown, so nobody is listed: Graph refused users' signInActivity/,
    );
    expect(text.out).not.toContain("idle@contoso.com");
    expect(text.out).toContain("Authorization_RequestDenied");
  });

  it("drift shows renewals and the idle user once both are granted (Directory.Read.All covers subscriptions)", async () => {
    const { json, report } = await drift([...LICENSING_ONLY, "Directory.Read.All", "AuditLog.Read.All"]);
    expect(json.code).toBe(0);
    const renewals = report.economics?.renewals;
    expect(
      renewals?.available && renewals.flagged.map((f) => [f.subscription.skuPartNumber, f.daysLeft]),
    ).toEqual([["SPE_E5", 10]]);
    const idle = report.economics?.idle;
    expect(idle?.available && idle.users.map((u) => u.userPrincipalName)).toEqual(["idle@contoso.com"]);
  });

  it("skus shows the seats and says the subscriptions are unknown", async () => {
    harness = await startHarness({ tenant: fixture(LICENSING_ONLY) });
    const text = await harness.run(["skus"]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/SPE_E5/);
    expect(text.out).toMatch(
      /Subscriptions and renewals:\n\s+Unknown: GET \/directory\/subscriptions was refused \(Authorization_RequestDenied/,
    );
    const json = await harness.run(["skus", "--format", "json"]);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.out) as { renewals: { available: boolean } }).renewals.available).toBe(false);
  });
});

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TenantFixture } from "../../src/emulator/index.js";
import type { DriftReport } from "../../src/model/drift.js";
import { connectTo } from "../graph/emulator-helpers.js";
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

/** Five licensed users: idle, idle but signs in non-interactively, recent, never signed in, idle and exempt. */
function fixture(premium: boolean): TenantFixture {
  const e5 = [{ sku: "SPE_E5" }];
  return contosoFixture({
    tenant: { premium },
    skus: [{ sku: "SPE_E5", seats: 10 }],
    users: [
      {
        upn: "idle@contoso.com",
        usageLocation: "US",
        licenses: e5,
        signInActivity: { lastSignInDateTime: isoInDays(-200) },
      },
      {
        upn: "service@contoso.com",
        usageLocation: "US",
        licenses: e5,
        signInActivity: {
          lastSignInDateTime: isoInDays(-300),
          lastNonInteractiveSignInDateTime: isoInDays(-2),
        },
      },
      {
        upn: "recent@contoso.com",
        usageLocation: "US",
        licenses: e5,
        signInActivity: { lastSignInDateTime: isoInDays(-10) },
      },
      { upn: "new@contoso.com", usageLocation: "US", licenses: e5 },
      {
        upn: "room-101@contoso.com",
        usageLocation: "US",
        licenses: e5,
        signInActivity: { lastSignInDateTime: isoInDays(-400) },
      },
      {
        upn: "unlicensed@contoso.com",
        usageLocation: "US",
        signInActivity: { lastSignInDateTime: isoInDays(-500) },
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
  exempt: [room-101@contoso.com]
`;

describe("idle licenses", () => {
  it("lists licensed users idle beyond policies.inactiveDays with their cost; never-signed-in and exempt users are not called idle", async () => {
    harness = await startHarness({ tenant: fixture(true) });
    await writeFile(join(harness.dir, "licenses.yaml"), MANIFEST);
    const { code, out } = await harness.run(["drift", "-m", "licenses.yaml", "--format", "json"]);
    expect(code).toBe(0);
    const idle = (JSON.parse(out) as DriftReport).economics?.idle;
    if (!idle?.available) throw new Error("expected sign-in activity");
    expect(idle.users.map((u) => [u.userPrincipalName, u.daysInactive, u.monthlyCost])).toEqual([
      ["idle@contoso.com", 200, [{ currency: "USD", amount: 57 }]],
    ]);
    expect(idle).toMatchObject({ inactiveDays: 90, noSignInRecorded: 1, exempted: 1 });
    // --inactive-days overrides the policy.
    const shorter = await harness.run([
      "drift",
      "-m",
      "licenses.yaml",
      "--inactive-days",
      "5",
      "--format",
      "json",
    ]);
    const users = (JSON.parse(shorter.out) as DriftReport).economics?.idle;
    expect(users?.available && users.users.map((u) => u.userPrincipalName)).toEqual([
      "idle@contoso.com",
      "recent@contoso.com",
    ]);
  });

  it("in a tenant without Entra ID P1, says sign-in activity is unknown and lists nobody", async () => {
    harness = await startHarness({ tenant: fixture(false) });
    const refused = await connectTo(harness.emulator.url).send({
      method: "GET",
      url: "/users?$select=id,signInActivity",
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      error: {
        code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
        message: "Neither tenant is B2C or tenant doesn't have premium license",
      },
    });
    await writeFile(join(harness.dir, "licenses.yaml"), MANIFEST);
    const { code, out } = await harness.run(["drift", "-m", "licenses.yaml", "--format", "json"]);
    expect(code).toBe(0);
    const idle = (JSON.parse(out) as DriftReport).economics?.idle;
    expect(idle).toEqual({ available: false, reason: expect.stringContaining("Neither tenant is B2C") });
    const text = await harness.run(["drift", "-m", "licenses.yaml"]);
    expect(text.out).toMatch(
      /Idle licenses \(0\)\n\s+Unknown, so nobody is listed: Graph refused users' signInActivity/,
    );
    expect(text.out).not.toContain("idle@contoso.com");
  });

  it("does not read sign-in activity unless asked", async () => {
    harness = await startHarness({ tenant: fixture(false) });
    await writeFile(join(harness.dir, "licenses.yaml"), MANIFEST.replace(/policies:[\s\S]*$/, ""));
    const { code, out } = await harness.run(["drift", "-m", "licenses.yaml", "--format", "json"]);
    expect(code).toBe(0);
    expect((JSON.parse(out) as DriftReport).economics?.idle).toBeUndefined();
  });
});

const DECLARED = `apiVersion: licensectl/v1
tenant: { id: ${CONTOSO_TENANT_ID} }
scope: { skus: [SPE_E5], mode: authoritative }
protect:
  users: [room-101@contoso.com] # a meeting room: never reclaimed
users:
  - user: idle@contoso.com # sales, on leave?
    licenses:
      - sku: SPE_E5
  - user: service@contoso.com
    licenses: [{ sku: SPE_E5 }]
  - user: recent@contoso.com
    licenses: [{ sku: SPE_E5 }]
  - user: new@contoso.com
    licenses: [{ sku: SPE_E5 }]
  - user: room-101@contoso.com
    licenses: [{ sku: SPE_E5 }]
`;

describe("licensectl reclaim", () => {
  it("prints the manifest edit that takes idle users' licenses back, keeping comments, and writes nothing to the tenant", async () => {
    harness = await startHarness({ tenant: fixture(true) });
    await writeFile(join(harness.dir, "licenses.yaml"), DECLARED);
    const { code, out, err } = await harness.run(["reclaim", "-m", "licenses.yaml", "--inactive-days", "90"]);
    expect(code).toBe(0);
    expect(out).toContain("--- a/licenses.yaml\n+++ b/licenses.yaml\n");
    expect(out).toMatch(
      /- {4}licenses:\n- {6}- sku: SPE_E5\n\+ {4}licenses: \[\] # reclaimed: no sign-in since \d{4}-\d\d-\d\d \(200 days\)/,
    );
    expect(out).toContain(" # a meeting room: never reclaimed");
    expect(out.match(/^\+/gm)).toHaveLength(2);
    expect(err).toMatch(/1 idle user\(s\) lose their direct licenses in the manifests/);
    expect(await readFile(join(harness.dir, "licenses.yaml"), "utf8")).toBe(DECLARED);
    expect(harness.emulator.counters.writesAttempted).toBe(0);
  });

  it("--write edits the manifests, and the next plan removes the licenses", async () => {
    harness = await startHarness({ tenant: fixture(true) });
    await writeFile(join(harness.dir, "licenses.yaml"), DECLARED);
    const written = await harness.run(["reclaim", "-m", "licenses.yaml", "--inactive-days", "90", "--write"]);
    expect(written.code).toBe(0);
    const text = await readFile(join(harness.dir, "licenses.yaml"), "utf8");
    expect(text).toMatch(/- user: idle@contoso\.com # sales, on leave\?\n {4}licenses: \[\] # reclaimed/);
    const plan = await harness.run(["plan", "-m", "licenses.yaml"]);
    expect(plan.code).toBe(0);
    expect(plan.out).toMatch(/- remove from user +SPE_E5 +1/);
    expect(plan.out).toContain("idle@contoso.com");
    expect(harness.emulator.counters.writesAttempted).toBe(0);
  });

  it("refuses without sign-in activity and edits nothing", async () => {
    harness = await startHarness({ tenant: fixture(false) });
    await writeFile(join(harness.dir, "licenses.yaml"), DECLARED);
    const { code, out, err } = await harness.run([
      "reclaim",
      "-m",
      "licenses.yaml",
      "--inactive-days",
      "90",
      "--write",
    ]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toMatch(/sign-in activity is not available[\s\S]*Neither tenant is B2C/);
    expect(await readFile(join(harness.dir, "licenses.yaml"), "utf8")).toBe(DECLARED);
  });
});

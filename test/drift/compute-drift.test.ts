import { describe, expect, it } from "vitest";
import { computeDrift, hasDrift } from "../../src/drift/compute-drift.js";
import {
  catalogSku,
  desiredState,
  license,
  liveSku,
  liveState,
  liveUser,
  plan,
  principal,
  reference,
} from "./builders.js";
import { NEW_PLAN, scenario } from "./scenario.js";

describe("computeDrift", () => {
  const report = computeDrift(scenario());

  it("carries the plan's identity and time, and counts every category", () => {
    expect(report.formatVersion).toBe(1);
    expect(report.generatedAt).toBe("2026-11-23T06:00:00.000Z");
    expect(report.tenant).toEqual({ id: "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90", displayName: "Contoso" });
    expect(report.summary).toEqual({
      planProblems: 0,
      pendingChanges: 1,
      unmanagedAssignments: 2,
      redundantAssignments: 1,
      licenseErrors: 1,
      newServicePlans: 1,
      capacityIssues: 3,
      missingUsageLocations: 2,
      total: 11,
    });
    expect(hasDrift(report)).toBe(true);
  });

  it("summarises the plan's changes", () => {
    expect(report.pendingChanges).toEqual([
      expect.objectContaining({
        kind: "setUsageLocation",
        wave: "usage-locations",
        principal: { kind: "user", id: "id-dave", name: "dave@contoso.com" },
        usageLocation: { from: null, to: "US" },
      }),
    ]);
  });

  it("lists direct assignments of out-of-scope SKUs, for users and groups", () => {
    expect(
      report.unmanagedAssignments.map((u) => [u.principal.kind, u.principal.name, u.sku.skuPartNumber]),
    ).toEqual([
      ["group", "Marketing", "FLOW_FREE"],
      ["user", "bob@contoso.com", "POWER_BI_STANDARD"],
    ]);
  });

  it("finds a SKU held directly and through a group", () => {
    expect(report.redundantAssignments).toEqual([
      expect.objectContaining({
        user: expect.objectContaining({ name: "carol@contoso.com", id: "id-carol" }),
        sku: { skuId: catalogSku("SPE_E5").id, skuPartNumber: "SPE_E5" },
        groups: [{ id: "gid-sales", name: "Sales" }],
        inScope: true,
        removedByPlan: false,
        declaredAt: expect.objectContaining({ file: "manifests/users.yaml" }),
      }),
    ]);
  });

  it("reports members with group-licensing errors, naming the group and the error", () => {
    expect(report.licenseErrors).toEqual([
      {
        user: { kind: "user", id: "id-dave", name: "dave@contoso.com" },
        sku: { skuId: catalogSku("SPE_E5").id, skuPartNumber: "SPE_E5" },
        group: { id: "gid-sales", name: "Sales" },
        error: "CountViolation",
        state: "Error",
        fix: expect.stringMatching(
          /^Free or buy one SPE_E5 seat .*reprocessLicenseAssignment for dave@contoso\.com/,
        ),
      },
    ]);
  });

  it("finds plans the tenant's SKU has and the catalog lacks, and what each manifest entry does with them", () => {
    expect(report.newServicePlans).toHaveLength(1);
    const [item] = report.newServicePlans;
    expect(item?.sku.skuPartNumber).toBe("ENTERPRISEPACK");
    expect(item?.plan).toEqual(NEW_PLAN);
    expect(item?.holders.map((h) => [h.principal.name, h.planMode, h.effect, h.principal.id])).toEqual([
      ["alice@contoso.com", "deny", "enabled", "id-alice"],
      ["erin@contoso.com", "allow", "kept-disabled", undefined],
    ]);
  });

  it("flags SKUs near or over capacity and in bad standing", () => {
    expect(report.capacityIssues.map((c) => [c.seats.skuPartNumber, c.conditions])).toEqual([
      ["ENTERPRISEPACK", ["near-capacity"]],
      ["POWER_BI_STANDARD", ["warning"]],
      ["SPE_E5", ["over-capacity"]],
    ]);
    expect(report.seats.map((s) => s.skuPartNumber)).toEqual([
      "ENTERPRISEPACK",
      "FLOW_FREE",
      "POWER_BI_STANDARD",
      "SPE_E5",
    ]);
  });

  it("lists licensed users without usage location, with what the plan sets", () => {
    expect(
      report.missingUsageLocations.map((m) => [m.user.name, m.inheritedOnly, m.plannedUsageLocation]),
    ).toEqual([
      ["bob@contoso.com", false, undefined],
      ["dave@contoso.com", true, "US"],
    ]);
  });

  it("does not call a direct assignment redundant when the group's copy is in Error", () => {
    const errored = computeDrift({
      desired: desiredState({
        scope: ["SPE_E5"],
        users: [principal("user", "erin@contoso.com", [license("SPE_E5")])],
      }),
      live: liveState({
        skus: [liveSku("SPE_E5", { enabled: 1, consumed: 1 })],
        users: [
          liveUser("erin@contoso.com", {
            licenses: [{ sku: "SPE_E5" }, { sku: "SPE_E5", group: "gid-sales", error: "CountViolation" }],
          }),
        ],
      }),
      plan: plan(),
      reference,
    });
    expect(errored.redundantAssignments).toEqual([]);
    expect(errored.licenseErrors.map((e) => [e.user.name, e.error, e.group?.name])).toEqual([
      ["erin@contoso.com", "CountViolation", "gid-sales"],
    ]);
  });

  it("finds no drift in a tenant that matches its manifests", () => {
    const clean = computeDrift({
      desired: desiredState({
        scope: ["ENTERPRISEPACK"],
        users: [principal("user", "alice@contoso.com", [license("ENTERPRISEPACK")])],
      }),
      live: liveState({
        skus: [liveSku("ENTERPRISEPACK", { enabled: 10, consumed: 1 })],
        users: [liveUser("alice@contoso.com", { licenses: [{ sku: "ENTERPRISEPACK" }] })],
      }),
      plan: plan(),
      reference,
    });
    expect(clean.summary.total).toBe(0);
    expect(hasDrift(clean)).toBe(false);
  });

  it("treats 90 % of enabled seats as near capacity and 89 % as fine, and counts suspended and locked-out SKUs", () => {
    const report = computeDrift({
      desired: desiredState({ scope: [] }),
      live: liveState({
        skus: [
          liveSku("ENTERPRISEPACK", { enabled: 100, consumed: 90 }),
          liveSku("SPE_E5", { enabled: 100, consumed: 89 }),
          liveSku("POWER_BI_STANDARD", { enabled: 100, consumed: 0, status: "Suspended" }),
          liveSku("FLOW_FREE", { enabled: 100, consumed: 0, status: "LockedOut" }),
        ],
      }),
      plan: plan(),
      reference,
    });
    expect(report.capacityIssues.map((c) => [c.seats.skuPartNumber, c.conditions])).toEqual([
      ["ENTERPRISEPACK", ["near-capacity"]],
      ["FLOW_FREE", ["locked-out"]],
      ["POWER_BI_STANDARD", ["suspended"]],
    ]);
  });

  it("reports why the planner refused, beside every other category, when it did", () => {
    const input = scenario();
    const { plan: _made, ...inputs } = input;
    const refused = computeDrift({
      ...inputs,
      toolVersion: "9.9.9",
      now: new Date("2026-01-02T03:04:05Z"),
      planProblems: [
        {
          code: "capacity-exceeded",
          severity: "error",
          message: "SPE_E5 needs 7 seats after the plan; 5 are enabled",
          hint: "Buy seats or remove assignments.",
          location: { file: "manifests/users.yaml", line: 3, column: 9 },
        },
      ],
    });
    expect(refused.summary.planProblems).toBe(1);
    expect(refused.summary.pendingChanges).toBe(0);
    expect(refused.planSummary).toMatchObject({ changes: 0, risk: "none" });
    // With no plan, the report names its maker, time and inputs itself.
    expect([refused.toolVersion, refused.generatedAt, refused.tenant.id, refused.mode]).toEqual([
      "9.9.9",
      "2026-01-02T03:04:05.000Z",
      input.live.tenant.id.toLowerCase(),
      input.desired.scope.mode,
    ]);
    expect(refused.manifestDigest).toBe(input.desired.digest);
    expect(refused.liveDigest).toMatch(/^sha256:/);
    expect(refused.summary.unmanagedAssignments).toBe(2);
    expect(hasDrift(refused)).toBe(true);
  });

  it("does not modify its inputs", () => {
    const input = scenario();
    const before = JSON.stringify(input.live) + JSON.stringify(input.desired) + JSON.stringify(input.plan);
    computeDrift(input);
    expect(JSON.stringify(input.live) + JSON.stringify(input.desired) + JSON.stringify(input.plan)).toBe(
      before,
    );
  });
});

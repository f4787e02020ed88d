import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";
import { startEmulator, type RunningEmulator, type TenantFixture } from "../../src/emulator/index.js";
import type { DriftReport } from "../../src/model/drift.js";

const TENANT_ID = "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90";
const NEW_PLAN = { name: "COPILOT_STUDIO_IN_E3", id: "0b4e4b1a-1111-4c7e-9a2b-5d1f3c2e9a70" };

/** A tenant with something in every drift category the emulator can express. */
function driftingTenant(): TenantFixture {
  return {
    apiVersion: "licensectl.emulator/v1",
    kind: "Tenant",
    tenant: {
      id: TENANT_ID,
      displayName: "Contoso",
      countryLetterCode: "US",
      domains: ["contoso.onmicrosoft.com"],
    },
    skus: [
      { sku: "ENTERPRISEPACK", seats: 10, addPlans: [NEW_PLAN] },
      { sku: "SPE_E5", seats: 2 },
      { sku: "POWER_BI_STANDARD", seats: 100, status: "Warning" },
      { sku: "FLOW_FREE", seats: 100 },
    ],
    users: [
      {
        upn: "alice@contoso.com",
        usageLocation: "US",
        licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["SWAY"] }],
      },
      { upn: "bob@contoso.com", licenses: [{ sku: "POWER_BI_STANDARD" }] },
      { upn: "carol@contoso.com", usageLocation: "US", licenses: [{ sku: "SPE_E5" }] },
      { upn: "dave@contoso.com", usageLocation: "US" },
      { upn: "frank@contoso.com", usageLocation: "US" },
      { upn: "grace@contoso.com", usageLocation: "US" },
    ],
    groups: [
      {
        name: "Sales",
        members: ["carol@contoso.com", "dave@contoso.com", "frank@contoso.com"],
        licenses: [{ sku: "SPE_E5" }],
      },
      { name: "Marketing", members: [], licenses: [{ sku: "FLOW_FREE" }] },
    ],
  };
}

const MANIFEST = `apiVersion: licensectl/v1
tenant:
  id: ${TENANT_ID}
scope:
  skus: [ENTERPRISEPACK, SPE_E5]
  mode: authoritative
groups:
  - group: Sales
    licenses:
      - sku: SPE_E5
users:
  - user: alice@contoso.com
    licenses:
      - sku: ENTERPRISEPACK
        disabledPlans: [SWAY]
  - user: carol@contoso.com
    licenses:
      - sku: SPE_E5
  - user: grace@contoso.com
    licenses:
      - sku: ENTERPRISEPACK
        enabledPlans: [EXCHANGE_S_ENTERPRISE]
`;

describe("licensectl drift against the emulator", () => {
  let emulator: RunningEmulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await startEmulator({ tenant: driftingTenant(), port: 0, groupProcessingDelayMs: 0 });
    dir = mkdtempSync(join(tmpdir(), "licensectl-drift-"));
    writeFileSync(join(dir, "licenses.yaml"), MANIFEST);
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  const drift = async (...args: string[]) => {
    const io = new RecordingIo({ cwd: dir });
    const code = await runCli(
      ["drift", "-m", dir, "--graph-url", emulator.url, "--auth", "none", ...args],
      io,
    );
    return { code, io };
  };

  it("detects every category and exits 2 with --detailed-exitcode", async () => {
    const { code, io } = await drift("--format", "json", "--detailed-exitcode");
    expect(io.err).not.toContain("error:");
    expect(code).toBe(2);
    const report = JSON.parse(io.out) as DriftReport;
    expect(report.tenant.id).toBe(TENANT_ID);

    // the plan adds Office 365 E3 to grace
    expect(
      report.pendingChanges.map((c) => [c.principal.name, c.add.map((s) => s.skuPartNumber)]),
    ).toContainEqual(["grace@contoso.com", ["ENTERPRISEPACK"]]);
    // out-of-scope SKUs held directly, by a user and a group
    expect(report.unmanagedAssignments.map((u) => [u.principal.name, u.sku.skuPartNumber])).toEqual([
      ["Marketing", "FLOW_FREE"],
      ["bob@contoso.com", "POWER_BI_STANDARD"],
    ]);
    // carol: E5 directly and from Sales
    expect(
      report.redundantAssignments.map((r) => [r.user.name, r.sku.skuPartNumber, r.groups.map((g) => g.name)]),
    ).toEqual([["carol@contoso.com", "SPE_E5", ["Sales"]]]);
    // two E5 seats: carol and dave hold them, frank's group assignment failed
    expect(report.licenseErrors.map((e) => [e.user.name, e.group?.name, e.error])).toEqual([
      ["frank@contoso.com", "Sales", "CountViolation"],
    ]);
    // the plan Microsoft added to E3: enabled for alice (deny-list), kept off for grace (allow-list)
    expect(report.newServicePlans).toHaveLength(1);
    expect(report.newServicePlans[0]?.plan).toEqual({ id: NEW_PLAN.id, name: NEW_PLAN.name });
    expect(report.newServicePlans[0]?.holders.map((h) => [h.principal.name, h.effect])).toEqual([
      ["alice@contoso.com", "enabled"],
      ["grace@contoso.com", "kept-disabled"],
    ]);
    // E5 is full, Fabric (Free) is in Warning
    expect(report.capacityIssues.map((c) => [c.seats.skuPartNumber, c.conditions])).toEqual([
      ["POWER_BI_STANDARD", ["warning"]],
      ["SPE_E5", ["near-capacity"]],
    ]);
    // bob holds a license with no usage location
    expect(report.missingUsageLocations.map((m) => m.user.name)).toEqual(["bob@contoso.com"]);
  });

  it("prints text by default, with GitHub annotations on manifest lines inside GitHub Actions", async () => {
    const io = new RecordingIo({ cwd: dir, env: { GITHUB_ACTIONS: "true" } });
    const code = await runCli(["drift", "-m", dir, "--graph-url", emulator.url, "--auth", "none"], io);
    expect(code).toBe(0);
    expect(io.out).toContain("Drift found:");
    expect(io.out).toMatch(/frank@contoso\.com\s+SPE_E5\s+Sales\s+CountViolation/);
    expect(io.out).toMatch(
      /^::warning file=.*licenses\.yaml,line=\d+,col=\d+,title=licensectl drift::COPILOT_STUDIO_IN_E3/m,
    );
  });

  it("writes the HTML report to --output and a one-line summary to stderr", async () => {
    const { code, io } = await drift("--format", "html", "--output", "drift.html");
    expect(code).toBe(0);
    expect(io.out).toBe("");
    expect(io.err).toMatch(/Wrote the html drift report to drift\.html: \d+ drift items\./);
    const html = readFileSync(join(dir, "drift.html"), "utf8");
    expect(html).toContain('data-sku="SPE_E5"');
    expect(html).toContain("frank@contoso.com");
  });

  it("exits 1 on a bad --format", async () => {
    const { code, io } = await drift("--format", "pdf");
    expect(code).toBe(1);
    expect(io.err).toContain("--format pdf is not one of text, markdown, json, html");
  });
});

describe("licensectl drift on a tenant that matches its manifests", () => {
  it("exits 0 with --detailed-exitcode and says there is no drift", async () => {
    const emulator = await startEmulator({
      tenant: {
        apiVersion: "licensectl.emulator/v1",
        kind: "Tenant",
        tenant: {
          id: TENANT_ID,
          displayName: "Contoso",
          countryLetterCode: "US",
          domains: ["contoso.onmicrosoft.com"],
        },
        skus: [{ sku: "ENTERPRISEPACK", seats: 10 }],
        users: [{ upn: "alice@contoso.com", usageLocation: "US", licenses: [{ sku: "ENTERPRISEPACK" }] }],
      },
      port: 0,
    });
    try {
      const dir = mkdtempSync(join(tmpdir(), "licensectl-drift-"));
      writeFileSync(
        join(dir, "licenses.yaml"),
        `apiVersion: licensectl/v1\ntenant:\n  id: ${TENANT_ID}\nscope:\n  skus: [ENTERPRISEPACK]\n  mode: authoritative\nusers:\n  - user: alice@contoso.com\n    licenses:\n      - sku: ENTERPRISEPACK\n`,
      );
      const io = new RecordingIo({ cwd: dir });
      const code = await runCli(
        [
          "drift",
          "-m",
          dir,
          "--graph-url",
          emulator.url,
          "--auth",
          "none",
          "--detailed-exitcode",
          "--format",
          "markdown",
        ],
        io,
      );
      expect(io.err).not.toContain("error:");
      expect(code).toBe(0);
      expect(io.out).toContain("No drift: the tenant matches the manifests.");
    } finally {
      await emulator.stop();
    }
  });
});

describe("licensectl drift when no plan can be made", () => {
  const fixture = (): TenantFixture => ({
    apiVersion: "licensectl.emulator/v1",
    kind: "Tenant",
    tenant: {
      id: TENANT_ID,
      displayName: "Contoso",
      countryLetterCode: "US",
      domains: ["contoso.onmicrosoft.com"],
    },
    skus: [{ sku: "ENTERPRISEPACK", seats: 1 }],
    users: [
      { upn: "alice@contoso.com", usageLocation: "US", licenses: [{ sku: "ENTERPRISEPACK" }] },
      { upn: "grace@contoso.com", usageLocation: "US" },
    ],
  });
  const manifest = (tenantId: string) =>
    `apiVersion: licensectl/v1\ntenant:\n  id: ${tenantId}\nscope:\n  skus: [ENTERPRISEPACK]\n  mode: authoritative\n` +
    `users:\n  - user: alice@contoso.com\n    licenses:\n      - sku: ENTERPRISEPACK\n` +
    `  - user: grace@contoso.com\n    licenses:\n      - sku: ENTERPRISEPACK\n`;

  it("still reports, with the planner's reasons (here: seats) as drift", async () => {
    const emulator = await startEmulator({ tenant: fixture(), port: 0 });
    try {
      const dir = mkdtempSync(join(tmpdir(), "licensectl-drift-"));
      writeFileSync(join(dir, "licenses.yaml"), manifest(TENANT_ID));
      const io = new RecordingIo({ cwd: dir });
      const args = ["drift", "-m", dir, "--graph-url", emulator.url, "--auth", "none", "--format", "json"];
      const code = await runCli([...args, "--detailed-exitcode"], io);
      expect(io.err).not.toContain("error:");
      expect(code).toBe(2);
      const report = JSON.parse(io.out) as DriftReport;
      expect(report.planProblems.map((p) => p.code)).toContain("capacity-exceeded");
      expect(report.pendingChanges).toEqual([]);
      expect(report.capacityIssues.map((c) => [c.seats.skuPartNumber, c.conditions])).toEqual([
        ["ENTERPRISEPACK", ["near-capacity"]],
      ]);
    } finally {
      await emulator.stop();
    }
  });

  it("fails with exit 1 when the manifests belong to another tenant", async () => {
    const emulator = await startEmulator({ tenant: fixture(), port: 0 });
    try {
      const dir = mkdtempSync(join(tmpdir(), "licensectl-drift-"));
      writeFileSync(join(dir, "licenses.yaml"), manifest("11111111-2222-4333-8444-555555555555"));
      const io = new RecordingIo({ cwd: dir });
      const code = await runCli(
        ["drift", "-m", dir, "--graph-url", emulator.url, "--auth", "none", "--detailed-exitcode"],
        io,
      );
      expect(code).toBe(1);
      expect(io.out).toBe("");
      expect(io.err).toContain("the manifests are for tenant 11111111-2222-4333-8444-555555555555");
    } finally {
      await emulator.stop();
    }
  });
});

import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LicensectlError } from "../../src/model/errors.js";
import {
  generateTenant,
  loadTenantFixture,
  parseTenantFixture,
  startEmulator,
} from "../../src/emulator/index.js";
import { E3, graphClient, smallTenant } from "./helpers.js";

const YAML_TENANT = `apiVersion: licensectl.emulator/v1
kind: Tenant
tenant:
  id: 3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90
  displayName: Fabrikam
  countryLetterCode: NL
  domains: [fabrikam.onmicrosoft.com]
skus:
  - sku: Office 365 E3
    seats: 3
    addPlans:
      - { name: COPILOT_STUDIO_IN_E3, id: 0b4e4b1a-1111-4c7e-9a2b-5d1f3c2e9a70 }
users:
  - upn: ann@fabrikam.com
    usageLocation: NL
    licenses:
      - sku: ENTERPRISEPACK
        disabledPlans: [SWAY, COPILOT_STUDIO_IN_E3]
  - upn: bob@fabrikam.com
groups:
  - name: All Staff
    members: [ann@fabrikam.com, bob@fabrikam.com]
    licenses: [{ sku: ${E3} }]
`;

const tempDir = () => mkdtempSync(join(tmpdir(), "licensectl-emulator-"));

describe("emulator: tenant fixtures", () => {
  it("parses a fixture and resolves SKUs by display name, part number and GUID, and added plans", async () => {
    const fixture = parseTenantFixture(YAML_TENANT, "tenant.yaml");
    const emulator = await startEmulator({ tenant: fixture, groupProcessingDelayMs: 0 });
    try {
      const snapshot = emulator.snapshot();
      expect(snapshot.tenant).toEqual({
        id: "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90",
        displayName: "Fabrikam",
        countryLetterCode: "NL",
      });
      const sku = snapshot.skus[0]!;
      expect(sku.servicePlans.some((p) => p.servicePlanName === "COPILOT_STUDIO_IN_E3")).toBe(true);
      expect(sku.consumedUnits).toBe(2);
      const ann = snapshot.users.find((u) => u.userPrincipalName === "ann@fabrikam.com")!;
      expect(ann.licenseAssignmentStates.map((s) => s.assignedByGroup === null)).toEqual([true, false]);
      expect(ann.licenseAssignmentStates[0]!.disabledPlans).toContain("0b4e4b1a-1111-4c7e-9a2b-5d1f3c2e9a70");
      // Ids are derived deterministically.
      const again = await startEmulator({ tenant: fixture, groupProcessingDelayMs: 0 });
      expect(again.snapshot().users.map((u) => u.id)).toEqual(snapshot.users.map((u) => u.id));
      await again.stop();
    } finally {
      await emulator.stop();
    }
  });

  it("reports every structural problem, located", () => {
    const broken = YAML_TENANT.replace("countryLetterCode: NL", "countryLetterCode: Netherlands").replace(
      "seats: 3",
      "seats: -1",
    );
    try {
      parseTenantFixture(broken, "broken.yaml");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LicensectlError);
      const problems = (error as LicensectlError).problems;
      expect(problems.map((p) => p.location?.line)).toEqual([6, 10]);
      expect(problems[0]!.location?.file).toBe("broken.yaml");
    }
  });

  it("refuses names it cannot resolve, with suggestions", async () => {
    const fixture = parseTenantFixture(
      YAML_TENANT.replace("sku: Office 365 E3", "sku: ENTERPRISEPAK"),
      "typo.yaml",
    );
    const error = await startEmulator({ tenant: fixture }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LicensectlError);
    expect((error as LicensectlError).problems[0]!.hint).toContain("ENTERPRISEPACK");
  });

  it("locates unresolvable names in a fixture file", async () => {
    const dir = tempDir();
    const file = join(dir, "tenant.yaml");
    writeFileSync(
      file,
      YAML_TENANT.replace("[SWAY, COPILOT_STUDIO_IN_E3]", "[SWAY, NOT_A_PLAN]").replace(
        "members: [ann@fabrikam.com, bob@fabrikam.com]",
        "members: [ann@fabrikam.com, carol@fabrikam.com]",
      ),
    );
    const error = (await startEmulator({ tenant: file }).catch((e: unknown) => e)) as LicensectlError;
    expect(error).toBeInstanceOf(LicensectlError);
    expect(error.problems.map((p) => [p.location?.file, p.location?.line, p.location?.column])).toEqual([
      [file, 18, 31],
      [file, 22, 33],
    ]);
    expect(error.problems[0]!.message).toBe(
      'users[0].licenses[0].disabledPlans[1] "NOT_A_PLAN" is not a service plan of ENTERPRISEPACK',
    );
  });

  it("loads a fixture from a file path", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "tenant.yaml"), YAML_TENANT);
    expect(loadTenantFixture(join(dir, "tenant.yaml")).tenant.displayName).toBe("Fabrikam");
    const emulator = await startEmulator({ tenant: join(dir, "tenant.yaml") });
    expect(emulator.snapshot().users).toHaveLength(2);
    await emulator.stop();
  });
});

describe("emulator: listening", () => {
  it("explains a port that is taken", async () => {
    const first = await startEmulator({ tenant: smallTenant() });
    try {
      const port = Number(new URL(first.url).port);
      const error = await startEmulator({ tenant: smallTenant(), port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LicensectlError);
      expect((error as LicensectlError).hint).toContain("--port");
    } finally {
      await first.stop();
    }
  });
});

describe("emulator: --state persistence", () => {
  it("saves changes and serves them again after a restart", async () => {
    const statePath = join(tempDir(), "state.json");
    const first = await startEmulator({ tenant: smallTenant(), statePath, groupProcessingDelayMs: 0 });
    await graphClient(first.url)
      .api("/users/grady.archie@contoso.com/assignLicense")
      .post({ addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] });
    await first.stop();
    expect(existsSync(statePath)).toBe(true);
    expect(JSON.parse(readFileSync(statePath, "utf8")).format).toBe("licensectl.emulator.state/v1");

    const second = await startEmulator({ tenant: smallTenant(), statePath, groupProcessingDelayMs: 0 });
    try {
      const grady = await graphClient(second.url)
        .api("/users/grady.archie@contoso.com")
        .select("assignedLicenses")
        .get();
      expect(grady.assignedLicenses).toEqual([{ disabledPlans: [], skuId: E3 }]);
      expect(second.snapshot().skus.find((s) => s.skuId === E3)!.consumedUnits).toBe(2);
    } finally {
      await second.stop();
    }
  });
});

describe("emulator: --state with group processing in flight", () => {
  it("resumes processing a group that was still queued when the emulator stopped", async () => {
    const statePath = join(tempDir(), "state.json");
    const first = await startEmulator({ tenant: smallTenant(), statePath, groupProcessingDelayMs: 60_000 });
    const client = graphClient(first.url);
    const engineering = (await client.api("/groups").filter("displayName eq 'Engineering'").get()).value[0]
      .id as string;
    await client
      .api(`/groups/${engineering}/assignLicense`)
      .post({ addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] });
    await first.stop();

    const second = await startEmulator({ tenant: smallTenant(), statePath, groupProcessingDelayMs: 0 });
    try {
      const group = second.snapshot().groups.find((g) => g.id === engineering)!;
      expect(group.licenseProcessingState).toBe("ProcessingComplete");
      const grady = second.snapshot().users.find((u) => u.userPrincipalName === "grady.archie@contoso.com")!;
      expect(grady.licenseAssignmentStates).toEqual([
        expect.objectContaining({ skuId: E3, assignedByGroup: engineering, state: "Active" }),
      ]);
    } finally {
      await second.stop();
    }
  });
});

describe("emulator: tenant generator", () => {
  it("is deterministic from its seed", () => {
    expect(generateTenant({ users: 300, seed: 5 })).toEqual(generateTenant({ users: 300, seed: 5 }));
    expect(generateTenant({ users: 300, seed: 5 })).not.toEqual(generateTenant({ users: 300, seed: 6 }));
  });

  it("makes a realistic mix: inherited, direct, disabled plans, drift, no usage location, a full SKU", async () => {
    const emulator = await startEmulator({
      tenant: generateTenant({ users: 2000, seed: 3 }),
      groupProcessingDelayMs: 0,
    });
    try {
      const { users, skus, groups } = emulator.snapshot();
      const states = users.flatMap((u) => u.licenseAssignmentStates);
      expect(states.some((s) => s.assignedByGroup !== null)).toBe(true);
      expect(states.some((s) => s.assignedByGroup === null)).toBe(true);
      expect(states.some((s) => s.disabledPlans.length > 0)).toBe(true);
      expect(states.every((s) => s.state === "Active")).toBe(true);
      const drift = users.filter((u) => {
        const direct = u.licenseAssignmentStates
          .filter((s) => s.assignedByGroup === null)
          .map((s) => s.skuId);
        return u.licenseAssignmentStates.some((s) => s.assignedByGroup !== null && direct.includes(s.skuId));
      });
      expect(drift.length).toBeGreaterThan(0);
      expect(users.some((u) => u.usageLocation === null)).toBe(true);
      expect(skus.some((s) => s.consumedUnits === s.prepaidUnits.enabled)).toBe(true);
      expect(groups.some((g) => g.assignedLicenses.length === 0)).toBe(true);
    } finally {
      await emulator.stop();
    }
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- Graph answers are untyped JSON; the assertions check their shape. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLED_RULES_PATH } from "../../src/emulator/bundled-rules.js";
import { generateTenant, startEmulator, type TenantFixture } from "../../src/emulator/index.js";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { E3, EMS, SHAREPOINTENTERPRISE, SHAREPOINTWAC, TENANT_ID } from "./helpers.js";

const EXAMPLE = join(import.meta.dirname, "..", "..", "examples", "tenant.yaml");
const EXO_PLAN1 = "9aaf7827-d63c-4b61-89c3-182f06f82e5c";
const EXO_PLAN2 = "efb87545-963c-4e0d-99df-69c6916d9eb0";
const SPE_E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965";
const EXCHANGESTANDARD = "4b9405b0-7788-4568-add1-99614e613b69";
const AUDIO_CONFERENCING = "0c266dff-15dd-4b49-8397-2bb16070ed52";

/** A tenant without its own `rules`, so the bundled table applies. */
function tenant(extra: Partial<TenantFixture> = {}): TenantFixture {
  return {
    apiVersion: "licensectl.emulator/v1",
    kind: "Tenant",
    tenant: { id: TENANT_ID, displayName: "Contoso", countryLetterCode: "US", domains: ["contoso.com"] },
    skus: [
      { sku: "ENTERPRISEPACK", seats: 5 },
      { sku: "EXCHANGESTANDARD", seats: 5 },
      { sku: "EMS", seats: 5 },
      { sku: "MCOMEETADV", seats: 5 },
    ],
    users: [
      { upn: "adele@contoso.com", usageLocation: "US", licenses: [{ sku: "ENTERPRISEPACK" }] },
      { upn: "alex@contoso.com", usageLocation: "US", licenses: [{ sku: "EXCHANGESTANDARD" }] },
      { upn: "diego@contoso.com", usageLocation: "US" },
    ],
    groups: [{ name: "Mail", members: ["adele@contoso.com", "diego@contoso.com"] }],
    ...extra,
  };
}

const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}/v1.0${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("bundled service-plan rules (data/service-plan-rules.json)", () => {
  const file = JSON.parse(readFileSync(BUNDLED_RULES_PATH, "utf8")) as any;

  it("name a source for every entry and only plans whose ids match the catalog", () => {
    const catalogPlans = new Map(
      loadCatalog().skus.flatMap((s) => s.servicePlans.map((p) => [p.name, p.id.toLowerCase()] as const)),
    );
    const entries = [...file.mutuallyExclusive, ...file.dependencies];
    expect(entries.length).toBeGreaterThan(5);
    for (const entry of entries) {
      expect(entry.inferred === true || typeof file.sources[entry.source]?.url === "string").toBe(true);
      const plans = entry.plans ?? [entry.plan, ...entry.requiresAnyOf];
      for (const plan of plans) {
        const known = catalogPlans.get(plan.name);
        if (known) expect(plan.id).toBe(known);
      }
    }
  });

  it("leave every SKU of the catalog that is not an add-on assignable on its own", () => {
    const plan = (p: { id: string }) => p.id;
    const addOns = new Set<string>();
    for (const sku of loadCatalog().skus) {
      const ids = new Set(sku.servicePlans.map((p) => p.id.toLowerCase()));
      for (const set of file.mutuallyExclusive)
        expect(set.plans.map(plan).filter((id: string) => ids.has(id)).length, sku.partNumber).toBeLessThan(
          2,
        );
      for (const d of file.dependencies)
        if (ids.has(d.plan.id) && !d.requiresAnyOf.some((p: { id: string }) => ids.has(p.id)))
          addOns.add(sku.partNumber);
    }
    // Add-ons need a prerequisite from another license; everything else is sold to stand alone.
    expect([...addOns].sort()).toEqual(expect.arrayContaining(["MCOMEETADV", "WORKPLACE_ANALYTICS"]));
    for (const name of addOns) expect(name).toMatch(/^(MCOMEETADV|WORKPLACE_ANALYTICS|BUSINESS_VOICE)/);
  });
});

describe("emulator: service-plan rules are on by default", () => {
  it("refuses Exchange Online (Plan 1) beside E3's Exchange Online (Plan 2) in the example tenant", async () => {
    const emulator = await startEmulator({ tenant: EXAMPLE, groupProcessingDelayMs: 0 });
    try {
      const response = await post(emulator.url, "/users/ext.ines.marchetti@contoso.com/assignLicense", {
        addLicenses: [{ skuId: SPE_E3, disabledPlans: [] }],
        removeLicenses: [],
      });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as any;
      expect(error.code).toBe("Request_BadRequest");
      expect(error.message).toBe(
        `License assignment failed because service plans ${EXO_PLAN1}, ${EXO_PLAN2} are mutually exclusive.`,
      );
      const user = emulator.snapshot().users.find((u) => u.userPrincipalName.startsWith("ext.ines"))!;
      expect(user.assignedLicenses.map((l) => l.skuId)).not.toContain(SPE_E3);
    } finally {
      await emulator.stop();
    }
  });

  it("refuses a direct assignment that leaves a plan without its prerequisite", async () => {
    const emulator = await startEmulator({ tenant: tenant(), groupProcessingDelayMs: 0 });
    try {
      const response = await post(emulator.url, "/users/diego@contoso.com/assignLicense", {
        addLicenses: [{ skuId: E3, disabledPlans: [SHAREPOINTENTERPRISE] }],
        removeLicenses: [],
      });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as any;
      expect(error.code).toBe("Request_BadRequest");
      expect(error.message).toMatch(
        new RegExp(
          `^License assignment failed because service plan ${SHAREPOINTWAC} depends on the service plan\\(s\\) ${SHAREPOINTENTERPRISE}, `,
        ),
      );
    } finally {
      await emulator.stop();
    }
  });

  it("records MutuallyExclusiveViolation on group members and licenses the others", async () => {
    const emulator = await startEmulator({ tenant: tenant(), groupProcessingDelayMs: 0 });
    try {
      const group = emulator.snapshot().groups.find((g) => g.displayName === "Mail")!;
      const response = await post(emulator.url, `/groups/${group.id}/assignLicense`, {
        addLicenses: [{ skuId: EXCHANGESTANDARD, disabledPlans: [] }],
        removeLicenses: [],
      });
      expect(response.status).toBe(202);
      const users = emulator.snapshot().users;
      const adele = users.find((u) => u.userPrincipalName === "adele@contoso.com")!;
      const diego = users.find((u) => u.userPrincipalName === "diego@contoso.com")!;
      expect(adele.licenseAssignmentStates.find((s) => s.assignedByGroup === group.id)).toMatchObject({
        state: "Error",
        error: "MutuallyExclusiveViolation",
      });
      expect(diego.licenseAssignmentStates).toEqual([
        expect.objectContaining({ skuId: EXCHANGESTANDARD, state: "Active", assignedByGroup: group.id }),
      ]);
      const errors = await fetch(`${emulator.url}/v1.0/groups/${group.id}/membersWithLicenseErrors`);
      expect(((await errors.json()) as any).value.map((u: any) => u.id)).toEqual([adele.id]);
    } finally {
      await emulator.stop();
    }
  });

  it("refuses a group license whose add-on lacks its prerequisite in the same group", async () => {
    const emulator = await startEmulator({ tenant: tenant(), groupProcessingDelayMs: 0 });
    try {
      const group = emulator.snapshot().groups.find((g) => g.displayName === "Mail")!;
      const response = await post(emulator.url, `/groups/${group.id}/assignLicense`, {
        addLicenses: [{ skuId: AUDIO_CONFERENCING, disabledPlans: [] }],
        removeLicenses: [],
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).error.message).toMatch(
        /^License assignment failed because service plan 3e26ee1f-8a5f-4d52-aee2-b81ce45c8f40 depends on the service plan\(s\) 0feaeb32-d00e-4d66-bd5a-43b5b83db82c, 57ff2da0-773e-42df-b2af-ffb7a2317929$/,
      );
      expect(emulator.snapshot().groups.find((g) => g.id === group.id)!.assignedLicenses).toEqual([]);
    } finally {
      await emulator.stop();
    }
  });

  it("reports a fixture whose direct licenses break a rule, located at the user", async () => {
    const bad = tenant({
      users: [
        {
          upn: "adele@contoso.com",
          usageLocation: "US",
          licenses: [{ sku: "ENTERPRISEPACK" }, { sku: "EXCHANGESTANDARD" }],
        },
      ],
      groups: [],
    });
    const failure = await startEmulator({ tenant: bad }).then(
      () => undefined,
      (error: unknown) => error as { problems?: { message: string }[] },
    );
    expect(failure?.problems?.[0]?.message).toMatch(
      /users\[0\]\.licenses: service plans EXCHANGE_S_ENTERPRISE and EXCHANGE_S_STANDARD are mutually exclusive|users\[0\]\.licenses: service plans EXCHANGE_S_STANDARD and EXCHANGE_S_ENTERPRISE are mutually exclusive/,
    );
  });

  it("lets a fixture replace the bundled rules; rules: {} turns them off", async () => {
    const emulator = await startEmulator({ tenant: tenant({ rules: {} }), groupProcessingDelayMs: 0 });
    try {
      const response = await post(emulator.url, "/users/alex@contoso.com/assignLicense", {
        addLicenses: [{ skuId: E3, disabledPlans: [] }],
        removeLicenses: [],
      });
      expect(response.status).toBe(200);
    } finally {
      await emulator.stop();
    }
  });
});

describe("emulator: generated tenants keep the rules", () => {
  it.each([
    [3000, 10, 1],
    [2000, 10, 9],
  ])(
    "%i users, %i SKUs (seed %i): no member in error, and conflicting SKUs side by side",
    async (users, skus, seed) => {
      const emulator = await startEmulator({
        tenant: generateTenant({ users, skus, seed }),
        groupProcessingDelayMs: 0,
      });
      try {
        const snapshot = emulator.snapshot();
        const errors = snapshot.users.flatMap((u) =>
          u.licenseAssignmentStates.filter((s) => s.state !== "Active"),
        );
        expect(errors).toEqual([]);
        const parts = new Set(snapshot.skus.map((s) => s.skuPartNumber));
        // Exchange Online (Plan 1) beside the E3/E5 Exchange Online (Plan 2): the generator had to keep them apart.
        expect(parts).toContain("EXCHANGESTANDARD");
        expect(parts).toContain("SPE_E3");
        const holders = (part: string) => snapshot.skus.find((s) => s.skuPartNumber === part)!.consumedUnits;
        expect(holders("EXCHANGESTANDARD")).toBeGreaterThan(0);
        expect(EMS).toBeTruthy();
      } finally {
        await emulator.stop();
      }
    },
  );
});

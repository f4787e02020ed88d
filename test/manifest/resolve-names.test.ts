import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { loadManifests } from "../../src/manifest/load-manifests.js";
import { resolveDesiredState } from "../../src/manifest/resolve-names.js";
import type { DesiredLicense, DesiredState } from "../../src/model/desired-state.js";
import type { LiveSku } from "../../src/model/live-state.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "manifests");
const bundled = loadCatalog();
const E3 = "6fd2c87f-b296-42f0-b197-1e91e994b900";
const E5 = "06ebc4ee-1bb5-47dd-8120-11324bc54e06";
const P2 = "84a661c4-e949-4bd2-a560-ed7766fcaf2b";
const SWAY = "a23b959c-7ce8-4e57-9140-b90eb88a9e97";
const YAMMER = "7547a3fe-08ee-4ccb-b430-5077c5041653";
const EXCHANGE = "efb87545-963c-4e0d-99df-69c6916d9eb0";
const TEAMS = "57ff2da0-773e-42df-b2af-ffb7a2317929";
const OFFICE = "43de0ff5-c92c-492b-9116-175376d08c38";
const NEW_PLAN = "0b4e4b1a-1111-4c7e-9a2b-5d1f3c2e9a70";

/** The tenant's subscribedSkus as Graph returns them, from the bundled catalog plus extra plans. */
function liveSku(skuId: string, extraPlans: { id: string; name: string }[] = []): LiveSku {
  const sku = bundled.skuById(skuId)!;
  return {
    skuId: sku.id,
    skuPartNumber: sku.partNumber,
    appliesTo: "User",
    capabilityStatus: "Enabled",
    consumedUnits: 0,
    prepaidUnits: { enabled: 10, suspended: 0, warning: 0, lockedOut: 0 },
    servicePlans: [...sku.servicePlans, ...extraPlans].map((p) => ({
      servicePlanId: p.id,
      servicePlanName: p.name,
      provisioningStatus: "Success",
      appliesTo: "User",
    })),
  };
}

let desired: DesiredState;
beforeAll(async () => {
  const loaded = await loadManifests(["basic"], { cwd: FIXTURES });
  desired = loaded.state!;
});

const at = { file: "m.yaml", line: 1, column: 1 };
const withLicenses = (state: DesiredState, licenses: DesiredLicense[]): DesiredState => ({
  ...state,
  users: [{ kind: "user", ref: "x@contoso.com", licenses, location: at }],
  groups: [],
});

describe("resolveDesiredState", () => {
  it("resolves part numbers, display names and GUIDs; a deny-list becomes sorted plan GUIDs", () => {
    const { state, problems } = resolveDesiredState(desired, bundled);
    expect(problems).toEqual([]);
    expect(state?.scope).toEqual({ mode: "additive", skuIds: [E5, E3, P2].sort() });
    const adele = state?.users.find((u) => u.ref === "adele.vance@contoso.com");
    expect(adele?.licenses).toEqual([
      {
        skuId: E3,
        skuPartNumber: "ENTERPRISEPACK",
        planMode: "deny",
        disabledPlans: [SWAY, YAMMER].sort(),
        location: { file: "basic/tenant.yaml", line: 16, column: 7 },
        viaProfile: "office-e3",
      },
      {
        skuId: P2,
        skuPartNumber: "AAD_PREMIUM_P2",
        planMode: "all",
        disabledPlans: [],
        location: { file: "basic/people/users.yml", line: 9, column: 9 },
      },
    ]);
    expect(state?.users.find((u) => u.ref === "adele.vance@contoso.com")?.usageLocation).toBe("GB");
    expect(state?.protect).toBe(desired.protect);
    expect(state?.limits).toEqual({ maxRemovals: 10 });
    expect(state?.digest).toBe(desired.digest);
  });

  it("turns an allow-list into every other plan of the SKU disabled", () => {
    const { state } = resolveDesiredState(desired, bundled);
    const license = state?.groups[0]?.licenses[0];
    const e5Plans = bundled.skuById(E5)!.servicePlans.map((p) => p.id);
    expect(license).toMatchObject({
      skuId: E5,
      planMode: "allow",
      enabledPlans: [EXCHANGE, OFFICE, TEAMS].sort(),
    });
    expect(license?.disabledPlans).toEqual(
      e5Plans.filter((id) => ![EXCHANGE, OFFICE, TEAMS].includes(id)).sort(),
    );
  });

  it("against the tenant's catalog, disables a plan the tenant's SKU gained after the bundled catalog", () => {
    const tenant = Catalog.fromSubscribedSkus(
      [liveSku(E3), liveSku(E5, [{ id: NEW_PLAN, name: "COPILOT_STUDIO_IN_E5" }]), liveSku(P2)],
      bundled,
    );
    const { state, problems } = resolveDesiredState(desired, tenant, {
      catalogIsTenant: true,
      reference: bundled,
    });
    expect(problems).toEqual([]);
    expect(state?.groups[0]?.licenses[0]?.disabledPlans).toContain(NEW_PLAN);
    // A deny-list leaves the new plan on.
    const e3 = resolveDesiredState(
      withLicenses(desired, [{ sku: "SPE_E5", disabledPlans: ["SWAY"], location: at }]),
      tenant,
      { catalogIsTenant: true, reference: bundled },
    );
    expect(e3.state?.users[0]?.licenses[0]?.disabledPlans).not.toContain(NEW_PLAN);
  });

  it("says the tenant has no subscription for a product it does not own", () => {
    const tenant = Catalog.fromSubscribedSkus([liveSku(E3), liveSku(E5)], bundled);
    const { state, problems } = resolveDesiredState(desired, tenant, {
      catalogIsTenant: true,
      reference: bundled,
    });
    expect(state).toBeUndefined();
    expect(problems).toContainEqual(
      expect.objectContaining({
        code: "sku-not-in-tenant",
        message: "the tenant has no subscription for Microsoft Entra ID P2 (AAD_PREMIUM_P2)",
        location: { file: "basic/tenant.yaml", line: 7, column: 46 },
      }),
    );
    expect(problems.filter((p) => p.code === "unknown-sku")).toEqual([]);
  });

  it("reports the same SKU twice on one principal, also through a profile", () => {
    const { state, problems } = resolveDesiredState(
      withLicenses(desired, [
        {
          sku: "ENTERPRISEPACK",
          location: { file: "p.yaml", line: 3, column: 7 },
          viaProfile: { name: "office-e3", location: at },
        },
        { sku: "Office 365 E3", location: { file: "m.yaml", line: 9, column: 9 } },
      ]),
      bundled,
    );
    expect(state).toBeUndefined();
    expect(problems).toEqual([
      {
        code: "duplicate-license",
        severity: "error",
        message:
          'user "x@contoso.com" gets ENTERPRISEPACK twice: here and at p.yaml:3:7 through profile "office-e3"',
        hint: "A principal holds a SKU once; keep one entry and put all its plan settings there.",
        location: { file: "m.yaml", line: 9, column: 9 },
      },
    ]);
  });

  it("reports a wrong name once per place, however many principals use the profile", () => {
    const license: DesiredLicense = {
      sku: "ENTERPRISEPACK",
      disabledPlans: ["SWAYY"],
      location: { file: "p.yaml", line: 4, column: 7 },
    };
    const users = ["a", "b", "c"].map((name) => ({
      kind: "user" as const,
      ref: `${name}@contoso.com`,
      licenses: [{ ...license, viaProfile: { name: "office", location: at } }],
      location: at,
    }));
    const { problems } = resolveDesiredState({ ...desired, users, groups: [] }, bundled);
    expect(problems).toMatchObject([
      { code: "unknown-plan", message: 'unknown service plan "SWAYY" in Office 365 E3 (ENTERPRISEPACK)' },
    ]);
  });
});

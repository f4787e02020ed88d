import fc from "fast-check";
import { stringify } from "yaml";
import type { TenantFixture } from "../../src/emulator/index.js";

/**
 * Generated tenants and manifests in the shapes the product reads from disk:
 * an emulator fixture and a licensectl/v1 manifest. For the end-to-end
 * properties that go through the CLI, the Graph client, the writer and the
 * emulator. Real SKU and service-plan names, so names resolve as in a tenant.
 */

export const GENERATED_TENANT_ID = "9e4d2c7b-3a1f-4b8e-a6d5-2f0c1b9e8a74";
const SKUS = ["ENTERPRISEPACK", "SPE_E5", "EMS", "FLOW_FREE"] as const;
/** Plans each SKU may have disabled (EMS: none, to exercise the no-plan form too). */
const PLANS: Record<(typeof SKUS)[number], readonly string[]> = {
  ENTERPRISEPACK: ["SWAY", "TEAMS1", "FORMS_PLAN_E3"],
  SPE_E5: ["SWAY", "TEAMS1"],
  EMS: [],
  FLOW_FREE: [],
};
export const USER_COUNT = 6;
export const upnOf = (i: number) => `user${i}@fabrikam-prop.test`;

const license = fc.constantFrom(...SKUS).chain((sku) =>
  fc.record({
    sku: fc.constant(sku),
    disabledPlans: fc.subarray([...PLANS[sku]], { maxLength: Math.min(2, PLANS[sku].length) }),
  }),
);
const licenses = (max: number) => fc.uniqueArray(license, { selector: (l) => l.sku, maxLength: max });
type License = { sku: string; disabledPlans: string[] };

export const tenantScenario = fc.record({
  seats: fc.tuple(...SKUS.map(() => fc.integer({ min: 1, max: 8 }))),
  users: fc.array(fc.record({ licenses: licenses(3), located: fc.boolean() }), {
    minLength: 1,
    maxLength: USER_COUNT,
  }),
  groups: fc.array(
    fc.record({ licenses: licenses(2), members: fc.subarray([...Array(USER_COUNT).keys()]) }),
    {
      maxLength: 2,
    },
  ),
  wantUsers: fc.array(fc.option(licenses(3), { nil: undefined }), { maxLength: USER_COUNT }),
  wantGroups: fc.array(fc.option(licenses(2), { nil: undefined }), { maxLength: 2 }),
  scope: fc.subarray(["ENTERPRISEPACK", "SPE_E5", "EMS"], { minLength: 1 }),
  mode: fc.constantFrom("authoritative", "additive"),
  protect: fc.subarray([...Array(USER_COUNT).keys()], { maxLength: 2 }),
  defaultUsageLocation: fc.option(fc.constantFrom("GB", "NL"), { nil: undefined }),
});
export type TenantScenario = typeof tenantScenario extends fc.Arbitrary<infer T> ? T : never;

const fixtureLicense = (l: License) => ({
  sku: l.sku,
  ...(l.disabledPlans.length ? { disabledPlans: l.disabledPlans } : {}),
});

/** Users holding `sku` directly or through a group. */
function holders(spec: TenantScenario, sku: string): number {
  let count = 0;
  spec.users.forEach((u, i) => {
    const viaGroup = spec.groups.some((g) => g.members.includes(i) && g.licenses.some((l) => l.sku === sku));
    if (viaGroup || u.licenses.some((l) => l.sku === sku)) count++;
  });
  return count;
}

export function fixtureOf(spec: TenantScenario): TenantFixture {
  return {
    apiVersion: "licensectl.emulator/v1",
    kind: "Tenant",
    tenant: {
      id: GENERATED_TENANT_ID,
      displayName: "Fabrikam Generated",
      countryLetterCode: "US",
      domains: ["fabrikamprop.onmicrosoft.com", "fabrikam-prop.test"],
    },
    // The users who hold a SKU today plus 0..7 spare seats: often too few for what the manifest wants.
    skus: SKUS.map((sku, i) => ({ sku, seats: holders(spec, sku) + spec.seats[i]! - 1 })),
    users: spec.users.map((u, i) => ({
      upn: upnOf(i),
      usageLocation: u.located || u.licenses.length > 0 ? "US" : null,
      licenses: u.licenses.map(fixtureLicense),
    })),
    groups: spec.groups.map((g, i) => ({
      name: `Licensing G${i}`,
      members: g.members.filter((m) => m < spec.users.length).map(upnOf),
      licenses: g.licenses.map(fixtureLicense),
    })),
  };
}

/** The manifest as YAML text: what a repository would hold. */
export function manifestOf(spec: TenantScenario): string {
  const inScope = (l: License) => spec.scope.includes(l.sku);
  const users = spec.wantUsers.flatMap((want, i) =>
    want && i < spec.users.length
      ? [{ user: upnOf(i), licenses: want.filter(inScope).map(fixtureLicense) }]
      : [],
  );
  const groups = spec.wantGroups.flatMap((want, i) =>
    want && i < spec.groups.length
      ? [{ group: `Licensing G${i}`, licenses: want.filter(inScope).map(fixtureLicense) }]
      : [],
  );
  const protect = spec.protect.filter((i) => i < spec.users.length).map(upnOf);
  return stringify({
    apiVersion: "licensectl/v1",
    tenant: {
      id: GENERATED_TENANT_ID,
      ...(spec.defaultUsageLocation ? { defaultUsageLocation: spec.defaultUsageLocation } : {}),
    },
    scope: { skus: spec.scope, mode: spec.mode },
    ...(protect.length ? { protect: { users: protect } } : {}),
    ...(users.length ? { users } : {}),
    ...(groups.length ? { groups } : {}),
  });
}

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { TenantFixture } from "../../src/emulator/index.js";

/**
 * A tenant in the middle of a licensing change, big enough for several
 * `$batch` requests per wave: usage locations to set, E3 -> E5 swaps, plan
 * updates, additions, removals, and a group that starts licensing its members.
 */
export const CHURN_TENANT_ID = "c4a1e7f2-8b3d-4c6e-9f0a-1d2e3f4a5b6c";
const USERS = 80;
const upn = (i: number) => `person${String(i).padStart(2, "0")}@northwind.test`;

export function churnFixture(): TenantFixture {
  return {
    apiVersion: "licensectl.emulator/v1",
    kind: "Tenant",
    tenant: {
      id: CHURN_TENANT_ID,
      displayName: "Northwind",
      countryLetterCode: "US",
      domains: ["northwind.onmicrosoft.com", "northwind.test"],
    },
    skus: [
      { sku: "ENTERPRISEPACK", seats: 70 },
      { sku: "SPE_E5", seats: 25 },
      { sku: "EMS", seats: 40 },
      { sku: "FLOW_FREE", seats: 1000 },
    ],
    users: Array.from({ length: USERS }, (_, i) => ({
      upn: upn(i),
      usageLocation: i % 5 === 4 && i >= 60 ? null : "US",
      licenses: [
        ...(i < 40 ? [{ sku: "ENTERPRISEPACK" }] : []),
        ...(i >= 40 && i < 65 ? [{ sku: "EMS" }] : []),
        ...(i % 7 === 0 ? [{ sku: "FLOW_FREE" }] : []),
      ],
    })),
    groups: [
      { name: "Licensing - EMS", members: Array.from({ length: 10 }, (_, i) => upn(i)) },
      { name: "Licensing - E3", members: [upn(70), upn(71)], licenses: [{ sku: "ENTERPRISEPACK" }] },
    ],
  };
}

/** Writes the desired state of the churn into `dir`/licenses.yaml. */
export function writeChurnManifests(dir: string): void {
  mkdirSync(dir, { recursive: true });
  // 60..64 are not declared: they only lose their EMS.
  const declared = Array.from({ length: 70 }, (_, i) => i).filter((i) => i < 60 || i >= 65);
  const users = declared.map((i) => ({
    user: upn(i),
    licenses:
      i < 20
        ? [{ sku: "SPE_E5", disabledPlans: ["SWAY"] }]
        : [{ sku: "ENTERPRISEPACK", ...(i % 2 === 0 ? { disabledPlans: ["SWAY"] } : {}) }],
  }));
  writeFileSync(
    join(dir, "licenses.yaml"),
    stringify({
      apiVersion: "licensectl/v1",
      tenant: { id: CHURN_TENANT_ID, defaultUsageLocation: "GB" },
      scope: { skus: ["ENTERPRISEPACK", "SPE_E5", "EMS"], mode: "authoritative" },
      protect: { users: [upn(25)] },
      limits: { maxRemovals: 100 },
      users,
      groups: [
        { group: "Licensing - EMS", licenses: [{ sku: "EMS" }] },
        { group: "Licensing - E3", licenses: [{ sku: "ENTERPRISEPACK" }] },
      ],
    }),
  );
}

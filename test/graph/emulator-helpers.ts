import { createGraphClient, type GraphConnection } from "../../src/graph/create-graph-client.js";
import type { TenantFixture } from "../../src/emulator/index.js";

/** A connection to a running emulator: no credential, loopback only. */
export function connectTo(url: string): GraphConnection {
  return createGraphClient({ cloud: "global", auth: "none", graphUrl: url, env: {} });
}

export const TENANT_ID = "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90";

/** A small tenant: direct, inherited and both-at-once licenses, an unlicensed group, a user without a usage location. */
export function smallTenant(): TenantFixture {
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
      { sku: "ENTERPRISEPACK", seats: 100 },
      { sku: "SPE_E5", seats: 50 },
      { sku: "EMS", seats: 1 },
    ],
    users: [
      {
        upn: "adele@contoso.com",
        usageLocation: "US",
        licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["SWAY"] }],
      },
      { upn: "alex@contoso.com", usageLocation: "GB" },
      { upn: "diego@contoso.com", usageLocation: "DE", licenses: [{ sku: "SPE_E5" }] },
      { upn: "grady@contoso.com", usageLocation: null },
      ...Array.from({ length: 60 }, (_, i) => ({ upn: `user${i}@contoso.com`, usageLocation: "US" })),
    ],
    groups: [
      {
        name: "Sales",
        mailNickname: "sales",
        members: ["alex@contoso.com", "diego@contoso.com"],
        licenses: [{ sku: "SPE_E5" }],
      },
      { name: "Project Falcon", mailNickname: "falcon", members: ["adele@contoso.com"] },
      { name: "Unnamed", mailNickname: "unnamed", members: ["adele@contoso.com"] },
      { name: "Mobility", mailNickname: "mobility", members: ["user0@contoso.com", "user1@contoso.com"] },
    ],
  };
}

/** Waits a fraction of what Graph asked for: the emulator's token bucket refills in real time. */
export const scaledSleep =
  (factor: number) =>
  (ms: number): Promise<void> =>
    new Promise((resolve) => setTimeout(resolve, Math.ceil(ms * factor)));

/** `$batch` requests that read these member lists: round r carries the r-th page of each list that has one, 20 to a batch. */
export function memberBatches(memberCounts: readonly number[]): number {
  let batches = 0;
  for (let round = 1; ; round += 1) {
    const pages = memberCounts.filter((n) => round === 1 || n > (round - 1) * 999).length;
    if (pages === 0) return batches;
    batches += Math.ceil(pages / 20);
  }
}

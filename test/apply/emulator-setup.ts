import { createGraphClient } from "../../src/graph/create-graph-client.js";
import { createLicenseWriter } from "../../src/graph/graph-license-writer.js";
import type { LicenseWriter } from "../../src/graph/write-operations.js";
import type { LiveState, LiveUser } from "../../src/model/live-state.js";
import type { PrincipalRef, SkuRef } from "../../src/model/plan.js";
import type { TenantFixture } from "../../src/emulator/index.js";
import { TEST_CONSISTENCY_LAG_MS } from "../support/consistency-lag.js";

export const TENANT_ID = "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90";

/** A small tenant for apply scenarios: a few users, two groups, tight seats. */
export function applyTenant(): TenantFixture {
  return {
    apiVersion: "licensectl.emulator/v1",
    kind: "Tenant",
    tenant: {
      id: TENANT_ID,
      displayName: "Contoso",
      countryLetterCode: "US",
      domains: ["contoso.onmicrosoft.com", "contoso.com"],
    },
    skus: [
      { sku: "ENTERPRISEPACK", seats: 6 },
      { sku: "SPE_E5", seats: 2 },
      { sku: "EMS", seats: 1 },
      { sku: "POWER_BI_PRO", seats: 0 },
    ],
    users: [
      {
        upn: "adele.vance@contoso.com",
        usageLocation: "US",
        licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["SWAY"] }],
      },
      { upn: "alex.wilber@contoso.com" },
      { upn: "diego.siciliani@contoso.com", usageLocation: "US" },
      { upn: "grady.archie@contoso.com", usageLocation: "US", licenses: [{ sku: "ENTERPRISEPACK" }] },
      { upn: "henrietta.mueller@contoso.com", usageLocation: "DE" },
      { upn: "isaiah.langer@contoso.com", usageLocation: "US" },
    ],
    groups: [
      { name: "Engineering", members: ["grady.archie@contoso.com", "henrietta.mueller@contoso.com"] },
      { name: "Contractors", members: ["diego.siciliani@contoso.com", "isaiah.langer@contoso.com"] },
    ],
  };
}

/**
 * The real writer over the real Graph client, pointed at an emulator; retry
 * waits shortened. Its consistency window is the suites' lag, which is
 * enough for emulators with that lag or none.
 */
export function writerFor(url: string, consistencyWindowMs = TEST_CONSISTENCY_LAG_MS): LicenseWriter {
  const connection = createGraphClient({ cloud: "global", graphUrl: url, auth: "none", env: {} });
  return createLicenseWriter(connection, {
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
    random: () => 0.5,
    consistencyWindowMs,
  });
}

/** Looks up ids in an emulator snapshot, to hand-build plans the way the planner would. */
export function lookup(live: LiveState) {
  const sku = (part: string): SkuRef => {
    const found = live.skus.find((s) => s.skuPartNumber === part);
    if (!found) throw new Error(`no SKU ${part}`);
    return { skuId: found.skuId, skuPartNumber: found.skuPartNumber };
  };
  const userRecord = (upn: string): LiveUser => {
    const found = live.users.find((u) => u.userPrincipalName === upn);
    if (!found) throw new Error(`no user ${upn}`);
    return found;
  };
  return {
    sku,
    plan: (part: string, name: string) => {
      const found = live.skus
        .find((s) => s.skuPartNumber === part)
        ?.servicePlans.find((p) => p.servicePlanName === name);
      if (!found) throw new Error(`no plan ${name} in ${part}`);
      return { id: found.servicePlanId, name };
    },
    user: (upn: string): PrincipalRef => ({ kind: "user", id: userRecord(upn).id, name: upn }),
    userRecord,
    group: (name: string): PrincipalRef => {
      const found = live.groups.find((g) => g.displayName === name);
      if (!found) throw new Error(`no group ${name}`);
      return { kind: "group", id: found.id, name };
    },
  };
}

/** A user's licenses as `SKU:direct|group` strings, sorted, for readable assertions. */
export function holdings(live: LiveState, upn: string): string[] {
  const user = live.users.find((u) => u.userPrincipalName === upn)!;
  const part = (skuId: string) => live.skus.find((s) => s.skuId === skuId)?.skuPartNumber ?? skuId;
  return user.licenseAssignmentStates
    .map(
      (s) =>
        `${part(s.skuId)}:${s.assignedByGroup === null ? "direct" : "group"}${s.error && s.error !== "None" ? `:${s.error}` : ""}`,
    )
    .sort();
}

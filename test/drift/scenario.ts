import {
  desiredState,
  license,
  liveGroup,
  liveSku,
  liveState,
  liveUser,
  plan,
  principal,
} from "./builders.js";
import type { DriftFromPlan, DriftInput } from "../../src/drift/compute-drift.js";
import { reference } from "./builders.js";

/** A new plan Microsoft "added" to Office 365 E3 in this tenant (not in the bundled catalog). */
export const NEW_PLAN = { id: "0b4e4b1a-1111-4c7e-9a2b-5d1f3c2e9a70", name: "COPILOT_STUDIO_IN_E3" };

/**
 * One tenant with one item in every drift category:
 * alice is clean; bob holds an out-of-scope SKU and has no usage location;
 * carol holds E5 directly and through Sales; dave's E5 from Sales failed (CountViolation);
 * Marketing holds an out-of-scope SKU; E3 is nearly full and gained a plan; E5 is over capacity;
 * POWER_BI_STANDARD is in Warning.
 */
export function scenario(): DriftInput & DriftFromPlan {
  const live = liveState({
    skus: [
      liveSku("ENTERPRISEPACK", { enabled: 10, consumed: 9, addPlans: [NEW_PLAN] }),
      liveSku("SPE_E5", { enabled: 5, consumed: 6 }),
      liveSku("POWER_BI_STANDARD", { enabled: 1000000, consumed: 1, status: "Warning" }),
      liveSku("FLOW_FREE", { enabled: 10000, consumed: 20 }),
    ],
    users: [
      liveUser("alice@contoso.com", { licenses: [{ sku: "ENTERPRISEPACK" }] }),
      liveUser("bob@contoso.com", { usageLocation: null, licenses: [{ sku: "POWER_BI_STANDARD" }] }),
      liveUser("carol@contoso.com", { licenses: [{ sku: "SPE_E5" }, { sku: "SPE_E5", group: "gid-sales" }] }),
      liveUser("dave@contoso.com", {
        usageLocation: null,
        licenses: [{ sku: "SPE_E5", group: "gid-sales", error: "CountViolation" }],
      }),
      liveUser("nolicense@contoso.com", { usageLocation: null }),
    ],
    groups: [
      liveGroup("Sales", { skus: ["SPE_E5"], memberIds: ["id-carol", "id-dave"] }),
      liveGroup("Marketing", { skus: ["FLOW_FREE"] }),
    ],
  });
  const desired = desiredState({
    scope: ["ENTERPRISEPACK", "SPE_E5"],
    users: [
      principal("user", "alice@contoso.com", [license("ENTERPRISEPACK", { deny: ["SWAY"] })]),
      principal("user", "erin@contoso.com", [
        license("ENTERPRISEPACK", { allow: ["EXCHANGE_S_ENTERPRISE"], extraDisabled: [NEW_PLAN.id] }),
      ]),
      principal("user", "carol@contoso.com", [license("SPE_E5")]),
    ],
    groups: [principal("group", "Sales", [license("SPE_E5")])],
  });
  const pending = plan([
    {
      kind: "setUsageLocation",
      id: "c1",
      user: { kind: "user", id: "id-dave", name: "dave@contoso.com" },
      from: null,
      to: "US",
      impact: "low",
      reasons: [
        { code: "usage-location-default", message: "needed for a license; tenant.defaultUsageLocation used" },
      ],
    },
  ]);
  return { desired, live, plan: pending, reference };
}

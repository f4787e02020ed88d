import fc from "fast-check";
import jsonpatch from "fast-json-patch";
import { describe, expect, it } from "vitest";
import type { LiveState } from "../../src/model/live-state.js";
import type { LicenseState } from "../../src/model/plan.js";
import { withLicenseStates } from "../../src/plan/license-states.js";
import { planChanges } from "../../src/plan/plan-changes.js";
import { tenant, type LicenseSpec } from "./builders.js";
import { OPTIONS } from "./helpers.js";
import { simulateApply } from "./simulate-apply.js";

/**
 * The JSON plan contract: every license change carries the principal's
 * direct licenses before and after, and an RFC 6902 patch between them.
 * Over generated tenants: applying `patch` to `before` gives `after`,
 * `before` is what the tenant holds, and `after` is what carrying the plan
 * out leaves.
 */
const SKUS = ["ENTERPRISEPACK", "SPE_E5", "EMS", "POWER_BI_PRO"] as const;
const PLANS = ["EXCHANGE_S_ENTERPRISE", "TEAMS1", "SWAY"];
const USERS = 6;

const license = fc.record({
  sku: fc.constantFrom(...SKUS),
  disabledPlans: fc.subarray(PLANS, { maxLength: 2 }),
});
const licenses = (max: number) => fc.uniqueArray(license, { selector: (l) => l.sku, maxLength: max });
const scenario = fc.record({
  live: fc.array(licenses(3), { minLength: 1, maxLength: USERS }),
  want: fc.array(fc.option(licenses(3), { nil: undefined }), { maxLength: USERS }),
  groups: fc.array(fc.record({ live: licenses(2), want: licenses(2) }), { maxLength: 2 }),
  mode: fc.constantFrom("authoritative" as const, "additive" as const),
});

function directOf(live: LiveState, kind: "user" | "group", id: string): LicenseState {
  const skuName = (skuId: string) => live.skus.find((s) => s.skuId === skuId)!.skuPartNumber;
  const planName = (planId: string) =>
    live.skus.flatMap((s) => s.servicePlans).find((p) => p.servicePlanId === planId)!.servicePlanName;
  const assigned =
    kind === "user"
      ? live.users.find((u) => u.id === id)!.licenseAssignmentStates.filter((s) => s.assignedByGroup === null)
      : live.groups.find((g) => g.id === id)!.assignedLicenses;
  return {
    licenses: Object.fromEntries(
      assigned
        .map(
          (l) =>
            [
              skuName(l.skuId),
              { skuId: l.skuId, disabledPlans: l.disabledPlans.map(planName).sort() },
            ] as const,
        )
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  };
}

describe("license states and patches in the plan (property)", () => {
  it("applying each change's patch to its before gives its after, and both match the tenant", () => {
    let changes = 0;
    fc.assert(
      fc.property(scenario, (spec) => {
        const t = tenant();
        SKUS.forEach((sku) => t.sku(sku, { seats: 50 }));
        spec.live.forEach((l, i) =>
          t.user(`u${i}@x.com`, { licenses: l as LicenseSpec[], usageLocation: "US" }),
        );
        spec.groups.forEach((g, i) => t.group(`G${i}`, { licenses: g.live, members: ["u0@x.com"] }));
        const manifest = t.manifest({ scope: [...SKUS], mode: spec.mode });
        spec.want.forEach((want, i) => {
          if (want && i < spec.live.length) manifest.user(`u${i}@x.com`, { licenses: want });
        });
        spec.groups.forEach((g, i) => manifest.group(`G${i}`, { licenses: g.want }));
        const live = t.live();
        const result = planChanges(manifest.build(), live, OPTIONS);
        if (!result.plan) return;
        const plan = withLicenseStates(result.plan, live);
        const after = simulateApply(live, plan);
        const seen = new Map<string, LicenseState>();
        for (const change of plan.waves.flatMap((w) => w.changes)) {
          if (change.kind !== "assignLicenses") continue;
          changes += 1;
          const patched = jsonpatch.applyPatch(
            structuredClone(change.before!),
            structuredClone(change.patch!) as jsonpatch.Operation[],
            true,
            false,
          ).newDocument;
          expect(patched).toEqual(change.after);
          // The first change of a principal starts from the tenant; a later one from where the one before left it.
          const key = `${change.target.kind}:${change.target.id}`;
          expect(change.before).toEqual(
            seen.get(key) ?? directOf(live, change.target.kind, change.target.id),
          );
          seen.set(key, change.after!);
        }
        // The last change of each principal leaves what carrying the plan out leaves.
        for (const [key, state] of seen) {
          const [kind, id] = key.split(":") as ["user" | "group", string];
          expect(state).toEqual(directOf(after, kind, id));
        }
      }),
      { numRuns: 200 },
    );
    expect(changes).toBeGreaterThan(50);
  });
});

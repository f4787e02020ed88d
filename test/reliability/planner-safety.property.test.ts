import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkApplyGuards } from "../../src/apply/guards.js";
import type { LiveState } from "../../src/model/live-state.js";
import type { Plan } from "../../src/model/plan.js";
import { planChanges } from "../../src/plan/plan-changes.js";
import { tenant, type LicenseSpec } from "../plan/builders.js";
import { OPTIONS } from "../plan/helpers.js";
import { simulateApply } from "../plan/simulate-apply.js";
import { countFigures } from "./figures.js";

/**
 * Safety properties of the planner over generated tenants that are meant to
 * corner it: tight and over-used seats, protected principals, group-inherited
 * licenses, SKUs out of scope, users without a usage location, both modes and
 * removal limits. Complements test/plan (which checks plan(x, x) and
 * apply-then-plan with ample seats) with what must hold for every plan it does
 * make, wave by wave, and for every refusal.
 */

const SKUS = ["ENTERPRISEPACK", "SPE_E5", "EMS", "POWER_BI_PRO", "FLOW_FREE"] as const;
const PLANS = ["EXCHANGE_S_ENTERPRISE", "TEAMS1", "SWAY"];
const USERS = 8;

const license = fc.record({
  sku: fc.constantFrom(...SKUS),
  disabledPlans: fc.subarray(PLANS, { maxLength: 2 }),
});
const licenses = (max: number) => fc.uniqueArray(license, { selector: (l) => l.sku, maxLength: max });

const scenario = fc.record({
  seats: fc.tuple(...SKUS.map(() => fc.integer({ min: 0, max: 8 }))),
  liveUsers: fc.array(fc.record({ licenses: licenses(3), located: fc.boolean() }), {
    minLength: 1,
    maxLength: USERS,
  }),
  liveGroups: fc.array(fc.record({ licenses: licenses(2), members: fc.subarray([...Array(USERS).keys()]) }), {
    maxLength: 3,
  }),
  wantUsers: fc.array(fc.option(licenses(3), { nil: undefined }), { maxLength: USERS }),
  wantGroups: fc.array(fc.option(licenses(2), { nil: undefined }), { maxLength: 3 }),
  scope: fc.subarray([...SKUS], { minLength: 1 }),
  mode: fc.constantFrom("authoritative" as const, "additive" as const),
  protectUsers: fc.subarray([...Array(USERS).keys()], { maxLength: 3 }),
  protectGroups: fc.subarray([0, 1, 2], { maxLength: 1 }),
  maxRemovals: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  defaultUsageLocation: fc.option(fc.constantFrom("GB", "DE"), { nil: undefined }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(spec: Scenario) {
  const t = tenant();
  SKUS.forEach((sku, i) => t.sku(sku, { seats: spec.seats[i]! }));
  spec.liveUsers.forEach((u, i) =>
    t.user(`u${i}@x.com`, { licenses: u.licenses as LicenseSpec[], usageLocation: u.located ? "US" : null }),
  );
  spec.liveGroups.forEach((g, i) =>
    t.group(`G${i}`, {
      licenses: g.licenses,
      members: g.members.filter((m) => m < spec.liveUsers.length).map((m) => `u${m}@x.com`),
    }),
  );
  const manifest = t.manifest({
    scope: spec.scope,
    mode: spec.mode,
    protectUsers: spec.protectUsers.filter((i) => i < spec.liveUsers.length).map((i) => `u${i}@x.com`),
    protectGroups: spec.protectGroups.filter((i) => i < spec.liveGroups.length).map((i) => `G${i}`),
    ...(spec.maxRemovals !== undefined ? { maxRemovals: spec.maxRemovals } : {}),
    ...(spec.defaultUsageLocation ? { defaultUsageLocation: spec.defaultUsageLocation } : {}),
  });
  spec.wantUsers.forEach((want, i) => {
    if (want && i < spec.liveUsers.length)
      manifest.user(`u${i}@x.com`, { licenses: want.filter((l) => spec.scope.includes(l.sku)) });
  });
  spec.wantGroups.forEach((want, i) => {
    if (want && i < spec.liveGroups.length)
      manifest.group(`G${i}`, { licenses: want.filter((l) => spec.scope.includes(l.sku)) });
  });
  return { t, desired: manifest.build(), live: t.live() };
}

/** `sku|disabled plans` of a user's assignments, direct or from one group, for set comparisons. */
const statesOf = (live: LiveState, userId: string, source: "direct" | string) =>
  live.users
    .find((u) => u.id === userId)!
    .licenseAssignmentStates.filter((s) =>
      source === "direct" ? s.assignedByGroup === null : s.assignedByGroup === source,
    )
    .map((s) => `${s.skuId}|${[...s.disabledPlans].sort().join(",")}`)
    .sort();
const skusHeld = (live: LiveState, userId: string) =>
  new Set(live.users.find((u) => u.id === userId)!.assignedLicenses.map((l) => l.skuId));
const consumed = (live: LiveState, skuId: string) => live.skus.find((s) => s.skuId === skuId)!.consumedUnits;

const KNOWN_REFUSALS = new Set([
  "capacity-exceeded",
  // Swaps that each need the seat another frees, none free: no gap-free order exists.
  "swap-needs-free-seat",
  "protected-principal",
  "usage-location-missing",
  "sku-company-only",
  "sku-not-enabled",
  "group-members-unknown",
  "duplicate-license",
]);

describe("the planner keeps its safety promises on generated tenants (property)", () => {
  it("touches only in-scope SKUs and direct assignments, never a protected principal, never too many seats, never removes in additive mode", ({
    task,
  }) => {
    let planned = 0;
    let refused = 0;
    fc.assert(
      fc.property(scenario, (spec) => {
        const { t, desired, live } = build(spec);
        const result = planChanges(desired, live, OPTIONS);
        if (!result.plan) {
          refused++;
          const errors = result.problems.filter((p) => p.severity === "error");
          expect(errors.length).toBeGreaterThan(0);
          for (const e of errors) {
            expect(KNOWN_REFUSALS, `${e.code}: ${e.message}`).toContain(e.code);
            expect(e.message.length).toBeGreaterThan(10);
          }
          return;
        }
        planned++;
        const plan: Plan = result.plan;
        const scopeIds = new Set(spec.scope.map((s) => t.skuId(s)));
        const protectedUsers = new Set(desired.protect.users.map((p) => t.userId(p.name)));
        const protectedGroups = new Set(desired.protect.groups.map((p) => t.groupId(p.name)));
        const changes = plan.waves.flatMap((w) => w.changes);
        const changedGroups = new Set<string>();

        for (const change of changes) {
          if (change.kind !== "assignLicenses") continue;
          // Out-of-scope SKUs are never touched.
          for (const sku of [...change.add, ...change.update, ...change.remove])
            expect(scopeIds).toContain(sku.skuId);
          if (change.target.kind === "group") {
            changedGroups.add(change.target.id);
            if (protectedGroups.has(change.target.id)) expect(change.remove).toEqual([]);
          } else {
            // Only a direct assignment is ever removed from a user; inherited ones are the group's.
            const direct = new Set(
              live.users
                .find((u) => u.id === change.target.id)!
                .licenseAssignmentStates.filter((s) => s.assignedByGroup === null)
                .map((s) => s.skuId),
            );
            for (const r of change.remove) expect(direct).toContain(r.skuId);
          }
          if (spec.mode === "additive") expect(change.remove).toEqual([]);
        }

        // Wave by wave, as apply carries it out: seats stay within what the tenant owns.
        for (let k = 1; k <= plan.waves.length; k++) {
          const partial = simulateApply(live, { ...plan, waves: plan.waves.slice(0, k) });
          for (const sku of live.skus) {
            const ceiling = Math.max(sku.prepaidUnits.enabled, consumed(live, sku.skuId));
            expect(consumed(partial, sku.skuId), `${sku.skuPartNumber} after wave ${k}`).toBeLessThanOrEqual(
              ceiling,
            );
          }
        }

        const after = simulateApply(live, plan);
        for (const user of live.users) {
          const held = skusHeld(after, user.id);
          // Protected users and additive mode: nobody loses a SKU, by any path.
          if (protectedUsers.has(user.id) || spec.mode === "additive")
            for (const skuId of skusHeld(live, user.id))
              expect(held, user.userPrincipalName).toContain(skuId);
          // Out-of-scope direct assignments stay exactly as they were.
          const outOfScope = (s: string) => !scopeIds.has(s.split("|")[0]!);
          expect(statesOf(after, user.id, "direct").filter(outOfScope)).toEqual(
            statesOf(live, user.id, "direct").filter(outOfScope),
          );
          // Inherited assignments of groups the plan does not change stay exactly as they were.
          for (const group of live.groups)
            if (!changedGroups.has(group.id))
              expect(statesOf(after, user.id, group.id)).toEqual(statesOf(live, user.id, group.id));
        }
        for (const sku of plan.seats) {
          const before = consumed(live, sku.skuId);
          if (sku.consumedAfter > before) expect(sku.consumedAfter).toBeLessThanOrEqual(sku.enabled);
          expect(consumed(after, sku.skuId)).toBe(sku.consumedAfter);
        }

        // Apply then plan is empty, tight seats and guards included.
        const again = planChanges(desired, after, OPTIONS);
        expect(again.problems.filter((p) => p.severity === "error")).toEqual([]);
        expect(again.plan!.waves).toEqual([]);

        // The removal limit: apply refuses exactly the plans over it.
        const limit = desired.limits.maxRemovals;
        if (limit !== undefined && plan.summary.removals > limit)
          expect(() => checkApplyGuards(plan, {})).toThrow(/more than the limit/);
        else expect(() => checkApplyGuards(plan, {})).not.toThrow();
      }),
      { numRuns: 500 },
    );
    // Both outcomes must be common, or the property says little.
    expect(planned).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(25);
    countFigures(task, { casesRun: planned + refused });
  });

  it("plans nothing for a manifest that declares what a cornered tenant holds (plan(x, x) is empty)", ({
    task,
  }) => {
    fc.assert(
      fc.property(scenario, (spec) => {
        const { t } = build(spec);
        const desired = t.desired({
          scope: spec.scope,
          mode: spec.mode,
          protectUsers: spec.protectUsers.filter((i) => i < spec.liveUsers.length).map((i) => `u${i}@x.com`),
          ...(spec.maxRemovals !== undefined ? { maxRemovals: spec.maxRemovals } : {}),
        });
        const result = planChanges(desired, t.live(), OPTIONS);
        expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
        expect(result.plan!.waves).toEqual([]);
        expect(result.plan!.summary.risk).toBe("none");
      }),
      { numRuns: 300 },
    );
    countFigures(task, { casesRun: 300 });
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LiveState } from "../../src/model/live-state.js";
import { digestLiveState } from "../../src/plan/live-digest.js";
import { serializePlan } from "../../src/plan/plan-file.js";
import { tenant, type LicenseSpec } from "./builders.js";
import { planOf } from "./helpers.js";
import { simulateApply } from "./simulate-apply.js";

const SKUS = ["ENTERPRISEPACK", "SPE_E5", "EMS", "POWER_BI_PRO"];
const PLANS = ["EXCHANGE_S_ENTERPRISE", "TEAMS1", "SWAY"];

/** Every array of the live state reversed, GUIDs upper-cased: what a different reader might return. */
function scrambled(live: LiveState): LiveState {
  const up = (s: string) => s.toUpperCase();
  return {
    ...live,
    skus: [...live.skus].reverse().map((s) => ({ ...s, servicePlans: [...s.servicePlans].reverse() })),
    users: [...live.users].reverse().map((u) => ({
      ...u,
      id: up(u.id),
      assignedLicenses: [...u.assignedLicenses].reverse(),
      licenseAssignmentStates: [...u.licenseAssignmentStates]
        .reverse()
        .map((s) => ({ ...s, skuId: up(s.skuId), disabledPlans: [...s.disabledPlans].reverse().map(up) })),
    })),
    groups: [...live.groups]
      .reverse()
      .map((g) => ({ ...g, memberIds: g.memberIds && [...g.memberIds].reverse().map(up) })),
  };
}

function busyTenant() {
  const t = tenant()
    .sku("ENTERPRISEPACK", { seats: 50 })
    .sku("SPE_E5", { seats: 50 })
    .sku("EMS", { seats: 50 });
  for (let i = 0; i < 12; i++)
    t.user(`user${i}@x.com`, {
      licenses: i % 3 === 0 ? ["ENTERPRISEPACK"] : i % 3 === 1 ? ["SPE_E5", "EMS"] : [],
      usageLocation: i % 4 === 0 ? null : "US",
    });
  t.group("Sales", { licenses: ["EMS"], members: ["user1@x.com", "user2@x.com", "user3@x.com"] });
  t.group("Engineering", { members: ["user4@x.com", "user5@x.com", "user6@x.com"] });
  const desired = t.manifest({ defaultUsageLocation: "DE" });
  for (let i = 0; i < 12; i += 2)
    desired.user(`user${i}@x.com`, {
      licenses: ["SPE_E5", { sku: "ENTERPRISEPACK", disabledPlans: ["SWAY"] }],
    });
  desired.group("Engineering", { licenses: ["SPE_E5"] });
  return { t, desired: desired.build() };
}

describe("determinism", () => {
  it("gives byte-identical plans for the same inputs, whatever order the live state comes in", () => {
    const { t, desired } = busyTenant();
    const live = t.live();
    const first = serializePlan(planOf(desired, live));
    expect(serializePlan(planOf(desired, live))).toBe(first);
    expect(serializePlan(planOf(desired, scrambled(live)))).toBe(first);
    expect(JSON.parse(first).waves.length).toBeGreaterThan(3);
  });

  it("does not mutate its inputs", () => {
    const { t, desired } = busyTenant();
    const live = t.live();
    const before = JSON.stringify([desired, live]);
    planOf(desired, live);
    expect(JSON.stringify([desired, live])).toBe(before);
  });

  it("digests the live state independently of order and case, and notices changes", () => {
    const { t } = busyTenant();
    const live = t.live();
    expect(digestLiveState(scrambled(live))).toBe(digestLiveState(live));
    const moved = { ...live, users: live.users.map((u, i) => (i === 0 ? { ...u, usageLocation: "FR" } : u)) };
    expect(digestLiveState(moved)).not.toBe(digestLiveState(live));
  });

  it("plans nothing when the manifests declare what the tenant holds (property)", () => {
    const license = fc.record({
      sku: fc.constantFrom(...SKUS),
      disabledPlans: fc.subarray(PLANS),
    });
    const arbitraryTenant = fc.record({
      users: fc.array(fc.uniqueArray(license, { selector: (l) => l.sku, maxLength: 3 }), { maxLength: 8 }),
      groups: fc.array(
        fc.record({
          licenses: fc.uniqueArray(license, { selector: (l) => l.sku, maxLength: 2 }),
          members: fc.subarray([0, 1, 2, 3, 4, 5, 6, 7]),
        }),
        { maxLength: 3 },
      ),
      scope: fc.subarray(SKUS, { minLength: 1 }),
      mode: fc.constantFrom("authoritative" as const, "additive" as const),
    });
    fc.assert(
      fc.property(arbitraryTenant, (spec) => {
        const t = tenant();
        for (const sku of SKUS) t.sku(sku, { seats: 1000 });
        spec.users.forEach((licenses, i) => t.user(`u${i}@x.com`, { licenses: licenses as LicenseSpec[] }));
        spec.groups.forEach((g, i) =>
          t.group(`G${i}`, {
            licenses: g.licenses,
            members: g.members.filter((m) => m < spec.users.length).map((m) => `u${m}@x.com`),
          }),
        );
        const plan = planOf(t.desired({ scope: spec.scope, mode: spec.mode }), t.live());
        expect(plan.waves).toEqual([]);
        expect(plan.summary.risk).toBe("none");
      }),
      { numRuns: 150 },
    );
  });
});

describe("apply then plan", () => {
  it("plans nothing once a plan has been carried out (property)", () => {
    const license = fc.record({ sku: fc.constantFrom(...SKUS), disabledPlans: fc.subarray(PLANS) });
    const licenses = fc.uniqueArray(license, { selector: (l) => l.sku, maxLength: 3 });
    const arbitrary = fc.record({
      liveUsers: fc.array(fc.record({ licenses, located: fc.boolean() }), { minLength: 1, maxLength: 8 }),
      liveGroups: fc.array(fc.record({ licenses, members: fc.subarray([0, 1, 2, 3, 4, 5, 6, 7]) }), {
        maxLength: 3,
      }),
      wantUsers: fc.array(fc.option(licenses, { nil: undefined }), { maxLength: 8 }),
      wantGroups: fc.array(fc.option(licenses, { nil: undefined }), { maxLength: 3 }),
      scope: fc.subarray(SKUS, { minLength: 1 }),
      mode: fc.constantFrom("authoritative" as const, "additive" as const),
    });
    fc.assert(
      fc.property(arbitrary, (spec) => {
        const t = tenant();
        for (const sku of SKUS) t.sku(sku, { seats: 1000 });
        spec.liveUsers.forEach((u, i) =>
          t.user(`u${i}@x.com`, {
            licenses: u.licenses as LicenseSpec[],
            usageLocation: u.located ? "US" : null,
          }),
        );
        spec.liveGroups.forEach((g, i) =>
          t.group(`G${i}`, {
            licenses: g.licenses,
            members: g.members.filter((m) => m < spec.liveUsers.length).map((m) => `u${m}@x.com`),
          }),
        );
        const manifest = t.manifest({ scope: spec.scope, mode: spec.mode, defaultUsageLocation: "GB" });
        spec.wantUsers.forEach((want, i) => {
          if (want && i < spec.liveUsers.length)
            manifest.user(`u${i}@x.com`, { licenses: want.filter((l) => spec.scope.includes(l.sku)) });
        });
        spec.wantGroups.forEach((want, i) => {
          if (want && i < spec.liveGroups.length)
            manifest.group(`G${i}`, { licenses: want.filter((l) => spec.scope.includes(l.sku)) });
        });
        const desired = manifest.build();
        const live = t.live();
        const plan = planOf(desired, live);
        const again = planOf(desired, simulateApply(live, plan));
        expect(again.waves).toEqual([]);
        // Seats the planner predicted are the seats the tenant ends up with.
        const after = simulateApply(live, plan);
        for (const s of plan.seats)
          expect(after.skus.find((k) => k.skuId === s.skuId)!.consumedUnits).toBe(s.consumedAfter);
      }),
      { numRuns: 300 },
    );
  });
});

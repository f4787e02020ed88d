import { describe, expect, it } from "vitest";
import { LATER_UPDATES_REASON } from "../../src/plan/waves.js";
import { tenant } from "./builders.js";
import { errorsOf, licenseChange, parts, planOf, waveKinds } from "./helpers.js";

const E3 = "ENTERPRISEPACK";
const E5 = "SPE_E5";

describe("planChanges: moves leave nobody unlicensed in between", () => {
  it("group -> direct: the direct copy is added before the group's copy goes, protected users included", () => {
    const t = tenant()
      .sku(E3, { seats: 1 })
      .user("breakglass@x.com")
      .group("Staff", { licenses: [E3], members: ["breakglass@x.com"] });
    const plan = planOf(
      t
        .manifest({ protectUsers: ["breakglass@x.com"] })
        .user("breakglass@x.com", { licenses: [E3] })
        .group("Staff", { licenses: [] })
        .build(),
      t.live(),
    );
    // No seat is free, and none is needed: the direct copy of a SKU already held takes none.
    expect(waveKinds(plan)).toEqual(["add-held-users", "remove-groups"]);
    expect(parts(licenseChange(plan, `user:${t.userId("breakglass@x.com")}:add-held`).add)).toEqual([E3]);
    expect(plan.summary.removals).toBe(0);
  });

  it("direct -> group with another SKU: the direct removal waits for the group's copy", () => {
    const t = tenant()
      .sku(E3, { seats: 5 })
      .sku(E5, { seats: 5 })
      .user("a@x.com", { licenses: [E3] })
      .group("Leaders", { members: ["a@x.com"] });
    const plan = planOf(
      t
        .manifest()
        .group("Leaders", { licenses: [E5] })
        .build(),
      t.live(),
    );
    expect(waveKinds(plan)).toEqual(["add-groups", "group-handover"]);
    const handover = plan.waves[1]!;
    expect(handover.waitForGroups).toEqual([t.groupId("Leaders")]);
    expect(handover.reason).toContain("Nobody needs their seats earlier, so they wait");
    const change = licenseChange(plan, `user:${t.userId("a@x.com")}:licenses`);
    expect(parts(change.remove)).toEqual([E3]);
    expect(change.requiresActiveFrom).toEqual([
      { skuId: t.skuId(E5), skuPartNumber: E5, groupIds: [t.groupId("Leaders")] },
    ]);
    expect(change.reasons.map((r) => r.code)).toEqual(["not-declared", "replaced-by-group"]);
    expect(plan.summary.removals).toBe(1); // a does lose E3
  });

  it("... unless its seat is needed on the way: then it frees the seat first", () => {
    const t = tenant()
      .sku(E3, { seats: 1 })
      .sku(E5, { seats: 5 })
      .user("a@x.com", { licenses: [E3] })
      .user("b@x.com")
      .group("Leaders", { members: ["a@x.com"] });
    const plan = planOf(
      t
        .manifest()
        .user("b@x.com", { licenses: [E3] })
        .group("Leaders", { licenses: [E5] })
        .build(),
      t.live(),
    );
    expect(waveKinds(plan)).toEqual(["remove-users", "add-users", "add-groups"]);
  });
});

describe("planChanges: group -> group moves", () => {
  it("removes a SKU from the old group only once the new group's copy is Active for the members who keep it", () => {
    const t = tenant()
      .sku(E3, { seats: 1 })
      .sku(E5, { seats: 5 })
      .user("a@x.com")
      .group("Old", { licenses: [E3], members: ["a@x.com"] })
      .group("New", { members: ["a@x.com"] });
    const plan = planOf(
      t
        .manifest()
        .group("Old", { licenses: [E5] })
        .group("New", { licenses: [E3] })
        .build(),
      t.live(),
    );
    // Old's swap is split: E5 is added in its wave, E3 goes only after New's processing.
    expect(waveKinds(plan)).toEqual(["add-groups", "group-handover"]);
    const removal = licenseChange(plan, `group:${t.groupId("Old")}:handover`);
    expect(parts(removal.remove)).toEqual([E3]);
    expect(removal.requiresActiveFrom).toEqual([
      { skuId: t.skuId(E3), skuPartNumber: E3, groupIds: [t.groupId("New")], userIds: [t.userId("a@x.com")] },
    ]);
    expect(plan.waves[1]!.waitForGroups).toEqual([t.groupId("New")]);
    expect(plan.summary.removals).toBe(0);
  });
});

describe("planChanges: the order is seat-feasible step by step", () => {
  const swapTenant = (e5Seats: number) =>
    tenant()
      .sku(E3, { seats: 1 })
      .sku(E5, { seats: e5Seats })
      .user("a@x.com", { licenses: [E3] })
      .user("b@x.com", { licenses: [E5] });
  const swapBoth = (t: ReturnType<typeof swapTenant>) =>
    t
      .manifest()
      .user("a@x.com", { licenses: [E5] })
      .user("b@x.com", { licenses: [E3] })
      .build();

  it("refuses two swaps that each need the seat the other frees, naming the people and seats", () => {
    const t = swapTenant(1);
    const errors = errorsOf(swapBoth(t), t.live());
    expect(errors.map((e) => e.code)).toEqual(["swap-needs-free-seat"]);
    expect(errors[0]!.message).toContain("a@x.com (needs SPE_E5, frees ENTERPRISEPACK)");
    expect(errors[0]!.message).toContain("b@x.com (needs ENTERPRISEPACK, frees SPE_E5)");
    expect(errors[0]!.message).toContain("ENTERPRISEPACK: 0 free");
    expect(errors[0]!.hint).toMatch(/^Free or buy 1 (ENTERPRISEPACK|SPE_E5) seat for the time of the apply/);
  });

  it("with one free seat, runs the swaps one after the other", () => {
    const t = swapTenant(2);
    const plan = planOf(swapBoth(t), t.live());
    expect(waveKinds(plan)).toEqual(["updates", "updates"]);
    const names = plan.waves.map((w) =>
      w.changes.map((c) => (c.kind === "assignLicenses" ? c.target.name : "")),
    );
    expect(names).toEqual([["a@x.com"], ["b@x.com"]]);
    expect(plan.waves[1]!.reason).toBe(LATER_UPDATES_REASON);
  });

  it("waits for a group swap that frees seats before the additions that need them", () => {
    const t = tenant()
      .sku(E3, { seats: 1 })
      .sku(E5, { seats: 5 })
      .user("m@x.com")
      .user("u@x.com")
      .group("Sales", { licenses: [E3], members: ["m@x.com"] });
    const plan = planOf(
      t
        .manifest()
        .user("u@x.com", { licenses: [E3] })
        .group("Sales", { licenses: [E5] })
        .build(),
      t.live(),
    );
    expect(waveKinds(plan)).toEqual(["updates", "add-users"]);
    expect(plan.waves[1]!.waitForGroups).toEqual([t.groupId("Sales")]);
  });
});

import { describe, expect, it } from "vitest";
import { tenant } from "./builders.js";
import {
  changesOf,
  errorsOf,
  licenseChange,
  locationChange,
  parts,
  planOf,
  seat,
  waveKinds,
} from "./helpers.js";

const E3 = "ENTERPRISEPACK";
const E5 = "SPE_E5";
const EMS = "EMS";

function contoso() {
  return tenant()
    .sku(E3, { seats: 10 })
    .sku(E5, { seats: 10 })
    .sku(EMS, { seats: 10 })
    .user("alice@contoso.com", { licenses: [E3, EMS] })
    .user("bob@contoso.com", { licenses: [{ sku: E5, disabledPlans: ["SWAY"] }] })
    .user("carol@contoso.com")
    .group("Sales", { licenses: [E5], members: ["alice@contoso.com", "carol@contoso.com"] });
}

describe("planChanges: users", () => {
  it("plans nothing when the manifests declare the live state", () => {
    const t = contoso();
    const plan = planOf(t.desired(), t.live());
    expect(plan.waves).toEqual([]);
    expect(plan.summary).toMatchObject({ changes: 0, removals: 0, risk: "none" });
    expect(plan.warnings).toEqual([]);
    for (const s of plan.seats) expect(s.consumedAfter).toBe(s.consumedBefore);
  });

  it("swaps E3 for E5 in one atomic change in the updates wave", () => {
    const t = contoso();
    const desired = t
      .manifest()
      .user("alice@contoso.com", { licenses: [E5, EMS] })
      .user("bob@contoso.com", { licenses: [{ sku: E5, disabledPlans: ["SWAY"] }] })
      .group("Sales", { licenses: [E5] })
      .build();
    const plan = planOf(desired, t.live());
    expect(waveKinds(plan)).toEqual(["updates"]);
    const change = licenseChange(plan, `user:${t.userId("alice@contoso.com")}:licenses`);
    expect(parts(change.add)).toEqual([E5]);
    expect(parts(change.remove)).toEqual([E3]);
    expect(change.reasons[0]!.code).toBe("swap");
    expect(change.impact).toBe("high");
    expect(changesOf(plan)).toHaveLength(1);
    // alice already held E5 through Sales: the swap costs no E5 seat and frees an E3 one.
    expect(seat(plan, E5).consumedAfter).toBe(seat(plan, E5).consumedBefore);
    expect(seat(plan, E3).consumedAfter).toBe(seat(plan, E3).consumedBefore - 1);
  });

  it("removes seats before adding them, and a freed seat makes room", () => {
    const t = tenant()
      .sku(E3, { seats: 1 })
      .user("a@x.com", { licenses: [E3] })
      .user("b@x.com");
    const plan = planOf(
      t
        .manifest()
        .user("b@x.com", { licenses: [E3] })
        .build(),
      t.live(),
    );
    expect(waveKinds(plan)).toEqual(["remove-users", "add-users"]);
    expect(plan.waves[0]!.changes[0]!.id).toBe(`user:${t.userId("a@x.com")}:licenses`);
    expect(plan.waves[1]!.changes[0]!.id).toBe(`user:${t.userId("b@x.com")}:licenses`);
    expect(seat(plan, E3)).toMatchObject({ consumedBefore: 1, consumedAfter: 1, enabled: 1 });
    expect(plan.waves[0]!.reason).toMatch(/freed/);
  });

  it("refuses a plan that needs more seats than the tenant has, with the numbers", () => {
    const t = tenant()
      .sku(E5, { seats: 2 })
      .user("a@x.com", { licenses: [E5] })
      .user("b@x.com", { licenses: [E5] })
      .user("c@x.com");
    const desired = t
      .manifest()
      .user("a@x.com", { licenses: [E5] })
      .user("b@x.com", { licenses: [E5] })
      .user("c@x.com", { licenses: [E5] })
      .build();
    const errors = errorsOf(desired, t.live());
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe("capacity-exceeded");
    expect(errors[0]!.message).toBe(
      "SPE_E5 needs 3 seats after this plan; the tenant has 2 enabled (consumed now 2)",
    );
    expect(errors[0]!.hint).toMatch(/1 more SPE_E5 seat/);
  });

  it("checks only SKUs whose consumption grows", () => {
    // Already over-consumed, but the plan only takes seats away.
    const t = tenant()
      .sku(E3, { seats: 1, consumed: 3 })
      .user("a@x.com", { licenses: [E3] })
      .user("b@x.com", { licenses: [E3] });
    const plan = planOf(
      t
        .manifest()
        .user("a@x.com", { licenses: [E3] })
        .build(),
      t.live(),
    );
    expect(seat(plan, E3)).toMatchObject({ consumedBefore: 3, consumedAfter: 2 });
  });

  it("never removes inherited licenses nor counts them as direct", () => {
    const t = contoso();
    // carol holds E5 only through Sales; the manifest declares no license for her.
    const desired = t
      .manifest()
      .user("alice@contoso.com", { licenses: [E3, EMS, E5] })
      .user("bob@contoso.com", { licenses: [{ sku: E5, disabledPlans: ["SWAY"] }] })
      .user("carol@contoso.com")
      .group("Sales", { licenses: [E5] })
      .build();
    const plan = planOf(desired, t.live());
    // alice's inherited E5 is not her direct state: declaring it directly adds it, at no seat cost.
    expect(changesOf(plan).map((c) => c.id)).toEqual([`user:${t.userId("alice@contoso.com")}:licenses`]);
    expect(parts(licenseChange(plan, `user:${t.userId("alice@contoso.com")}:licenses`).add)).toEqual([E5]);
    expect(seat(plan, E5).consumedAfter).toBe(seat(plan, E5).consumedBefore);
  });

  it("says which group keeps a user licensed when a redundant direct assignment goes", () => {
    const t = tenant()
      .sku(E5, { seats: 10 })
      .user("dave@contoso.com", { licenses: [E5] })
      .group("Sales", { licenses: [E5], members: ["dave@contoso.com"] });
    const plan = planOf(
      t
        .manifest()
        .user("dave@contoso.com")
        .group("Sales", { licenses: [E5] })
        .build(),
      t.live(),
    );
    const change = licenseChange(plan, `user:${t.userId("dave@contoso.com")}:handover`);
    expect(parts(change.remove)).toEqual([E5]);
    expect(change.reasons.map((r) => r.message)).toEqual([
      "SPE_E5 also comes to dave@contoso.com from group Sales; the direct assignment goes once that copy is read Active for the user",
    ]);
    expect(change.requiresActiveFrom).toEqual([
      { skuId: t.skuId(E5), skuPartNumber: E5, groupIds: [t.groupId("Sales")] },
    ]);
    expect(plan.summary.removals).toBe(0);
  });

  it("uses assignedLicenses only when licenseAssignmentStates is missing", () => {
    const t = tenant()
      .sku(E3)
      .user("a@x.com", { licenses: [E3] });
    const live = t.live();
    const stripped = { ...live, users: live.users.map((u) => ({ ...u, licenseAssignmentStates: [] })) };
    expect(planOf(t.desired(), stripped).waves).toEqual([]);
    const plan = planOf(t.manifest().user("a@x.com").build(), stripped);
    expect(parts(licenseChange(plan, `user:${t.userId("a@x.com")}:licenses`).remove)).toEqual([E3]);
  });

  it("updates a deny-list and names the plans turned off", () => {
    const t = tenant()
      .sku(E3, { plans: ["EXCHANGE_S_ENTERPRISE", "TEAMS1", "SWAY", "YAMMER_ENTERPRISE"] })
      .user("a@x.com", { licenses: [E3] });
    const plan = planOf(
      t
        .manifest()
        .user("a@x.com", { licenses: [{ sku: E3, disabledPlans: ["YAMMER_ENTERPRISE", "SWAY"] }] })
        .build(),
      t.live(),
    );
    expect(waveKinds(plan)).toEqual(["updates"]);
    const change = licenseChange(plan, `user:${t.userId("a@x.com")}:licenses`);
    expect(change.update).toHaveLength(1);
    expect(change.update[0]!.fromDisabledPlans).toEqual([]);
    expect(change.update[0]!.toDisabledPlans.map((p) => p.name)).toEqual(["SWAY", "YAMMER_ENTERPRISE"]);
    expect(change.impact).toBe("medium");
    expect(change.reasons.map((r) => r.code)).toEqual(["plans-differ"]);
    expect(change.reasons[0]!.message).toContain("disable SWAY, YAMMER_ENTERPRISE");
  });

  it("leaves a plan that Microsoft added enabled under a deny-list", () => {
    const t = tenant()
      .sku(E3, { plans: ["EXCHANGE_S_ENTERPRISE", "SWAY", "COPILOT"] })
      .user("a@x.com", { licenses: [{ sku: E3, disabledPlans: ["SWAY"] }] });
    expect(planOf(t.desired(), t.live()).waves).toEqual([]);
  });

  it("disables a plan that is not on the allow-list, saying so", () => {
    // The user was licensed with an allow-list of EXCHANGE + TEAMS1 before COPILOT existed in the SKU.
    const t = tenant()
      .sku(E3, { plans: ["EXCHANGE_S_ENTERPRISE", "TEAMS1", "SWAY", "COPILOT"] })
      .user("a@x.com", { licenses: [{ sku: E3, disabledPlans: ["SWAY"] }] });
    const desired = t
      .manifest()
      .user("a@x.com", { licenses: [{ sku: E3, enabledPlans: ["EXCHANGE_S_ENTERPRISE", "TEAMS1"] }] })
      .build();
    const plan = planOf(desired, t.live());
    const change = licenseChange(plan, `user:${t.userId("a@x.com")}:licenses`);
    expect(change.update[0]!.toDisabledPlans.map((p) => p.name)).toEqual(["COPILOT", "SWAY"]);
    expect(change.reasons[0]!.code).toBe("allow-list-new-plan");
    expect(change.reasons[0]!.message).toContain("COPILOT");
    expect(change.reasons[0]!.message).not.toContain("SWAY");
  });

  it("re-evaluates an allow-list against the tenant's current plans", () => {
    const t = tenant()
      .sku(E3, { plans: ["EXCHANGE_S_ENTERPRISE", "SWAY", "COPILOT"] })
      .user("a@x.com", { licenses: [{ sku: E3, disabledPlans: ["SWAY"] }] });
    const desired = t
      .manifest()
      .user("a@x.com", { licenses: [{ sku: E3, enabledPlans: ["EXCHANGE_S_ENTERPRISE"] }] })
      .build();
    // As if resolved offline against a catalog that did not know COPILOT yet.
    const stale = {
      ...desired,
      users: desired.users.map((u) => ({
        ...u,
        licenses: u.licenses.map((l) => ({ ...l, disabledPlans: [t.planId("SWAY")] })),
      })),
    };
    const change = licenseChange(planOf(stale, t.live()), `user:${t.userId("a@x.com")}:licenses`);
    expect(change.update[0]!.toDisabledPlans.map((p) => p.name)).toEqual(["COPILOT", "SWAY"]);
  });

  it("in additive mode adds and updates but removes nothing", () => {
    const t = tenant()
      .sku(E3)
      .sku(E5)
      .user("a@x.com", { licenses: [E3] })
      .user("b@x.com", { licenses: [E3] })
      .user("c@x.com");
    const desired = t
      .manifest({ mode: "additive" })
      .user("a@x.com", { licenses: [E5] })
      .user("c@x.com", { licenses: [{ sku: E3, disabledPlans: ["SWAY"] }] })
      .build();
    const plan = planOf(desired, t.live());
    expect(plan.mode).toBe("additive");
    expect(changesOf(plan).every((c) => c.kind !== "assignLicenses" || c.remove.length === 0)).toBe(true);
    expect(parts(licenseChange(plan, `user:${t.userId("a@x.com")}:licenses`).add)).toEqual([E5]);
    expect(waveKinds(plan)).toEqual(["add-users"]);
    expect(plan.summary.removals).toBe(0);
  });

  it("never touches out-of-scope SKUs, and ignores them in the manifests with a warning", () => {
    const t = tenant()
      .sku(E3)
      .sku(EMS)
      .user("a@x.com", { licenses: [E3, EMS] })
      .user("b@x.com", { licenses: [EMS] });
    const desired = t
      .manifest({ scope: [E3] })
      .user("a@x.com", { licenses: [E3] })
      .user("b@x.com", { licenses: [E3, EMS] })
      .build();
    const plan = planOf(desired, t.live());
    const change = licenseChange(plan, `user:${t.userId("b@x.com")}:licenses`);
    expect(parts(change.add)).toEqual([E3]);
    expect(change.remove).toEqual([]);
    expect(changesOf(plan)).toHaveLength(1);
    expect(plan.warnings.map((w) => w.code)).toEqual(["sku-out-of-scope"]);
    expect(plan.seats.map((s) => [s.skuPartNumber, s.inScope])).toEqual([
      [EMS, false],
      [E3, true],
    ]);
  });

  it("removes in-scope direct licenses of users the manifests never mention (authoritative)", () => {
    const t = tenant()
      .sku(E3)
      .user("a@x.com", { licenses: [E3] })
      .user("stranger@x.com", { licenses: [E3] });
    const plan = planOf(
      t
        .manifest()
        .user("a@x.com", { licenses: [E3] })
        .build(),
      t.live(),
    );
    const change = licenseChange(plan, `user:${t.userId("stranger@x.com")}:licenses`);
    expect(change.target.location).toBeUndefined();
    expect(change.reasons.map((r) => r.code)).toEqual(["not-declared"]);
    expect(change.impact).toBe("high");
    expect(plan.summary).toMatchObject({ removals: 1, removes: 1, risk: "high", usersChanged: 1 });
  });
});

describe("planChanges: usage locations", () => {
  it("gives a user without a location the tenant default, first", () => {
    const t = tenant().sku(E3).user("a@x.com", { usageLocation: null });
    const plan = planOf(
      t
        .manifest({ defaultUsageLocation: "GB" })
        .user("a@x.com", { licenses: [E3] })
        .build(),
      t.live(),
    );
    expect(waveKinds(plan)).toEqual(["usage-locations", "add-users"]);
    const change = locationChange(plan, `user:${t.userId("a@x.com")}:usage-location`);
    expect(change).toMatchObject({ from: null, to: "GB", impact: "low" });
    expect(change.reasons[0]!.code).toBe("usage-location-default");
  });

  it("fails naming the user when there is no location to use", () => {
    const t = tenant().sku(E3).user("a@x.com", { usageLocation: null });
    const desired = t
      .manifest()
      .user("a@x.com", { licenses: [E3] })
      .build();
    const errors = errorsOf(desired, t.live());
    expect(errors.map((e) => e.code)).toEqual(["usage-location-missing"]);
    expect(errors[0]!.message).toContain("a@x.com");
    expect(errors[0]!.location).toEqual(desired.users[0]!.location);
    expect(errors[0]!.hint).toMatch(/defaultUsageLocation/);
  });

  it("enforces a declared location, even with no license change", () => {
    const t = tenant()
      .sku(E3)
      .user("a@x.com", { licenses: [E3], usageLocation: "US" });
    const plan = planOf(
      t
        .manifest()
        .user("a@x.com", { licenses: [E3], usageLocation: "DE" })
        .build(),
      t.live(),
    );
    const change = locationChange(plan, `user:${t.userId("a@x.com")}:usage-location`);
    expect(change).toMatchObject({ from: "US", to: "DE" });
    expect(change.reasons[0]!.code).toBe("usage-location-declared");
    expect(
      planOf(
        t
          .manifest()
          .user("a@x.com", { licenses: [E3], usageLocation: "us" })
          .build(),
        t.live(),
      ).waves,
    ).toEqual([]);
  });

  it("needs no location for a removal", () => {
    const t = tenant()
      .sku(E3)
      .user("a@x.com", { licenses: [E3], usageLocation: null });
    expect(waveKinds(planOf(t.manifest().build(), t.live()))).toEqual(["remove-users"]);
  });
});

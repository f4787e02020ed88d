import { describe, expect, it } from "vitest";
import { WAVE_ORDER } from "../../src/plan/waves.js";
import { tenant } from "./builders.js";
import { changesOf, licenseChange, parts, planOf, waveKinds } from "./helpers.js";

describe("waves", () => {
  it("run in the documented order, each with its reason, and sorted by principal name", () => {
    const t = tenant()
      .sku("ENTERPRISEPACK")
      .sku("SPE_E5")
      .sku("EMS")
      .user("newbie@x.com", { usageLocation: null })
      .user("leaver@x.com", { licenses: ["EMS"] })
      .user("Anna@x.com", { licenses: ["EMS"] })
      .user("tuner@x.com", { licenses: ["ENTERPRISEPACK"] })
      .user("mover@x.com", { licenses: ["SPE_E5"] })
      .user("keeper@x.com")
      .group("Old", { licenses: ["EMS"], members: ["tuner@x.com", "keeper@x.com"] })
      .group("New", { members: ["mover@x.com"] });
    const desired = t
      .manifest({ defaultUsageLocation: "FR" })
      .user("newbie@x.com", { licenses: ["ENTERPRISEPACK"] })
      .user("tuner@x.com", { licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["SWAY"] }] })
      .user("keeper@x.com", { licenses: ["EMS"] })
      .group("New", { licenses: ["SPE_E5"] })
      .build();
    const plan = planOf(desired, t.live());
    expect(waveKinds(plan)).toEqual(WAVE_ORDER.map((w) => w.kind));
    for (const wave of plan.waves)
      expect(wave.reason).toBe(WAVE_ORDER.find((w) => w.kind === wave.kind)!.reason);
    const byKind = Object.fromEntries(plan.waves.map((w) => [w.kind, w]));
    expect(
      byKind["remove-users"]!.changes.map((c) => (c.kind === "assignLicenses" ? c.target.name : "")),
    ).toEqual(["Anna@x.com", "leaver@x.com"]);
    expect(byKind["updates"]!.waitForGroups).toEqual([t.groupId("Old")]);
    expect(byKind["group-handover"]!.waitForGroups).toEqual([t.groupId("New")]);
    expect(byKind["add-users"]!.waitForGroups).toBeUndefined();
    // keeper moves from Old's EMS to a direct EMS: the direct copy comes before Old's goes.
    expect(byKind["add-held-users"]!.changes.map((c) => c.id)).toEqual([
      `user:${t.userId("keeper@x.com")}:add-held`,
    ]);
    expect(new Set(changesOf(plan).map((c) => c.id)).size).toBe(changesOf(plan).length);
    expect(plan.summary).toMatchObject({
      changes: 9,
      usersChanged: 6,
      groupsChanged: 2,
      adds: 3,
      updates: 1,
      removes: 4,
      usageLocations: 1,
      removals: 3, // Anna, leaver, and tuner (EMS through Old); mover keeps SPE_E5 through New
      risk: "high",
    });
  });

  it("swaps a group's SKU in one change in the updates wave", () => {
    const t = tenant()
      .sku("ENTERPRISEPACK")
      .sku("SPE_E5")
      .user("a@x.com")
      .group("Sales", { licenses: ["ENTERPRISEPACK"], members: ["a@x.com"] });
    const plan = planOf(
      t
        .manifest()
        .group("Sales", { licenses: ["SPE_E5"] })
        .build(),
      t.live(),
    );
    expect(waveKinds(plan)).toEqual(["updates"]);
    const change = licenseChange(plan, `group:${t.groupId("Sales")}:licenses`);
    expect(parts(change.add)).toEqual(["SPE_E5"]);
    expect(parts(change.remove)).toEqual(["ENTERPRISEPACK"]);
    expect(change).toMatchObject({ membersGainingLicenses: 1, membersLosingLicenses: 1, impact: "high" });
  });

  it("puts a plan change together with a removal on the same user in the updates wave", () => {
    const t = tenant()
      .sku("ENTERPRISEPACK")
      .sku("EMS")
      .user("a@x.com", { licenses: ["ENTERPRISEPACK", "EMS"] });
    const desired = t
      .manifest()
      .user("a@x.com", { licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["SWAY"] }] })
      .build();
    const plan = planOf(desired, t.live());
    expect(waveKinds(plan)).toEqual(["updates"]);
    expect(licenseChange(plan, `user:${t.userId("a@x.com")}:licenses`).reasons.map((r) => r.code)).toEqual([
      "plans-differ",
      "not-declared",
    ]);
  });
});

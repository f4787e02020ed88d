import { describe, expect, it } from "vitest";
import { tenant } from "./builders.js";
import { changesOf, errorsOf, licenseChange, parts, planOf, seat, waveKinds } from "./helpers.js";

const E3 = "ENTERPRISEPACK";
const E5 = "SPE_E5";
const EMS = "EMS";

describe("planChanges: groups", () => {
  it("counts the members a group removal takes a license from, and warns about it first", () => {
    const t = tenant()
      .sku(E5)
      .user("a@x.com")
      .user("b@x.com")
      .user("c@x.com", { licenses: [E5] })
      .user("d@x.com", { licenses: [E5] })
      .group("Sales", { licenses: [E5], members: ["a@x.com", "b@x.com", "c@x.com"] });
    const desired = t
      .manifest()
      .user("c@x.com", { licenses: [E5] })
      .build();
    const plan = planOf(desired, t.live());
    expect(waveKinds(plan)).toEqual(["remove-users", "remove-groups"]);
    const change = licenseChange(plan, `group:${t.groupId("Sales")}:licenses`);
    expect(change.membersLosingLicenses).toBe(2); // c keeps E5 directly
    expect(change.impact).toBe("high");
    expect(plan.warnings[0]!.code).toBe("group-license-removal");
    expect(plan.warnings[0]!.message).toContain("2 members");
    expect(plan.summary.removals).toBe(3); // a, b through the group; d directly
    expect(seat(plan, E5)).toMatchObject({ consumedBefore: 4, consumedAfter: 1 });
  });

  it("counts group additions only for members who do not hold the SKU yet", () => {
    const t = tenant()
      .sku(E5, { seats: 3 })
      .user("a@x.com", { licenses: [E5] })
      .user("b@x.com")
      .user("c@x.com")
      .user("d@x.com", { licenses: [E5] })
      .group("Sales", { members: ["a@x.com", "b@x.com", "c@x.com"] });
    const base = t
      .manifest()
      .user("a@x.com", { licenses: [E5] })
      .user("d@x.com", { licenses: [E5] });
    const errors = errorsOf(base.group("Sales", { licenses: [E5] }).build(), t.live());
    expect(errors.map((e) => e.message)).toEqual([
      "SPE_E5 needs 4 seats after this plan; the tenant has 3 enabled (consumed now 2)",
    ]);
    // Without d's direct seat it fits.
    const fits = t
      .manifest()
      .user("a@x.com", { licenses: [E5] })
      .group("Sales", { licenses: [E5] })
      .build();
    const plan = planOf(fits, t.live());
    expect(licenseChange(plan, `group:${t.groupId("Sales")}:licenses`).membersGainingLicenses).toBe(2);
    expect(seat(plan, E5)).toMatchObject({ consumedBefore: 2, consumedAfter: 3 });
    expect(waveKinds(plan)).toEqual(["remove-users", "add-groups"]);
    // Seats freed by a group removal count only once Entra processed it; direct removals need no wait.
    expect(plan.waves[1]!.waitForGroups).toBeUndefined();
  });

  it("hands a direct assignment over to a newly licensed group after the group is processed", () => {
    const t = tenant()
      .sku(E3)
      .sku(E5)
      .user("a@x.com", { licenses: [E5] })
      .user("b@x.com")
      .group("Sales", { members: ["a@x.com", "b@x.com"] });
    const desired = t
      .manifest()
      .user("a@x.com", { licenses: [E3] })
      .group("Sales", { licenses: [E5] })
      .build();
    const plan = planOf(desired, t.live());
    expect(waveKinds(plan)).toEqual(["add-users", "add-groups", "group-handover"]);
    const handoverWave = plan.waves[2]!;
    expect(handoverWave.waitForGroups).toEqual([t.groupId("Sales")]);
    const handover = licenseChange(plan, `user:${t.userId("a@x.com")}:handover`);
    expect(parts(handover.remove)).toEqual([E5]);
    expect(handover.reasons.map((r) => r.code)).toEqual(["covered-by-group"]);
    expect(handover.reasons[0]!.message).toContain("Sales");
    // a's other change stays in its own wave.
    expect(parts(licenseChange(plan, `user:${t.userId("a@x.com")}:licenses`).add)).toEqual([E3]);
    expect(licenseChange(plan, `user:${t.userId("a@x.com")}:licenses`).remove).toEqual([]);
    // a keeps E5 throughout: no removal, one new E5 seat for b.
    expect(plan.summary.removals).toBe(0);
    expect(seat(plan, E5)).toMatchObject({ consumedBefore: 1, consumedAfter: 2 });
    expect(licenseChange(plan, `group:${t.groupId("Sales")}:licenses`).membersGainingLicenses).toBe(1);
  });

  it("hands over a direct assignment that a group already covers, without waiting, and it is no loss", () => {
    const t = tenant()
      .sku(E5)
      .user("a@x.com", { licenses: [E5] })
      .group("Sales", { licenses: [E5], members: ["a@x.com"] });
    const plan = planOf(
      t
        .manifest()
        .group("Sales", { licenses: [E5] })
        .build(),
      t.live(),
    );
    expect(waveKinds(plan)).toEqual(["group-handover"]);
    expect(plan.waves[0]!.waitForGroups).toBeUndefined();
    expect(plan.summary.removals).toBe(0);
    expect(seat(plan, E5)).toMatchObject({ consumedBefore: 1, consumedAfter: 1 });
  });

  it("finds groups by mailNickname and object id, and asks for the id when a name is shared", () => {
    const t = tenant()
      .sku(E5)
      .group("Sales", { mailNickname: "sales-emea" })
      .group("Sales", { id: "11111111-1111-4111-8111-111111111111", mailNickname: "sales-us" })
      .group("Finance");
    const byNick = planOf(
      t
        .manifest()
        .group("SALES-EMEA", { licenses: [E5] })
        .build(),
      t.live(),
    );
    expect(changesOf(byNick).map((c) => c.id)).toEqual([`group:${t.groupId("Sales")}:licenses`]);
    const byId = planOf(
      t
        .manifest()
        .group("11111111-1111-4111-8111-111111111111", { licenses: [E5] })
        .build(),
      t.live(),
    );
    expect(changesOf(byId).map((c) => c.id)).toEqual(["group:11111111-1111-4111-8111-111111111111:licenses"]);
    const desired = t
      .manifest()
      .group("sales", { licenses: [E5] })
      .build();
    const errors = errorsOf(desired, t.live());
    expect(errors.map((e) => e.code)).toEqual(["ambiguous-group"]);
    expect(errors[0]!.message).toContain("11111111-1111-4111-8111-111111111111");
    expect(errors[0]!.location).toEqual(desired.groups[0]!.location);
  });

  it("licenses only security-enabled groups", () => {
    const t = tenant().sku(E5).group("Newsletter", { securityEnabled: false });
    const errors = errorsOf(
      t
        .manifest()
        .group("Newsletter", { licenses: [E5] })
        .build(),
      t.live(),
    );
    expect(errors.map((e) => e.code)).toEqual(["group-not-security-enabled"]);
  });

  it("removes in-scope licenses of groups the manifests never mention, and only those", () => {
    const t = tenant()
      .sku(E3)
      .sku(E5)
      .group("Old", { licenses: [E3, E5] });
    const plan = planOf(t.manifest({ scope: [E3] }).build(), t.live());
    const change = licenseChange(plan, `group:${t.groupId("Old")}:licenses`);
    expect(parts(change.remove)).toEqual([E3]);
    expect(change.membersLosingLicenses).toBe(0);
  });

  it("makes the wave after group removals wait for them, since their seats free up asynchronously", () => {
    const t = tenant()
      .sku(E3, { seats: 1 })
      .user("a@x.com")
      .user("b@x.com")
      .group("Old", { licenses: [E3], members: ["a@x.com"] });
    const plan = planOf(
      t
        .manifest()
        .user("b@x.com", { licenses: [E3] })
        .build(),
      t.live(),
    );
    expect(waveKinds(plan)).toEqual(["remove-groups", "add-users"]);
    expect(plan.waves[1]!.waitForGroups).toEqual([t.groupId("Old")]);
  });

  it("splits a group's removal: seats someone needs are freed early, a SKU members keep through another group goes at the handover", () => {
    const t = tenant()
      .sku(E3, { seats: 1 })
      .sku(EMS)
      .user("a@x.com")
      .user("b@x.com")
      .group("Old", { licenses: [E3, EMS], members: ["a@x.com"] })
      .group("New", { members: ["a@x.com"] });
    const plan = planOf(
      t
        .manifest()
        .user("b@x.com", { licenses: [E3] })
        .group("New", { licenses: [EMS] })
        .build(),
      t.live(),
    );
    expect(waveKinds(plan)).toEqual(["remove-groups", "add-users", "add-groups", "group-handover"]);
    // b needs the only E3 seat, so Old's E3 goes first ...
    expect(parts(licenseChange(plan, `group:${t.groupId("Old")}:licenses`).remove)).toEqual([E3]);
    // ... but a keeps EMS through New, so Old's EMS goes only once New's copy is Active for a.
    const handover = licenseChange(plan, `group:${t.groupId("Old")}:handover`);
    expect(parts(handover.remove)).toEqual([EMS]);
    expect(handover.requiresActiveFrom).toEqual([
      expect.objectContaining({
        skuPartNumber: EMS,
        groupIds: [t.groupId("New")],
        userIds: [t.userId("a@x.com")],
      }),
    ]);
    expect(plan.waves[3]!.changes).toContain(handover);
    expect(plan.waves[3]!.waitForGroups).toContain(t.groupId("New"));
  });

  it("refuses a group move that must free its seat early while a member keeps the SKU only through the new group", () => {
    // Old's EMS seat (c's) is needed for d, who gains EMS through New; a keeps EMS only through New.
    const move = (seats: number) =>
      tenant()
        .sku(EMS, { seats })
        .user("a@x.com")
        .user("c@x.com")
        .user("d@x.com")
        .group("Old", { licenses: [EMS], members: ["a@x.com", "c@x.com"] })
        .group("New", { members: ["a@x.com", "d@x.com"] });
    const tight = move(2);
    expect(
      errorsOf(
        tight
          .manifest()
          .group("New", { licenses: [EMS] })
          .build(),
        tight.live(),
      ),
    ).toEqual([
      expect.objectContaining({
        code: "capacity-exceeded",
        message: expect.stringContaining("a@x.com keeps it only through group New"),
        hint: expect.stringContaining("Buy 1 more EMS seat for the move"),
      }),
    ]);
    // With one seat more, Old's EMS waits for New's copy instead.
    const roomy = move(3);
    const plan = planOf(
      roomy
        .manifest()
        .group("New", { licenses: [EMS] })
        .build(),
      roomy.live(),
    );
    expect(waveKinds(plan)).toEqual(["add-groups", "group-handover"]);
  });
});

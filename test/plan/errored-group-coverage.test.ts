import { describe, expect, it } from "vitest";
import { tenant } from "./builders.js";
import { errorsOf, licenseChange, planOf, seat } from "./helpers.js";

const E3 = "ENTERPRISEPACK";
const EMS = "EMS";

/**
 * A group assignment in Error (Entra assigns a group's licenses all or none per
 * member) gives the member nothing: it must not count as a held license, as
 * coverage for a direct one, or as a seat already taken.
 */
describe("planChanges: only assignments in effect count", () => {
  const errored = () =>
    tenant()
      .sku(E3, { seats: 10 })
      .sku(EMS, { seats: 0 })
      .user("a@x.com", { licenses: [E3] })
      .user("b@x.com")
      .group("Staff", {
        licenses: [E3, EMS],
        members: ["a@x.com"],
        memberErrors: { "a@x.com": "CountViolation" },
      });

  it("removing the only working copy is a removal: counted, shown as a loss", () => {
    const t = errored();
    const plan = planOf(
      t
        .manifest()
        .group("Staff", { licenses: [E3, EMS] })
        .build(),
      t.live(),
    );
    const change = licenseChange(plan, `user:${t.userId("a@x.com")}:licenses`);
    expect(change.remove.map((r) => r.skuPartNumber)).toEqual([E3]);
    expect(change.impact).toBe("high");
    expect(change.reasons[0]!.message).toContain("only working ENTERPRISEPACK");
    expect(change.reasons[0]!.message).toContain("Staff (Error: CountViolation)");
    expect(plan.summary.removals).toBe(1);
    expect(seat(plan, E3)).toMatchObject({ consumedBefore: 1, consumedAfter: 0 });
  });

  it("is refused past limits.maxRemovals and for a protected user", () => {
    const t = errored();
    const limited = planOf(
      t
        .manifest({ maxRemovals: 0 })
        .group("Staff", { licenses: [E3, EMS] })
        .build(),
      t.live(),
    );
    expect(limited.warnings.map((w) => w.code)).toContain("max-removals-exceeded");
    const errors = errorsOf(
      t
        .manifest({ protectUsers: ["a@x.com"] })
        .group("Staff", { licenses: [E3, EMS] })
        .build(),
      t.live(),
    );
    expect(errors.map((e) => e.code)).toEqual(["protected-principal"]);
  });

  it("an Active group copy still covers the direct one (no removal counted)", () => {
    const t = tenant()
      .sku(E3, { seats: 10 })
      .sku(EMS, { seats: 5 })
      .user("a@x.com", { licenses: [E3] })
      .group("Staff", { licenses: [E3, EMS], members: ["a@x.com"] });
    const plan = planOf(
      t
        .manifest()
        .group("Staff", { licenses: [E3, EMS] })
        .build(),
      t.live(),
    );
    expect(plan.summary.removals).toBe(0);
  });

  it("a seat held only through an errored group is not held: a direct add needs a free seat", () => {
    const t = tenant()
      .sku(E3, { seats: 1, consumed: 1 })
      .sku(EMS, { seats: 0 })
      .user("a@x.com")
      .user("z@x.com", { licenses: [E3] })
      .group("Staff", {
        licenses: [E3, EMS],
        members: ["a@x.com"],
        memberErrors: { "a@x.com": "CountViolation" },
      });
    const errors = errorsOf(
      t
        .manifest()
        .user("a@x.com", { licenses: [E3] })
        .user("z@x.com", { licenses: [E3] })
        .group("Staff", { licenses: [E3, EMS] })
        .build(),
      t.live(),
    );
    expect(errors.map((e) => e.code)).toEqual(["capacity-exceeded"]);
  });
});

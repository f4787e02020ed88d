import { describe, expect, it } from "vitest";
import { planChanges } from "../../src/plan/plan-changes.js";
import { tenant } from "./builders.js";
import { errorsOf, OPTIONS, planOf } from "./helpers.js";

const E3 = "ENTERPRISEPACK";
const E5 = "SPE_E5";

describe("planChanges: guards", () => {
  it("refuses a manifest made for another tenant, naming both", () => {
    const t = tenant()
      .sku(E3)
      .user("a@x.com", { licenses: [E3] });
    const other = "0b0b0b0b-0000-4000-8000-000000000000";
    const result = planChanges(t.desired({ tenantId: other.toUpperCase() }), t.live(), OPTIONS);
    expect(result.plan).toBeUndefined();
    expect(result.problems.map((p) => p.code)).toEqual(["wrong-tenant"]);
    expect(result.problems[0]!.message).toContain(other);
    expect(result.problems[0]!.message).toContain(t.id);
    // Case does not matter, and a manifest without tenant.id is not bound.
    expect(planOf(t.desired({ tenantId: t.id.toUpperCase() }), t.live()).waves).toEqual([]);
    expect(planOf(t.desired({ tenantId: null }), t.live()).waves).toEqual([]);
  });

  it("reports an unknown principal where it is written, with the closest names", () => {
    const t = tenant().sku(E3).user("alice@contoso.com").group("Sales");
    const desired = t
      .manifest()
      .user("alice@contso.com", { licenses: [E3] })
      .group("Sale", { licenses: [E3] })
      .build();
    const errors = errorsOf(desired, t.live());
    expect(errors.map((e) => e.code)).toEqual(["unknown-principal", "unknown-principal"]);
    expect(errors[0]!.location).toEqual(desired.users[0]!.location);
    expect(errors[0]!.hint).toContain('"alice@contoso.com"');
    expect(errors[1]!.hint).toContain('"Sales"');
  });

  it("refuses two entries for the same user", () => {
    const t = tenant().sku(E3).user("a@x.com");
    const desired = t
      .manifest()
      .user("a@x.com", { licenses: [E3] })
      .user(t.userId("a@x.com"))
      .build();
    expect(errorsOf(desired, t.live()).map((e) => e.code)).toEqual(["duplicate-principal"]);
  });

  it("never takes a license from a protected user, directly or through a group", () => {
    const t = tenant()
      .sku(E3)
      .sku(E5)
      .user("breakglass@x.com", { licenses: [E3] })
      .user("ceo@x.com")
      .group("Execs", { licenses: [E5], members: ["ceo@x.com"] });
    const desired = t.manifest({ protectUsers: ["breakglass@x.com", "CEO@x.com"] }).build();
    const errors = errorsOf(desired, t.live());
    expect(errors.map((e) => e.code)).toEqual(["protected-principal", "protected-principal"]);
    expect(errors[0]!.message).toContain("breakglass@x.com");
    expect(errors[0]!.message).toContain("ENTERPRISEPACK");
    expect(errors[0]!.location).toEqual(desired.protect.users[0]!.location);
    expect(errors[1]!.message).toContain("ceo@x.com");
    expect(errors[1]!.message).toMatch(/SPE_E5 through a group/);
  });

  it("never takes a license from a protected group", () => {
    const t = tenant()
      .sku(E5)
      .group("Execs", { licenses: [E5] });
    const errors = errorsOf(t.manifest({ protectGroups: ["execs"] }).build(), t.live());
    expect(errors.map((e) => e.code)).toEqual(["protected-principal"]);
    expect(errors[0]!.message).toContain("group Execs");
  });

  it("warns about a protected name that does not exist", () => {
    const t = tenant()
      .sku(E3)
      .user("a@x.com", { licenses: [E3] });
    const plan = planOf(t.desired({ protectUsers: ["ghost@x.com"] }), t.live());
    expect(plan.warnings.map((w) => w.code)).toEqual(["protected-principal-not-found"]);
  });

  it("records maxRemovals and warns when the plan exceeds it", () => {
    const t = tenant()
      .sku(E3)
      .user("a@x.com", { licenses: [E3] })
      .user("b@x.com", { licenses: [E3] })
      .user("c@x.com", { licenses: [E3] });
    const plan = planOf(t.manifest({ maxRemovals: 2 }).build(), t.live());
    expect(plan.maxRemovals).toBe(2);
    expect(plan.summary.removals).toBe(3);
    expect(plan.warnings.map((w) => w.code)).toEqual(["max-removals-exceeded"]);
    expect(plan.warnings[0]!.message).toContain("3 users");
    const within = planOf(t.manifest({ maxRemovals: 3 }).build(), t.live());
    expect(within.warnings).toEqual([]);
  });

  it("refuses company-wide SKUs on users and unusable SKUs, and flags SKUs in their grace period", () => {
    const t = tenant()
      .sku("TENANT_WIDE", { appliesTo: "Company" })
      .sku("SUSPENDED", { status: "Suspended" })
      .sku("EXPIRING", { status: "Warning" })
      .user("a@x.com");
    const errors = errorsOf(
      t
        .manifest()
        .user("a@x.com", { licenses: ["TENANT_WIDE", "SUSPENDED"] })
        .build(),
      t.live(),
    );
    expect(errors.map((e) => e.code).sort()).toEqual(["sku-company-only", "sku-unavailable"]);
    const plan = planOf(
      t
        .manifest()
        .user("a@x.com", { licenses: ["EXPIRING"] })
        .build(),
      t.live(),
    );
    expect(plan.warnings.map((w) => w.code)).toEqual(["sku-not-enabled"]);
  });

  it("reports every problem at once", () => {
    const t = tenant().sku(E3, { seats: 0 }).user("a@x.com", { usageLocation: null });
    const desired = t
      .manifest()
      .user("a@x.com", { licenses: [E3] })
      .user("nobody@x.com")
      .build();
    const codes = errorsOf(desired, t.live())
      .map((e) => e.code)
      .sort();
    expect(codes).toEqual(["capacity-exceeded", "unknown-principal", "usage-location-missing"]);
  });
});

describe("planChanges: declarations the tenant cannot honour", () => {
  it("refuses a SKU the tenant does not have and a SKU declared twice for one principal", () => {
    const t = tenant().sku(E3).user("a@x.com");
    const desired = t
      .manifest()
      .user("a@x.com", { licenses: [E3, "NOT_BOUGHT", E3] })
      .build();
    const errors = errorsOf(desired, t.live());
    expect(errors.map((e) => e.code)).toEqual(["sku-not-in-tenant", "duplicate-license"]);
    expect(errors[0]!.location).toEqual(desired.users[0]!.licenses[1]!.location);
    expect(errors[1]!.message).toContain(`also at ${desired.users[0]!.licenses[0]!.location.file}`);
  });

  it("warns when the members of a group gaining a license were not read", () => {
    const t = tenant().sku(E5).user("a@x.com").group("Sales", { membersUnread: true });
    const plan = planOf(
      t
        .manifest()
        .group("Sales", { licenses: [E5] })
        .build(),
      t.live(),
    );
    expect(plan.warnings.map((w) => w.code)).toEqual(["group-members-unknown"]);
  });
});

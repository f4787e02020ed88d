import { describe, expect, it } from "vitest";
import type { ResolvedDesiredState } from "../../src/model/desired-state.js";
import { POLICY_DEFAULTS, type ResolvedPolicies } from "../../src/model/economics.js";
import type { LiveState } from "../../src/model/live-state.js";
import { planChanges } from "../../src/plan/plan-changes.js";
import { guidFor, tenant } from "./builders.js";
import { OPTIONS, errorsOf, planOf } from "./helpers.js";

const at = { file: "manifests/tenant.yaml", line: 30, column: 5 };
const sku = (part: string) => ({ skuId: guidFor(`sku:${part}`), skuPartNumber: part });

function withPolicies(
  desired: ResolvedDesiredState,
  policies: Partial<ResolvedPolicies>,
): ResolvedDesiredState {
  return {
    ...desired,
    policies: {
      exclusive: [],
      seatCeilings: [],
      seatPools: [],
      exempt: [],
      ...POLICY_DEFAULTS,
      ...policies,
    },
  };
}

/** The live state with each user's department set from `departments` (by userPrincipalName). */
function withDepartments(live: LiveState, departments: Readonly<Record<string, string>>): LiveState {
  return {
    ...live,
    users: live.users.map((u) => ({ ...u, department: departments[u.userPrincipalName] ?? null })),
  };
}

describe("policies: mutually exclusive SKUs", () => {
  const t = tenant()
    .sku("SPE_E3")
    .sku("SPE_E5")
    .user("a@x.com", { licenses: ["SPE_E3"] })
    .user("b@x.com", { licenses: ["SPE_E3"] })
    .group("Leaders", { licenses: ["SPE_E5"], members: ["b@x.com"] });
  const exclusive = [{ skus: [sku("SPE_E3"), sku("SPE_E5")], location: at }];

  it("refuses a plan that gives a user both SKUs of a set, naming the user and the policy", () => {
    // b@x.com already holds both (E5 through Leaders): that is standing, not this plan's doing.
    const desired = withPolicies(
      t
        .manifest()
        .user("a@x.com", { licenses: ["SPE_E3", "SPE_E5"] })
        .user("b@x.com", { licenses: ["SPE_E3"] })
        .group("Leaders", { licenses: ["SPE_E5"] })
        .build(),
      { exclusive },
    );
    const result = planChanges(desired, t.live(), OPTIONS);
    expect(result.plan).toBeUndefined();
    const errors = result.problems.filter((p) => p.severity === "error");
    expect(errors).toEqual([
      expect.objectContaining({
        code: "policy-exclusive-skus",
        message: expect.stringMatching(
          /^1 user\(s\) would hold more than one of SPE_E3, SPE_E5, .*: a@x\.com$/,
        ),
        location: at,
      }),
    ]);
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        severity: "warning",
        message: expect.stringContaining("already hold more than one of SPE_E3, SPE_E5"),
      }),
    );
  });

  it("lets a swap through (E3 out, E5 in, one call) and warns about a standing violation", () => {
    const desired = withPolicies(
      t
        .manifest()
        .user("a@x.com", { licenses: ["SPE_E5"] })
        .user("b@x.com", { licenses: ["SPE_E3"] })
        .group("Leaders", { licenses: ["SPE_E5"] })
        .build(),
      { exclusive },
    );
    const plan = planOf(desired, t.live());
    expect(plan.warnings.map((w) => w.code)).toContain("policy-exclusive-skus");
  });
});

describe("policies: utilisation ceilings", () => {
  const t = tenant()
    .sku("SPE_E5", { seats: 10 })
    .user("a@x.com", { licenses: ["SPE_E5"] })
    .user("b@x.com", { licenses: ["SPE_E5"] })
    .user("c@x.com")
    .user("d@x.com");
  const grow = t
    .manifest()
    .user("a@x.com", { licenses: ["SPE_E5"] })
    .user("b@x.com", { licenses: ["SPE_E5"] })
    .user("c@x.com", { licenses: ["SPE_E5"] })
    .user("d@x.com", { licenses: ["SPE_E5"] })
    .build();

  it("refuses a plan that leaves fewer free seats than the number, with the numbers and who gains", () => {
    const errors = errorsOf(
      withPolicies(grow, { seatCeilings: [{ sku: sku("SPE_E5"), minFree: 7, location: at }] }),
      t.live(),
    );
    expect(errors).toEqual([
      expect.objectContaining({
        code: "policy-min-free-seats",
        message:
          "SPE_E5 would have 6 free seat(s) of 10 after the plan (2 -> 4 used); policies.minFreeSeats keeps 7 free (7 seats). Gaining it: c@x.com, d@x.com",
      }),
    ]);
  });

  it("refuses by share of enabled seats (rounded up), and passes at the limit", () => {
    const errors = errorsOf(
      withPolicies(grow, { seatCeilings: [{ sku: sku("SPE_E5"), minFreePercent: 65, location: at }] }),
      t.live(),
    );
    expect(errors[0]?.message).toContain("keeps 7 free (65 % of 10)");
    planOf(
      withPolicies(grow, { seatCeilings: [{ sku: sku("SPE_E5"), minFreePercent: 60, location: at }] }),
      t.live(),
    );
  });

  it("only warns when the plan does not use more seats of a SKU already past its ceiling", () => {
    const plan = planOf(
      withPolicies(t.desired(), { seatCeilings: [{ sku: sku("SPE_E5"), minFree: 9, location: at }] }),
      t.live(),
    );
    expect(plan.warnings).toContainEqual(
      expect.objectContaining({ code: "policy-min-free-seats", severity: "warning" }),
    );
  });
});

describe("policies: seat pools by department", () => {
  const t = tenant()
    .sku("SPE_E5")
    .user("s1@x.com", { licenses: ["SPE_E5"] })
    .user("s2@x.com")
    .user("s3@x.com")
    .user("e1@x.com")
    .group("E5 users", { licenses: ["SPE_E5"], members: [] });
  const departments = {
    "s1@x.com": "Sales",
    "s2@x.com": "sales",
    "s3@x.com": "Sales",
    "e1@x.com": "Engineering",
  };
  const pools = [
    { attribute: "department" as const, value: "Sales", sku: sku("SPE_E5"), max: 2, location: at },
  ];

  it("refuses a plan that puts more of a department on the SKU than the pool allows, counting group licenses", () => {
    const desired = withPolicies(
      t
        .manifest()
        .user("s1@x.com", { licenses: ["SPE_E5"] })
        .user("s2@x.com", { licenses: ["SPE_E5"] })
        .user("s3@x.com", { licenses: ["SPE_E5"] })
        .user("e1@x.com", { licenses: ["SPE_E5"] })
        .build(),
      { seatPools: pools },
    );
    const errors = errorsOf(desired, withDepartments(t.live(), departments));
    expect(errors).toEqual([
      expect.objectContaining({
        code: "policy-seat-pool",
        message:
          "3 users of department Sales would hold SPE_E5 after the plan (1 now); policies.seatPools allows 2. Gaining it: s2@x.com, s3@x.com",
        location: at,
      }),
    ]);
  });

  it("counts nobody whose department was not read, and passes within the pool", () => {
    const desired = withPolicies(
      t
        .manifest()
        .user("s1@x.com", { licenses: ["SPE_E5"] })
        .user("s2@x.com", { licenses: ["SPE_E5"] })
        .user("e1@x.com", { licenses: ["SPE_E5"] })
        .build(),
      { seatPools: pools },
    );
    planOf(desired, withDepartments(t.live(), departments));
    planOf({ ...desired }, t.live());
  });
});

import type {
  AssignLicensesChange,
  ChangeReason,
  Plan,
  PlanSummary,
  PrincipalRef,
  SeatSummary,
  ServicePlanRef,
  SetUsageLocationChange,
  SkuRef,
  Wave,
} from "../../src/model/plan.js";
import { planCost } from "../../src/economics/cost.js";
import type { ResolvedPrice } from "../../src/model/economics.js";

/** Hand-built plans for the renderer tests: what the planner would produce, frozen in data. */

export const TENANT = { id: "8f1b1c2e-0000-4000-8000-000000000000", displayName: "Contoso" } as const;

export const SKUS = {
  E3: { skuId: "6fd2c87f-b296-42f0-b197-1e91e994b900", skuPartNumber: "ENTERPRISEPACK" },
  E5: { skuId: "06ebc4ee-1bb5-47dd-8120-11324bc54e06", skuPartNumber: "SPE_E5" },
  P2: { skuId: "84a661c4-e949-4bd2-a560-ed7766fcaf2b", skuPartNumber: "AAD_PREMIUM_P2" },
} as const satisfies Record<string, SkuRef>;

export const PLANS = {
  SWAY: { id: "a23b959c-7ce8-4e57-9140-b90eb88a9e97", name: "SWAY" },
  YAMMER: { id: "7547a3fe-08ee-4ccb-b430-5077c5041653", name: "YAMMER_ENTERPRISE" },
  TEAMS: { id: "57ff2da0-773e-42df-b2af-ffb7a2317929", name: "TEAMS1" },
  COPILOT: { id: "3f30311c-6b1e-48a4-ab79-725b469da960", name: "M365_COPILOT_TEAMS" },
} as const satisfies Record<string, ServicePlanRef>;

export function user(name: string, n: number): PrincipalRef {
  return { kind: "user", id: `00000000-0000-4000-a000-${String(n).padStart(12, "0")}`, name };
}

export function group(name: string, n: number): PrincipalRef {
  return { kind: "group", id: `00000000-0000-4000-b000-${String(n).padStart(12, "0")}`, name };
}

const at = (file: string, line: number) => ({ file, line, column: 5 });

const reason = (code: ChangeReason["code"], message: string, location?: { file: string; line: number }) =>
  ({
    code,
    message,
    ...(location ? { location: at(location.file, location.line) } : {}),
  }) satisfies ChangeReason;

export function usageLocation(
  who: PrincipalRef,
  from: string | null,
  to: string,
  reasons: ChangeReason[],
): SetUsageLocationChange {
  return {
    kind: "setUsageLocation",
    id: `usage-location:${who.id}`,
    user: who,
    from,
    to,
    impact: "low",
    reasons,
  };
}

export function assign(
  target: PrincipalRef,
  parts: Partial<
    Pick<
      AssignLicensesChange,
      "add" | "update" | "remove" | "membersLosingLicenses" | "membersGainingLicenses"
    >
  >,
  impact: AssignLicensesChange["impact"],
  reasons: ChangeReason[],
): AssignLicensesChange {
  return {
    kind: "assignLicenses",
    id: `assign:${target.id}`,
    target,
    add: parts.add ?? [],
    update: parts.update ?? [],
    remove: parts.remove ?? [],
    ...(parts.membersLosingLicenses !== undefined
      ? { membersLosingLicenses: parts.membersLosingLicenses }
      : {}),
    ...(parts.membersGainingLicenses !== undefined
      ? { membersGainingLicenses: parts.membersGainingLicenses }
      : {}),
    impact,
    reasons,
  };
}

const SUMMARY_ZERO: PlanSummary = {
  changes: 0,
  usersChanged: 0,
  groupsChanged: 0,
  adds: 0,
  updates: 0,
  removes: 0,
  usageLocations: 0,
  removals: 0,
  risk: "none",
};

export const SEATS: readonly SeatSummary[] = [
  {
    ...SKUS.E3,
    displayName: "Office 365 E3",
    capabilityStatus: "Enabled",
    enabled: 100,
    consumedBefore: 80,
    consumedAfter: 79,
    inScope: true,
  },
  {
    ...SKUS.E5,
    displayName: "Microsoft 365 E5",
    capabilityStatus: "Warning",
    enabled: 60,
    consumedBefore: 52,
    consumedAfter: 24,
    inScope: true,
  },
  {
    ...SKUS.P2,
    displayName: "Microsoft Entra ID P2",
    capabilityStatus: "Enabled",
    enabled: 10,
    consumedBefore: 3,
    consumedAfter: 4,
    inScope: true,
  },
  {
    skuId: "f30db892-07e9-47e9-837c-80727f46fd3d",
    skuPartNumber: "FLOW_FREE",
    capabilityStatus: "Enabled",
    enabled: 10000,
    consumedBefore: 12,
    consumedAfter: 12,
    inScope: false,
  },
  {
    skuId: "a403ebcc-fae0-4ca2-8c8c-7a907fd6c235",
    skuPartNumber: "POWER_BI_STANDARD",
    capabilityStatus: "Enabled",
    enabled: 1000000,
    consumedBefore: 40,
    consumedAfter: 40,
    inScope: false,
  },
];

function basePlan(overrides: Partial<Plan>): Plan {
  return {
    formatVersion: 2,
    toolVersion: "0.1.0",
    createdAt: "2026-11-23T12:00:00.000Z",
    tenant: TENANT,
    mode: "authoritative",
    manifestDigest: "sha256:" + "a".repeat(64),
    liveDigest: "sha256:" + "b".repeat(64),
    summary: SUMMARY_ZERO,
    seats: SEATS.map((s) => ({ ...s, capabilityStatus: "Enabled", consumedAfter: s.consumedBefore })),
    warnings: [],
    waves: [],
    ...overrides,
  };
}

/** Nothing to do: the tenant matches the manifests. */
export const emptyPlan: Plan = basePlan({});

const alice = user("alice@contoso.com", 1);
const bob = user("bob@contoso.com", 2);
const dave = user("dave@contoso.com", 4);
const erin = user("erin@contoso.com", 5);
const frank = user("frank@contoso.com", 6);
const gina = user("gina@contoso.com", 7);
const sales = group("Sales", 1);
const marketing = group("Marketing", 2);
const engineering = { ...group("Engineering", 3), location: at("groups.yaml", 14) };

const typicalWaves: Wave[] = [
  {
    kind: "usage-locations",
    reason: "Graph refuses a license for a user without a usage location, so these come first.",
    changes: [
      usageLocation(alice, null, "US", [
        reason(
          "usage-location-default",
          "needs a license and has no usage location; tenant.defaultUsageLocation is US",
        ),
      ]),
      usageLocation(bob, "DE", "GB", [
        reason("usage-location-declared", "usageLocation is declared as GB", {
          file: "users.yaml",
          line: 20,
        }),
      ]),
    ],
  },
  {
    kind: "remove-users",
    reason: "Removals free seats before anyone needs them.",
    changes: [
      assign(dave, { remove: [SKUS.E3] }, "medium", [
        reason(
          "not-declared",
          "ENTERPRISEPACK is in scope and assigned directly, but no manifest declares it",
        ),
      ]),
    ],
  },
  {
    kind: "remove-groups",
    reason: "Removals free seats before anyone needs them.",
    changes: [
      assign(sales, { remove: [SKUS.E5], membersLosingLicenses: 41 }, "high", [
        reason("not-declared", "SPE_E5 is in scope and assigned to the group, but no manifest declares it"),
      ]),
    ],
  },
  {
    kind: "updates",
    reason: "Service plan updates and swaps run after removals so that swaps find free seats.",
    changes: [
      assign(erin, { add: [{ ...SKUS.E5, disabledPlans: [PLANS.SWAY] }], remove: [SKUS.E3] }, "low", [
        reason(
          "swap",
          "ENTERPRISEPACK is replaced by SPE_E5 in one call, so the user is never without a license",
          { file: "users.yaml", line: 31 },
        ),
      ]),
      assign(
        frank,
        {
          update: [
            { ...SKUS.E3, fromDisabledPlans: [PLANS.TEAMS], toDisabledPlans: [PLANS.YAMMER, PLANS.SWAY] },
          ],
        },
        "low",
        [
          reason("plans-differ", "disabled plans differ from profile office-e3", {
            file: "profiles.yaml",
            line: 4,
          }),
        ],
      ),
      assign(
        marketing,
        {
          update: [
            { ...SKUS.E5, fromDisabledPlans: [PLANS.SWAY], toDisabledPlans: [PLANS.SWAY, PLANS.COPILOT] },
          ],
        },
        "low",
        [
          reason(
            "allow-list-new-plan",
            "SPE_E5 gained M365_COPILOT_TEAMS, which the allow-list does not enable",
            { file: "groups.yaml", line: 8 },
          ),
        ],
      ),
    ],
  },
  {
    kind: "add-users",
    reason: "Additions come after removals and updates, once seats are free.",
    changes: [
      assign(alice, { add: [{ ...SKUS.E3, disabledPlans: [PLANS.YAMMER, PLANS.SWAY] }] }, "low", [
        reason("declared", "declared through profile office-e3", { file: "users.yaml", line: 3 }),
      ]),
      assign(bob, { add: [{ ...SKUS.P2, disabledPlans: [] }] }, "low", [
        reason("declared", "declared", { file: "users.yaml", line: 22 }),
      ]),
    ],
  },
  {
    kind: "add-groups",
    reason: "Group additions come last among additions; Graph processes them asynchronously.",
    changes: [
      assign(
        engineering,
        { add: [{ ...SKUS.E5, disabledPlans: [] }], membersGainingLicenses: 12 },
        "medium",
        [reason("declared", "declared", { file: "groups.yaml", line: 15 })],
      ),
    ],
  },
  {
    kind: "group-handover",
    reason:
      "Direct assignments now covered by a group go once the group's processing completes, so no one is without a license.",
    waitForGroups: [engineering.id],
    changes: [
      assign(gina, { remove: [SKUS.E5] }, "low", [
        reason("covered-by-group", "group Engineering now provides SPE_E5"),
      ]),
    ],
  },
];

/** Every wave kind, a swap, an allow-list update, a group removal that strips members, and warnings. */
export const typicalPlan: Plan = basePlan({
  maxRemovals: 25,
  summary: {
    changes: 11,
    usersChanged: 7,
    groupsChanged: 3,
    adds: 4,
    updates: 2,
    removes: 4,
    usageLocations: 2,
    removals: 43,
    risk: "high",
  },
  seats: SEATS,
  warnings: [
    {
      code: "unmanaged-assignment",
      severity: "warning",
      message: "harry@contoso.com holds VISIOCLIENT directly; it is out of scope and left alone",
      hint: "Add VISIOCLIENT to scope.skus to manage it.",
    },
  ],
  waves: typicalWaves,
});

/** Names that try to break out of markdown tables, code spans and HTML. */
export const hostilePlan: Plan = basePlan({
  summary: {
    ...SUMMARY_ZERO,
    changes: 3,
    usersChanged: 2,
    groupsChanged: 1,
    adds: 2,
    removes: 1,
    removals: 5,
    risk: "high",
  },
  waves: [
    {
      kind: "remove-groups",
      reason: "Removals free seats before anyone needs them.",
      changes: [
        assign(
          group("@contoso/admins **now** [x](http://evil)", 9),
          { remove: [SKUS.E5], membersLosingLicenses: 5 },
          "high",
          [reason("not-declared", "not declared: <img src=x onerror=alert(1)>")],
        ),
      ],
    },
    {
      kind: "add-users",
      reason: "Additions come after removals and updates, once seats are free.",
      changes: [
        assign(
          user("<script>alert(1)</script>@contoso.com", 10),
          { add: [{ ...SKUS.E3, disabledPlans: [] }] },
          "low",
          [reason("declared", "declared | with a pipe")],
        ),
        assign(user("pipe|and`tick`s@contoso.com", 11), { add: [{ ...SKUS.P2, disabledPlans: [] }] }, "low", [
          reason("declared", "declared"),
        ]),
      ],
    },
  ],
});

let huge: Plan | undefined;

/** 100,000 changes: more than any pull-request comment can hold. Built once; plans are read-only. */
export function hugePlan(): Plan {
  huge ??= buildHugePlan();
  return huge;
}

function buildHugePlan(): Plan {
  const locations: SetUsageLocationChange[] = [];
  const removes: AssignLicensesChange[] = [];
  const adds: AssignLicensesChange[] = [];
  for (let i = 0; i < 10_000; i++) {
    locations.push(
      usageLocation(user(`user${i}@contoso.com`, i), null, "US", [
        reason("usage-location-default", "tenant default"),
      ]),
    );
  }
  for (let i = 0; i < 30_000; i++) {
    removes.push(
      assign(user(`leaver${i}@contoso.com`, 100_000 + i), { remove: [SKUS.E3] }, "medium", [
        reason("not-declared", "not declared"),
      ]),
    );
  }
  for (let i = 0; i < 60_000; i++) {
    adds.push(
      assign(user(`user${i}@contoso.com`, i), { add: [{ ...SKUS.E5, disabledPlans: [PLANS.SWAY] }] }, "low", [
        reason("declared", "declared", { file: "users.yaml", line: 3 + i * 4 }),
      ]),
    );
  }
  return basePlan({
    summary: {
      changes: 100_000,
      usersChanged: 90_000,
      groupsChanged: 0,
      adds: 60_000,
      updates: 0,
      removes: 30_000,
      usageLocations: 10_000,
      removals: 30_000,
      risk: "medium",
    },
    waves: [
      {
        kind: "usage-locations",
        reason: "Graph refuses a license for a user without a usage location.",
        changes: locations,
      },
      { kind: "remove-users", reason: "Removals free seats before anyone needs them.", changes: removes },
      { kind: "add-users", reason: "Additions come after removals.", changes: adds },
    ],
  });
}

/** The typical plan with a price table: E3 by the month, E5 by the year, P2 without a price. */
export const PRICES: readonly ResolvedPrice[] = [
  {
    ...SKUS.E3,
    amount: 23,
    currency: "USD",
    period: "month",
    location: { file: "prices.yaml", line: 3, column: 5 },
  },
  {
    ...SKUS.E5,
    amount: 684,
    currency: "USD",
    period: "year",
    location: { file: "prices.yaml", line: 7, column: 5 },
  },
];
export const pricedPlan: Plan = { ...typicalPlan, cost: planCost(SEATS, PRICES) };

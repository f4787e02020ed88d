import type { LiveGroup, LiveServicePlan, LiveSku, LiveState, LiveUser } from "../../src/model/live-state.js";

/** A small tenant, as the Graph reader would return it, for the SKU table and export tests. */

const plan = (
  servicePlanId: string,
  servicePlanName: string,
  provisioningStatus = "Success",
): LiveServicePlan => ({
  servicePlanId,
  servicePlanName,
  provisioningStatus,
  appliesTo: "User",
});

export const ID = {
  E3: "6fd2c87f-b296-42f0-b197-1e91e994b900",
  E5: "06ebc4ee-1bb5-47dd-8120-11324bc54e06",
  P2: "84a661c4-e949-4bd2-a560-ed7766fcaf2b",
  CREDITS: "47794cd0-f0e5-45c5-9033-2eb6b5fc84e0",
  SWAY: "a23b959c-7ce8-4e57-9140-b90eb88a9e97",
  YAMMER: "7547a3fe-08ee-4ccb-b430-5077c5041653",
  TEAMS: "57ff2da0-773e-42df-b2af-ffb7a2317929",
  EXCHANGE: "efb87545-963c-4e0d-99df-69c6916d9eb0",
} as const;

const sku = (
  skuId: string,
  skuPartNumber: string,
  seats: { enabled: number; consumed: number; warning?: number; suspended?: number },
  servicePlans: LiveServicePlan[],
  extra: Partial<LiveSku> = {},
): LiveSku => ({
  skuId,
  skuPartNumber,
  appliesTo: "User",
  capabilityStatus: "Enabled",
  consumedUnits: seats.consumed,
  prepaidUnits: {
    enabled: seats.enabled,
    suspended: seats.suspended ?? 0,
    warning: seats.warning ?? 0,
    lockedOut: 0,
  },
  servicePlans,
  ...extra,
});

export const SAMPLE_SKUS: readonly LiveSku[] = [
  sku("bdcb3c2a-0000-4000-8000-00000000c0de", "CONTOSO_CUSTOM", { enabled: 5, consumed: 0 }, []),
  sku(ID.P2, "AAD_PREMIUM_P2", { enabled: 10, consumed: 12 }, [
    plan("eec0eb4f-6444-4f95-aba0-50c24d67f998", "AAD_PREMIUM_P2"),
  ]),
  sku(
    ID.E5,
    "SPE_E5",
    { enabled: 25, consumed: 20, warning: 25 },
    [
      plan(ID.TEAMS, "TEAMS1"),
      plan(ID.SWAY, "SWAY"),
      plan(ID.EXCHANGE, "EXCHANGE_S_ENTERPRISE", "PendingProvisioning"),
    ],
    { capabilityStatus: "Warning" },
  ),
  sku(ID.E3, "ENTERPRISEPACK", { enabled: 100, consumed: 4 }, [
    plan(ID.EXCHANGE, "EXCHANGE_S_ENTERPRISE"),
    plan(ID.SWAY, "SWAY"),
    plan(ID.TEAMS, "TEAMS1"),
    plan(ID.YAMMER, "YAMMER_ENTERPRISE"),
  ]),
  sku(
    ID.CREDITS,
    "MCOPSTNC",
    { enabled: 1, consumed: 0 },
    [plan("505e180f-f7e0-4b65-91d4-00d670bbd18c", "MCOPSTNC")],
    {
      appliesTo: "Company",
    },
  ),
];

const direct = (skuId: string, disabledPlans: string[] = []) => ({
  skuId,
  disabledPlans,
  assignedByGroup: null,
  state: "Active",
  error: null,
});

const inherited = (skuId: string, group: string, disabledPlans: string[] = []) => ({
  skuId,
  disabledPlans,
  assignedByGroup: group,
  state: "Active",
  error: null,
});

const uid = (n: number) => `00000000-0000-4000-a000-${String(n).padStart(12, "0")}`;
const gid = (n: number) => `00000000-0000-4000-b000-${String(n).padStart(12, "0")}`;

function liveUser(
  n: number,
  upn: string,
  usageLocation: string | null,
  states: LiveUser["licenseAssignmentStates"],
): LiveUser {
  const assigned = new Map<string, string[]>();
  for (const state of states)
    if (!assigned.has(state.skuId)) assigned.set(state.skuId, [...state.disabledPlans]);
  return {
    id: uid(n),
    userPrincipalName: upn,
    displayName: upn.split("@")[0]!,
    usageLocation,
    accountEnabled: true,
    assignedLicenses: [...assigned].map(([skuId, disabledPlans]) => ({ skuId, disabledPlans })),
    licenseAssignmentStates: states,
  };
}

function liveGroup(
  n: number,
  displayName: string,
  licenses: { skuId: string; disabledPlans: string[] }[],
  members: number[],
): LiveGroup {
  return {
    id: gid(n),
    displayName,
    mailNickname: displayName.toLowerCase().replace(/\W+/g, "-"),
    securityEnabled: true,
    assignedLicenses: licenses,
    licenseProcessingState: licenses.length > 0 ? "ProcessingComplete" : null,
    memberIds: members.map(uid),
  };
}

export const GROUP_IDS = { sales: gid(1), salesEmea: gid(2), salesTwin: gid(3), unlicensed: gid(4) };

/**
 * Users with direct, inherited and mixed licenses; two licensed groups that
 * share a display name; a group with no license.
 */
export const SAMPLE_TENANT: LiveState = {
  tenant: { id: "8f1b1c2e-0000-4000-8000-000000000000", displayName: "Contoso", countryLetterCode: "US" },
  skus: SAMPLE_SKUS,
  users: [
    liveUser(3, "zoe@contoso.com", "GB", [direct(ID.E3, [ID.YAMMER, ID.SWAY]), direct(ID.P2)]),
    liveUser(1, "alice@contoso.com", "US", [direct(ID.E5, [ID.SWAY]), inherited(ID.E3, GROUP_IDS.sales)]),
    // Only inherited: the group's business, not exported.
    liveUser(2, "bob@contoso.com", "DE", [inherited(ID.E3, GROUP_IDS.sales)]),
    // Both direct and inherited for the same SKU: only the direct one is exported, with its own plans.
    liveUser(4, "carol@contoso.com", "FR", [inherited(ID.E3, GROUP_IDS.sales), direct(ID.E3, [ID.TEAMS])]),
    liveUser(5, "dan@contoso.com", null, []),
    // A plan id the tenant's SKU does not list: exported as the GUID, which the loader accepts.
    liveUser(6, "erin@contoso.com", "US", [direct(ID.E3, ["11111111-2222-4333-8444-555555555555"])]),
  ],
  groups: [
    liveGroup(1, "Sales", [{ skuId: ID.E3, disabledPlans: [] }], [1, 2, 4]),
    liveGroup(2, "Sales EMEA", [{ skuId: ID.E5, disabledPlans: [ID.TEAMS, ID.EXCHANGE] }], []),
    liveGroup(3, "Sales EMEA", [{ skuId: ID.P2, disabledPlans: [] }], []),
    liveGroup(4, "Everyone", [], [1, 2, 3, 4, 5, 6]),
  ],
};

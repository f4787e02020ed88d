import type {
  AssignLicensesChange,
  Change,
  Plan,
  PrincipalRef,
  SetUsageLocationChange,
  SkuRef,
  Wave,
  WaveKind,
} from "../../src/model/plan.js";

export const E3: SkuRef = { skuId: "6fd2c87f-b296-42f0-b197-1e91e994b900", skuPartNumber: "ENTERPRISEPACK" };
export const E5: SkuRef = {
  skuId: "c7df2760-2c81-4ef7-b578-5b5392b571df",
  skuPartNumber: "ENTERPRISEPREMIUM",
};

export const user = (id: string): PrincipalRef => ({ kind: "user", id, name: `${id}@contoso.com` });
export const group = (id: string): PrincipalRef => ({ kind: "group", id, name: `Group ${id}` });

export function usageLocation(id: string, userId: string, to = "US"): SetUsageLocationChange {
  return { kind: "setUsageLocation", id, user: user(userId), from: null, to, impact: "low", reasons: [] };
}

export function assign(
  id: string,
  target: PrincipalRef,
  parts: Partial<Pick<AssignLicensesChange, "add" | "update" | "remove" | "membersLosingLicenses">>,
): AssignLicensesChange {
  return {
    kind: "assignLicenses",
    id,
    target,
    add: parts.add ?? [],
    update: parts.update ?? [],
    remove: parts.remove ?? [],
    ...(parts.membersLosingLicenses === undefined
      ? {}
      : { membersLosingLicenses: parts.membersLosingLicenses }),
    impact: "medium",
    reasons: [],
  };
}

export function wave(kind: WaveKind, changes: readonly Change[], waitForGroups?: readonly string[]): Wave {
  return { kind, reason: `${kind} reason`, changes, ...(waitForGroups ? { waitForGroups } : {}) };
}

/** A plan around the given waves, with a summary counted from them. */
export function buildPlan(waves: readonly Wave[], overrides: Partial<Plan> = {}): Plan {
  const changes = waves.flatMap((w) => w.changes);
  const assigns = changes.filter((c): c is AssignLicensesChange => c.kind === "assignLicenses");
  return {
    formatVersion: 2,
    toolVersion: "0.1.0",
    createdAt: "2026-01-01T00:00:00.000Z",
    tenant: { id: "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90", displayName: "Contoso" },
    mode: "authoritative",
    manifestDigest: "sha256:m",
    liveDigest: "sha256:l",
    summary: {
      changes: changes.length,
      usersChanged: 0,
      groupsChanged: 0,
      adds: assigns.reduce((n, c) => n + c.add.length, 0),
      updates: assigns.reduce((n, c) => n + c.update.length, 0),
      removes: assigns.reduce((n, c) => n + c.remove.length, 0),
      usageLocations: changes.length - assigns.length,
      removals: assigns.filter((c) => c.remove.length > 0 && c.target.kind === "user").length,
      risk: "medium",
    },
    seats: [],
    warnings: [],
    waves,
    ...overrides,
  };
}

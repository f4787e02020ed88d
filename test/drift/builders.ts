import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import type { CatalogSku } from "../../src/catalog/catalog.js";
import type {
  ResolvedDesiredState,
  ResolvedLicense,
  ResolvedPrincipal,
} from "../../src/model/desired-state.js";
import type {
  LicenseAssignmentState,
  LiveGroup,
  LiveSku,
  LiveState,
  LiveUser,
} from "../../src/model/live-state.js";
import type { Change, Plan, SeatSummary } from "../../src/model/plan.js";

/** Hand-built tenants, manifests and plans for drift tests, named after real catalog SKUs. */

export const reference = loadCatalog();

const skuCache = new Map<string, CatalogSku>();

export function catalogSku(partNumber: string): CatalogSku {
  const cached = skuCache.get(partNumber);
  if (cached) return cached;
  const found = reference.lookupSku(partNumber);
  if (found.kind !== "found") throw new Error(`test setup: ${partNumber} is not in the bundled catalog`);
  skuCache.set(partNumber, found.sku);
  return found.sku;
}

export function planId(partNumber: string, planName: string): string {
  const plan = catalogSku(partNumber).servicePlans.find((p) => p.name === planName);
  if (!plan) throw new Error(`test setup: ${planName} is not a plan of ${partNumber}`);
  return plan.id;
}

export function liveSku(
  partNumber: string,
  options: {
    enabled?: number;
    consumed?: number;
    status?: string;
    addPlans?: { id: string; name: string }[];
    appliesTo?: string;
  } = {},
): LiveSku {
  const sku = catalogSku(partNumber);
  return {
    skuId: sku.id,
    skuPartNumber: sku.partNumber,
    appliesTo: options.appliesTo ?? "User",
    capabilityStatus: options.status ?? "Enabled",
    consumedUnits: options.consumed ?? 0,
    prepaidUnits: { enabled: options.enabled ?? 100, suspended: 0, warning: 0, lockedOut: 0 },
    servicePlans: [
      ...sku.servicePlans.map((p) => ({
        servicePlanId: p.id,
        servicePlanName: p.name,
        provisioningStatus: "Success",
        appliesTo: "User",
      })),
      ...(options.addPlans ?? []).map((p) => ({
        servicePlanId: p.id,
        servicePlanName: p.name,
        provisioningStatus: "Success",
        appliesTo: "User",
      })),
    ],
  };
}

export interface HeldLicense {
  sku: string;
  group?: string;
  disabledPlans?: string[];
  error?: string;
}

export function liveUser(
  upn: string,
  options: { id?: string; usageLocation?: string | null; licenses?: HeldLicense[] } = {},
): LiveUser {
  const states: LicenseAssignmentState[] = (options.licenses ?? []).map((l) => ({
    skuId: catalogSku(l.sku).id,
    disabledPlans: l.disabledPlans ?? [],
    assignedByGroup: l.group ?? null,
    state: l.error ? "Error" : "Active",
    error: l.error ?? null,
  }));
  const assigned = new Map<string, string[]>();
  // As in Graph: a license whose assignment failed is not among assignedLicenses.
  for (const s of states)
    if (s.state !== "Error" && !assigned.has(s.skuId)) assigned.set(s.skuId, [...s.disabledPlans]);
  return {
    id: options.id ?? `id-${upn.split("@")[0]}`,
    userPrincipalName: upn,
    displayName: upn.split("@")[0] ?? upn,
    usageLocation: options.usageLocation === undefined ? "US" : options.usageLocation,
    accountEnabled: true,
    assignedLicenses: [...assigned].map(([skuId, disabledPlans]) => ({ skuId, disabledPlans })),
    licenseAssignmentStates: states,
  };
}

export function liveGroup(
  name: string,
  options: { id?: string; skus?: string[]; memberIds?: string[] } = {},
): LiveGroup {
  return {
    id: options.id ?? `gid-${name.toLowerCase()}`,
    displayName: name,
    mailNickname: name.toLowerCase(),
    securityEnabled: true,
    assignedLicenses: (options.skus ?? []).map((s) => ({ skuId: catalogSku(s).id, disabledPlans: [] })),
    licenseProcessingState: options.skus?.length ? "ProcessingComplete" : null,
    ...(options.memberIds ? { memberIds: options.memberIds } : {}),
  };
}

export function liveState(parts: Partial<Omit<LiveState, "tenant">> = {}): LiveState {
  return {
    tenant: { id: "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90", displayName: "Contoso", countryLetterCode: "US" },
    skus: parts.skus ?? [],
    users: parts.users ?? [],
    groups: parts.groups ?? [],
  };
}

let line = 1;
export function license(
  partNumber: string,
  options: { deny?: string[]; allow?: string[]; extraDisabled?: string[] } = {},
): ResolvedLicense {
  const sku = catalogSku(partNumber);
  const location = { file: "manifests/users.yaml", line: line++, column: 9 };
  if (options.allow) {
    const allowed = options.allow.map((n) => planId(partNumber, n));
    const disabled = [
      ...sku.servicePlans.map((p) => p.id).filter((id) => !allowed.includes(id)),
      ...(options.extraDisabled ?? []),
    ];
    return {
      skuId: sku.id,
      skuPartNumber: sku.partNumber,
      disabledPlans: disabled.sort(),
      planMode: "allow",
      enabledPlans: allowed,
      location,
    };
  }
  if (options.deny) {
    const disabled = options.deny.map((n) => planId(partNumber, n)).sort();
    return {
      skuId: sku.id,
      skuPartNumber: sku.partNumber,
      disabledPlans: disabled,
      planMode: "deny",
      location,
    };
  }
  return { skuId: sku.id, skuPartNumber: sku.partNumber, disabledPlans: [], planMode: "all", location };
}

export function principal(
  kind: "user" | "group",
  ref: string,
  licenses: ResolvedLicense[],
  usageLocation?: string,
): ResolvedPrincipal {
  return {
    kind,
    ref,
    licenses,
    location: { file: `manifests/${kind}s.yaml`, line: line++, column: 5 },
    ...(usageLocation ? { usageLocation } : {}),
  };
}

export function desiredState(parts: {
  scope: string[];
  users?: ResolvedPrincipal[];
  groups?: ResolvedPrincipal[];
}): ResolvedDesiredState {
  return {
    tenant: { id: "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90" },
    scope: { skuIds: parts.scope.map((s) => catalogSku(s).id), mode: "authoritative" },
    protect: { users: [], groups: [] },
    limits: {},
    users: parts.users ?? [],
    groups: parts.groups ?? [],
    digest: "d".repeat(64),
  };
}

export function plan(changes: Change[] = [], seats: SeatSummary[] = []): Plan {
  return {
    formatVersion: 2,
    toolVersion: "0.1.0",
    createdAt: "2026-11-23T06:00:00.000Z",
    tenant: { id: "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90", displayName: "Contoso" },
    mode: "authoritative",
    manifestDigest: "d".repeat(64),
    liveDigest: "e".repeat(64),
    summary: {
      changes: changes.length,
      usersChanged: changes.length,
      groupsChanged: 0,
      adds: 0,
      updates: 0,
      removes: 0,
      usageLocations: changes.filter((c) => c.kind === "setUsageLocation").length,
      removals: 0,
      risk: changes.length > 0 ? "low" : "none",
    },
    seats,
    warnings: [],
    waves:
      changes.length > 0
        ? [{ kind: "usage-locations", reason: "assignments fail without one", changes }]
        : [],
  };
}

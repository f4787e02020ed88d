import type {
  AssignedLicense,
  LicenseAssignmentState,
  LiveGroup,
  LiveSku,
  LiveTenant,
  LiveUser,
} from "../model/live-state.js";
import type * as Graph from "@microsoft/microsoft-graph-types";

/**
 * Graph's shapes as far as licensectl reads them, taken from Microsoft's own
 * type definitions (`@microsoft/microsoft-graph-types`, Graph v1.0) so that a
 * property read here is one Graph has. Anything may be missing or null,
 * except the ids licensectl asks for.
 */
export type RawAssignedLicense = Readonly<Pick<Graph.AssignedLicense, "skuId">> & {
  /** A collection by Graph's definition; a null is read as none all the same. */
  readonly disabledPlans?: Graph.AssignedLicense["disabledPlans"] | null;
};
export type RawLicenseAssignmentState = Readonly<
  Pick<Graph.LicenseAssignmentState, "skuId" | "disabledPlans" | "assignedByGroup" | "state" | "error">
>;
export type RawUser = Readonly<
  Pick<
    Graph.User,
    | "userPrincipalName"
    | "displayName"
    | "usageLocation"
    | "accountEnabled"
    | "department"
    | "licenseAssignmentStates"
  >
> & { readonly id: string; readonly assignedLicenses?: readonly RawAssignedLicense[] | null };
export type RawGroup = Readonly<
  Pick<Graph.Group, "displayName" | "mailNickname" | "securityEnabled" | "licenseProcessingState">
> & { readonly id: string; readonly assignedLicenses?: readonly RawAssignedLicense[] | null };
export type RawSku = Readonly<
  Pick<
    Graph.SubscribedSku,
    "skuPartNumber" | "appliesTo" | "capabilityStatus" | "consumedUnits" | "prepaidUnits" | "servicePlans"
  >
> & { readonly skuId: string };
export type RawOrganization = Readonly<Pick<Graph.Organization, "displayName" | "countryLetterCode">> & {
  readonly id: string;
};

// GUIDs from Graph are usually lower-case already; skip the allocation then.
const lower = (text: string): string => (/[A-Z]/.test(text) ? text.toLowerCase() : text);

const EMPTY: readonly never[] = Object.freeze([]);

function guids(list: readonly string[] | null | undefined): readonly string[] {
  if (list === null || list === undefined || list.length === 0) return EMPTY;
  return list.map(lower);
}

function assigned(list: readonly RawAssignedLicense[] | null | undefined): readonly AssignedLicense[] {
  if (list === null || list === undefined || list.length === 0) return EMPTY;
  const out: AssignedLicense[] = [];
  for (const license of list) {
    if (typeof license.skuId !== "string") continue;
    out.push({ skuId: lower(license.skuId), disabledPlans: guids(license.disabledPlans) });
  }
  return out;
}

function states(
  list: readonly RawLicenseAssignmentState[] | null | undefined,
): readonly LicenseAssignmentState[] {
  if (list === null || list === undefined || list.length === 0) return EMPTY;
  const out: LicenseAssignmentState[] = [];
  for (const state of list) {
    if (typeof state.skuId !== "string") continue;
    const error = state.error ?? null;
    out.push({
      skuId: lower(state.skuId),
      disabledPlans: guids(state.disabledPlans),
      assignedByGroup:
        typeof state.assignedByGroup === "string" && state.assignedByGroup !== ""
          ? lower(state.assignedByGroup)
          : null,
      state: state.state ?? "Active",
      error: error === "None" || error === "" ? null : error,
    });
  }
  return out;
}

export function normalizeUser(raw: RawUser): LiveUser {
  return {
    id: lower(raw.id),
    userPrincipalName: raw.userPrincipalName ?? "",
    displayName: raw.displayName ?? null,
    usageLocation: raw.usageLocation === "" ? null : (raw.usageLocation ?? null),
    accountEnabled: raw.accountEnabled ?? null,
    ...(raw.department !== undefined ? { department: raw.department === "" ? null : raw.department } : {}),
    assignedLicenses: assigned(raw.assignedLicenses),
    licenseAssignmentStates: states(raw.licenseAssignmentStates),
  };
}

export function normalizeGroup(raw: RawGroup, memberIds?: readonly string[]): LiveGroup {
  return {
    id: lower(raw.id),
    displayName: raw.displayName ?? "",
    mailNickname: raw.mailNickname ?? null,
    securityEnabled: raw.securityEnabled ?? null,
    assignedLicenses: assigned(raw.assignedLicenses),
    licenseProcessingState: raw.licenseProcessingState?.state ?? null,
    ...(memberIds !== undefined ? { memberIds } : {}),
  };
}

export function normalizeSku(raw: RawSku): LiveSku {
  const units = raw.prepaidUnits ?? {};
  return {
    skuId: lower(raw.skuId),
    skuPartNumber: raw.skuPartNumber ?? "",
    appliesTo: raw.appliesTo ?? "User",
    capabilityStatus: raw.capabilityStatus ?? "Enabled",
    consumedUnits: raw.consumedUnits ?? 0,
    prepaidUnits: {
      enabled: units.enabled ?? 0,
      suspended: units.suspended ?? 0,
      warning: units.warning ?? 0,
      lockedOut: units.lockedOut ?? 0,
    },
    // A plan without an id names nothing a license could turn off.
    servicePlans: (raw.servicePlans ?? [])
      .flatMap((plan) =>
        typeof plan.servicePlanId === "string" ? [{ ...plan, servicePlanId: plan.servicePlanId }] : [],
      )
      .map((plan) => ({
        servicePlanId: lower(plan.servicePlanId),
        servicePlanName: plan.servicePlanName ?? "",
        provisioningStatus: plan.provisioningStatus ?? "Success",
        appliesTo: plan.appliesTo ?? "User",
      })),
  };
}

export function normalizeTenant(raw: RawOrganization): LiveTenant {
  return {
    id: lower(raw.id),
    displayName: raw.displayName ?? "",
    countryLetterCode: raw.countryLetterCode ?? null,
  };
}

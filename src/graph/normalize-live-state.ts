import type {
  AssignedLicense,
  LicenseAssignmentState,
  LiveGroup,
  LiveSku,
  LiveTenant,
  LiveUser,
} from "../model/live-state.js";

/** Graph's raw shapes as far as licensectl reads them; anything may be missing. */
export interface RawAssignedLicense {
  readonly skuId?: string | null;
  readonly disabledPlans?: readonly string[] | null;
}
export interface RawLicenseAssignmentState extends RawAssignedLicense {
  readonly assignedByGroup?: string | null;
  readonly state?: string | null;
  readonly error?: string | null;
}
export interface RawUser {
  readonly id: string;
  readonly userPrincipalName?: string | null;
  readonly displayName?: string | null;
  readonly usageLocation?: string | null;
  readonly accountEnabled?: boolean | null;
  readonly department?: string | null;
  readonly assignedLicenses?: readonly RawAssignedLicense[] | null;
  readonly licenseAssignmentStates?: readonly RawLicenseAssignmentState[] | null;
}
export interface RawGroup {
  readonly id: string;
  readonly displayName?: string | null;
  readonly mailNickname?: string | null;
  readonly securityEnabled?: boolean | null;
  readonly assignedLicenses?: readonly RawAssignedLicense[] | null;
  readonly licenseProcessingState?: { readonly state?: string | null } | null;
}
export interface RawSku {
  readonly skuId: string;
  readonly skuPartNumber?: string | null;
  readonly appliesTo?: string | null;
  readonly capabilityStatus?: string | null;
  readonly consumedUnits?: number | null;
  readonly prepaidUnits?: Partial<
    Record<"enabled" | "suspended" | "warning" | "lockedOut", number | null>
  > | null;
  readonly servicePlans?:
    | readonly {
        readonly servicePlanId: string;
        readonly servicePlanName?: string | null;
        readonly provisioningStatus?: string | null;
        readonly appliesTo?: string | null;
      }[]
    | null;
}
export interface RawOrganization {
  readonly id: string;
  readonly displayName?: string | null;
  readonly countryLetterCode?: string | null;
}

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
    servicePlans: (raw.servicePlans ?? []).map((plan) => ({
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

import type { TenantStore } from "./tenant-store.js";
import type { TenantSnapshot } from "./types.js";

/** Copies the tenant into LiveState shapes (what a Graph reader would build), detached from the store. */
export function takeSnapshot(store: TenantStore): TenantSnapshot {
  const { tenant, skus } = store.data;
  return {
    tenant: { id: tenant.id, displayName: tenant.displayName, countryLetterCode: tenant.countryLetterCode },
    skus: skus.map((s) => ({
      skuId: s.skuId,
      skuPartNumber: s.skuPartNumber,
      appliesTo: s.appliesTo,
      capabilityStatus: s.capabilityStatus,
      consumedUnits: s.consumedUnits,
      prepaidUnits: { ...s.prepaidUnits },
      servicePlans: s.servicePlans.map((p) => ({ ...p })),
    })),
    users: store.users.map((u) => ({
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      displayName: u.displayName,
      usageLocation: u.usageLocation,
      accountEnabled: u.accountEnabled,
      department: u.department,
      assignedLicenses: store.assignedLicenses(u),
      licenseAssignmentStates: u.states.map((st) => ({
        skuId: st.skuId,
        disabledPlans: [...st.disabledPlans],
        assignedByGroup: st.assignedByGroup,
        state: st.state,
        error: st.error,
      })),
    })),
    groups: store.groups.map((g) => ({
      id: g.id,
      displayName: g.displayName,
      mailNickname: g.mailNickname,
      securityEnabled: g.securityEnabled,
      assignedLicenses: g.licenses.map((l) => ({ skuId: l.skuId, disabledPlans: [...l.disabledPlans] })),
      licenseProcessingState: g.licenseProcessingState,
      memberIds: [...g.memberIds],
    })),
  };
}

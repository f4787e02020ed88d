import type { LiveState } from "../model/live-state.js";
import { digestOf } from "../util/digest.js";
import { compareText } from "./live-index.js";

const lower = (s: string) => s.toLowerCase();
const sortedLower = (list: readonly string[]) => list.map(lower).sort(compareText);
const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    compareText(key(a), key(b));

/**
 * The part of a LiveState a plan depends on, independent of array order, as a
 * digest. Apply recomputes it and refuses a plan whose tenant moved since.
 * Seat counts (consumedUnits) are left out on purpose: they move with every
 * license change anywhere in the tenant, and capacity is checked again at apply.
 */
export function digestLiveState(live: LiveState): string {
  return digestOf({
    tenant: lower(live.tenant.id),
    skus: live.skus
      .map((sku) => ({
        skuId: lower(sku.skuId),
        skuPartNumber: sku.skuPartNumber,
        appliesTo: sku.appliesTo,
        capabilityStatus: sku.capabilityStatus,
        prepaidUnits: sku.prepaidUnits,
        plans: sku.servicePlans
          .map((p) => `${lower(p.servicePlanId)}=${p.servicePlanName}`)
          .sort(compareText),
      }))
      .sort(byKey((s) => s.skuId)),
    users: live.users
      .map((user) => ({
        id: lower(user.id),
        upn: user.userPrincipalName,
        usageLocation: user.usageLocation,
        licenses: user.licenseAssignmentStates
          .map((s) => ({
            skuId: lower(s.skuId),
            disabledPlans: sortedLower(s.disabledPlans),
            assignedByGroup: s.assignedByGroup === null ? null : lower(s.assignedByGroup),
          }))
          .sort(byKey((s) => `${s.skuId}/${s.assignedByGroup ?? ""}`)),
        // Only meaningful when licenseAssignmentStates could not be read.
        assigned:
          user.licenseAssignmentStates.length === 0
            ? user.assignedLicenses
                .map((l) => ({ skuId: lower(l.skuId), disabledPlans: sortedLower(l.disabledPlans) }))
                .sort(byKey((l) => l.skuId))
            : undefined,
      }))
      .sort(byKey((u) => u.id)),
    groups: live.groups
      .map((group) => ({
        id: lower(group.id),
        displayName: group.displayName,
        mailNickname: group.mailNickname,
        securityEnabled: group.securityEnabled,
        licenses: group.assignedLicenses
          .map((l) => ({ skuId: lower(l.skuId), disabledPlans: sortedLower(l.disabledPlans) }))
          .sort(byKey((l) => l.skuId)),
        memberIds: group.memberIds ? sortedLower(group.memberIds) : undefined,
      }))
      .sort(byKey((g) => g.id)),
  });
}

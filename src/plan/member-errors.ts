import type { PlanLicenseError } from "../model/plan.js";
import { licenseErrorFix } from "./license-error-fix.js";
import { compareText, isInEffect, skuRefOf, type LiveIndex } from "./live-index.js";
import { userRef } from "./principal-matching.js";

const isErrorCode = (error: string | null): error is string =>
  error !== null && error.trim() !== "" && error.toLowerCase() !== "none";

/**
 * Every license assignment of the tenant that is not in effect or carries an
 * error (a member for whom a group's licenses failed, all or none), with its
 * code, its group and what fixes it: such a copy covers nothing, so the
 * reviewer should see it next to the changes.
 */
export function planLicenseErrors(index: LiveIndex): PlanLicenseError[] {
  const errors: PlanLicenseError[] = [];
  for (const user of index.live.users) {
    for (const state of user.licenseAssignmentStates) {
      if (isInEffect(state, user) && !isErrorCode(state.error)) continue;
      const sku = skuRefOf(index, state.skuId.toLowerCase());
      const groupId = state.assignedByGroup?.toLowerCase() ?? null;
      const group =
        groupId === null ? null : { id: groupId, name: index.groups.get(groupId)?.displayName ?? groupId };
      const error = isErrorCode(state.error) ? state.error : "Other";
      errors.push({
        user: userRef(user),
        sku,
        ...(group ? { group } : {}),
        error,
        state: state.state,
        fix: licenseErrorFix(error, {
          skuPartNumber: sku.skuPartNumber,
          userPrincipalName: user.userPrincipalName,
          ...(group ? { groupName: group.name } : {}),
        }),
      });
    }
  }
  return errors.sort(
    (a, b) =>
      compareText(a.user.name.toLowerCase(), b.user.name.toLowerCase()) ||
      compareText(a.group?.name ?? "", b.group?.name ?? "") ||
      compareText(a.sku.skuPartNumber, b.sku.skuPartNumber),
  );
}

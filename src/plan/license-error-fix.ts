/**
 * What fixes a license assignment error, by Graph's error code. The codes are
 * those of `licenseAssignmentState.error` ("Identify and resolve license
 * assignment problems for a group in Microsoft Entra ID",
 * https://learn.microsoft.com/entra/identity/users/licensing-groups-resolve-problems).
 * An error persists until the group or the user is processed again, so every
 * advice ends with how to have it retried.
 */

/** The error codes Entra reports for a license assignment. */
export const LICENSE_ERROR_CODES = [
  "CountViolation",
  "MutuallyExclusiveViolation",
  "DependencyViolation",
  "ProhibitedInUsageLocationViolation",
  "UniquenessViolation",
  "Other",
] as const;

export interface LicenseErrorContext {
  readonly skuPartNumber: string;
  /** The group the failed assignment comes from; undefined for a direct one. */
  readonly groupName?: string;
  readonly userPrincipalName: string;
}

/** One sentence: what to change, then how to have Entra retry. */
export function licenseErrorFix(error: string, context: LicenseErrorContext): string {
  const sku = context.skuPartNumber;
  const retry = context.groupName
    ? `then reprocess it (POST /users/{id}/reprocessLicenseAssignment for ${context.userPrincipalName}, or change group ${context.groupName}'s licenses)`
    : "then assign it again";
  switch (error) {
    case "CountViolation":
      return `Free or buy one ${sku} seat (every SKU of the group needs one, all or none), ${retry}.`;
    case "MutuallyExclusiveViolation":
      return `Remove the license that conflicts with ${sku} from ${context.userPrincipalName}, or disable the conflicting service plan, ${retry}.`;
    case "DependencyViolation":
      return `Enable the service plan that a plan of ${sku} depends on (or assign the SKU that brings it), ${retry}.`;
    case "ProhibitedInUsageLocationViolation":
      return `Set a usage location where ${sku} may be used for ${context.userPrincipalName}, ${retry}.`;
    case "UniquenessViolation":
      return `Make the user's proxyAddresses unique in the tenant (Exchange refuses duplicates), ${retry}.`;
    default:
      return `Read the error on the user in the Microsoft Entra admin center, fix its cause, ${retry}.`;
  }
}

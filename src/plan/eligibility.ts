import type { ResolvedLicense } from "../model/desired-state.js";
import type { LiveGroup } from "../model/live-state.js";
import type { PrincipalRef } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import { compareText, type LiveIndex } from "./live-index.js";

/** Declared licenses of one principal, as the eligibility checks see them. */
export interface DeclaredEntry {
  readonly principal: PrincipalRef;
  readonly licenses: ReadonlyMap<string, ResolvedLicense>;
}

/** SKUs applying to the whole company cannot be assigned to users or groups. */
export function checkCompanySkus(entries: readonly DeclaredEntry[], index: LiveIndex): Problem[] {
  const problems: Problem[] = [];
  for (const { principal, licenses } of entries) {
    for (const [skuId, license] of licenses) {
      const sku = index.skus.get(skuId);
      if (!sku || sku.appliesTo.toLowerCase() !== "company") continue;
      problems.push({
        code: "sku-company-only",
        severity: "error",
        message: `${sku.skuPartNumber} applies to the whole company and cannot be assigned to ${principal.kind} ${principal.name}`,
        hint: `Remove ${sku.skuPartNumber} from ${principal.name}; tenant-wide SKUs need no assignment.`,
        location: license.location,
      });
    }
  }
  return problems;
}

/**
 * SKUs that receive new assignments must be usable: Warning (grace period)
 * is flagged, Suspended / LockedOut / Deleted cannot take new assignments.
 * @param addedSkus skuId -> where it is declared (first location) for the SKUs added by the plan
 */
export function checkSkuStatus(addedSkus: ReadonlyMap<string, ResolvedLicense>, index: LiveIndex): Problem[] {
  const problems: Problem[] = [];
  for (const skuId of [...addedSkus.keys()].sort(compareText)) {
    const sku = index.skus.get(skuId);
    if (!sku || sku.capabilityStatus === "Enabled") continue;
    const location = addedSkus.get(skuId)!.location;
    if (sku.capabilityStatus === "Warning") {
      problems.push({
        code: "sku-not-enabled",
        severity: "warning",
        message: `${sku.skuPartNumber} is in Warning status (expired, in its grace period) and this plan assigns it`,
        hint: `Renew the ${sku.skuPartNumber} subscription, or the new assignments stop working when the grace period ends.`,
        location,
      });
    } else {
      problems.push({
        code: "sku-unavailable",
        severity: "error",
        message: `${sku.skuPartNumber} is ${sku.capabilityStatus} and cannot take new assignments`,
        hint: `Reactivate the ${sku.skuPartNumber} subscription or stop declaring it.`,
        location,
      });
    }
  }
  return problems;
}

/** Group-based licensing works only on security-enabled groups. */
export function checkGroupEligible(group: LiveGroup, principal: PrincipalRef): Problem[] {
  if (group.securityEnabled === true) return [];
  return [
    {
      code: "group-not-security-enabled",
      severity: "error",
      message: `group ${principal.name} is not security-enabled, and Entra licenses only security-enabled groups`,
      hint: "License a security group (or a Microsoft 365 group with securityEnabled), or assign the licenses to its members.",
      ...(principal.location ? { location: principal.location } : {}),
    },
  ];
}

import type { Plan } from "../model/plan.js";
import type { LicenseWriter } from "../graph/write-operations.js";
import { licenseErrorFix } from "../plan/license-error-fix.js";
import type { GroupMemberLicenseError } from "./apply-result.js";

function skuPartNumbers(plan: Plan): Map<string, string> {
  // Keyed by lower-case id: Graph's GUIDs and the plan's may differ in casing.
  const names = new Map<string, string>(
    plan.seats.map((seat) => [seat.skuId.toLowerCase(), seat.skuPartNumber]),
  );
  for (const wave of plan.waves) {
    for (const change of wave.changes) {
      if (change.kind !== "assignLicenses") continue;
      for (const sku of [...change.add, ...change.update, ...change.remove])
        names.set(sku.skuId.toLowerCase(), sku.skuPartNumber);
    }
  }
  return names;
}

/**
 * Members of the changed groups whose group-based license failed
 * (CountViolation, MutuallyExclusiveViolation, ...): Graph reports those only
 * after processing, never in the assignLicense answer. Errors the plan
 * already showed are marked `beforeApply`. A read that fails becomes a
 * warning; the writes already happened.
 */
export async function readGroupErrors(
  plan: Plan,
  writer: LicenseWriter,
  groupIds: readonly string[],
  groupName: (id: string) => string,
  warnings: string[],
): Promise<GroupMemberLicenseError[]> {
  const partNumbers = skuPartNumbers(plan);
  const known = new Set(
    (plan.licenseErrors ?? [])
      .filter((e) => e.group !== undefined)
      .map((e) => `${e.user.id} ${e.group!.id} ${e.sku.skuId} ${e.error}`.toLowerCase()),
  );
  const errors: GroupMemberLicenseError[] = [];
  for (const groupId of groupIds) {
    try {
      for (const member of await writer.membersWithLicenseErrors(groupId)) {
        const skuPartNumber = partNumbers.get(member.skuId.toLowerCase());
        const key = `${member.userId} ${groupId} ${member.skuId} ${member.error}`.toLowerCase();
        errors.push({
          ...member,
          groupId,
          groupName: groupName(groupId),
          ...(skuPartNumber === undefined ? {} : { skuPartNumber }),
          fix: licenseErrorFix(member.error, {
            skuPartNumber: skuPartNumber ?? member.skuId,
            userPrincipalName: member.userPrincipalName,
            groupName: groupName(groupId),
          }),
          ...(known.has(key) ? { beforeApply: true as const } : {}),
        });
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      warnings.push(
        `Could not read the members with license errors of group ${groupName(groupId)}: ${message}`,
      );
    }
  }
  return errors;
}

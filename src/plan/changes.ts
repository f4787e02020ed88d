import type {
  AssignLicensesChange,
  ChangeReason,
  ImpactLevel,
  PrincipalRef,
  SetUsageLocationChange,
  SkuAssignment,
  SkuRef,
  SkuUpdate,
} from "../model/plan.js";
import type { PlannedAdd, PlannedUpdate } from "./license-diff.js";
import { compareSkuRefs, isInEffect, planRefsOf, skuRefOf, type LiveIndex } from "./live-index.js";

/**
 * Builds the Change records. Ids are derived from the principal, so the same
 * inputs give the same ids; reasons carry a message derived from the data.
 */

export const changeIds = {
  licenses: (p: PrincipalRef) => `${p.kind}:${p.id}:licenses`,
  heldAdd: (p: PrincipalRef) => `user:${p.id}:add-held`,
  groupHandover: (p: PrincipalRef) => `group:${p.id}:handover`,
  usageLocation: (p: PrincipalRef) => `user:${p.id}:usage-location`,
  handover: (p: PrincipalRef) => `user:${p.id}:handover`,
};

const names = (refs: readonly { readonly name: string }[]) => refs.map((r) => r.name).join(", ");

/** The impact of one assignLicense call: removals may cut someone off, plan changes may cut access to a service. */
export function licenseImpact(change: {
  add: readonly unknown[];
  update: readonly unknown[];
  remove: readonly unknown[];
}): ImpactLevel {
  if (change.remove.length > 0) return "high";
  if (change.update.length > 0) return "medium";
  return change.add.length > 0 ? "low" : "none";
}

export interface AssignLicensesInput {
  readonly target: PrincipalRef;
  readonly adds: readonly PlannedAdd[];
  readonly updates: readonly PlannedUpdate[];
  readonly removes: readonly string[];
  readonly membersGaining?: number;
  readonly membersLosing?: number;
  /** Default {@link changeIds.licenses}. */
  readonly id?: string;
}

export function assignLicensesChange(input: AssignLicensesInput, index: LiveIndex): AssignLicensesChange {
  const { target } = input;
  const add: SkuAssignment[] = input.adds
    .map((a) => ({ ...skuRefOf(index, a.skuId), disabledPlans: planRefsOf(index, a.disabledPlans) }))
    .sort(compareSkuRefs);
  const update: SkuUpdate[] = input.updates
    .map((u) => ({
      ...skuRefOf(index, u.skuId),
      fromDisabledPlans: planRefsOf(index, u.from),
      toDisabledPlans: planRefsOf(index, u.to),
    }))
    .sort(compareSkuRefs);
  const remove: SkuRef[] = input.removes.map((id) => skuRefOf(index, id)).sort(compareSkuRefs);

  const reasons: ChangeReason[] = [];
  if (add.length > 0 && remove.length > 0) {
    reasons.push({
      code: "swap",
      message: `${target.name}: ${names(remove.map((r) => ({ name: r.skuPartNumber })))} is replaced by ${names(
        add.map((a) => ({ name: a.skuPartNumber })),
      )} in one call, so the ${target.kind} never goes without a license`,
    });
  }
  for (const a of [...input.adds].sort((x, y) =>
    compareSkuRefs(skuRefOf(index, x.skuId), skuRefOf(index, y.skuId)),
  )) {
    reasons.push({
      code: "declared",
      message: `${skuRefOf(index, a.skuId).skuPartNumber} is declared for ${target.name}`,
      location: a.license.location,
    });
  }
  for (const u of [...input.updates].sort((x, y) =>
    compareSkuRefs(skuRefOf(index, x.skuId), skuRefOf(index, y.skuId)),
  )) {
    const part = skuRefOf(index, u.skuId).skuPartNumber;
    if (u.allowListNewPlans.length > 0) {
      const plans = names(planRefsOf(index, u.allowListNewPlans));
      reasons.push({
        code: "allow-list-new-plan",
        message: `${part} on ${target.name}: ${plans} ${u.allowListNewPlans.length === 1 ? "is" : "are"} not on the allow-list, so ${
          u.allowListNewPlans.length === 1 ? "it is" : "they are"
        } disabled`,
        location: u.license.location,
      });
      continue;
    }
    const turnOff = u.to.filter((p) => !u.from.includes(p));
    const turnOn = u.from.filter((p) => !u.to.includes(p));
    const parts = [
      turnOff.length > 0 ? `disable ${names(planRefsOf(index, turnOff))}` : "",
      turnOn.length > 0 ? `enable ${names(planRefsOf(index, turnOn))}` : "",
    ].filter(Boolean);
    reasons.push({
      code: "plans-differ",
      message: `${part} on ${target.name}: disabled plans differ from the manifest (${parts.join("; ")})`,
      location: u.license.location,
    });
  }
  for (const r of remove) {
    const copies =
      target.kind === "user" ? groupCopies(index, target.id, r.skuId) : { working: [], failed: [] };
    const note =
      copies.working.length > 0
        ? ` (the user also holds it through group ${copies.working.join(", ")})`
        : copies.failed.length > 0
          ? `; the copy through group ${copies.failed.join(", ")} is not in effect, so this takes away the user's only working ${r.skuPartNumber}`
          : "";
    reasons.push({
      code: "not-declared",
      message: `${r.skuPartNumber} is assigned directly to ${target.name} but not declared, and the scope is authoritative${note}`,
      ...(target.location ? { location: target.location } : {}),
    });
  }
  return {
    kind: "assignLicenses",
    id: input.id ?? changeIds.licenses(target),
    target,
    add,
    update,
    remove,
    ...(input.membersLosing !== undefined ? { membersLosingLicenses: input.membersLosing } : {}),
    ...(input.membersGaining !== undefined ? { membersGainingLicenses: input.membersGaining } : {}),
    impact: licenseImpact({ add, update, remove }),
    reasons,
  };
}

/** A direct assignment that a group covers: one licensed in this plan, or one already giving the SKU. */
export interface PlannedHandover {
  readonly skuId: string;
  /** The groups that give the user the SKU after the plan, sorted by name. */
  readonly groups: readonly PrincipalRef[];
  /** Whether one of them gains the SKU in this plan, so the removal waits for its processing. */
  readonly waitsForProcessing: boolean;
}

/**
 * Removes direct assignments that a group covers, after the groups' processing
 * and only once apply has read the group's copy Active for the user, so the
 * user never goes without. Impact is medium, not high: the user keeps the SKU,
 * but its service plans become the group's.
 */
export function handoverChange(
  target: PrincipalRef,
  handovers: readonly PlannedHandover[],
  index: LiveIndex,
): AssignLicensesChange {
  const sorted = [...handovers].sort((a, b) =>
    compareSkuRefs(skuRefOf(index, a.skuId), skuRefOf(index, b.skuId)),
  );
  return {
    kind: "assignLicenses",
    id: changeIds.handover(target),
    target,
    add: [],
    update: [],
    remove: sorted.map((h) => skuRefOf(index, h.skuId)),
    requiresActiveFrom: sorted.map((h) => ({
      ...skuRefOf(index, h.skuId),
      groupIds: h.groups.map((g) => g.id),
    })),
    impact: "medium",
    reasons: sorted.map((h) => ({
      code: "covered-by-group" as const,
      message: h.waitsForProcessing
        ? `${skuRefOf(index, h.skuId).skuPartNumber} now comes to ${target.name} from group ${names(
            h.groups,
          )}; the direct assignment goes once the group is processed and its copy is read Active for the user`
        : `${skuRefOf(index, h.skuId).skuPartNumber} also comes to ${target.name} from group ${names(
            h.groups,
          )}; the direct assignment goes once that copy is read Active for the user`,
      ...(target.location ? { location: target.location } : {}),
    })),
  };
}

export function usageLocationChange(
  user: PrincipalRef,
  from: string | null,
  to: string,
  reason: {
    readonly code: "usage-location-declared" | "usage-location-default";
    readonly location?: ChangeReason["location"];
  },
): SetUsageLocationChange {
  const message =
    reason.code === "usage-location-declared"
      ? `usageLocation ${to} is declared for ${user.name}`
      : `${user.name} needs a usage location for a license and has none; tenant.defaultUsageLocation ${to} is used`;
  return {
    kind: "setUsageLocation",
    id: changeIds.usageLocation(user),
    user,
    from,
    to,
    impact: "low",
    reasons: [{ code: reason.code, message, ...(reason.location ? { location: reason.location } : {}) }],
  };
}

/**
 * Groups a user inherits `skuId` from today, by name: `working` ones give the
 * license (a reviewer then sees that removing the direct assignment leaves the
 * user licensed); `failed` ones are in Error or Disabled, with Graph's error
 * code, and cover nothing.
 */
function groupCopies(
  index: LiveIndex,
  userId: string,
  skuId: string,
): { readonly working: string[]; readonly failed: string[] } {
  const user = index.users.get(userId.toLowerCase());
  const working: string[] = [];
  const failed: string[] = [];
  for (const state of user?.licenseAssignmentStates ?? []) {
    if (state.assignedByGroup === null || state.skuId.toLowerCase() !== skuId.toLowerCase()) continue;
    const groupId = state.assignedByGroup.toLowerCase();
    const name = index.groups.get(groupId)?.displayName ?? groupId;
    if (isInEffect(state, user!)) working.push(name);
    else failed.push(`${name} (${state.state}${state.error ? `: ${state.error}` : ""})`);
  }
  return { working: working.sort(), failed: failed.sort() };
}

import type { AssignLicensesChange, Change, GroupCopyRequirement, Plan, Wave } from "../model/plan.js";
import type { SkipReason } from "./apply-result.js";

/** Why a group cannot be relied on by the changes that wait for it. */
export type GroupNotReady = "group-change-failed" | "group-processing-incomplete";

/** What earlier waves left behind that later changes depend on. */
export interface DependencyState {
  /** Users whose usage location was not set, with the id of that change. */
  readonly usageLocationNotSet: ReadonlyMap<string, string>;
  /** Groups whose license change did not apply or whose processing did not complete. */
  readonly groupsNotReady: ReadonlyMap<string, GroupNotReady>;
}

/** For each group this plan changes: the SKU ids it adds, and its display name. */
export interface PlanGroups {
  readonly adds: ReadonlyMap<string, ReadonlySet<string>>;
  readonly names: ReadonlyMap<string, string>;
}

export function planGroups(plan: Plan): PlanGroups {
  const adds = new Map<string, Set<string>>();
  const names = new Map<string, string>();
  for (const wave of plan.waves) {
    for (const change of wave.changes) {
      if (change.kind !== "assignLicenses" || change.target.kind !== "group") continue;
      names.set(change.target.id, change.target.name);
      const skus = adds.get(change.target.id) ?? new Set<string>();
      for (const sku of change.add) skus.add(sku.skuId);
      adds.set(change.target.id, skus);
    }
  }
  return { adds, names };
}

/**
 * The groups a change in a waiting wave depends on. A removal depends on the
 * waited-for groups that add one of the SKUs it removes: those are the groups
 * taking over the license. In the handover wave, when the plan does not show
 * which group that is, it depends on all of them, so a user is never left
 * without the license. Other waits (for groups that freed seats) only order
 * the writes: if seats are still taken, Graph refuses the assignment itself.
 */
export function groupDependencies(change: Change, wave: Wave, groups: PlanGroups): readonly string[] {
  const waitFor = wave.waitForGroups ?? [];
  if (waitFor.length === 0 || change.kind !== "assignLicenses" || change.remove.length === 0) return [];
  const removed = new Set(change.remove.map((sku) => sku.skuId));
  const covering = waitFor.filter((groupId) =>
    [...(groups.adds.get(groupId) ?? [])].some((id) => removed.has(id)),
  );
  if (covering.length > 0) return covering;
  return wave.kind === "group-handover" ? waitFor : [];
}

/**
 * The group copies a user's removal relies on: the plan's own list, or, for a
 * handover in a plan that does not carry one, the waited-for groups that add
 * each removed SKU. Undefined when the removal relies on no group.
 */
export function groupCopyRequirements(
  change: AssignLicensesChange,
  wave: Wave,
  groups: PlanGroups,
): readonly GroupCopyRequirement[] | undefined {
  if (change.requiresActiveFrom) return change.requiresActiveFrom;
  if (change.target.kind !== "user" || change.remove.length === 0) return undefined;
  if (wave.kind !== "group-handover") return undefined;
  const waitFor = wave.waitForGroups ?? [];
  return change.remove.map((sku) => {
    const adding = waitFor.filter((id) => groups.adds.get(id)?.has(sku.skuId));
    return { ...sku, groupIds: adding.length > 0 ? adding : [...waitFor] };
  });
}

/** Whether the change needs a usage location: only adding or updating a SKU does. */
function needsUsageLocation(change: Change): boolean {
  return change.kind === "assignLicenses" && (change.add.length > 0 || change.update.length > 0);
}

/**
 * Why a change must not be attempted, or undefined when it can go ahead.
 * Pure: decided from the change, its wave and what earlier waves left.
 */
export function skipReasonFor(
  change: Change,
  wave: Wave,
  state: DependencyState,
  groups: PlanGroups,
): SkipReason | undefined {
  if (change.kind === "assignLicenses" && change.target.kind === "user" && needsUsageLocation(change)) {
    const failedChange = state.usageLocationNotSet.get(change.target.id);
    if (failedChange !== undefined) {
      return {
        code: "usage-location-failed",
        message: `the usage location of ${change.target.name} could not be set (change ${failedChange})`,
        dependsOnChange: failedChange,
      };
    }
  }
  const notReady = groupDependencies(change, wave, groups).filter((id) => state.groupsNotReady.has(id));
  if (notReady.length === 0) return undefined;
  const names = `${notReady.length === 1 ? "group" : "groups"} ${notReady.map((id) => groups.names.get(id) ?? id).join(", ")}`;
  const failed = notReady.some((id) => state.groupsNotReady.get(id) === "group-change-failed");
  return failed
    ? {
        code: "group-change-failed",
        message: `the license change of ${names}, which would take over this license, did not apply; the direct license stays`,
        groupIds: notReady,
      }
    : {
        code: "group-processing-incomplete",
        message: `license processing of ${names} did not complete in time; the direct license stays`,
        groupIds: notReady,
      };
}

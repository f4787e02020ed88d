import type {
  LicenseError,
  MissingUsageLocation,
  RedundantAssignment,
  UnmanagedAssignment,
} from "../model/drift.js";
import type { LiveUser } from "../model/live-state.js";
import type { SourceLocation } from "../model/problem.js";
import { licenseErrorFix } from "../plan/license-error-fix.js";
import { directLicensesOfUser, isInEffect } from "../plan/live-index.js";
import { compareSkuRefs, type DriftContext } from "./drift-context.js";

const lower = (text: string) => text.toLowerCase();

/** Graph reports success as null, and in practice sometimes as "None". */
export function isLicenseError(error: string | null): error is string {
  return error !== null && error.trim() !== "" && lower(error) !== "none";
}

/**
 * SKUs assigned to the user through groups; `inEffect` keeps only the states
 * that give the license (a copy in Error covers nothing).
 */
function inheritedLicenses(user: LiveUser, inEffect: boolean): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const state of user.licenseAssignmentStates) {
    if (state.assignedByGroup === null || (inEffect && !isInEffect(state, user))) continue;
    const skuId = lower(state.skuId);
    const groups = result.get(skuId) ?? [];
    if (!groups.includes(lower(state.assignedByGroup))) groups.push(lower(state.assignedByGroup));
    result.set(skuId, groups);
  }
  return result;
}

export interface AssignmentDrift {
  readonly unmanagedAssignments: UnmanagedAssignment[];
  readonly redundantAssignments: RedundantAssignment[];
  readonly licenseErrors: LicenseError[];
  readonly missingUsageLocations: MissingUsageLocation[];
}

/** What the plan already does per user: SKUs it removes directly, usage location it sets. */
function planEffects(context: DriftContext): {
  removes: Map<string, Set<string>>;
  locations: Map<string, string>;
} {
  const removes = new Map<string, Set<string>>();
  const locations = new Map<string, string>();
  for (const wave of context.waves) {
    for (const change of wave.changes) {
      if (change.kind === "setUsageLocation") {
        locations.set(lower(change.user.id), change.to);
      } else if (change.target.kind === "user" && change.remove.length > 0) {
        const set = removes.get(lower(change.target.id)) ?? new Set<string>();
        for (const sku of change.remove) set.add(lower(sku.skuId));
        removes.set(lower(change.target.id), set);
      }
    }
  }
  return { removes, locations };
}

function declaredLocation(context: DriftContext, userId: string, skuId: string): SourceLocation | undefined {
  return context.declaredUsers.get(userId)?.licenses.find((l) => lower(l.skuId) === skuId)?.location;
}

/**
 * One pass over users and groups for the categories that live on
 * assignments: unmanaged (out-of-scope) direct assignments, direct
 * assignments a group also provides, license errors and missing usage locations.
 */
export function assignmentDrift(context: DriftContext): AssignmentDrift {
  const unmanagedAssignments: UnmanagedAssignment[] = [];
  const redundantAssignments: RedundantAssignment[] = [];
  const licenseErrors: LicenseError[] = [];
  const missingUsageLocations: MissingUsageLocation[] = [];
  const { removes, locations } = planEffects(context);

  for (const user of context.live.users) {
    const userId = lower(user.id);
    const direct = directLicensesOfUser(user);
    const inherited = inheritedLicenses(user, false);
    const covering = inheritedLicenses(user, true);
    if (direct.size === 0 && inherited.size === 0 && user.assignedLicenses.length === 0) continue;
    const principal = context.userPrincipal(user);

    for (const [skuId, disabledPlans] of direct) {
      if (!context.inScope.has(skuId)) {
        unmanagedAssignments.push({
          principal,
          sku: context.skuRef(skuId),
          disabledPlans: context.planRefs(disabledPlans),
        });
      }
      const groups = covering.get(skuId);
      if (groups) {
        const declaredAt = declaredLocation(context, userId, skuId);
        redundantAssignments.push({
          user: principal,
          sku: context.skuRef(skuId),
          groups: groups
            .map((g) => context.groupRef(g))
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
          inScope: context.inScope.has(skuId),
          ...(declaredAt ? { declaredAt } : {}),
          removedByPlan: removes.get(userId)?.has(skuId) ?? false,
        });
      }
    }

    for (const state of user.licenseAssignmentStates) {
      if (!isLicenseError(state.error)) continue;
      const sku = context.skuRef(state.skuId);
      const group = state.assignedByGroup === null ? null : context.groupRef(state.assignedByGroup);
      licenseErrors.push({
        user: principal,
        sku,
        group,
        error: state.error,
        state: state.state,
        fix: licenseErrorFix(state.error, {
          skuPartNumber: sku.skuPartNumber,
          userPrincipalName: user.userPrincipalName,
          ...(group ? { groupName: group.name } : {}),
        }),
      });
    }

    if (!user.usageLocation) {
      const held = new Set<string>([...direct.keys(), ...inherited.keys()]);
      for (const license of user.assignedLicenses) held.add(lower(license.skuId));
      const planned = locations.get(userId);
      missingUsageLocations.push({
        user: principal,
        skus: [...held].map((id) => context.skuRef(id)).sort(compareSkuRefs),
        inheritedOnly: direct.size === 0 && inherited.size > 0,
        ...(planned ? { plannedUsageLocation: planned } : {}),
      });
    }
  }

  for (const group of context.live.groups) {
    for (const license of group.assignedLicenses) {
      const skuId = lower(license.skuId);
      if (context.inScope.has(skuId)) continue;
      unmanagedAssignments.push({
        principal: context.groupPrincipal(group),
        sku: context.skuRef(skuId),
        disabledPlans: context.planRefs(license.disabledPlans),
      });
    }
  }
  return { unmanagedAssignments, redundantAssignments, licenseErrors, missingUsageLocations };
}

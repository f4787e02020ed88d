import type { LiveUser } from "../model/live-state.js";
import type { PrincipalRef, SetUsageLocationChange } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import { usageLocationChange } from "./changes.js";

export interface UsageLocationInput {
  readonly user: PrincipalRef;
  readonly live: LiveUser;
  /** The managed usage location, when the manifest declares one. */
  readonly declared?: string;
  /** The user gets a direct license (add or update) in this plan, and Graph requires a location for that. */
  readonly needsLocation: boolean;
}

/**
 * A declared location is managed and enforced. A user who gets a direct
 * license and has none falls back to tenant.defaultUsageLocation; without
 * one the plan fails, because Graph would refuse the assignment.
 */
export function planUsageLocation(
  input: UsageLocationInput,
  defaultUsageLocation: string | undefined,
): { readonly change?: SetUsageLocationChange; readonly problems: readonly Problem[] } {
  const current =
    input.live.usageLocation && input.live.usageLocation.trim() !== "" ? input.live.usageLocation : null;
  if (input.declared !== undefined) {
    const want = input.declared.toUpperCase();
    if (current?.toUpperCase() === want) return { problems: [] };
    return {
      change: usageLocationChange(input.user, current, want, {
        code: "usage-location-declared",
        ...(input.user.location ? { location: input.user.location } : {}),
      }),
      problems: [],
    };
  }
  if (!input.needsLocation || current !== null) return { problems: [] };
  if (defaultUsageLocation) {
    return {
      change: usageLocationChange(input.user, null, defaultUsageLocation.toUpperCase(), {
        code: "usage-location-default",
      }),
      problems: [],
    };
  }
  return {
    problems: [
      {
        code: "usage-location-missing",
        severity: "error",
        message: `user ${input.user.name} gets a license but has no usage location`,
        hint: `Set usageLocation on ${input.user.name} (two-letter ISO code, e.g. US) or tenant.defaultUsageLocation in the manifests.`,
        ...(input.user.location ? { location: input.user.location } : {}),
      },
    ],
  };
}

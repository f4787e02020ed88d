import { loadCatalog } from "../catalog/bundled-catalog.js";
import { Catalog } from "../catalog/catalog.js";
import { resolveDesiredState } from "../manifest/resolve-names.js";
import type { DesiredState, ResolvedDesiredState } from "../model/desired-state.js";
import { LicensectlError, type ErrorCode } from "../model/errors.js";
import type { LiveState } from "../model/live-state.js";
import type { Plan } from "../model/plan.js";
import { hasErrors, type Problem } from "../model/problem.js";
import { withLicenseStates } from "../plan/license-states.js";
import { planChanges } from "../plan/plan-changes.js";
import { TOOL_VERSION } from "../version.js";

/**
 * Why no plan was made. Nothing was written in any of these cases; each is
 * an answer about the input, not a failure of licensectl or of Graph.
 */
export type NoPlanReason =
  /** The paths hold no manifest (an empty directory, only empty files). */
  | "no-manifests"
  /** A manifest does not parse or does not follow the schema. */
  | "invalid-manifests"
  /** A SKU or service plan the manifests name is not among the tenant's subscriptions. */
  | "unresolved"
  /** The manifests are for another tenant than the signed-in one. */
  | "wrong-tenant"
  /** The planner said no: seats short, a guard, a principal the tenant lacks. */
  | "refused";

/** No plan was made, and why: every located problem at once. */
export interface NoPlan {
  readonly kind: "refused";
  readonly reason: NoPlanReason;
  /** The error code a CLI reports for it (`invalid-manifests`, `plan-refused` or `policy-violated`). */
  readonly code: ErrorCode;
  /** One sentence, e.g. "no plan can be made". */
  readonly message: string;
  /** The located problems: errors, and the warnings beside them. */
  readonly problems: readonly Problem[];
  readonly hint?: string;
  /** Warnings from loading (an empty file), shown beside the refusal. */
  readonly warnings: readonly Problem[];
  /** The manifests resolved against the tenant, when they got that far ("wrong-tenant", "refused"). */
  readonly resolved?: ResolvedDesiredState;
}

/** A plan, with what it was made from. */
export interface PlanMade {
  readonly kind: "planned";
  readonly resolved: ResolvedDesiredState;
  /** Each license change carries the principal's licenses before and after (see withLicenseStates). */
  readonly plan: Plan;
  /** Warnings from resolving names against the tenant (a name resolved with a caveat). */
  readonly warnings: readonly Problem[];
}

/** What the planner made of desired and live state: a plan, or why none. */
export type PlanOutcome = PlanMade | NoPlan;

/** Options of planFromState. */
export interface PlanFromStateOptions {
  /** Path of a CSV catalog overriding the bundled one (a newer copy of Microsoft's SKU list). */
  readonly catalog?: string;
  /** When the plan is made; the current time when absent. */
  readonly now?: Date;
}

const FIX_AND_RETRY = "Nothing was written to the tenant. Fix the problems above and run plan again.";

/**
 * Resolves names against the tenant's own SKUs and plans. Synchronous and
 * pure apart from reading the catalog; refusals come back as values.
 */
export function planFromState(
  desired: DesiredState,
  live: LiveState,
  options: PlanFromStateOptions = {},
): PlanOutcome {
  const reference = loadCatalog(options.catalog);
  const tenantCatalog = Catalog.fromSubscribedSkus(live.skus, reference);
  const resolution = resolveDesiredState(desired, tenantCatalog, { catalogIsTenant: true, reference });
  if (!resolution.state || hasErrors(resolution.problems)) {
    return {
      kind: "refused",
      reason: "unresolved",
      code: "invalid-manifests",
      message: "the manifests do not match the tenant's subscriptions",
      problems: resolution.problems,
      warnings: [],
    };
  }
  const result = planChanges(resolution.state, live, {
    toolVersion: TOOL_VERSION,
    now: options.now ?? new Date(),
  });
  // Resolution warnings are not in the plan; callers show them.
  const warnings = resolution.problems.filter((p) => p.severity !== "error");
  if (!result.plan || hasErrors(result.problems)) {
    const wrongTenant = result.problems.some((p) => p.code === "wrong-tenant");
    const policy = result.problems.some((p) => p.severity === "error" && p.code.startsWith("policy-"));
    return {
      kind: "refused",
      reason: wrongTenant ? "wrong-tenant" : "refused",
      code: policy ? "policy-violated" : "plan-refused",
      message: "no plan can be made",
      problems: result.problems,
      hint: FIX_AND_RETRY,
      warnings,
      resolved: resolution.state,
    };
  }
  return {
    kind: "planned",
    resolved: resolution.state,
    plan: withLicenseStates(result.plan, live),
    warnings,
  };
}

/** The refusal as the LicensectlError a program that prefers exceptions (or the CLI) throws. */
export function noPlanError(outcome: NoPlan): LicensectlError {
  return new LicensectlError(outcome.code, outcome.message, {
    problems: outcome.problems,
    ...(outcome.hint ? { hint: outcome.hint } : {}),
  });
}

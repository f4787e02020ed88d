import { loadCatalog } from "../catalog/bundled-catalog.js";
import { computeDrift } from "../drift/compute-drift.js";
import type { DesiredState, ResolvedDesiredState } from "../model/desired-state.js";
import type { DriftInput } from "../drift/compute-drift.js";
import type { DriftReport } from "../model/drift.js";
import type { LiveState } from "../model/live-state.js";
import type { Plan } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import { readSignInActivity } from "../graph/read-sign-in-activity.js";
import { readSubscriptions } from "../graph/read-subscriptions.js";
import { TOOL_VERSION } from "../version.js";
import { openConnection, type TenantReadOptions } from "./get-plan.js";
import { planFromState, type NoPlan } from "./plan-outcome.js";
import { readManifests, readTenant } from "./prepare-plan.js";

/** Options of getDrift. */
export interface GetDriftOptions extends TenantReadOptions {
  /**
   * List licensed users with no sign-in for more than this many days
   * (overrides `policies.inactiveDays`). Sign-in activity is read only when
   * this or the policy asks for it: it needs AuditLog.Read.All and Entra ID P1.
   */
  readonly inactiveDays?: number;
}

/** What drift reads beside the tenant's licenses: subscriptions, and sign-ins when asked for. */
export type DriftExtras = Pick<DriftInput, "subscriptions" | "signIns" | "inactiveDays">;

/** A drift report, and what it was computed from. */
export interface DriftFound {
  readonly kind: "drift";
  readonly report: DriftReport;
  readonly desired: DesiredState;
  readonly resolved: ResolvedDesiredState;
  readonly live: LiveState;
  /** The plan the report's pending changes come from; absent when the planner refused (see report.planProblems). */
  readonly plan?: Plan;
  /** Non-fatal problems from loading and resolving. */
  readonly warnings: readonly Problem[];
}

/**
 * getDrift's answer: a report, or why none can be made. A plan the planner
 * refuses for a reason that is itself drift (seats short, a guard, a
 * principal that left) still gives a report, with those problems in it; bad
 * manifests, manifests that do not resolve against the tenant and a wrong
 * tenant do not.
 */
export type GetDriftResult = DriftFound | NoPlan;

/**
 * Reads the manifests and the tenant, plans as getPlan does, and computes
 * where the tenant has moved away from the manifests. Writes nothing. Only
 * failures (Graph unreachable, sign-in failing) throw.
 */
export async function getDrift(options: GetDriftOptions): Promise<GetDriftResult> {
  const progress = options.progress ?? (() => undefined);
  const loaded = await readManifests(options.manifestPaths, options.cwd, options.pricesFile);
  if (loaded.kind === "refused") return loaded;
  const { desired } = loaded;
  const connection = openConnection(options, desired);
  const live = await readTenant(connection, desired, progress, options.read);
  // Renewals and trials; a tenant that refuses the read is reported as unknown, not as a failure.
  const subscriptions = await readSubscriptions(connection);
  const wantIdle = options.inactiveDays !== undefined || desired.policies?.inactiveDays !== undefined;
  const signIns = wantIdle ? await readSignInActivity(connection) : undefined;
  return driftFromState(desired, live, options, loaded.warnings, {
    subscriptions,
    ...(signIns ? { signIns } : {}),
    ...(options.inactiveDays !== undefined ? { inactiveDays: options.inactiveDays } : {}),
  });
}

/**
 * The drift of `live` against `desired`, with no I/O but the catalog: plans
 * as getPlan does, then computes the report (see GetDriftResult for when a
 * refused plan still gives one). `warnings` are the loader's, carried along.
 */
export function driftFromState(
  desired: DesiredState,
  live: LiveState,
  options: { readonly catalog?: string } = {},
  loaderWarnings: readonly Problem[] = [],
  extras: DriftExtras = {},
): GetDriftResult {
  const now = new Date();
  const catalog = options.catalog !== undefined ? { catalog: options.catalog } : {};
  const outcome = planFromState(desired, live, { ...catalog, now });
  const warnings = [...loaderWarnings, ...outcome.warnings];
  const reference = loadCatalog(options.catalog);
  const found = { kind: "drift", desired, live, warnings } as const;
  if (outcome.kind === "planned") {
    const report = computeDrift({
      desired: outcome.resolved,
      live,
      reference,
      plan: outcome.plan,
      ...extras,
    });
    return { ...found, report, resolved: outcome.resolved, plan: outcome.plan };
  }
  const resolved = outcome.resolved;
  // Manifests that do not resolve, or belong to another tenant, say nothing about this tenant's drift.
  if (outcome.reason !== "refused" || resolved === undefined) return { ...outcome, warnings };
  const report = computeDrift({
    desired: resolved,
    live,
    reference,
    planProblems: outcome.problems,
    toolVersion: TOOL_VERSION,
    now,
    ...extras,
  });
  return { ...found, report, resolved };
}

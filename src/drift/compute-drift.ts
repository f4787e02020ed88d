import { DRIFT_FORMAT_VERSION, type DriftReport } from "../model/drift.js";
import type { PlanSummary } from "../model/plan.js";
import { digestLiveState } from "../plan/live-digest.js";
import { summarize } from "../plan/plan-summary.js";
import { assignmentDrift } from "./assignment-drift.js";
import { capacityIssues, skuSeats } from "./capacity.js";
import {
  comparePrincipals,
  compareSkuRefs,
  compareText,
  createDriftContext,
  type DriftInput,
} from "./drift-context.js";
import { driftEconomics } from "./economics.js";
import { newServicePlans } from "./new-service-plans.js";
import { pendingChanges } from "./pending-changes.js";

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

export type { DriftFromPlan, DriftFromRefusal, DriftInput } from "./drift-context.js";

/** Who made the report, when, from what: the plan's own identity, or the same facts when the planner refused. */
function identity(input: DriftInput): {
  toolVersion: string;
  generatedAt: string;
  tenant: { id: string; displayName: string };
  manifestDigest: string;
  liveDigest: string;
  planSummary: PlanSummary;
} {
  const { plan } = input;
  if (plan !== undefined)
    return {
      toolVersion: plan.toolVersion,
      generatedAt: plan.createdAt,
      tenant: { id: plan.tenant.id, displayName: plan.tenant.displayName },
      manifestDigest: plan.manifestDigest,
      liveDigest: plan.liveDigest,
      planSummary: plan.summary,
    };
  return {
    toolVersion: input.toolVersion,
    generatedAt: input.now.toISOString(),
    tenant: { id: input.live.tenant.id.toLowerCase(), displayName: input.live.tenant.displayName },
    manifestDigest: input.desired.digest,
    liveDigest: digestLiveState(input.live),
    // No plan, so no changes: the summary of none.
    planSummary: summarize([], 0),
  };
}

/**
 * Where the tenant differs from the manifests. Pure and synchronous: every
 * read happened before (the same reads the planner used), and the inputs are
 * not modified. Items are sorted so the same tenant gives the same report.
 */
export function computeDrift(input: DriftInput): DriftReport {
  const context = createDriftContext(input);
  const made = identity(input);
  const assignments = assignmentDrift(context);
  const seats = skuSeats(context);
  const report = {
    planProblems: [...(input.planProblems ?? [])],
    pendingChanges: input.plan ? pendingChanges(input.plan) : [],
    unmanagedAssignments: assignments.unmanagedAssignments.sort(
      (a, b) => comparePrincipals(a.principal, b.principal) || compareSkuRefs(a.sku, b.sku),
    ),
    redundantAssignments: assignments.redundantAssignments.sort(
      (a, b) => comparePrincipals(a.user, b.user) || compareSkuRefs(a.sku, b.sku),
    ),
    licenseErrors: assignments.licenseErrors.sort(
      (a, b) =>
        comparePrincipals(a.user, b.user) ||
        compareSkuRefs(a.sku, b.sku) ||
        compareText(a.group?.name ?? "", b.group?.name ?? ""),
    ),
    newServicePlans: newServicePlans(context),
    capacityIssues: capacityIssues(seats),
    missingUsageLocations: assignments.missingUsageLocations.sort((a, b) =>
      comparePrincipals(a.user, b.user),
    ),
  };
  const counts = {
    planProblems: report.planProblems.length,
    pendingChanges: report.pendingChanges.length,
    unmanagedAssignments: report.unmanagedAssignments.length,
    redundantAssignments: report.redundantAssignments.length,
    licenseErrors: report.licenseErrors.length,
    newServicePlans: report.newServicePlans.length,
    capacityIssues: report.capacityIssues.length,
    missingUsageLocations: report.missingUsageLocations.length,
  };
  return {
    formatVersion: DRIFT_FORMAT_VERSION,
    toolVersion: made.toolVersion,
    generatedAt: made.generatedAt,
    tenant: made.tenant,
    mode: input.plan?.mode ?? input.desired.scope.mode,
    manifestDigest: made.manifestDigest,
    liveDigest: made.liveDigest,
    summary: { ...counts, total: Object.values(counts).reduce((sum, n) => sum + n, 0) },
    planSummary: made.planSummary,
    seats,
    ...report,
    ...optional("economics", driftEconomics(seats, input, new Date(made.generatedAt))),
  };
}

export { hasDrift } from "../model/drift.js";

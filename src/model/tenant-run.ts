import type { DriftReport } from "./drift.js";
import type { Plan } from "./plan.js";
import type { Problem } from "./problem.js";

/**
 * The outcome of one command run over several tenants of one repository: an
 * entry per tenant, each on its own (one tenant's failure never stops the
 * others). `plan --all --format json` writes a TenantPlans document, and
 * `licensectl combine` merges several of them (one per CI shard) into one.
 */

/** Where a tenant stands after the run. */
export type TenantStatus = "changed" | "in-sync" | "failed";

/** Why a tenant failed: the LicensectlError it ended with, as data. */
export interface TenantFailure {
  /** A licensectl error code (see ERROR_CODES), or `internal-error`. */
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  readonly problems: readonly Problem[];
}

/** One tenant's plan, or why there is none. */
export interface TenantPlanEntry {
  /** The tenant's directory name in the repository. */
  readonly name: string;
  /** The manifests' tenant.id, when they could be read. */
  readonly tenantId?: string;
  readonly status: TenantStatus;
  readonly plan?: Plan;
  readonly failure?: TenantFailure;
}

/** Version of the TenantPlans JSON contract. */
export const TENANT_PLANS_FORMAT_VERSION = 1;
/** The `kind` of a TenantPlans document (`schemas/tenant-plans.schema.json`). */
export const TENANT_PLANS_KIND = "licensectl/tenant-plans";

/** `plan --all --format json`: one entry per tenant, sorted by name. */
export interface TenantPlans {
  readonly kind: typeof TENANT_PLANS_KIND;
  readonly formatVersion: typeof TENANT_PLANS_FORMAT_VERSION;
  readonly tenants: readonly TenantPlanEntry[];
}

/** One tenant's drift report, or why there is none. */
export interface TenantDriftEntry {
  readonly name: string;
  readonly tenantId?: string;
  /** "changed" here means drift was found. */
  readonly status: TenantStatus;
  readonly report?: DriftReport;
  readonly failure?: TenantFailure;
}

/** Counts of tenants by status, for summaries and exit codes. */
export function countStatuses(
  entries: readonly { readonly status: TenantStatus }[],
): Record<TenantStatus, number> {
  const counts: Record<TenantStatus, number> = { changed: 0, "in-sync": 0, failed: 0 };
  for (const entry of entries) counts[entry.status] += 1;
  return counts;
}

/** One tenant's saved plan carried out, refused, or failed. */
export interface TenantApplyEntry {
  readonly name: string;
  readonly tenantId?: string;
  /** "changed": written and converged; "in-sync": nothing to write; "failed": refused, failed or not converged. */
  readonly status: TenantStatus;
  /** Changes the reviewed plan held. */
  readonly changes: number;
  /** Why nothing was written (a guard, a stale plan, another tenant, changed manifests). */
  readonly refusal?: { readonly reason: string; readonly message: string; readonly hint?: string };
  /** Written, but the tenant read back does not match the manifests, or a write failed. */
  readonly notConverged?: string;
  readonly failure?: TenantFailure;
}

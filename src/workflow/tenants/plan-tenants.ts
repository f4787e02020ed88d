import { LicensectlError } from "../../model/errors.js";
import type { Problem } from "../../model/problem.js";
import type { TenantPlanEntry } from "../../model/tenant-run.js";
import { connectToGraph, type ConnectionSettings } from "../connect.js";
import { withManifestSet } from "../manifest-set.js";
import { loadDesiredState, planAgainst, readTenant } from "../prepare-plan.js";
import { runBounded } from "./run-bounded.js";
import type { TenantDirectory } from "./select-tenants.js";
import { envForTenants, tenantFailure } from "./tenant-failure.js";

/** How many tenants are read and planned at once by default. */
export const DEFAULT_TENANT_CONCURRENCY = 4;

/** What {@link planTenants} runs over, and how it reaches Graph and reports progress. */
export interface TenantRunOptions {
  readonly tenants: readonly TenantDirectory[];
  /** How to reach Graph; `tenantId` is ignored: each tenant signs in to its manifests' tenant.id. */
  readonly globals: ConnectionSettings & { readonly catalog?: string };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Tenants in flight at once. */
  readonly concurrency?: number;
  /** Progress lines, each for one tenant. */
  readonly progress: (tenant: string, line: string) => void;
  /** Diagnostic lines (sign-in, requests), as `--verbose` prints them. */
  readonly verbose?: (line: string) => void;
}

/** Loads a tenant's manifests and opens a connection signed in to the tenant they name. */
export async function openTenant(tenant: TenantDirectory, options: TenantRunOptions) {
  const { desired, warnings } = await loadDesiredState([tenant.directory], options.cwd);
  if (!desired.tenant.id)
    throw new LicensectlError(
      "tenant-id-missing",
      `the manifests of ${tenant.name} (${tenant.directory}) do not state tenant.id`,
      {
        hint: "In a repository of several tenants every tenant's manifests state `tenant: { id: ... }`: it is the tenant each one signs in to.",
      },
    );
  const { tenantId: _ignored, ...globals } = options.globals;
  const connection = connectToGraph(globals, envForTenants(options.env), desired.tenant.id, options.verbose);
  return { desired, warnings, connection };
}

/**
 * Plans every tenant, `concurrency` at a time, each with its own connection
 * (one multi-tenant app, a credential per tenant). A tenant that fails
 * (manifests, sign-in, Graph, a refused plan) gets a failed entry; the
 * others go on. The plans record their manifest sets, as `plan --out` does.
 */
export async function planTenants(
  options: TenantRunOptions,
): Promise<{ entries: TenantPlanEntry[]; warnings: Map<string, readonly Problem[]> }> {
  const warnings = new Map<string, readonly Problem[]>();
  const settled = await runBounded(
    options.tenants,
    options.concurrency ?? DEFAULT_TENANT_CONCURRENCY,
    async (tenant): Promise<TenantPlanEntry> => {
      let tenantId: string | undefined;
      try {
        const opened = await openTenant(tenant, options);
        tenantId = opened.desired.tenant.id;
        const live = await readTenant(opened.connection, opened.desired, (line) =>
          options.progress(tenant.name, line),
        );
        const planned = planAgainst(opened.desired, live, options.globals);
        warnings.set(tenant.name, [...opened.warnings, ...planned.warnings]);
        const plan = await withManifestSet(planned.plan, opened.desired.files, options.cwd);
        return {
          name: tenant.name,
          tenantId: plan.tenant.id,
          status: plan.summary.changes > 0 ? "changed" : "in-sync",
          plan,
        };
      } catch (error) {
        const failure = tenantFailure(error);
        options.progress(tenant.name, `failed: ${failure.message}`);
        return {
          name: tenant.name,
          ...(tenantId !== undefined ? { tenantId } : {}),
          status: "failed",
          failure,
        };
      }
    },
  );
  return { entries: settled.map((s) => (s as PromiseFulfilledResult<TenantPlanEntry>).value), warnings };
}

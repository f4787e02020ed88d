import { readFile } from "node:fs/promises";
import type { ApplyEvent } from "../../apply/apply-events.js";
import { applyVerdict } from "../../apply/verdict.js";
import type { TenantApplyEntry } from "../../model/tenant-run.js";
import { applySavedPlan } from "../apply-saved-plan.js";
import { connectToGraph, type ConnectionSettings } from "../connect.js";
import { envForTenants, tenantFailure } from "./tenant-failure.js";

/** A tenant's saved plan: the file `plan --all --out DIR` wrote for it. */
export interface TenantPlanFile {
  readonly name: string;
  /** Absolute path. */
  readonly path: string;
  /** As shown in messages. */
  readonly shown: string;
}

/** What {@link applyTenantPlans} carries out, and how it reaches Graph and reports progress. */
export interface ApplyTenantsOptions {
  readonly plans: readonly TenantPlanFile[];
  /** How to reach Graph; `tenantId` is ignored: each plan signs in to its own tenant. */
  readonly globals: ConnectionSettings & { readonly catalog?: string };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The removal limit each plan is held to, as `apply --max-removals`. */
  readonly maxRemovals?: number;
  readonly concurrency?: number;
  /** Every apply event, with the tenant it belongs to. */
  readonly onEvent?: (tenant: string, event: ApplyEvent) => void;
  /** Progress lines, each for one tenant. */
  readonly progress: (tenant: string, line: string) => void;
  /** Diagnostic lines (sign-in, requests), as `--verbose` prints them. */
  readonly verbose?: (line: string) => void;
}

/**
 * Carries out each tenant's saved plan, one tenant after the other, each
 * through `applySavedPlan` with every guard it has (untouched file, same
 * manifests, the plan's own tenant signed in, the same change set now,
 * removal limits), signed in to that tenant alone. A refusal or failure in
 * one tenant is its entry; the next tenant is still applied.
 */
export async function applyTenantPlans(options: ApplyTenantsOptions): Promise<TenantApplyEntry[]> {
  const entries: TenantApplyEntry[] = [];
  const { tenantId: _ignored, ...globals } = options.globals;
  const env = envForTenants(options.env);
  for (const file of options.plans) {
    const progress = (line: string) => options.progress(file.name, line);
    try {
      const outcome = await applySavedPlan({
        planText: await readFile(file.path, "utf8"),
        planFile: file.shown,
        planPath: file.path,
        cwd: options.cwd,
        connection: (tenantId) => connectToGraph(globals, env, tenantId, options.verbose),
        ...(options.globals.catalog !== undefined ? { catalog: options.globals.catalog } : {}),
        ...(options.maxRemovals !== undefined ? { maxRemovals: options.maxRemovals } : {}),
        ...(options.concurrency !== undefined ? { writer: { concurrency: options.concurrency } } : {}),
        ...(options.onEvent ? { onEvent: (event: ApplyEvent) => options.onEvent!(file.name, event) } : {}),
        progress,
      });
      if (outcome.kind === "refused") {
        progress(`refused: ${outcome.message}`);
        entries.push({
          name: file.name,
          ...(outcome.plan ? { tenantId: outcome.plan.tenant.id } : {}),
          status: "failed",
          changes: outcome.plan?.summary.changes ?? 0,
          refusal: {
            reason: outcome.reason,
            message: outcome.message,
            ...(outcome.hint !== undefined ? { hint: outcome.hint } : {}),
          },
        });
        continue;
      }
      const changes = outcome.plan.summary.changes;
      const verdict = outcome.result ? applyVerdict(outcome.result) : { ok: true, reasons: [] };
      const converged = outcome.converged;
      const notConverged = converged
        ? undefined
        : [`${outcome.remaining.summary.changes} changes remain`, ...verdict.reasons].join("; ");
      progress(converged ? (changes > 0 ? "converged" : "no changes") : `not converged: ${notConverged}`);
      entries.push({
        name: file.name,
        tenantId: outcome.plan.tenant.id,
        status: !converged ? "failed" : changes > 0 ? "changed" : "in-sync",
        changes,
        ...(notConverged !== undefined ? { notConverged } : {}),
      });
    } catch (error) {
      const failure = tenantFailure(error);
      progress(`failed: ${failure.message}`);
      entries.push({ name: file.name, status: "failed", changes: 0, failure });
    }
  }
  return entries;
}

import { resolve } from "node:path";
import type { Command } from "commander";
import type { TenantDriftEntry } from "../../model/tenant-run.js";
import {
  renderTenantDriftHtml,
  renderTenantDriftMarkdown,
} from "../../report/tenants/render-tenant-drift.js";
import { driftFromState } from "../../workflow/get-drift.js";
import { noPlanError } from "../../workflow/plan-outcome.js";
import { readTenant } from "../../workflow/prepare-plan.js";
import { openTenant } from "../../workflow/tenants/plan-tenants.js";
import { runBounded } from "../../workflow/tenants/run-bounded.js";
import { selectTenants, type TenantSelection } from "../../workflow/tenants/select-tenants.js";
import { tenantFailure } from "../../workflow/tenants/tenant-failure.js";
import type { CliContext } from "../context.js";
import { writeOutputFile } from "../output-file.js";
import { tenantsExitCode } from "./multi-tenant.js";

/** A tenant's drift as one line of text. */
function line(entry: TenantDriftEntry): string {
  if (entry.failure) return `${entry.name}: FAILED: ${entry.failure.message}`;
  return `${entry.name}: ${entry.status === "changed" ? `${entry.report!.summary.total} drift items` : "no drift"}`;
}

/**
 * `drift --all | --tenant NAME...`: each tenant's drift, as `drift` computes
 * it for one tenant, several tenants at a time; one report with a tenant
 * overview (markdown, HTML) or an entry per tenant (JSON).
 */
export async function driftForTenants(
  context: CliContext,
  command: Command,
  selection: TenantSelection & { readonly concurrency: number },
  options: { format: "text" | "markdown" | "json" | "html"; output?: string; detailedExitcode?: boolean },
): Promise<number> {
  const io = context.io;
  const globals = context.globals(command);
  const tenants = await selectTenants(selection, io.cwd);
  const run = {
    tenants,
    globals,
    env: io.env,
    cwd: io.cwd,
    progress: (tenant: string, text: string) => context.progress(command, `[${tenant}] ${text}`),
    ...(globals.verbose ? { verbose: (text: string) => io.stderr(`${text}\n`) } : {}),
  };
  const settled = await runBounded(
    tenants,
    selection.concurrency,
    async (tenant): Promise<TenantDriftEntry> => {
      try {
        const opened = await openTenant(tenant, run);
        const live = await readTenant(opened.connection, opened.desired, (text) =>
          run.progress(tenant.name, text),
        );
        const outcome = driftFromState(opened.desired, live, globals);
        // A tenant whose drift cannot be computed (manifests that do not resolve, a wrong tenant) fails alone.
        if (outcome.kind === "refused") throw noPlanError(outcome);
        const { report } = outcome;
        return {
          name: tenant.name,
          tenantId: live.tenant.id,
          status: report.summary.total > 0 ? "changed" : "in-sync",
          report,
        };
      } catch (error) {
        const failure = tenantFailure(error);
        run.progress(tenant.name, `failed: ${failure.message}`);
        return { name: tenant.name, status: "failed", failure };
      }
    },
  );
  const entries = settled.map((s) => (s as PromiseFulfilledResult<TenantDriftEntry>).value);
  const text =
    options.format === "json"
      ? `${JSON.stringify({ kind: "licensectl/tenant-drift", formatVersion: 1, tenants: entries }, null, 2)}\n`
      : options.format === "markdown"
        ? renderTenantDriftMarkdown(entries)
        : options.format === "html"
          ? renderTenantDriftHtml(entries)
          : `${entries.map(line).join("\n")}\n`;
  if (options.output !== undefined) {
    await writeOutputFile(resolve(io.cwd, options.output), text, options.output);
    context.progress(
      command,
      `Wrote the ${options.format} drift report of ${tenants.length} tenants to ${options.output}.`,
    );
  } else io.stdout(text);
  return tenantsExitCode(entries, options.detailedExitcode === true);
}

import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { LicensectlError } from "../../model/errors.js";
import type { Plan } from "../../model/plan.js";
import { TENANT_PLANS_KIND, type TenantPlanEntry, type TenantPlans } from "../../model/tenant-run.js";
import type { TenantDirectory } from "./select-tenants.js";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The entries one file holds: a TenantPlans document, or a single plan (`plan --format json`). */
function entriesOf(data: unknown, file: string): TenantPlanEntry[] {
  if (isObject(data) && data.kind === TENANT_PLANS_KIND && Array.isArray(data.tenants))
    return (data as unknown as TenantPlans).tenants.map((entry) => {
      if (!isObject(entry) || typeof entry.name !== "string" || typeof entry.status !== "string")
        throw new LicensectlError(
          "plan-file-unreadable",
          `${file} holds a tenant entry without name or status`,
          {
            hint: "Combine the JSON that `licensectl plan --all --format json` writes, unedited.",
          },
        );
      return entry;
    });
  if (
    isObject(data) &&
    typeof data.formatVersion === "number" &&
    isObject(data.summary) &&
    isObject(data.tenant)
  ) {
    const plan = data as unknown as Plan;
    const name = basename(file).replace(/(\.plan)?\.json$/, "");
    return [
      { name, tenantId: plan.tenant.id, status: plan.summary.changes > 0 ? "changed" : "in-sync", plan },
    ];
  }
  throw new LicensectlError("plan-file-unreadable", `${file} is not a licensectl JSON plan`, {
    hint: "Combine files written by `licensectl plan --format json` or `licensectl plan --all --format json`.",
  });
}

/**
 * Merges the JSON plans of several CI jobs (one per tenant shard) into one
 * list of tenants. A tenant reported twice is an error (two shards overlap);
 * with `expected` (the repository's tenants), a tenant no file reports is a
 * failed entry (and a file that does not exist is passed over), so a shard
 * job that died without output cannot pass unnoticed.
 */
export async function combineTenantPlans(
  files: readonly { readonly path: string; readonly shown: string }[],
  expected?: readonly TenantDirectory[],
): Promise<TenantPlanEntry[]> {
  const byName = new Map<string, { entry: TenantPlanEntry; file: string }>();
  for (const file of files) {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(file.path, "utf8"));
    } catch (error) {
      // A shard that died writes nothing: with the expected tenants, its tenants are reported failed below.
      if (expected !== undefined && (error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw new LicensectlError(
        "plan-file-unreadable",
        `cannot read ${file.shown}: ${(error as Error).message}`,
        {
          hint: "Combine the JSON files that `licensectl plan --format json` wrote.",
        },
      );
    }
    for (const entry of entriesOf(data, file.shown)) {
      const earlier = byName.get(entry.name);
      if (earlier)
        throw new LicensectlError(
          "bad-option",
          `tenant ${entry.name} is in both ${earlier.file} and ${file.shown}`,
          { hint: "Each tenant belongs to one shard: check the --shard or --tenant of the jobs." },
        );
      byName.set(entry.name, { entry, file: file.shown });
    }
  }
  const entries = [...byName.values()].map((v) => v.entry);
  for (const tenant of expected ?? []) {
    if (byName.has(tenant.name)) continue;
    entries.push({
      name: tenant.name,
      status: "failed",
      failure: {
        code: "plan-file-unreadable",
        message: `no plan for ${tenant.name} in the files combined`,
        hint: "The job planning this tenant's shard failed before writing its JSON plan; see its log.",
        problems: [],
      },
    });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

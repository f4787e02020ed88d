import type { Command } from "commander";
import { wholeNumber } from "../choice.js";
import {
  DEFAULT_TENANTS_DIR,
  parseShard,
  type TenantSelection,
} from "../../workflow/tenants/select-tenants.js";
import { DEFAULT_TENANT_CONCURRENCY } from "../../workflow/tenants/plan-tenants.js";

interface TenantFlags {
  all?: boolean;
  tenant?: string[];
  tenantsDir?: string;
  shard?: string;
  tenantConcurrency?: string;
}

/** The options of plan, drift, validate and apply for a repository of several tenants. */
export function addTenantOptions(command: Command): Command {
  return command
    .option("--all", `run for every tenant directory under --tenants-dir (default ${DEFAULT_TENANTS_DIR}/)`)
    .option("--tenant <name...>", "run for these tenants (directory names under --tenants-dir)")
    .option("--tenants-dir <dir>", "the directory holding one directory per tenant", DEFAULT_TENANTS_DIR)
    .option("--shard <i/n>", "only the I-th of N shards of the chosen tenants (for parallel CI jobs)")
    .option(
      "--tenant-concurrency <n>",
      "tenants read and planned at once",
      String(DEFAULT_TENANT_CONCURRENCY),
    );
}

/** The tenants asked for, or undefined for a run over one manifest set (no --all, --tenant or --shard). */
export function tenantSelection(command: Command): (TenantSelection & { concurrency: number }) | undefined {
  const flags = command.opts<TenantFlags>();
  if (!flags.all && (flags.tenant ?? []).length === 0 && flags.shard === undefined) return undefined;
  return {
    tenantsDir: flags.tenantsDir ?? DEFAULT_TENANTS_DIR,
    all: flags.all === true,
    names: flags.tenant ?? [],
    ...(flags.shard !== undefined ? { shard: parseShard(flags.shard) } : {}),
    concurrency: Math.max(1, wholeNumber("--tenant-concurrency", flags.tenantConcurrency ?? "4")),
  };
}

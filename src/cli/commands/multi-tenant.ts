import { mkdir, readdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { loadCatalog } from "../../catalog/bundled-catalog.js";
import { validateManifests } from "../../manifest/validate-manifests.js";
import { LicensectlError } from "../../model/errors.js";
import { formatProblem } from "../../model/problem.js";
import {
  countStatuses,
  TENANT_PLANS_FORMAT_VERSION,
  TENANT_PLANS_KIND,
  type TenantApplyEntry,
  type TenantPlanEntry,
  type TenantPlans,
} from "../../model/tenant-run.js";
import { serializePlan } from "../../plan/plan-file.js";
import { countErrors, PROBLEM_RENDERERS, type ProblemFormat } from "../../report/problems/index.js";
import { renderTenantPlansMarkdown } from "../../report/tenants/render-tenant-plans-markdown.js";
import {
  renderTenantApplyText,
  renderTenantPlansText,
} from "../../report/tenants/render-tenant-plans-text.js";
import { applyTenantPlans } from "../../workflow/tenants/apply-tenants.js";
import { planTenants } from "../../workflow/tenants/plan-tenants.js";
import { selectTenants, type TenantSelection } from "../../workflow/tenants/select-tenants.js";
import type { CliContext } from "../context.js";
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { writeOutputFile } from "../output-file.js";

type Selection = TenantSelection & { readonly concurrency: number };

/** 1 when any tenant failed, else 2 with --detailed-exitcode when any has changes, else 0. */
export function tenantsExitCode(
  entries: readonly { readonly status: TenantPlanEntry["status"] }[],
  detailed: boolean,
): number {
  const counts = countStatuses(entries);
  if (counts.failed > 0) return EXIT_ERROR;
  return detailed && counts.changed > 0 ? EXIT_CHANGES : EXIT_OK;
}

/** The TenantPlans JSON document (`plan --all --format json`, and what `combine` reads). */
export function tenantPlansJson(entries: readonly TenantPlanEntry[]): string {
  const document: TenantPlans = {
    kind: TENANT_PLANS_KIND,
    formatVersion: TENANT_PLANS_FORMAT_VERSION,
    tenants: [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Renders a multi-tenant plan in one of plan's formats. */
export function renderTenantPlans(
  entries: readonly TenantPlanEntry[],
  format: "text" | "markdown" | "json",
): string {
  if (format === "json") return tenantPlansJson(entries);
  if (format === "markdown") return renderTenantPlansMarkdown(entries);
  return renderTenantPlansText(entries);
}

const tenantProgress = (context: CliContext, command: Command) => (tenant: string, line: string) =>
  context.progress(command, `[${tenant}] ${line}`);

/** `plan --all | --tenant NAME...`: every chosen tenant planned, `--out DIR` saving one plan file each. */
export async function planForTenants(
  context: CliContext,
  command: Command,
  selection: Selection,
  options: { format: "text" | "markdown" | "json"; out?: string; detailedExitcode?: boolean },
): Promise<number> {
  const io = context.io;
  const globals = context.globals(command);
  const tenants = await selectTenants(selection, io.cwd);
  const { entries, warnings } = await planTenants({
    tenants,
    globals,
    env: io.env,
    cwd: io.cwd,
    concurrency: selection.concurrency,
    progress: tenantProgress(context, command),
    ...(globals.verbose ? { verbose: (line: string) => io.stderr(`${line}\n`) } : {}),
  });
  if (!globals.quiet)
    for (const [tenant, list] of warnings)
      for (const warning of list) io.stderr(`[${tenant}] ${formatProblem(warning)}\n`);
  for (const entry of entries)
    for (const problem of entry.failure?.problems ?? [])
      io.stderr(`[${entry.name}] ${formatProblem(problem)}\n`);
  io.stdout(renderTenantPlans(entries, options.format));
  if (options.out !== undefined) {
    const directory = resolve(io.cwd, options.out);
    await mkdir(directory, { recursive: true });
    for (const entry of entries) {
      // A plan saved by an earlier run must not stand in for a tenant that could not be planned now.
      if (!entry.plan) {
        await rm(join(directory, `${entry.name}.plan.json`), { force: true });
        continue;
      }
      const shown = join(options.out, `${entry.name}.plan.json`);
      await writeOutputFile(join(directory, `${entry.name}.plan.json`), serializePlan(entry.plan), shown);
    }
    context.progress(
      command,
      `Saved ${entries.filter((e) => e.plan).length} plans to ${options.out}/; apply them with: licensectl apply ${options.out}`,
    );
  }
  return tenantsExitCode(entries, options.detailedExitcode === true);
}

/** `validate --all | --tenant NAME...`: each tenant's manifests (and the libraries they import) on their own. */
export async function validateForTenants(
  context: CliContext,
  command: Command,
  selection: Selection,
  format: ProblemFormat,
): Promise<number> {
  const globals = context.globals(command);
  const catalog = loadCatalog(globals.catalog);
  const tenants = await selectTenants(selection, context.io.cwd);
  let failed = 0;
  const reports = [];
  for (const tenant of tenants) {
    const report = await validateManifests([tenant.directory], catalog, { cwd: context.io.cwd });
    if (countErrors(report.problems) > 0) failed += 1;
    reports.push({ name: tenant.name, report });
  }
  if (format === "json") {
    const parsed = reports.map(({ name, report }) => ({
      name,
      valid: countErrors(report.problems) === 0,
      report: JSON.parse(
        PROBLEM_RENDERERS.json(report, { color: false, verbose: globals.verbose }),
      ) as unknown,
    }));
    context.io.stdout(`${JSON.stringify({ tenants: parsed }, null, 2)}\n`);
  } else {
    for (const { name, report } of reports) {
      if (format === "text") context.io.stdout(`== ${name} (${report.target}) ==\n`);
      context.io.stdout(
        PROBLEM_RENDERERS[format](report, {
          color: context.useColor(command, "stdout"),
          verbose: globals.verbose,
        }),
      );
    }
    if (format === "text")
      context.io.stdout(`${tenants.length} tenants: ${failed} invalid, ${tenants.length - failed} valid\n`);
  }
  return failed > 0 ? EXIT_ERROR : EXIT_OK;
}

/**
 * `apply DIR` (a directory of `NAME.plan.json` written by `plan --all --out DIR`),
 * optionally narrowed by --tenant / --shard: each tenant's saved plan carried
 * out in turn, with every guard of a single saved plan.
 */
export async function applyForTenants(
  context: CliContext,
  command: Command,
  plansDir: string | undefined,
  selection: Selection | undefined,
  options: { format: "text" | "markdown" | "json"; maxRemovals?: number; concurrency: number },
  onEvent: (tenant: string, event: import("../../apply/apply-events.js").ApplyEvent) => void,
): Promise<number> {
  const io = context.io;
  if (plansDir === undefined)
    throw new LicensectlError("bad-option", "apply for several tenants needs their saved plans", {
      hint: "Run `licensectl plan --all --out plans` and review it, then `licensectl apply plans` (add --tenant NAME... to apply some).",
    });
  const directory = resolve(io.cwd, plansDir);
  const files = (await readdir(directory)).filter((f) => f.endsWith(".plan.json")).sort();
  let names = files.map((f) => f.slice(0, -".plan.json".length));
  if (selection && !selection.all && selection.names.length > 0) {
    const unknown = selection.names.filter((n) => !names.includes(n));
    if (unknown.length > 0)
      throw new LicensectlError("bad-option", `${plansDir} holds no saved plan for ${unknown.join(", ")}`, {
        hint: `Saved plans: ${names.join(", ") || "none"}.`,
      });
    names = names.filter((n) => selection.names.includes(n));
  }
  if (selection?.shard)
    names = names.filter((_, i) => i % selection.shard!.count === selection.shard!.index - 1);
  if (names.length === 0)
    throw new LicensectlError(
      "plan-file-unreadable",
      `cannot read ${plansDir} as saved plans: it is a directory with no *.plan.json file`,
      {
        hint: "Give apply a plan file from `licensectl plan --out plan.json`, or a directory of plans from `licensectl plan --all --out DIR`.",
      },
    );
  const globals = context.globals(command);
  const entries: TenantApplyEntry[] = await applyTenantPlans({
    plans: names.map((name) => ({
      name,
      path: join(directory, `${name}.plan.json`),
      shown: join(plansDir, `${name}.plan.json`),
    })),
    globals,
    env: io.env,
    cwd: io.cwd,
    concurrency: options.concurrency,
    ...(options.maxRemovals !== undefined ? { maxRemovals: options.maxRemovals } : {}),
    onEvent,
    progress: tenantProgress(context, command),
    ...(globals.verbose ? { verbose: (line: string) => io.stderr(`${line}\n`) } : {}),
  });
  for (const entry of entries)
    if (entry.refusal?.hint) io.stderr(`[${entry.name}] hint: ${entry.refusal.hint}\n`);
  if (options.format === "json") io.stdout(`${JSON.stringify({ tenants: entries }, null, 2)}\n`);
  else if (options.format === "markdown") io.stdout(`\`\`\`text\n${renderTenantApplyText(entries)}\`\`\`\n`);
  else io.stdout(renderTenantApplyText(entries));
  return countStatuses(entries).failed > 0 ? EXIT_ERROR : EXIT_OK;
}

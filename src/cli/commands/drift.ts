import { resolve } from "node:path";
import type { Command } from "commander";
import { loadCatalog } from "../../catalog/bundled-catalog.js";
import { Catalog } from "../../catalog/catalog.js";
import { computeDrift } from "../../drift/compute-drift.js";
import { planlessStandIn } from "../../drift/planless-stand-in.js";
import { resolveDesiredState } from "../../manifest/resolve-names.js";
import type { DesiredState } from "../../model/desired-state.js";
import { hasDrift, type DriftReport } from "../../model/drift.js";
import { isLicensectlError, LicensectlError } from "../../model/errors.js";
import type { LiveState } from "../../model/live-state.js";
import { renderDriftAnnotations } from "../../report/drift/render-drift-annotations.js";
import { renderDriftHtml } from "../../report/drift/render-drift-html.js";
import { renderDriftJson } from "../../report/drift/render-drift-json.js";
import { renderDriftMarkdown } from "../../report/drift/render-drift-markdown.js";
import { renderDriftText } from "../../report/drift/render-drift-text.js";
import { readSubscriptions } from "../../graph/read-subscriptions.js";
import { readSignInActivity } from "../../graph/read-sign-in-activity.js";
import type { DriftInput } from "../../drift/compute-drift.js";
import { TOOL_VERSION } from "../../version.js";
import { connectToGraph } from "../../workflow/connect.js";
import { digestLiveState, loadDesiredState, planAgainst, readTenant } from "../../workflow/prepare-plan.js";
import { choice } from "../choice.js";
import { EXIT_CHANGES, EXIT_OK } from "../exit-codes.js";
import type { GlobalOptions } from "../global-options.js";
import { writeOutputFile } from "../output-file.js";
import type { RegisterCommand } from "./index.js";

const FORMATS = ["text", "markdown", "json", "html"] as const;
type DriftFormat = (typeof FORMATS)[number];

function render(report: DriftReport, format: DriftFormat, color: boolean): string {
  switch (format) {
    case "json":
      return renderDriftJson(report);
    case "markdown":
      return renderDriftMarkdown(report);
    case "html":
      return renderDriftHtml(report);
    case "text":
      return renderDriftText(report, { color });
  }
}

/**
 * Plans as `licensectl plan` does and computes the drift. When the planner
 * refuses for a reason that is itself drift (seats, guards, a principal that
 * left), the report still comes, with those problems in it; a wrong tenant
 * or manifests that do not resolve stay errors.
 */
function driftOf(
  desired: DesiredState,
  live: LiveState,
  globals: GlobalOptions,
  extra: Pick<DriftInput, "subscriptions" | "signIns" | "inactiveDays">,
): DriftReport {
  const reference = loadCatalog(globals.catalog);
  try {
    const { resolved, plan } = planAgainst(desired, live, globals);
    return computeDrift({ desired: resolved, live, plan, reference, ...extra });
  } catch (error) {
    if (!isLicensectlError(error) || (error.code !== "plan-refused" && error.code !== "policy-violated"))
      throw error;
    if (error.problems.some((p) => p.code === "wrong-tenant")) throw error;
    const tenantCatalog = Catalog.fromSubscribedSkus(live.skus, reference);
    const resolution = resolveDesiredState(desired, tenantCatalog, { catalogIsTenant: true, reference });
    if (!resolution.state) throw error;
    const plan = planlessStandIn(resolution.state, live, {
      toolVersion: TOOL_VERSION,
      now: new Date(),
      liveDigest: digestLiveState(live),
    });
    return computeDrift({
      desired: resolution.state,
      live,
      plan,
      reference,
      planProblems: error.problems,
      ...extra,
    });
  }
}

export const register: RegisterCommand = (program, bind) => {
  program
    .command("drift")
    .description("report where the tenant has moved away from the manifests (writes nothing to the tenant)")
    .option("-m, --manifests <path...>", "manifest files or directories", ["."])
    .option("--format <format>", `output: ${FORMATS.join(", ")}`, "text")
    .option("--output <file>", "write the report to this file instead of stdout")
    .option("--detailed-exitcode", "exit 2 when there is drift, 0 when none, 1 on error")
    .option("--prices <file>", "CSV price table (sku,amount,currency,period) for the cost of unused seats")
    .option(
      "--inactive-days <n>",
      "list licensed users with no sign-in for more than N days (reads signInActivity: AuditLog.Read.All, Entra ID P1)",
      (value: string) => {
        if (!/^[1-9]\d*$/.test(value))
          throw new LicensectlError(
            "bad-option",
            `--inactive-days must be a whole number of 1 or more, not "${value}"`,
          );
        return Number(value);
      },
    )
    .action(
      bind(async (context, command: Command) => {
        const options = command.opts<{
          manifests: string[];
          format: string;
          output?: string;
          detailedExitcode?: boolean;
          prices?: string;
          inactiveDays?: number;
        }>();
        const format = choice("--format", options.format, FORMATS);
        const globals = context.globals(command);
        const verbose = globals.verbose ? (line: string) => context.io.stderr(`${line}\n`) : undefined;
        const { desired } = await loadDesiredState(options.manifests, context.io.cwd, options.prices);
        const connection = connectToGraph(globals, context.io.env, desired.tenant.id, verbose);
        const live = await readTenant(connection, desired, (line) => context.progress(command, line));
        const subscriptions = await readSubscriptions(connection);
        // Sign-in activity needs AuditLog.Read.All and Entra ID P1: read only when asked for.
        const wantIdle = options.inactiveDays !== undefined || desired.policies?.inactiveDays !== undefined;
        const signIns = wantIdle ? await readSignInActivity(connection) : undefined;
        const report = driftOf(desired, live, globals, {
          subscriptions,
          ...(signIns ? { signIns } : {}),
          ...(options.inactiveDays !== undefined ? { inactiveDays: options.inactiveDays } : {}),
        });

        const toFile = options.output !== undefined;
        const rendered = render(report, format, !toFile && context.useColor(command, "stdout"));
        const text = rendered.endsWith("\n") ? rendered : `${rendered}\n`;
        if (options.output !== undefined) {
          await writeOutputFile(resolve(context.io.cwd, options.output), text, options.output);
          context.progress(
            command,
            `Wrote the ${format} drift report to ${options.output}: ` +
              (hasDrift(report) ? `${report.summary.total} drift items.` : "no drift."),
          );
        } else {
          context.io.stdout(text);
        }
        // GitHub shows these on the manifest lines; only in text mode, where they cannot corrupt machine output.
        if (format === "text" && context.io.env.GITHUB_ACTIONS === "true") {
          for (const line of renderDriftAnnotations(report)) context.io.stdout(`${line}\n`);
        }
        return options.detailedExitcode && hasDrift(report) ? EXIT_CHANGES : EXIT_OK;
      }),
    );
};

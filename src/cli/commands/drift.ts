import { resolve } from "node:path";
import type { Command } from "commander";
import { formatProblem } from "../../model/problem.js";
import { hasDrift } from "../../model/drift.js";
import { DRIFT_FORMATS, DRIFT_RENDERERS } from "../../report/drift/index.js";
import { renderDriftAnnotations } from "../../report/drift/render-drift-annotations.js";
import { connectToGraph } from "../../workflow/connect.js";
import { getDrift } from "../../workflow/get-drift.js";
import { noPlanError } from "../../workflow/plan-outcome.js";
import { choice, inactiveDays } from "../choice.js";
import { EXIT_CHANGES, EXIT_OK } from "../exit-codes.js";
import { writeOutputFile } from "../output-file.js";
import type { RegisterCommand } from "./index.js";
import { driftForTenants } from "./drift-tenants.js";
import { addTenantOptions, tenantSelection } from "./tenant-options.js";

export const register: RegisterCommand = (program, bind) => {
  addTenantOptions(program.command("drift"))
    .description("report where the tenant has moved away from the manifests (writes nothing to the tenant)")
    .option("-m, --manifests <path...>", "manifest files or directories", ["."])
    .option("--format <format>", `output: ${DRIFT_FORMATS.join(", ")}`, "text")
    .option("--output <file>", "write the report to this file instead of stdout")
    .option("--detailed-exitcode", "exit 2 when there is drift, 0 when none, 1 on error")
    .option("--prices <file>", "CSV price table (sku,amount,currency,period) for the cost of unused seats")
    .option(
      "--inactive-days <n>",
      "list licensed users with no sign-in for more than N days (reads signInActivity: AuditLog.Read.All, Entra ID P1)",
      inactiveDays,
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
        const format = choice("--format", options.format, DRIFT_FORMATS);
        const tenants = tenantSelection(command);
        if (tenants) return driftForTenants(context, command, tenants, { ...options, format });
        const globals = context.globals(command);
        const verbose = globals.verbose ? (line: string) => context.io.stderr(`${line}\n`) : undefined;
        const outcome = await getDrift({
          manifestPaths: options.manifests,
          cwd: context.io.cwd,
          connection: (tenantId) => connectToGraph(globals, context.io.env, tenantId, verbose),
          ...(globals.catalog !== undefined ? { catalog: globals.catalog } : {}),
          progress: (line) => context.progress(command, line),
          read: context.readOptions(command),
          ...(options.prices !== undefined ? { pricesFile: options.prices } : {}),
          ...(options.inactiveDays !== undefined ? { inactiveDays: options.inactiveDays } : {}),
        });
        if (!globals.quiet)
          for (const warning of outcome.warnings) context.io.stderr(`${formatProblem(warning)}\n`);
        if (outcome.kind === "refused") throw noPlanError(outcome);
        const { report } = outcome;

        const toFile = options.output !== undefined;
        const rendered = DRIFT_RENDERERS[format](report, {
          color: !toFile && context.useColor(command, "stdout"),
        });
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

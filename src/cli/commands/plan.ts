import { resolve } from "node:path";
import type { Command } from "commander";
import { formatProblem } from "../../model/problem.js";
import { serializePlan } from "../../plan/plan-file.js";
import { PLAN_FORMATS, PLAN_RENDERERS } from "../../report/plan/index.js";
import { connectToGraph } from "../../workflow/connect.js";
import { getPlan } from "../../workflow/get-plan.js";
import { noPlanError } from "../../workflow/plan-outcome.js";
import { choice } from "../choice.js";
import { EXIT_CHANGES, EXIT_OK } from "../exit-codes.js";
import { writeOutputFile } from "../output-file.js";
import type { RegisterCommand } from "./index.js";
import { planForTenants } from "./multi-tenant.js";
import { addTenantOptions, tenantSelection } from "./tenant-options.js";

export const register: RegisterCommand = (program, bind) => {
  addTenantOptions(program.command("plan"))
    .description(
      "read the tenant, diff it against the manifests and show the ordered change set (writes nothing)",
    )
    .option("-m, --manifests <path...>", "manifest files or directories", ["."])
    .option(
      "--out <file>",
      "save the plan for `licensectl apply <file>` (with --all: a directory, a plan per tenant)",
    )
    .option("--format <format>", `output: ${PLAN_FORMATS.join(", ")}`, "text")
    .option("--detailed-exitcode", "exit 2 when there are changes, 0 when none, 1 on error")
    .option("--prices <file>", "CSV price table (sku,amount,currency,period) for the cost columns")
    .addHelpText(
      "after",
      `
Examples:
  $ licensectl plan -m manifests/
  $ licensectl plan -m manifests/ --out plan.json            # review, then (anywhere in the repository): licensectl apply plan.json
  $ licensectl plan -m manifests/ --format markdown > plan.md  # for a pull-request comment
  $ licensectl plan -m examples/manifests --graph-url http://127.0.0.1:5555 --auth none   # against the emulator
  $ licensectl plan --all --out plans --format markdown > plan.md   # every tenant under tenants/, a plan file each`,
    )
    .action(
      bind(async (context, command: Command) => {
        const options = command.opts<{
          manifests: string[];
          out?: string;
          format: string;
          detailedExitcode?: boolean;
          prices?: string;
        }>();
        const format = choice("--format", options.format, PLAN_FORMATS);
        const tenants = tenantSelection(command);
        if (tenants) return planForTenants(context, command, tenants, { ...options, format });
        const globals = context.globals(command);
        const verbose = globals.verbose ? (line: string) => context.io.stderr(`${line}\n`) : undefined;
        const outcome = await getPlan({
          manifestPaths: options.manifests,
          cwd: context.io.cwd,
          connection: (tenantId) => connectToGraph(globals, context.io.env, tenantId, verbose),
          ...(globals.catalog !== undefined ? { catalog: globals.catalog } : {}),
          progress: (line) => context.progress(command, line),
          read: context.readOptions(command),
          ...(options.prices !== undefined ? { pricesFile: options.prices } : {}),
        });
        // What validate would warn about (an empty file, a name resolved with a caveat) is shown here too.
        if (!globals.quiet)
          for (const warning of outcome.warnings) context.io.stderr(`${formatProblem(warning)}\n`);
        if (outcome.kind === "refused") throw noPlanError(outcome);
        const { plan } = outcome;
        const rendered = PLAN_RENDERERS[format](plan, { color: context.useColor(command, "stdout") });
        context.io.stdout(rendered.endsWith("\n") ? rendered : `${rendered}\n`);
        if (options.out) {
          await writeOutputFile(resolve(context.io.cwd, options.out), serializePlan(plan), options.out);
          context.progress(
            command,
            `Saved the plan to ${options.out}; apply it with: licensectl apply ${options.out}`,
          );
        }
        const pending = plan.summary.changes > 0;
        return options.detailedExitcode && pending ? EXIT_CHANGES : EXIT_OK;
      }),
    );
};

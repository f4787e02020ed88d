import { resolve } from "node:path";
import type { Command } from "commander";
import { formatProblem } from "../../model/problem.js";
import { serializePlan } from "../../plan/plan-file.js";
import { renderPlanJson } from "../../report/plan/render-plan-json.js";
import { renderPlanMarkdown } from "../../report/plan/render-plan-markdown.js";
import { renderPlanText } from "../../report/plan/render-plan-text.js";
import { withManifestSet } from "../../workflow/manifest-set.js";
import { preparePlan } from "../../workflow/prepare-plan.js";
import { choice } from "../choice.js";
import { EXIT_CHANGES, EXIT_OK } from "../exit-codes.js";
import { writeOutputFile } from "../output-file.js";
import type { RegisterCommand } from "./index.js";

const FORMATS = ["text", "markdown", "json"] as const;

export const register: RegisterCommand = (program, bind) => {
  program
    .command("plan")
    .description(
      "read the tenant, diff it against the manifests and show the ordered change set (writes nothing)",
    )
    .option("-m, --manifests <path...>", "manifest files or directories", ["."])
    .option("--out <file>", "save the plan for `licensectl apply <file>`")
    .option("--format <format>", `output: ${FORMATS.join(", ")}`, "text")
    .option("--detailed-exitcode", "exit 2 when there are changes, 0 when none, 1 on error")
    .option("--prices <file>", "CSV price table (sku,amount,currency,period) for the cost columns")
    .addHelpText(
      "after",
      `
Examples:
  $ licensectl plan -m manifests/
  $ licensectl plan -m manifests/ --out plan.json            # review, then (anywhere in the repository): licensectl apply plan.json
  $ licensectl plan -m manifests/ --format markdown > plan.md  # for a pull-request comment
  $ licensectl plan -m examples/manifests --graph-url http://127.0.0.1:5555 --auth none   # against the emulator`,
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
        const format = choice("--format", options.format, FORMATS);
        const globals = context.globals(command);
        const prepared = await preparePlan({
          manifestPaths: options.manifests,
          globals,
          env: context.io.env,
          cwd: context.io.cwd,
          progress: (line) => context.progress(command, line),
          ...(options.prices !== undefined ? { pricesFile: options.prices } : {}),
          ...(globals.verbose ? { verbose: (line: string) => context.io.stderr(`${line}\n`) } : {}),
        });
        // What validate would warn about (an empty file, a name resolved with a caveat) is shown here too.
        if (!globals.quiet)
          for (const warning of prepared.warnings) context.io.stderr(`${formatProblem(warning)}\n`);
        // Recorded so that `apply plan.json` finds and checks the manifests by itself.
        const plan = await withManifestSet(prepared.plan, prepared.desired.files, context.io.cwd);
        const rendered =
          format === "json"
            ? renderPlanJson(plan)
            : format === "markdown"
              ? renderPlanMarkdown(plan)
              : renderPlanText(plan, { color: context.useColor(command, "stdout") });
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

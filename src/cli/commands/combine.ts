import { resolve } from "node:path";
import type { Command } from "commander";
import { combineTenantPlans } from "../../workflow/tenants/combine-plans.js";
import { selectTenants } from "../../workflow/tenants/select-tenants.js";
import { choice } from "../choice.js";
import type { RegisterCommand } from "./index.js";
import { renderTenantPlans, tenantsExitCode } from "./multi-tenant.js";

const FORMATS = ["markdown", "text", "json"] as const;

export const register: RegisterCommand = (program, bind) => {
  program
    .command("combine")
    .description(
      "merge JSON plans of several jobs (one per tenant shard) into one report and one exit code (reads no tenant)",
    )
    .argument("<files...>", "JSON written by `plan --format json` or `plan --all --format json`")
    .option("--format <format>", `output: ${FORMATS.join(", ")}`, "markdown")
    .option(
      "--expect-tenants <dir>",
      "the repository's tenants directory: a tenant no file reports counts as failed",
    )
    .option("--detailed-exitcode", "exit 2 when some tenant has changes, 0 when none, 1 when any failed")
    .addHelpText(
      "after",
      `
Exit codes: 1 when any tenant failed (or, with --expect-tenants, is missing);
with --detailed-exitcode 2 when some tenant has changes; else 0.

Example (the last job of a matrix that ran \`plan --shard I/N --format json > plan-I.json\`):
  $ licensectl combine plan-*.json --expect-tenants tenants --detailed-exitcode > plan.md`,
    )
    .action(
      bind(async (context, command: Command) => {
        const options = command.opts<{
          format: string;
          expectTenants?: string;
          detailedExitcode?: boolean;
        }>();
        const format = choice("--format", options.format, FORMATS);
        const files = (command.processedArgs[0] as string[]).map((file) => ({
          path: resolve(context.io.cwd, file),
          shown: file,
        }));
        const expected =
          options.expectTenants !== undefined
            ? await selectTenants({ tenantsDir: options.expectTenants, all: true, names: [] }, context.io.cwd)
            : undefined;
        const entries = await combineTenantPlans(files, expected);
        context.io.stdout(renderTenantPlans(entries, format));
        return tenantsExitCode(entries, options.detailedExitcode === true);
      }),
    );
};

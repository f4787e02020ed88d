import type { Command } from "commander";
import { loadCatalog } from "../../catalog/bundled-catalog.js";
import { validateManifests } from "../../manifest/validate-manifests.js";
import { countErrors, PROBLEM_FORMATS, PROBLEM_RENDERERS } from "../../report/problems/index.js";
import { choice } from "../choice.js";
import { EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import type { RegisterCommand } from "./index.js";
import { validateForTenants } from "./multi-tenant.js";
import { addTenantOptions, tenantSelection } from "./tenant-options.js";

export const register: RegisterCommand = (program, bind) => {
  addTenantOptions(program.command("validate"))
    .description(
      "check manifests offline: YAML, schema, merge rules, SKU and service-plan names (exit 1 when invalid)",
    )
    .argument("[paths...]", "manifest files or directories (read recursively)", ["."])
    .option("--format <format>", `output: ${PROBLEM_FORMATS.join(", ")}`, "text")
    .option("--prices <file>", "also check this CSV price table (sku,amount,currency,period)")
    .action(
      bind(async (context, command: Command) => {
        const options = command.opts<{ format: string; prices?: string }>();
        const format = choice("--format", options.format, PROBLEM_FORMATS);
        const tenants = tenantSelection(command);
        if (tenants) return validateForTenants(context, command, tenants, format);
        const paths = command.processedArgs[0] as string[];
        const globals = context.globals(command);
        const catalog = loadCatalog(globals.catalog);
        const report = await validateManifests(paths, catalog, {
          cwd: context.io.cwd,
          ...(options.prices !== undefined ? { pricesFile: options.prices } : {}),
        });
        const rendered = PROBLEM_RENDERERS[format](report, {
          color: context.useColor(command, "stdout"),
          verbose: globals.verbose,
        });
        context.io.stdout(rendered);
        return countErrors(report.problems) > 0 ? EXIT_ERROR : EXIT_OK;
      }),
    );
};

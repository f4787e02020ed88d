import type { Command } from "commander";
import { loadCatalog } from "../../catalog/bundled-catalog.js";
import { graphFailure } from "../../graph/graph-errors.js";
import { normalizeSku, type RawSku } from "../../graph/normalize-live-state.js";
import { SKUS_FORMATS, SKUS_RENDERERS } from "../../report/skus/index.js";
import { connectToGraph } from "../../workflow/connect.js";
import { choice } from "../choice.js";
import { EXIT_OK } from "../exit-codes.js";
import type { RegisterCommand } from "./index.js";

export const register: RegisterCommand = (program, bind) => {
  program
    .command("skus")
    .description("show the tenant's subscriptions: seats per SKU and, with --plans, their service plans")
    .option("--plans", "list each SKU's service plans")
    .option("--format <format>", `output: ${SKUS_FORMATS.join(", ")}`, "text")
    .action(
      bind(async (context, command: Command) => {
        const options = command.opts<{ plans?: boolean; format: string }>();
        const format = choice("--format", options.format, SKUS_FORMATS);
        const globals = context.globals(command);
        const connection = connectToGraph(globals, context.io.env, undefined);
        // One request: the seat table needs no users or groups.
        const response = await connection.send({ method: "GET", url: "/subscribedSkus" });
        if (response.status >= 400)
          throw graphFailure("GET", "/subscribedSkus", response.status, response.body);
        const skus = ((response.body as { value?: RawSku[] }).value ?? []).map(normalizeSku);
        const catalog = loadCatalog(globals.catalog);
        context.io.stdout(
          SKUS_RENDERERS[format](
            { skus, catalog },
            { color: context.useColor(command, "stdout"), plans: options.plans === true },
          ),
        );
        return EXIT_OK;
      }),
    );
};

import type { Command } from "commander";
import { loadCatalog } from "../../catalog/bundled-catalog.js";
import { graphFailure } from "../../graph/graph-errors.js";
import { normalizeSku, type RawSku } from "../../graph/normalize-live-state.js";
import { SKUS_FORMATS, SKUS_RENDERERS } from "../../report/skus/index.js";
import { connectToGraph } from "../../workflow/connect.js";
import { readSubscriptions } from "../../graph/read-subscriptions.js";
import { renewalReport } from "../../economics/renewals.js";
import { POLICY_DEFAULTS } from "../../model/economics.js";
import { LicensectlError } from "../../model/errors.js";

/** A commander parser for a whole number >= 0. */
const count = (flag: string) => (value: string) => {
  if (!/^\d+$/.test(value))
    throw new LicensectlError("bad-option", `${flag} must be a whole number of 0 or more, not "${value}"`);
  return Number(value);
};
import { choice } from "../choice.js";
import { EXIT_OK } from "../exit-codes.js";
import type { RegisterCommand } from "./index.js";

export const register: RegisterCommand = (program, bind) => {
  program
    .command("skus")
    .description("show the tenant's subscriptions: seats per SKU and, with --plans, their service plans")
    .option("--plans", "list each SKU's service plans")
    .option(
      "--renewal-days <n>",
      "flag subscriptions that renew, expire or change status within N days",
      count("--renewal-days"),
      POLICY_DEFAULTS.renewalWarningDays,
    )
    .option(
      "--reserve <n>",
      "seats to keep free at renewal when counting reducible seats",
      count("--reserve"),
      0,
    )
    .option("--format <format>", `output: ${SKUS_FORMATS.join(", ")}`, "text")
    .action(
      bind(async (context, command: Command) => {
        const options = command.opts<{
          plans?: boolean;
          format: string;
          renewalDays: number;
          reserve: number;
        }>();
        const format = choice("--format", options.format, SKUS_FORMATS);
        const globals = context.globals(command);
        const connection = connectToGraph(globals, context.io.env, undefined);
        // One request: the seat table needs no users or groups.
        const response = await connection.send({ method: "GET", url: "/subscribedSkus" });
        if (response.status >= 400)
          throw graphFailure("GET", "/subscribedSkus", response.status, response.body);
        const skus = ((response.body as { value?: RawSku[] }).value ?? []).map(normalizeSku);
        const catalog = loadCatalog(globals.catalog);
        // One more request: the subscriptions behind the SKUs (renewals, trials, reducible seats).
        const renewals = renewalReport(
          await readSubscriptions(connection),
          skus.map((s) => ({ ...s, enabled: s.prepaidUnits.enabled, consumed: s.consumedUnits })),
          { withinDays: options.renewalDays, reserve: options.reserve, now: new Date() },
        );
        context.io.stdout(
          SKUS_RENDERERS[format](
            { skus, catalog, renewals },
            { color: context.useColor(command, "stdout"), plans: options.plans === true },
          ),
        );
        return EXIT_OK;
      }),
    );
};

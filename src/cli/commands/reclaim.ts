import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { loadCatalog } from "../../catalog/bundled-catalog.js";
import { Catalog } from "../../catalog/catalog.js";
import { idleUsers } from "../../economics/idle-users.js";
import { readSignInActivity } from "../../graph/read-sign-in-activity.js";
import { resolveDesiredState } from "../../manifest/resolve-names.js";
import { LicensectlError } from "../../model/errors.js";
import { reclaimEdits } from "../../reclaim/reclaim-edits.js";
import { connectToGraph } from "../../workflow/connect.js";
import { loadDesiredState, readTenant } from "../../workflow/prepare-plan.js";
import { EXIT_CHANGES, EXIT_OK } from "../exit-codes.js";
import { writeOutputFile } from "../output-file.js";
import { inactiveDays } from "../choice.js";
import type { RegisterCommand } from "./index.js";

export const register: RegisterCommand = (program, bind) => {
  program
    .command("reclaim")
    .description(
      "write the manifest edit that takes licenses back from users who no longer sign in (never writes to the tenant)",
    )
    .option("-m, --manifests <path...>", "manifest files or directories", ["."])
    .requiredOption(
      "--inactive-days <n>",
      "users with no sign-in for more than N days (reads signInActivity: AuditLog.Read.All, Entra ID P1)",
      inactiveDays,
    )
    .option("--write", "edit the manifest files in place (default: print the edit as a unified diff)")
    .option("--detailed-exitcode", "exit 2 when there is something to reclaim, 0 when not, 1 on error")
    .action(
      bind(async (context, command: Command) => {
        const options = command.opts<{
          manifests: string[];
          inactiveDays: number;
          write?: boolean;
          detailedExitcode?: boolean;
        }>();
        const globals = context.globals(command);
        const { desired } = await loadDesiredState(options.manifests, context.io.cwd);
        const connection = connectToGraph(globals, context.io.env, desired.tenant.id);
        const live = await readTenant(connection, desired, (line) => context.progress(command, line));
        const signIns = await readSignInActivity(connection);
        if (!signIns.available)
          throw new LicensectlError("graph-permission-denied", "sign-in activity is not available", {
            hint: `${signIns.reason}. Nothing was edited.`,
          });
        const reference = loadCatalog(globals.catalog);
        const resolved = resolveDesiredState(desired, Catalog.fromSubscribedSkus(live.skus, reference), {
          catalogIsTenant: true,
          reference,
        }).state;
        const idle = idleUsers(live, signIns, {
          inactiveDays: options.inactiveDays,
          exempt: [...desired.protect.users, ...(desired.policies?.exempt ?? [])],
          prices: resolved?.prices ?? [],
          now: new Date(),
        });
        if (!idle.available) return EXIT_OK;
        const files = await Promise.all(
          desired.files.map(async (file) => ({
            file,
            text: await readFile(resolve(context.io.cwd, file), "utf8"),
          })),
        );
        const { edits, declared } = reclaimEdits(files, idle.users);
        for (const edit of edits) {
          if (options.write) {
            await writeOutputFile(resolve(context.io.cwd, edit.file), edit.after, edit.file);
            context.progress(command, `Edited ${edit.file}: ${edit.users.join(", ")}`);
          } else context.io.stdout(edit.patch);
        }
        const elsewhere = idle.users.filter((u) => !declared.has(u.id));
        for (const user of elsewhere)
          context.io.stderr(
            `${user.userPrincipalName} has not signed in for ${user.daysInactive} days but the manifests declare no direct licenses for them (their licenses come from groups or are not managed): left alone.\n`,
          );
        const reclaimed = edits.reduce((sum, e) => sum + e.users.length, 0);
        context.progress(
          command,
          `${reclaimed} idle user(s) lose their direct licenses in the manifests` +
            (desired.scope.mode === "additive"
              ? "; scope.mode is additive, so plan will not remove them from the tenant until it is authoritative."
              : "; review the edit, then plan and apply it."),
        );
        return options.detailedExitcode && reclaimed > 0 ? EXIT_CHANGES : EXIT_OK;
      }),
    );
};

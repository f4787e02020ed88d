import type { Command } from "commander";
import { ADOPT_SELECTIONS, type AdoptionResult } from "../../model/adopt.js";
import { LicensectlError } from "../../model/errors.js";
import { formatProblem } from "../../model/problem.js";
import { describeSkip } from "../../report/adopt/describe-adoption.js";
import { renderAdoptJson } from "../../report/adopt/render-adopt-json.js";
import { renderAdoptPatch, renderAdoptSummary } from "../../report/adopt/render-adopt-patch.js";
import { prepareAdoption } from "../../workflow/adopt.js";
import { choice } from "../choice.js";
import { EXIT_CHANGES, EXIT_OK } from "../exit-codes.js";
import { writeOutputFile } from "../output-file.js";
import type { RegisterCommand } from "./index.js";

const FORMATS = ["patch", "json"] as const;

const editCount = (result: AdoptionResult) => result.files.reduce((n, f) => n + f.edits.length, 0);

export const register: RegisterCommand = (program, bind) => {
  program
    .command("adopt")
    .description(
      "turn drift into a manifest edit: a patch (default), RFC 6902 operations, or the files edited with --write (writes nothing to the tenant)",
    )
    .option("-m, --manifests <path...>", "manifest files or directories", ["."])
    .option("--only <kind...>", `adopt only: ${ADOPT_SELECTIONS.join(", ")} (default: all)`)
    .option("--principal <name...>", "adopt only these users (UPN or id) and groups (name or id)")
    .option(
      "--into <file>",
      "the manifest file that new entries go to (default: the file holding their peers)",
    )
    .option("--write", "edit the manifest files in place instead of printing a patch")
    .option("--format <format>", `output: ${FORMATS.join(", ")}`, "patch")
    .option("--detailed-exitcode", "exit 2 when there is something to adopt, 0 when not, 1 on error")
    .action(
      bind(async (context, command: Command) => {
        const options = command.opts<{
          manifests: string[];
          only?: string[];
          principal?: string[];
          into?: string;
          write?: boolean;
          format: string;
          detailedExitcode?: boolean;
        }>();
        const format = choice("--format", options.format, FORMATS);
        if (options.write && command.getOptionValueSource("format") === "cli")
          throw new LicensectlError("bad-option", "--write and --format go separately", {
            hint: "Use --write to edit the files, or --format patch|json to print the edit.",
          });
        const only = (options.only ?? [])
          .flatMap((value) => value.split(","))
          .map((value) => choice("--only", value.trim(), ADOPT_SELECTIONS));
        const globals = context.globals(command);
        const verbose = globals.verbose ? (line: string) => context.io.stderr(`${line}\n`) : undefined;
        const { adoption, paths, warnings } = await prepareAdoption({
          manifestPaths: options.manifests,
          globals,
          env: context.io.env,
          cwd: context.io.cwd,
          progress: (line) => context.progress(command, line),
          ...(verbose ? { verbose } : {}),
          ...(only.length > 0 ? { only } : {}),
          ...(options.principal ? { principals: options.principal } : {}),
          ...(options.into !== undefined ? { into: options.into } : {}),
        });
        for (const warning of warnings) if (globals.verbose) context.io.stderr(`${formatProblem(warning)}\n`);
        for (const skip of adoption.skipped)
          if (skip.reason !== "not-selected") context.progress(command, `Not adopted: ${describeSkip(skip)}`);
        const edits = editCount(adoption);

        if (options.write) {
          for (const file of adoption.files)
            await writeOutputFile(paths.get(file.path)!, file.after, file.path);
          context.io.stdout(renderAdoptSummary(adoption));
          context.progress(
            command,
            edits === 0
              ? "Nothing to adopt: the manifests describe the tenant."
              : `Adopted ${edits} drifted principal${edits === 1 ? "" : "s"} into ${adoption.files.length} file${adoption.files.length === 1 ? "" : "s"}. Next: review with git diff, then licensectl plan (it should show no changes for them).`,
          );
        } else {
          context.io.stdout(format === "json" ? renderAdoptJson(adoption) : renderAdoptPatch(adoption));
          if (format === "patch")
            context.progress(
              command,
              edits === 0
                ? "Nothing to adopt: the manifests describe the tenant."
                : `${edits} edit${edits === 1 ? "" : "s"} in ${adoption.files.length} file${adoption.files.length === 1 ? "" : "s"}; apply them with git apply (from the repository root) or run adopt --write.`,
            );
        }
        return options.detailedExitcode && edits > 0 ? EXIT_CHANGES : EXIT_OK;
      }),
    );
};

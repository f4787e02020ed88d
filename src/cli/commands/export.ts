import { mkdir, access } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { Command } from "commander";
import { loadCatalog } from "../../catalog/bundled-catalog.js";
import { MANIFEST_SCHEMA_PATH } from "../../manifest/manifest-schema.js";
import { LicensectlError } from "../../model/errors.js";
import { formatProblem } from "../../model/problem.js";
import { exportManifests } from "../../report/export/export-manifests.js";
import { connectToGraph } from "../../workflow/connect.js";
import { readTenant } from "../../workflow/prepare-plan.js";
import { EXIT_OK } from "../exit-codes.js";
import { writeOutputFile } from "../output-file.js";
import type { RegisterCommand } from "./index.js";

export const register: RegisterCommand = (program, bind) => {
  program
    .command("export")
    .description("write manifests that describe the tenant as it is (bootstrap a repository)")
    .option(
      "--skus <sku...>",
      "SKUs to export, by part number, name or id (default: every user-assignable SKU)",
    )
    .option("--out <dir>", "directory to write the manifests to", "manifests")
    .option("--force", "overwrite files that already exist")
    .action(
      bind(async (context, command: Command) => {
        const options = command.opts<{ skus?: string[]; out: string; force?: boolean }>();
        const globals = context.globals(command);
        const connection = connectToGraph(globals, context.io.env, undefined);
        const live = await readTenant(
          connection,
          undefined,
          (line) => context.progress(command, line),
          context.readOptions(command),
        );
        const outDir = resolve(context.io.cwd, options.out);
        // Editors find the schema shipped with this installation of licensectl.
        const schemaPath = relative(outDir, MANIFEST_SCHEMA_PATH).split(sep).join("/");
        const { files, problems } = exportManifests(live, loadCatalog(globals.catalog), {
          schemaPath,
          ...(options.skus ? { skus: options.skus } : {}),
        });
        for (const problem of problems) context.io.stderr(`${formatProblem(problem)}\n`);
        if (!options.force) {
          for (const file of files) {
            if (await exists(join(outDir, file.path))) {
              throw new LicensectlError(
                "export-would-overwrite",
                `${join(options.out, file.path)} already exists`,
                {
                  hint: "Choose another --out directory, or pass --force to overwrite.",
                },
              );
            }
          }
        }
        for (const file of files) {
          const path = join(outDir, file.path);
          await mkdir(dirname(path), { recursive: true });
          await writeOutputFile(path, file.content, join(options.out, file.path));
          context.progress(command, `wrote ${join(options.out, file.path)}`);
        }
        context.progress(command, `Next: licensectl plan -m ${options.out}   (should show no changes)`);
        return EXIT_OK;
      }),
    );
};

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

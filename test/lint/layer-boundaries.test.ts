import { join } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const eslint = new ESLint({ cwd: ROOT });

/** The import-boundary messages ESLint reports for `code` as if it were the file at `path`. */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("layer boundaries are enforced by lint", () => {
  it.for([
    ["src/plan/planted.ts", 'import { readLiveState } from "../graph/read-live-state.js";', "graph"],
    ["src/plan/planted.ts", 'import { applyPlan } from "../apply/apply-plan.js";', "apply"],
    ["src/drift/planted.ts", 'import type { CliIo } from "../cli/io.js";', "cli"],
    ["src/model/planted.ts", 'import { getPlan } from "../workflow/get-plan.js";', "workflow"],
    ["src/adopt/planted.ts", 'import { readLiveState } from "../graph/read-live-state.js";', "graph"],
    ["src/adopt/planted.ts", 'import { prepareAdoption } from "../workflow/adopt.js";', "workflow"],
    [
      "src/report/plan/planted.ts",
      'import { readLiveState } from "../../graph/read-live-state.js";',
      "graph",
    ],
    ["src/graph/planted.ts", 'import type { GlobalOptions } from "../cli/global-options.js";', "cli"],
    ["src/workflow/planted.ts", 'export { runCli } from "../cli/run.js";', "cli"],
  ] as const)("refuses %s: %s (reaches src/%s)", async ([path, code, layer]) => {
    expect(await boundaryErrors(path, code)).toEqual([expect.stringContaining(`src/${layer} is out of`)]);
  });

  it.for([
    ["src/drift/planted.ts", 'import { isInEffect } from "../plan/live-index.js";'],
    ["src/apply/planted.ts", 'import type { LicenseWriter } from "../graph/write-operations.js";'],
    ["src/report/plan/planted.ts", 'import type { ApplyResult } from "../../apply/apply-result.js";'],
    ["src/cli/planted.ts", 'import { getPlan } from "../workflow/get-plan.js";'],
  ] as const)("lets %s: %s", async ([path, code]) => {
    expect(await boundaryErrors(path, code)).toEqual([]);
  });
});

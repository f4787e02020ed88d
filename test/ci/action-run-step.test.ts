import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * Runs the "Run licensectl" step of action.yml with bash, as the runner
 * would, against a stand-in for licensectl's main.js that prints its
 * arguments and exits with a chosen code: checks how inputs become
 * arguments and how exit codes become outputs.
 */
const run = promisify(execFile);
const action = parse(readFileSync(new URL("../../action.yml", import.meta.url), "utf8")) as {
  runs: { steps: { id?: string; run?: string }[] };
};
const script = action.runs.steps.find((s) => s.id === "run")?.run ?? "";

async function runStep(inputs: Record<string, string>, exitCode: number) {
  const dir = mkdtempSync(join(tmpdir(), "licensectl-action-"));
  const main = join(dir, "main.js");
  writeFileSync(main, `console.log(JSON.stringify(process.argv.slice(2))); process.exit(${exitCode});\n`);
  const outputs = join(dir, "outputs");
  writeFileSync(outputs, "");
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    GITHUB_OUTPUT: outputs,
    MAIN: main,
    COMMAND: "plan",
    MANIFESTS: "manifests",
    FORMAT: "text",
    EXTRA_ARGS: "",
    OUTPUT_FILE: "",
    AUTH: "workload-identity",
    FAIL_ON_CHANGES: "false",
    ...inputs,
  };
  let code = 0;
  let stdout = "";
  try {
    ({ stdout } = await run("bash", ["-c", script], { cwd: dir, env }));
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    code = failed.code;
    stdout = failed.stdout;
  }
  const values = Object.fromEntries(
    readFileSync(outputs, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split("=", 2) as [string, string]),
  );
  return { code, stdout, outputs: values, dir };
}

describe("action.yml run step", () => {
  it("passes manifests, format, auth and the extra arguments, and reports changes on exit 2", async () => {
    const result = await runStep(
      { FORMAT: "markdown", EXTRA_ARGS: "--out plan.json  --detailed-exitcode" },
      2,
    );
    expect(JSON.parse(result.stdout.split("\n")[0]!)).toEqual([
      "plan",
      "-m",
      "manifests",
      "--format",
      "markdown",
      "--auth",
      "workload-identity",
      "--out",
      "plan.json",
      "--detailed-exitcode",
    ]);
    expect(result.code).toBe(0);
    expect(result.outputs).toEqual({ "exit-code": "2", "has-changes": "true" });
  });

  it("takes extra arguments over several lines", async () => {
    const result = await runStep(
      { COMMAND: "drift", EXTRA_ARGS: "--output drift.html\n--detailed-exitcode\n" },
      0,
    );
    expect(JSON.parse(result.stdout.split("\n")[0]!)).toEqual(
      expect.arrayContaining(["--output", "drift.html", "--detailed-exitcode"]),
    );
    expect(JSON.parse(result.stdout.split("\n")[0]!)).toHaveLength(10);
  });

  it("fails the step on exit 1, and on exit 2 when fail-on-changes is set", async () => {
    const failed = await runStep({}, 1);
    expect(failed.code).toBe(1);
    expect(failed.outputs).toEqual({ "exit-code": "1", "has-changes": "false" });
    const strict = await runStep({ FAIL_ON_CHANGES: "true" }, 2);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toContain("::error::licensectl plan: changes pending or drift found (exit 2)");
  });

  it("tees stdout into output-file, and gives validate its path as an argument", async () => {
    const result = await runStep({ COMMAND: "validate", FORMAT: "github", OUTPUT_FILE: "out.txt" }, 0);
    expect(readFileSync(join(result.dir, "out.txt"), "utf8")).toContain(
      '["validate","manifests","--format","github"]',
    );
    expect(result.outputs).toEqual({ "output-file": "out.txt", "exit-code": "0", "has-changes": "false" });
  });

  it("never evaluates inputs as shell code", async () => {
    const result = await runStep({ EXTRA_ARGS: "$(touch pwned) `touch pwned2`; touch pwned3" }, 0);
    expect(JSON.parse(result.stdout.split("\n")[0]!)).toContain("$(touch");
    expect(() => readFileSync(join(result.dir, "pwned"))).toThrow();
    expect(() => readFileSync(join(result.dir, "pwned3"))).toThrow();
  });

  it("runs apply without -m: the plan file names its manifests", async () => {
    // The stand-in main.js only echoes its arguments, so this holds whether or not the
    // installed licensectl knows --journal yet.
    const result = await runStep(
      { COMMAND: "apply", EXTRA_ARGS: "reviewed/plan.json --auto-approve --journal apply-journal.jsonl" },
      0,
    );
    expect(JSON.parse(result.stdout.split("\n")[0]!)).toEqual([
      "apply",
      "--format",
      "text",
      "--auth",
      "workload-identity",
      "reviewed/plan.json",
      "--auto-approve",
      "--journal",
      "apply-journal.jsonl",
    ]);
  });

  it("refuses an unknown command", async () => {
    const result = await runStep({ COMMAND: "destroy" }, 0);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("unsupported command 'destroy'");
  });
});

import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { builtCli } from "../reliability/built-cli.js";

/** Runs the built CLI with stdout into a pipe whose reader has already gone, as after `| head -1` has read its line. */
async function runIntoClosedPipe(args: readonly string[]): Promise<{ code: number | null; err: string }> {
  const cli = await builtCli();
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((done) => child.on("close", done));
  return { code, err };
}

describe("a reader that closes the pipe early", () => {
  it("ends `licensectl --help | head` quietly with the command's own exit code", async () => {
    const run = await runIntoClosedPipe(["--help"]);
    expect(run.err).not.toMatch(/EPIPE|Unhandled|internal error/);
    expect(run.code).toBe(0);
  });

  it("ends a long listing (skus --help) quietly too", async () => {
    const run = await runIntoClosedPipe(["skus", "--help"]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
  });
});

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { collectManifestFiles } from "../../src/manifest/collect-files.js";
import { memoryProblem } from "../../src/manifest/memory-budget.js";
import { parseYamlFile } from "../../src/manifest/yaml-source.js";
import { builtCli } from "../reliability/built-cli.js";

const MIB = 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), "licensectl-budget-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("memoryProblem", () => {
  const heap = { limit: 512 * MIB, used: 100 * MIB };
  const cost = { path: "users.yaml", size: 6 * MIB, needs: 480 * MIB, held: 0, doing: "parsing it" };

  it("lets a file through when its parse fits in what the heap has left", () => {
    expect(memoryProblem({ ...cost, needs: 400 * MIB }, heap)).toBeUndefined();
  });

  it("names the file, its size, what parsing needs, what is left and how to raise the limit", () => {
    const problem = memoryProblem(cost, heap);
    expect(problem).toMatchObject({
      code: "file-too-large",
      severity: "error",
      location: { file: "users.yaml", line: 1, column: 1 },
    });
    expect(problem?.message).toBe(
      "users.yaml is 6 MiB; parsing it needs about 480 MiB of memory, but this process has 412 MiB left of its 512 MiB heap limit",
    );
    // (100 + 480) MiB * 1.25 = 725 MiB, rounded up to 768.
    expect(problem?.hint).toMatch(/^Split it into several files .* NODE_OPTIONS=--max-old-space-size=768 /);
  });

  it("counts what the files loaded before keep", () => {
    expect(memoryProblem({ ...cost, needs: 400 * MIB, held: 20 * MIB }, heap)?.message).toContain(
      "392 MiB left of its 512 MiB heap limit",
    );
  });

  it("refuses text longer than the longest string Node.js can hold, whatever the heap", () => {
    const problem = memoryProblem({ ...cost, size: 2 ** 31, needs: 0 }, { limit: 2 ** 40, used: 0 });
    expect(problem?.message).toMatch(/longer than the longest string Node\.js can hold/);
  });
});

describe("collectManifestFiles", () => {
  it("reads a file of any size that the heap can parse, and refuses one it cannot before reading it", async () => {
    const dir = join(work, "collect");
    const text = `apiVersion: licensectl/v1\n${"# padding\n".repeat(700_000)}`;
    rmSync(dir, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(dir, { recursive: true }));
    writeFileSync(join(dir, "big.yaml"), text);
    const roomy = await collectManifestFiles(["big.yaml"], dir);
    expect(roomy.problems).toEqual([]);
    expect(roomy.files.map((f) => f.bytes.length)).toEqual([text.length]);
    const tight = await collectManifestFiles(["big.yaml"], dir, () => ({ limit: 256 * MIB, used: 60 * MIB }));
    expect(tight.files).toEqual([]);
    expect(tight.problems).toMatchObject([{ code: "file-too-large", location: { file: "big.yaml" } }]);
  });
});

describe("parseYamlFile under a heap limit", () => {
  // 44 MiB free: a whole parse of the file below needs about 74 MiB, one in pieces about 19 MiB.
  const heap = () => ({ limit: 64 * MIB, used: 20 * MIB });
  const users = Array.from({ length: 20_000 }, (_, i) => `  - user: u${i}@contoso.com\n    licenses: []\n`);
  const text = `apiVersion: licensectl/v1\nusers:\n${users.join("")}`;

  it("parses a file that can be cut into pieces in memory a whole parse would not fit in", () => {
    const parsed = parseYamlFile("u.yaml", text, { heap });
    expect(parsed.problems).toEqual([]);
    expect(parsed.piecewise).toBe(true);
    expect((parsed.documents[0]?.data as { users: unknown[] }).users).toHaveLength(20_000);
  });

  it("refuses the same file when it must be parsed as a whole (here: it uses an anchor)", () => {
    const parsed = parseYamlFile("u.yaml", `${text}limits: &limits\n  maxRemovals: 1\n`, { heap });
    expect(parsed.documents).toEqual([]);
    expect(parsed.problems).toMatchObject([
      {
        code: "file-too-large",
        message: expect.stringMatching(/parsing it as a whole .* needs about 7\d MiB/),
      },
    ]);
  });
});

describe("licensectl validate under a small heap limit", () => {
  it("refuses a file its heap cannot parse with an error naming the limit, instead of running out of memory", async () => {
    const cli = await builtCli();
    const dir = join(work, "cli");
    await import("node:fs/promises").then((fs) => fs.mkdir(dir, { recursive: true }));
    writeFileSync(join(dir, "users.yaml"), `apiVersion: licensectl/v1\n${"# padding\n".repeat(300_000)}`);
    const run = await promisify(execFile)(
      process.execPath,
      ["--max-old-space-size=64", cli, "validate", "users.yaml"],
      {
        cwd: dir,
      },
    ).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^users\.yaml:1:1: error: users\.yaml is 3 MiB; parsing it needs about \d+ MiB of memory, but this process has \d+ MiB left of its \d+ MiB heap limit$/m,
    );
    expect(run.stdout).toMatch(/NODE_OPTIONS=--max-old-space-size=\d+/);
  }, 120_000);
});

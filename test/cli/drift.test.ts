import { cp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EXAMPLE_MANIFESTS, startHarness, type CliHarness } from "./cli-harness.js";

let harness: CliHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("licensectl drift against the example tenant", () => {
  it("shows the warnings plan and validate show (an empty file beside the manifests) on stderr", async () => {
    harness = await startHarness();
    const dir = join(harness.dir, "manifests");
    await cp(EXAMPLE_MANIFESTS, dir, { recursive: true });
    await writeFile(join(dir, "notes.yaml"), "");
    const { code, out, err } = await harness.run(["drift", "-m", dir, "--format", "json"]);
    expect(code).toBe(0);
    expect(err).toMatch(/notes\.yaml:1:1: warning: .*notes\.yaml is empty/);
    expect(JSON.parse(out)).toMatchObject({ formatVersion: 1 });
    const quiet = await harness.run(["drift", "-m", dir, "--quiet"]);
    expect(quiet.err).toBe("");
  });

  it("exits 1 for a directory without manifests, naming it, and reads nothing from the tenant", async () => {
    harness = await startHarness();
    const before = harness.emulator.counters.requests;
    const { code, out, err } = await harness.run(["drift", "-m", harness.dir]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toMatch(/error: the manifests are not valid/);
    expect(err).toMatch(/error: \. holds no \*\.yaml or \*\.yml files/);
    expect(harness.emulator.counters.requests).toBe(before);
  });
});

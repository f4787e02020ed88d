import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RecordingIo } from "../../src/cli/io.js";
import { EXAMPLE_MANIFESTS, startHarness, type CliHarness } from "./cli-harness.js";
import { LAGGED } from "../support/consistency-lag.js";

let harness: CliHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The example plan removes 5 licenses; these tests allow them explicitly. */
const ALLOW = ["--max-removals", "10"];

describe("licensectl apply", () => {
  it("applies a fresh plan with --auto-approve, verifies convergence, and the next plan is empty", async () => {
    harness = await startHarness(LAGGED);
    const applied = await harness.run(["apply", "-m", EXAMPLE_MANIFESTS, "--auto-approve", ...ALLOW]);
    expect(applied.err).toContain("Converged: the tenant matches the manifests.");
    expect(applied.code).toBe(0);
    expect(harness.emulator.counters.writesApplied).toBeGreaterThan(0);

    harness.emulator.resetCounters();
    const again = await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--detailed-exitcode"]);
    expect(again.out).toContain("No changes");
    expect(again.code).toBe(0);
    expect(harness.emulator.counters.writesAttempted).toBe(0);
  });

  it("refuses without --auto-approve when there is no terminal, writing nothing", async () => {
    harness = await startHarness(LAGGED);
    const { code, err } = await harness.run(["apply", "-m", EXAMPLE_MANIFESTS]);
    expect(code).toBe(1);
    expect(err).toMatch(/no terminal to ask/);
    expect(harness.emulator.counters.writesAttempted).toBe(0);
  });

  it("asks on a terminal and writes nothing unless the answer is yes", async () => {
    harness = await startHarness(LAGGED);
    const no = new RecordingIo({ cwd: harness.dir, answers: ["y"] });
    expect((await harness.run(["apply", "-m", EXAMPLE_MANIFESTS, ...ALLOW], no)).code).toBe(1);
    expect(no.err).toMatch(/Only 'yes' will be accepted/);
    expect(harness.emulator.counters.writesAttempted).toBe(0);

    const yes = new RecordingIo({ cwd: harness.dir, answers: ["yes"] });
    expect((await harness.run(["apply", "-m", EXAMPLE_MANIFESTS, ...ALLOW], yes)).code).toBe(0);
    expect(harness.emulator.counters.writesApplied).toBeGreaterThan(0);
  });

  it("refuses a --consistency-window that is not a whole number of milliseconds, before any write", async () => {
    harness = await startHarness(LAGGED);
    const args = ["apply", "-m", EXAMPLE_MANIFESTS, "--auto-approve", ...ALLOW, "--consistency-window"];
    const { code, err } = await harness.run([...args, "soon"]);
    expect(code).toBe(1);
    expect(err).toMatch(/--consistency-window soon is not a whole number/);
    expect(harness.emulator.counters.writesAttempted).toBe(0);
  });

  it("refuses more removals than --max-removals allows, before any write", async () => {
    harness = await startHarness(LAGGED);
    const { code, err } = await harness.run([
      "apply",
      "-m",
      EXAMPLE_MANIFESTS,
      "--auto-approve",
      "--max-removals",
      "0",
    ]);
    expect(code).toBe(1);
    expect(err).toMatch(/--max-removals/);
    expect(harness.emulator.counters.writesAttempted).toBe(0);
  });

  it("applies a saved plan, and refuses it once the tenant has moved", async () => {
    harness = await startHarness(LAGGED);
    expect((await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--out", "plan.json", "--quiet"])).code).toBe(
      0,
    );
    expect(
      (await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--out", "second.json", "--quiet"])).code,
    ).toBe(0);

    // The first saved plan is applied: the tenant moves.
    const first = await harness.run(["apply", "plan.json", "-m", EXAMPLE_MANIFESTS, ...ALLOW]);
    expect(first.code).toBe(0);
    const writes = harness.emulator.counters.writesAttempted;

    // The second was made from the same state, which no longer exists.
    const stale = await harness.run(["apply", "second.json", "-m", EXAMPLE_MANIFESTS, ...ALLOW]);
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/the tenant changed since second.json was made/);
    // What moved: every reviewed change is gone from the plan made now.
    expect(stale.err).toMatch(/^--- second.json$/m);
    expect(stale.err).toMatch(/^- {2}licenses of user /m);
    expect(harness.emulator.counters.writesAttempted).toBe(writes);
  });

  it("refuses a plan file edited by hand", async () => {
    harness = await startHarness(LAGGED);
    expect((await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--out", "plan.json", "--quiet"])).code).toBe(
      0,
    );
    const path = join(harness.dir, "plan.json");
    const text = await readFile(path, "utf8");
    await writeFile(path, text.replace('"kind": "remove-users"', '"kind": "add-users"'));
    const { code, err } = await harness.run(["apply", "plan.json", "-m", EXAMPLE_MANIFESTS, ...ALLOW]);
    expect(code).toBe(1);
    expect(err).toMatch(/edited|tamper|digest/i);
    expect(harness.emulator.counters.writesAttempted).toBe(0);
  });

  it("writes in ceil(changes / 20) batch requests when nothing is throttled", async () => {
    harness = await startHarness(LAGGED);
    const planned = await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--format", "json", "--quiet"]);
    const plan = JSON.parse(planned.out) as {
      plan?: { waves: { changes: unknown[] }[] };
      waves?: { changes: unknown[] }[];
    };
    const waves = plan.waves ?? plan.plan?.waves ?? [];
    const expectedBatches = waves.reduce((n, wave) => n + Math.ceil(wave.changes.length / 20), 0);
    harness.emulator.resetCounters();
    const applied = await harness.run([
      "apply",
      "-m",
      EXAMPLE_MANIFESTS,
      "--auto-approve",
      "--format",
      "json",
      ...ALLOW,
    ]);
    expect(applied.code).toBe(0);
    const { summary } = JSON.parse(applied.out) as { summary: { batches: number; retries: number } };
    expect(summary.retries).toBe(0);
    expect(summary.batches).toBe(expectedBatches);
    const writes = waves.reduce((n, wave) => n + wave.changes.length, 0);
    expect(harness.emulator.counters.writesAttempted).toBe(writes);
  });
});

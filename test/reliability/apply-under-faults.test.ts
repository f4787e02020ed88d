import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPlan } from "../../src/apply/apply-plan.js";
import { continuityViolations, startEmulator, type EmulatorOptions } from "../../src/emulator/index.js";
import { createGraphClient } from "../../src/graph/create-graph-client.js";
import { createLicenseWriter } from "../../src/graph/graph-license-writer.js";
import type { DesiredState } from "../../src/model/desired-state.js";
import { loadDesiredState, planAgainst } from "../../src/workflow/prepare-plan.js";
import { simulateApply } from "../plan/simulate-apply.js";
import { churnFixture, writeChurnManifests } from "./churn-scenario.js";
import { countFigures } from "./figures.js";
import { emulatorArgs, runLicensectl } from "./harness.js";
import { startLossyProxy } from "./lossy-proxy.js";
import { changedPrincipals, principalsPlanned, tenantView } from "./tenant-view.js";
import { LAGGED, WINDOW } from "../support/consistency-lag.js";

/**
 * Apply while the emulator misbehaves: throttling storms (429 + Retry-After),
 * 503/504, dropped connections, all at once. The real writer (batching,
 * retries) must still leave the tenant exactly where the plan said, write
 * nothing the plan does not name, and leave nothing to plan afterwards.
 */
const SCENARIOS: { name: string; faults: Partial<EmulatorOptions>; minFaults: number }[] = [
  { name: "throttling storm", faults: { throttle: { writesPerSecond: 400, burst: 3 } }, minFaults: 20 },
  {
    name: "503/504 on a third of requests",
    faults: { faults: { errorRate: 0.33, seed: 11 } },
    minFaults: 20,
  },
  { name: "503/504 on half of requests", faults: { faults: { errorRate: 0.5, seed: 5 } }, minFaults: 40 },
  // Drops hit whole HTTP requests (a $batch of 20 counts once), so they are fewer.
  { name: "dropped connections", faults: { faults: { dropRate: 0.5, seed: 7 } }, minFaults: 3 },
  {
    name: "everything at once",
    faults: {
      throttle: { writesPerSecond: 400, burst: 5 },
      faults: { errorRate: 0.25, dropRate: 0.15, seed: 23 },
    },
    minFaults: 20,
  },
  {
    name: "everything at once, another seed",
    faults: {
      throttle: { writesPerSecond: 300, burst: 2 },
      faults: { errorRate: 0.3, dropRate: 0.2, seed: 42 },
    },
    minFaults: 20,
  },
];

let work: string;
let desired: DesiredState;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "licensectl-faults-"));
  writeChurnManifests(join(work, "m"));
  desired = (await loadDesiredState(["m"], work)).desired;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("apply under injected faults", () => {
  it.for(SCENARIOS)(
    "$name: the tenant ends exactly where the plan said",
    { timeout: 60_000 },
    async ({ faults, minFaults }, { task }) => {
      const emulator = await startEmulator({
        tenant: churnFixture(),
        port: 0,
        groupProcessingDelayMs: 2,
        ...LAGGED,
        ...faults,
      });
      try {
        const before = emulator.snapshot();
        const { plan } = planAgainst(desired, before, {});
        const changes = plan.waves.flatMap((w) => w.changes).length;
        expect(changes).toBeGreaterThan(60);
        expect(plan.waves.length).toBeGreaterThanOrEqual(5);

        const connection = createGraphClient({
          cloud: "global",
          graphUrl: emulator.url,
          auth: "none",
          env: {},
        });
        const writer = createLicenseWriter(connection, {
          // Honour the emulator's waits in kind, not in length: the test is about outcomes.
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 15))),
          ...WINDOW,
        });
        const result = await applyPlan(plan, writer, {
          ...WINDOW,
          groupWait: { timeoutMs: 20_000, pollMs: 5 },
        });
        // Retries are bounded: in a bad enough storm a change may give up, and then it wrote nothing.
        for (const failed of result.failed)
          expect(failed.error?.message).toMatch(/^gave up after \d+ attempts/);
        expect(result.applied.length + result.failed.length + result.skipped.length).toBe(changes);
        const expected = tenantView(simulateApply(before, plan));
        const allowed = principalsPlanned(plan, before);

        // What gave up is finished by planning and applying again, in the same storm.
        let rounds = 0;
        for (
          let again = planAgainst(desired, emulator.snapshot(), {}).plan;
          again.waves.length > 0;
          rounds++
        ) {
          expect(rounds, "converges within a few rounds").toBeLessThan(4);
          await applyPlan(again, writer, { ...WINDOW, groupWait: { timeoutMs: 20_000, pollMs: 5 } });
          again = planAgainst(desired, emulator.snapshot(), {}).plan;
        }
        const injected = emulator.counters.faultsInjected + emulator.counters.throttled;
        expect(injected, "the scenario must actually inject faults").toBeGreaterThanOrEqual(minFaults);

        const after = emulator.snapshot();
        expect(tenantView(after)).toEqual(expected);
        // Nobody went without a license they hold before and after, not even for a moment.
        expect(continuityViolations(before, after, emulator.timeline())).toEqual([]);
        for (const key of changedPrincipals(tenantView(before), tenantView(after)))
          expect(allowed, `${key} changed but the plan does not name it`).toContain(key);
        countFigures(task, { casesRun: 1, faultsInjected: injected });
      } finally {
        await emulator.stop();
      }
    },
  );

  it("answers lost after the write landed: the retry does not undo or double anything", async ({ task }) => {
    const emulator = await startEmulator({
      tenant: churnFixture(),
      port: 0,
      groupProcessingDelayMs: 2,
      ...LAGGED,
    });
    // Lose the answer to every other write batch, after the emulator carried it out.
    const proxy = await startLossyProxy(
      emulator.url,
      (method, path, i) => method === "POST" && path.includes("$batch") && i % 2 === 0,
    );
    try {
      const before = emulator.snapshot();
      const { plan } = planAgainst(desired, before, {});
      const connection = createGraphClient({ cloud: "global", graphUrl: proxy.url, auth: "none", env: {} });
      const writer = createLicenseWriter(connection, {
        sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 15))),
        ...WINDOW,
      });
      const result = await applyPlan(plan, writer, {
        ...WINDOW,
        groupWait: { timeoutMs: 20_000, pollMs: 5 },
      });
      expect(proxy.lost).toBeGreaterThan(0);

      // Whatever apply reported, the tenant is where the plan said, and nobody else was touched.
      const after = emulator.snapshot();
      expect(tenantView(after)).toEqual(tenantView(simulateApply(before, plan)));
      expect(continuityViolations(before, after, emulator.timeline())).toEqual([]);
      const allowed = principalsPlanned(plan, before);
      for (const key of changedPrincipals(tenantView(before), tenantView(after)))
        expect(allowed, `${key} changed but the plan does not name it`).toContain(key);
      expect(planAgainst(desired, after, {}).plan.waves).toEqual([]);
      // A change whose first answer was lost must not be reported as failed: it was carried out.
      expect(result.failed.map((f) => `${f.principal.name}: ${f.error?.message}`)).toEqual([]);
      countFigures(task, { casesRun: 1, faultsInjected: proxy.lost });
    } finally {
      await proxy.close();
      await emulator.stop();
    }
  }, 60_000);

  it("plan reads the same tenant through dropped connections and 503/504 as without them", async ({
    task,
  }) => {
    const plans: string[] = [];
    let injected = 0;
    for (const faults of [undefined, { errorRate: 0.2, dropRate: 0.2, seed: 9 }]) {
      const emulator = await startEmulator({
        ...LAGGED,
        tenant: churnFixture(),
        port: 0,
        ...(faults ? { faults } : {}),
      });
      try {
        const run = await runLicensectl(
          ["plan", "-m", "m", "--format", "json", ...emulatorArgs(emulator.url)],
          { cwd: work },
        );
        expect(run.code, run.err).toBe(0);
        const { createdAt: _, ...plan } = JSON.parse(run.out) as Record<string, unknown>;
        plans.push(JSON.stringify(plan));
        injected += emulator.counters.faultsInjected;
      } finally {
        await emulator.stop();
      }
    }
    expect(injected).toBeGreaterThan(0);
    expect(plans[1]).toBe(plans[0]);
    countFigures(task, { casesRun: 1, faultsInjected: injected });
  }, 60_000);
});

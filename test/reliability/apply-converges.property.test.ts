import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { continuityViolations, startEmulator } from "../../src/emulator/index.js";
import type { Plan } from "../../src/model/plan.js";
import { simulateApply } from "../plan/simulate-apply.js";
import { countFigures } from "./figures.js";
import { fixtureOf, manifestOf, tenantScenario } from "./generated-tenant.js";
import { emulatorArgs, leakedSentinels, runLicensectl } from "./harness.js";
import { changedPrincipals, principalsPlanned, tenantView } from "./tenant-view.js";
import { afterLag, LAGGED } from "../support/consistency-lag.js";
import { PROPERTY_TEST_TIMEOUT_MS, PROPERTY_TIME_BUDGET_MS } from "../support/property-budget.js";

/**
 * The product's promise end to end, on generated tenants: `plan --out`, then
 * `apply plan.json` through the real Graph client and writer against the
 * emulator, leaves the tenant exactly where the plan said (the planner's own
 * simulation of it), touches nobody the plan does not name, and a new plan is
 * empty. A refused plan writes nothing.
 */
describe("plan, apply, plan again against the emulator (property)", () => {
  it(
    "converges to exactly the planned tenant, or refuses without a write",
    async ({ task }) => {
      const work = mkdtempSync(join(tmpdir(), "licensectl-converge-"));
      let applied = 0;
      let refused = 0;
      let writes = 0;
      try {
        await fc.assert(
          fc.asyncProperty(tenantScenario, async (spec) => {
            const emulator = await startEmulator({
              tenant: fixtureOf(spec),
              port: 0,
              groupProcessingDelayMs: 0,
              ...LAGGED,
            });
            try {
              writeFileSync(join(work, "licenses.yaml"), manifestOf(spec));
              const run = (args: string[]) =>
                runLicensectl([...args, ...emulatorArgs(emulator.url)], { cwd: work });
              const before = emulator.snapshot();

              const planned = await run([
                "plan",
                "-m",
                "licenses.yaml",
                "--out",
                "plan.json",
                "--format",
                "json",
              ]);
              expect(leakedSentinels(planned.out + planned.err)).toEqual([]);
              if (planned.code !== 0) {
                refused++;
                expect(planned.code, planned.err).toBe(1);
                expect(planned.err).toMatch(/^error: /m);
                const apply = await run(["apply", "--auto-approve", "-m", "licenses.yaml"]);
                expect(apply.code, apply.err).toBe(1);
                expect(emulator.counters.writesAttempted).toBe(0);
                return;
              }
              applied++;
              const plan = JSON.parse(readFileSync(join(work, "plan.json"), "utf8")) as Plan;
              const changes = plan.waves.flatMap((w) => w.changes).length;
              const result = await run([
                "apply",
                "--auto-approve",
                "plan.json",
                "-m",
                "licenses.yaml",
                "--max-removals",
                "100",
              ]);
              expect(result.code, `${result.out}\n${result.err}`).toBe(0);
              expect(emulator.counters.writesApplied).toBe(changes);
              writes += changes;

              const after = emulator.snapshot();
              // Seats: never more than the tenant owns (unless it was over already and the plan adds none).
              for (const sku of after.skus) {
                const was = before.skus.find((s) => s.skuId === sku.skuId)!.consumedUnits;
                expect(sku.consumedUnits, sku.skuPartNumber).toBeLessThanOrEqual(
                  Math.max(sku.prepaidUnits.enabled, was),
                );
              }
              expect(tenantView(after)).toEqual(tenantView(simulateApply(before, plan)));
              // Nobody went without a license they hold before and after, not even for a moment.
              expect(continuityViolations(before, after, emulator.timeline())).toEqual([]);
              const touched = changedPrincipals(tenantView(before), tenantView(after));
              const allowed = principalsPlanned(plan, before);
              for (const key of touched)
                expect(allowed, `${key} changed but the plan does not name it`).toContain(key);

              emulator.resetCounters();
              // Planned again as a person would run the next command: once the lag has passed.
              await afterLag();
              const again = await run(["plan", "-m", "licenses.yaml", "--detailed-exitcode"]);
              expect(again.code, again.out).toBe(0);
              expect(emulator.counters.writesAttempted).toBe(0);
            } finally {
              await emulator.stop();
            }
          }),
          { numRuns: 60, interruptAfterTimeLimit: PROPERTY_TIME_BUDGET_MS },
        );
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
      expect(applied).toBeGreaterThan(10);
      expect(writes).toBeGreaterThan(applied);
      countFigures(task, { casesRun: applied + refused, outputsScannedForSecrets: 2 * (applied + refused) });
    },
    PROPERTY_TEST_TIMEOUT_MS,
  );
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyPlan } from "../../src/apply/apply-plan.js";
import type { ApplyEvent } from "../../src/apply/apply-events.js";
import { startEmulator, type RunningEmulator, type TenantFixture } from "../../src/emulator/index.js";
import { createGraphClient } from "../../src/graph/create-graph-client.js";
import { createLicenseWriter } from "../../src/graph/graph-license-writer.js";
import { applyTenant, holdings, TENANT_ID } from "./emulator-setup.js";
import { loadDesired, planLive } from "./plan-from-manifests.js";
import { afterLag, LAGGED, WINDOW } from "../support/consistency-lag.js";

const root = resolve(import.meta.dirname, "../..");
let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

/**
 * The product's promise, end to end: plan the example manifests against the
 * example tenant, apply, read the tenant back and plan again: nothing is left
 * to do, and applying that empty plan writes nothing.
 */
describe("plan, apply, plan again", () => {
  async function converge(tenant: string | TenantFixture, manifests: string) {
    emulator = await startEmulator({ tenant, port: 0, groupProcessingDelayMs: 5, ...LAGGED });
    const connection = createGraphClient({ cloud: "global", graphUrl: emulator.url, auth: "none", env: {} });
    const writer = createLicenseWriter(connection, WINDOW);
    const desired = await loadDesired([manifests], root);

    const plan = await planLive(connection, desired);
    const planned = plan.waves.reduce((n, w) => n + w.changes.length, 0);
    expect(planned).toBeGreaterThan(0);

    const events: ApplyEvent[] = [];
    const result = await applyPlan(plan, writer, {
      ...WINDOW,
      groupWait: { timeoutMs: 10_000, pollMs: 10 },
      onEvent: (event) => events.push(event),
    });
    expect(result.failed).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.applied).toHaveLength(planned);
    expect(result.warnings).toEqual([]);
    expect(emulator.counters.writesApplied).toBe(planned);

    await afterLag();
    const again = await planLive(connection, desired);
    expect(again.waves.flatMap((w) => w.changes.map((c) => c.id))).toEqual([]);

    emulator.resetCounters();
    const rerun = await applyPlan(again, writer, { ...WINDOW, groupWait: { timeoutMs: 1_000, pollMs: 10 } });
    expect(rerun.applied).toEqual([]);
    expect(emulator.counters.writesAttempted).toBe(0);
    return { plan, events, after: emulator.snapshot() };
  }

  it("converges on the example tenant", async () => {
    await converge(resolve(root, "examples/tenant.yaml"), resolve(root, "examples/manifests"));
  });

  it("converges through a handover, removing the direct license only after the group is processed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "licensectl-apply-"));
    try {
      await writeFile(
        join(dir, "licenses.yaml"),
        [
          "apiVersion: licensectl/v1",
          "tenant:",
          `  id: ${TENANT_ID}`,
          "scope:",
          "  skus: [ENTERPRISEPACK]",
          "  mode: authoritative",
          "users:",
          "  - user: adele.vance@contoso.com",
          "    licenses:",
          "      - sku: ENTERPRISEPACK",
          "        disabledPlans: [SWAY]",
          "groups:",
          "  - group: Engineering",
          "    licenses:",
          "      - sku: ENTERPRISEPACK",
          "",
        ].join("\n"),
      );
      const { plan, events, after } = await converge(applyTenant(), dir);
      expect(plan.waves.map((w) => w.kind)).toEqual(["add-groups", "group-handover"]);
      const handoverStart = events.findIndex((e) => e.type === "wave-started" && e.kind === "group-handover");
      const complete = events.findIndex(
        (e, i) => i > handoverStart && e.type === "waiting-for-groups" && e.state === "complete",
      );
      const handoverWrite = events.findIndex((e, i) => i > handoverStart && e.type === "change-done");
      expect(complete).toBeGreaterThan(handoverStart);
      expect(handoverWrite).toBeGreaterThan(complete);
      expect(holdings(after, "grady.archie@contoso.com")).toEqual(["ENTERPRISEPACK:group"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

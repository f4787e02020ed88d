import { afterEach, describe, expect, it } from "vitest";
import { applyPlan } from "../../src/apply/apply-plan.js";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";
import type { Plan } from "../../src/model/plan.js";
import { createGraphClient } from "../../src/graph/create-graph-client.js";
import { createLicenseWriter } from "../../src/graph/graph-license-writer.js";
import { startLossyProxy } from "../reliability/lossy-proxy.js";
import { applyTenant, holdings, lookup, writerFor } from "./emulator-setup.js";
import { assign, buildPlan, usageLocation, wave } from "./plan-builder.js";
import { LAGGED, WINDOW } from "../support/consistency-lag.js";

/**
 * Graph may carry a write out and still answer 503/504 or drop the
 * connection. Sending such a write again is not harmless: a retried swap or
 * removal fails with "User does not have a corresponding license". The writer
 * reads the principal back first, so each change is reported applied once and
 * nothing done is sent twice.
 */
let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const fastWait = { timeoutMs: 5_000, pollMs: 10 };
type LostWrites = NonNullable<NonNullable<EmulatorOptions["faults"]>["lostWrites"]>;

async function scenario(lostWrites: LostWrites, seed = 3) {
  emulator = await startEmulator({
    tenant: applyTenant(),
    port: 0,
    groupProcessingDelayMs: 0,
    faults: { lostWrites, seed },
    ...LAGGED,
  });
  const ids = lookup(emulator.snapshot());
  const E3 = ids.sku("ENTERPRISEPACK");
  const E5 = ids.sku("SPE_E5");
  const plan: Plan = buildPlan([
    wave("usage-locations", [usageLocation("loc-alex", ids.user("alex.wilber@contoso.com").id, "GB")]),
    wave("remove-users", [assign("remove-grady", ids.user("grady.archie@contoso.com"), { remove: [E3] })]),
    wave("updates", [
      assign("swap-adele", ids.user("adele.vance@contoso.com"), {
        add: [{ ...E5, disabledPlans: [] }],
        remove: [E3],
      }),
    ]),
    wave("add-users", [
      assign("add-alex", ids.user("alex.wilber@contoso.com"), { add: [{ ...E3, disabledPlans: [] }] }),
    ]),
  ]);
  const result = await applyPlan(plan, writerFor(emulator.url), { groupWait: fastWait, ...WINDOW });
  return { emulator, result };
}

const CHANGES = ["loc-alex", "remove-grady", "swap-adele", "add-alex"];

function expectTenantMatchesPlan(emu: RunningEmulator): void {
  const after = emu.snapshot();
  expect(holdings(after, "alex.wilber@contoso.com")).toEqual(["ENTERPRISEPACK:direct"]);
  expect(holdings(after, "adele.vance@contoso.com")).toEqual(["SPE_E5:direct"]);
  expect(holdings(after, "grady.archie@contoso.com")).toEqual([]);
  expect(after.users.find((u) => u.userPrincipalName === "alex.wilber@contoso.com")?.usageLocation).toBe(
    "GB",
  );
}

describe("writes carried out whose answer was lost", () => {
  it.for<{ name: string; fault: LostWrites }>([
    { name: "504 for the write inside $batch", fault: { rate: 1, carriedOut: true, answer: 504 } },
    { name: "503 for the write inside $batch", fault: { rate: 1, carriedOut: true, answer: 503 } },
    {
      name: "504 for the whole $batch",
      fault: { rate: 1, carriedOut: true, answer: 504, scope: "batch" },
    },
    {
      name: "the $batch connection dropped",
      fault: { rate: 1, carriedOut: true, answer: "drop", scope: "batch" },
    },
  ])("$name: every change applied once, nothing sent twice", async ({ fault }) => {
    const { emulator: emu, result } = await scenario(fault);

    expect(result.failed).toEqual([]);
    expect(result.unknown).toEqual([]);
    expect(result.applied.map((o) => o.changeId)).toEqual(CHANGES);
    // Each write reached Graph exactly once: the lost answers were settled by reading back.
    expect(emu.counters.writesAttempted).toBe(CHANGES.length);
    expect(emu.counters.writesApplied).toBe(CHANGES.length);
    expect(result.retries).toBe(0);
    expect(result.answersLost).toBe(CHANGES.length);
    expect(result.throttled).toBe(0);
    expect(result.applied.every((o) => o.answersLost === 1)).toBe(true);
    expectTenantMatchesPlan(emu);
  });

  it("writes not carried out are sent again after the read-back shows them undone", async () => {
    const { emulator: emu, result } = await scenario({ rate: 0.5, carriedOut: false, answer: 504 }, 5);

    expect(result.failed).toEqual([]);
    expect(result.applied.map((o) => o.changeId)).toEqual(CHANGES);
    expect(result.answersLost).toBeGreaterThan(0);
    expect(result.retries).toBe(result.answersLost);
    // Every write was carried out exactly once, however often its answer was lost.
    expect(emu.counters.writesApplied).toBe(CHANGES.length);
    expect(result.throttled).toBe(0);
    expectTenantMatchesPlan(emu);
  });

  it("a dropped $batch that carried nothing out is sent again", async () => {
    const { emulator: emu, result } = await scenario({
      rate: 0.5,
      carriedOut: false,
      answer: "drop",
      scope: "batch",
    });

    expect(result.failed).toEqual([]);
    expect(result.applied.map((o) => o.changeId)).toEqual(CHANGES);
    expect(emu.counters.writesApplied).toBe(CHANGES.length);
    expectTenantMatchesPlan(emu);
  });

  it("a write whose answer is lost and whose principal cannot be read back is reported unknown, not failed", async () => {
    emulator = await startEmulator({ tenant: applyTenant(), port: 0, groupProcessingDelayMs: 0, ...LAGGED });
    // Every $batch is carried out but its answer cut, and every read-back is cut too.
    const proxy = await startLossyProxy(
      emulator.url,
      (method, path) => path.includes("$batch") || method === "GET",
    );
    try {
      const ids = lookup(emulator.snapshot());
      const plan = buildPlan([
        wave("add-users", [
          assign("add-diego", ids.user("diego.siciliani@contoso.com"), {
            add: [{ ...ids.sku("ENTERPRISEPACK"), disabledPlans: [] }],
          }),
        ]),
      ]);
      const connection = createGraphClient({ cloud: "global", graphUrl: proxy.url, auth: "none", env: {} });
      const writer = createLicenseWriter(connection, {
        sleep: async () => undefined,
        random: () => 0.5,
        maxRetryTimeMs: 1_000,
        ...WINDOW,
      });
      const result = await applyPlan(plan, writer, { groupWait: fastWait, ...WINDOW });
      expect(result.applied).toEqual([]);
      expect(result.failed).toEqual([]);
      expect(result.unknown.map((o) => [o.changeId, o.status])).toEqual([["add-diego", "unknown"]]);
      expect(result.answersLost).toBeGreaterThan(0);
      // The write did reach the tenant: only its outcome could not be known.
      expect(holdings(emulator.snapshot(), "diego.siciliani@contoso.com")).toEqual(["ENTERPRISEPACK:direct"]);
    } finally {
      await proxy.close();
    }
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { createLicenseWriter } from "../../src/graph/graph-license-writer.js";
import { readBackWrites, type ReadBackOptions } from "../../src/graph/verify-lost-write.js";
import type { WriteOperation } from "../../src/graph/write-operations.js";
import { connectTo, smallTenant } from "./emulator-helpers.js";

/**
 * Reading back writes whose answers were lost, against an emulator whose
 * reads lag: a write read as done is believed at once, one read as not done
 * only from a read sent a consistency window after the loss, and those are
 * read again together after one wait.
 */
const LAG = 300;
let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

describe("reading back writes whose answers were lost", () => {
  it("believes 'done' at once, and 'not done' only after the window, read again together in one $batch", async () => {
    emulator = await startEmulator({
      tenant: smallTenant(),
      port: 0,
      groupProcessingDelayMs: 0,
      consistencyLagMs: LAG,
      seed: 4,
    });
    const before = emulator.snapshot();
    const id = (upn: string) => before.users.find((u) => u.userPrincipalName === upn)!.id;
    const e3 = before.skus.find((s) => s.skuPartNumber === "ENTERPRISEPACK")!.skuId;
    const e5 = before.skus.find((s) => s.skuPartNumber === "SPE_E5")!.skuId;
    const remove = (upn: string, skuId: string): WriteOperation => ({
      id: `remove-${upn}`,
      kind: "assignLicense",
      target: { kind: "user", id: id(upn) },
      body: { addLicenses: [], removeLicenses: [skuId] },
    });
    const connection = connectTo(emulator.url);
    // Carried out just now: reads within the lag may still show adele's E3 and diego's E5.
    const done = [remove("adele@contoso.com", e3), remove("diego@contoso.com", e5)];
    expect((await createLicenseWriter(connection).execute(done)).every((o) => o.ok)).toBe(true);
    // Never carried out: alex has no usage location change, user1 no E3.
    const undone: WriteOperation[] = [
      { id: "loc-alex", kind: "setUsageLocation", userId: id("alex@contoso.com"), usageLocation: "NL" },
      {
        id: "add-user1",
        kind: "assignLicense",
        target: { kind: "user", id: id("user1@contoso.com") },
        body: { addLicenses: [{ skuId: e3, disabledPlans: [] }], removeLicenses: [] },
      },
    ];

    const slept: number[] = [];
    const options: ReadBackOptions = {
      windowMs: LAG,
      clock: {
        now: () => performance.now(),
        sleep: (ms) => {
          slept.push(ms);
          return new Promise((resolve) => setTimeout(resolve, ms));
        },
      },
      run: { concurrency: 2, maxRetryTimeMs: 1_000, sleep: async () => undefined, random: () => 0.5 },
    };
    // The removals were carried out before this moment: a read sent a window later shows them.
    const lostAt = performance.now();
    emulator.resetCounters();
    const verdicts = await readBackWrites(
      connection,
      [...done, ...undone].map((operation) => ({ operation, lostAt })),
      options,
    );
    // The removals were carried out: read once the lag has passed, they count as done.
    expect(verdicts).toEqual(["applied", "applied", "not-applied", "not-applied"]);
    // One wait, up to the window after the loss, then one more $batch for what still looked undone.
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeLessThanOrEqual(LAG);
    const batches = emulator.counters.byRoute["POST /$batch"];
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(batches).toBeLessThanOrEqual(2);
  });

  it("waits nothing when every write reads as done, or when the window has passed since the loss", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), port: 0, groupProcessingDelayMs: 0 });
    const before = emulator.snapshot();
    const alex = before.users.find((u) => u.userPrincipalName === "alex@contoso.com")!.id;
    const slept: number[] = [];
    let now = 0;
    const options: ReadBackOptions = {
      windowMs: 5_000,
      clock: { now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) },
      run: { concurrency: 1, maxRetryTimeMs: 1_000, sleep: async () => undefined, random: () => 0.5 },
    };
    const connection = connectTo(emulator.url);
    const asHeld: WriteOperation = { id: "a", kind: "setUsageLocation", userId: alex, usageLocation: "GB" };
    const notHeld: WriteOperation = { id: "b", kind: "setUsageLocation", userId: alex, usageLocation: "NL" };
    expect(await readBackWrites(connection, [{ operation: asHeld, lostAt: 0 }], options)).toEqual([
      "applied",
    ]);
    now = 6_000;
    expect(await readBackWrites(connection, [{ operation: notHeld, lostAt: 0 }], options)).toEqual([
      "not-applied",
    ]);
    expect(slept).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator, type TenantFixture } from "../../src/emulator/index.js";
import { createLicenseWriter } from "../../src/graph/graph-license-writer.js";
import type { WriteOperation } from "../../src/graph/write-operations.js";
import type { LiveState } from "../../src/model/live-state.js";
import type { GraphConnection } from "../../src/graph/create-graph-client.js";
import { connectTo, TENANT_ID } from "./emulator-helpers.js";
import { VirtualClock } from "./pace-simulation.js";

/**
 * The writer against the emulator's write limit, both on one virtual clock:
 * time moves only when the writer waits and no request is in flight, so
 * Graph's bucket refills exactly as much as the writer waited, whatever the
 * machine's load, and a run of simulated seconds takes real milliseconds.
 */
function virtualTime(connection: GraphConnection) {
  const clock = new VirtualClock();
  const waits: number[] = [];
  let inFlight = 0;
  const counted: GraphConnection = {
    ...connection,
    send: async (request) => {
      inFlight += 1;
      try {
        return await connection.send(request);
      } finally {
        inFlight -= 1;
      }
    },
  };
  return {
    connection: counted,
    now: clock.now,
    sleep: (ms: number): Promise<void> => {
      waits.push(ms);
      return clock.sleep(ms);
    },
    run: <T>(work: Promise<T>): Promise<T> => clock.run(work, () => inFlight > 0),
    waits,
  };
}

function tenant(users: number): TenantFixture {
  return {
    apiVersion: "licensectl.emulator/v1",
    kind: "Tenant",
    tenant: {
      id: TENANT_ID,
      displayName: "Contoso",
      countryLetterCode: "US",
      domains: ["contoso.onmicrosoft.com"],
    },
    skus: [{ sku: "ENTERPRISEPACK", seats: users }],
    users: Array.from({ length: users }, (_, i) => ({ upn: `user${i}@contoso.com`, usageLocation: "US" })),
    groups: [],
  };
}

function addE3ToEveryone(state: LiveState): WriteOperation[] {
  const e3 = state.skus.find((s) => s.skuPartNumber === "ENTERPRISEPACK")!.skuId;
  return state.users.map((user, i) => ({
    id: `add-${i}`,
    kind: "assignLicense" as const,
    target: { kind: "user" as const, id: user.id },
    body: { addLicenses: [{ skuId: e3, disabledPlans: [] }], removeLicenses: [] },
  }));
}

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

describe("paced writes under Graph's write limit", () => {
  it.each([
    { perSecond: 20, writes: 400 },
    { perSecond: 500, writes: 4_000 },
  ])(
    "applies $writes writes at >= 90% of $perSecond/s with at most 10% answered 429, each exactly once",
    async ({ perSecond, writes }) => {
      let time = (): number => 0;
      // Graph's shape (a bucket of 150 s of writes), drained as after the first part of a large apply.
      emulator = await startEmulator({
        tenant: tenant(writes),
        groupProcessingDelayMs: 0,
        throttle: { writesPerSecond: perSecond, burst: perSecond * 150, startEmpty: true },
        clock: () => time(),
      });
      const clock = virtualTime(connectTo(emulator.url));
      time = clock.now;
      const operations = addE3ToEveryone(emulator.snapshot());
      const since = emulator.timeline().length;
      const outcomes = await clock.run(
        createLicenseWriter(clock.connection, { sleep: clock.sleep, now: clock.now }).execute(operations),
      );

      expect(outcomes.filter((o) => !o.ok)).toEqual([]);
      const { writesAttempted, writesApplied, throttled } = emulator.counters;
      expect(writesApplied).toBe(writes);
      expect(throttled / writesAttempted).toBeLessThanOrEqual(0.1);
      expect(writes / (clock.now() / 1000)).toBeGreaterThanOrEqual(0.9 * perSecond);
      // Every user gained the license once and lost nothing: no write dropped, none carried out twice.
      const events = emulator.timeline(since);
      expect(events.every((e) => e.change === "gained")).toBe(true);
      expect(new Set(events.map((e) => e.userId)).size).toBe(writes);
      expect(events).toHaveLength(writes);
    },
  );

  it("never waits when Graph does not throttle", async () => {
    emulator = await startEmulator({ tenant: tenant(200), groupProcessingDelayMs: 0 });
    const clock = virtualTime(connectTo(emulator.url));
    const outcomes = await clock.run(
      createLicenseWriter(clock.connection, { sleep: clock.sleep, now: clock.now }).execute(
        addE3ToEveryone(emulator.snapshot()),
      ),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(clock.waits).toEqual([]);
    expect(clock.connection.requestCount()).toBe(200 / 20);
  });
});

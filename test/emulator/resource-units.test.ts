/* eslint-disable @typescript-eslint/no-explicit-any -- Graph answers are untyped JSON; the assertions check their shape. */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { readQuery } from "../../src/emulator/query.js";
import { ResourceUnitThrottle, requestCost, resourceUnitQuota } from "../../src/emulator/resource-units.js";
import { readLiveState } from "../../src/graph/read-live-state.js";
import { connectTo } from "../graph/emulator-helpers.js";
import { smallTenant } from "./helpers.js";

const q = (search: string) => readQuery(new URLSearchParams(search), undefined);

describe("resource units: Graph's costs and limits", () => {
  it("sizes the 10-second quota by the tenant's users", () => {
    expect([
      resourceUnitQuota(49),
      resourceUnitQuota(50),
      resourceUnitQuota(500),
      resourceUnitQuota(501),
    ]).toEqual([3_500, 5_000, 5_000, 8_000]);
  });

  it("costs GET users 2 (1 with $select), subscribedSkus 3, members 3, other reads 1, writes 1", () => {
    expect(requestCost("GET /users", q(""))).toBe(2);
    expect(requestCost("GET /users", q("$select=id"))).toBe(1);
    expect(requestCost("GET /subscribedSkus", q(""))).toBe(3);
    expect(requestCost("GET /groups/{id}/members/microsoft.graph.user", q("$select=id&$top=999"))).toBe(2);
    expect(requestCost("GET /groups/{id}/members", q("$top=5"))).toBe(2);
    expect(requestCost("GET /organization", q(""))).toBe(1);
    expect(requestCost("POST /users/{id}/assignLicense", q(""))).toBe(1);
  });

  it("refills continuously and refuses what does not fit, with the wait until it would", () => {
    let now = 0;
    const bucket = new ResourceUnitThrottle(100, "t", () => now);
    expect(bucket.charge(70, false).headers).toEqual({ "x-ms-resource-unit": "70" });
    expect(bucket.charge(15, false).headers).toEqual({
      "x-ms-resource-unit": "15",
      "x-ms-throttle-limit-percentage": "0.85",
    });
    let refused: any;
    try {
      bucket.charge(30, false);
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ status: 429, code: "TooManyRequests" });
    expect(refused.headers).toMatchObject({
      "Retry-After": "2",
      "x-ms-throttle-information": "ResourceUnitLimitExceeded",
      "x-ms-throttle-scope": "Tenant_Application/ReadWrite/00000000-0000-0000-0000-000000000000/t",
    });
    now += 1_500;
    expect(bucket.charge(30, false).headers["x-ms-resource-unit"]).toBe("30");
  });
});

describe("emulator: resource-unit throttling of reads", () => {
  let emulator: RunningEmulator;
  afterEach(() => emulator.stop());

  it("is off by default: no resource-unit header, never a 429", async () => {
    emulator = await startEmulator({ tenant: smallTenant() });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => fetch(`${emulator.url}/v1.0/subscribedSkus`)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(responses[0]!.headers.get("x-ms-resource-unit")).toBeNull();
  });

  it("charges reads, warns past 80% and answers 429 with Graph's headers, inside $batch too", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), resourceUnits: { quota: 10 } });
    const first = await fetch(`${emulator.url}/v1.0/subscribedSkus`);
    expect(first.headers.get("x-ms-resource-unit")).toBe("3");
    const second = await fetch(`${emulator.url}/v1.0/users`);
    expect(second.headers.get("x-ms-resource-unit")).toBe("2");
    await fetch(`${emulator.url}/v1.0/subscribedSkus`);
    const warned = await fetch(`${emulator.url}/v1.0/organization`);
    expect(Number(warned.headers.get("x-ms-throttle-limit-percentage"))).toBeGreaterThan(0.8);
    const throttled = await fetch(`${emulator.url}/v1.0/subscribedSkus`);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(throttled.headers.get("x-ms-throttle-information")).toBe("ResourceUnitLimitExceeded");
    expect(throttled.headers.get("x-ms-throttle-scope")).toMatch(/^Tenant_Application\//);
    expect(((await throttled.json()) as any).error.code).toBe("TooManyRequests");
    const batch = await fetch(`${emulator.url}/v1.0/$batch`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ requests: [{ id: "1", method: "GET", url: "/subscribedSkus" }] }),
    });
    // The outer $batch is not charged; each request inside it is.
    expect(batch.headers.get("x-ms-resource-unit")).toBeNull();
    expect(batch.status).toBe(200);
    const inner = ((await batch.json()) as any).responses[0];
    expect(inner.status).toBe(429);
    expect(inner.headers["Retry-After"]).toBeDefined();
    expect(emulator.counters.throttled).toBe(2);
  });

  it("puts x-ms-resource-unit on each answer inside $batch", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), resourceUnits: true });
    const batch = await fetch(`${emulator.url}/v1.0/$batch`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        requests: [
          { id: "1", method: "GET", url: "/subscribedSkus" },
          { id: "2", method: "GET", url: "/users?$select=id" },
        ],
      }),
    });
    const units = Object.fromEntries(
      ((await batch.json()) as any).responses.map((r: any) => [r.id, r.headers["x-ms-resource-unit"]]),
    );
    expect(units).toEqual({ "1": "3", "2": "1" });
  });

  it("lets licensectl's sequential reader finish a tenant read through throttled answers", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), resourceUnits: { quota: 4 } });
    const live = await readLiveState(connectTo(emulator.url), { readConcurrency: 1 });
    expect(emulator.counters.throttled).toBeGreaterThan(0);
    const truth = emulator.snapshot();
    expect(live.users.map((u) => u.id).sort()).toEqual(truth.users.map((u) => u.id).sort());
    expect(live.skus.map((s) => s.consumedUnits)).toEqual(
      live.skus.map((s) => truth.skus.find((t) => t.skuId === s.skuId)!.consumedUnits),
    );
  }, 60_000);
});

describe("emulator: whole-$batch failures", () => {
  it("refuses the outer $batch with 503, 504 or 429 and carries out nothing inside", async () => {
    const emulator = await startEmulator({
      tenant: smallTenant(),
      groupProcessingDelayMs: 0,
      faults: { batchFailureRate: 1, seed: 3 },
    });
    try {
      const statuses = new Set<number>();
      for (let i = 0; i < 12; i++) {
        const response = await fetch(`${emulator.url}/v1.0/$batch`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            requests: [
              {
                id: "1",
                method: "PATCH",
                url: "/users/diego.siciliani@contoso.com",
                headers: { "Content-Type": "application/json" },
                body: { usageLocation: "FR" },
              },
            ],
          }),
        });
        statuses.add(response.status);
        expect(((await response.json()) as any).responses).toBeUndefined();
      }
      expect([...statuses].sort()).toEqual([429, 503, 504]);
      expect(emulator.counters.writesAttempted).toBe(0);
      const diego = emulator
        .snapshot()
        .users.find((u) => u.userPrincipalName === "diego.siciliani@contoso.com")!;
      expect(diego.usageLocation).toBeNull();
    } finally {
      await emulator.stop();
    }
  });
});

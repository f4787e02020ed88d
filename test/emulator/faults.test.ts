import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";
import { graphClient, smallTenant } from "./helpers.js";

describe("emulator: throttling and faults", () => {
  const running: RunningEmulator[] = [];
  const start = async (options: Partial<EmulatorOptions>) => {
    const emulator = await startEmulator({ tenant: smallTenant(), groupProcessingDelayMs: 0, ...options });
    running.push(emulator);
    return emulator;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.stop()));
  });

  it("answers 429 with Graph's body and throttle headers when the write bucket is empty", async () => {
    const emulator = await start({ throttle: { writesPerSecond: 1, burst: 1 } });
    const patch = () =>
      fetch(`${emulator.url}/v1.0/users/grady.archie@contoso.com`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ usageLocation: "FR" }),
      });
    expect((await patch()).status).toBe(204);
    const throttled = await patch();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(throttled.headers.get("x-ms-throttle-information")).toBe("WriteLimitExceeded");
    expect(throttled.headers.get("x-ms-throttle-scope")).toMatch(/^Tenant_Application\/ReadWrite\//);
    const body = (await throttled.json()) as {
      error: { code: string; message: string; innerError: Record<string, string> };
    };
    expect(body.error).toMatchObject({ code: "TooManyRequests", message: "Please retry again later." });
    expect(body.error.innerError).toMatchObject({
      code: "429",
      status: "429",
      message: "Please retry after",
    });
    // Reads are not throttled.
    expect((await fetch(`${emulator.url}/v1.0/users`)).status).toBe(200);
    expect(emulator.counters.throttled).toBe(1);
  });

  it("lets the SDK's retry middleware honour Retry-After and succeed", async () => {
    const emulator = await start({ throttle: { writesPerSecond: 1, burst: 1 } });
    const client = graphClient(emulator.url);
    await client.api("/users/grady.archie@contoso.com").patch({ usageLocation: "FR" });
    emulator.resetCounters();
    await client.api("/users/henrietta.mueller@contoso.com").patch({ usageLocation: "FR" });
    expect(emulator.counters.throttled).toBe(1);
    expect(emulator.counters.requests).toBe(2);
    expect(emulator.counters.writesApplied).toBe(1);
    const henrietta = await client.api("/users/henrietta.mueller@contoso.com").select("usageLocation").get();
    expect(henrietta.usageLocation).toBe("FR");
  });

  it("injects 503/504 at the configured rate, in Graph's envelope", async () => {
    const emulator = await start({ faults: { errorRate: 1 } });
    const response = await fetch(`${emulator.url}/v1.0/users`);
    expect([503, 504]).toContain(response.status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toEqual(expect.any(String));
    expect(emulator.counters.faultsInjected).toBe(1);
  });

  it("drops connections without an answer at the configured rate", async () => {
    const emulator = await start({ faults: { dropRate: 1 } });
    await expect(fetch(`${emulator.url}/v1.0/users`)).rejects.toThrow();
    expect(emulator.counters.faultsInjected).toBe(1);
  });

  it("is reproducible from a seed", async () => {
    const statuses = async (seed: number) => {
      const emulator = await start({ faults: { errorRate: 0.5, seed } });
      const seen: number[] = [];
      for (let i = 0; i < 16; i++) seen.push((await fetch(`${emulator.url}/v1.0/organization`)).status);
      return seen;
    };
    const first = await statuses(7);
    expect(await statuses(7)).toEqual(first);
    expect(first).toContain(200);
    expect(first.some((s) => s >= 500)).toBe(true);
  });

  it("serves normally with latency added", async () => {
    const emulator = await start({ latencyMs: 5 });
    expect((await fetch(`${emulator.url}/v1.0/organization`)).status).toBe(200);
  });
});

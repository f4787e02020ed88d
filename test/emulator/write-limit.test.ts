import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";
import { smallTenant } from "./helpers.js";

interface InnerAnswer {
  readonly id: string;
  readonly status: number;
  readonly headers: Record<string, string>;
}

/**
 * Graph's write limit per app and tenant is a token bucket (3,000 writes per
 * 150 s: 3,000 at once, then 20 a second). The emulator's throttle runs on an
 * injected clock here, so each check is exact and takes no time.
 */
describe("emulator: the write limit is a token bucket", () => {
  const running: RunningEmulator[] = [];
  let time = 0;
  const start = async (throttle: NonNullable<EmulatorOptions["throttle"]>) => {
    time = 0;
    const emulator = await startEmulator({
      tenant: smallTenant(),
      groupProcessingDelayMs: 0,
      throttle,
      clock: () => time,
    });
    running.push(emulator);
    return emulator;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.stop()));
  });

  /** One $batch of `count` usage-location writes; the inner answers by id. */
  const writes = async (url: string, count: number): Promise<InnerAnswer[]> => {
    const requests = Array.from({ length: count }, (_, i) => ({
      id: String(i + 1),
      method: "PATCH",
      url: "/users/grady.archie@contoso.com",
      headers: { "Content-Type": "application/json" },
      body: { usageLocation: i % 2 === 0 ? "US" : "FR" },
    }));
    const response = await fetch(`${url}/v1.0/$batch`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ requests }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { responses: InnerAnswer[] };
    return body.responses;
  };
  const admitted = (answers: readonly InnerAnswer[]) => answers.filter((a) => a.status === 204).length;

  it("lets a full bucket's writes through at once, then refills at the limit's rate", async () => {
    const emulator = await start({ writesPerSecond: 20, burst: 60 });
    const first = [...(await writes(emulator.url, 20)), ...(await writes(emulator.url, 20))];
    expect(admitted(first)).toBe(40);
    const third = await writes(emulator.url, 20);
    expect(admitted(third)).toBe(20);
    // Empty now: each inner write is refused on its own, with Graph's headers.
    const refused = await writes(emulator.url, 20);
    expect(admitted(refused)).toBe(0);
    for (const answer of refused) {
      expect(answer.status).toBe(429);
      expect(answer.headers["Retry-After"]).toBe("1");
      expect(answer.headers["x-ms-throttle-information"]).toBe("WriteLimitExceeded");
      expect(answer.headers["x-ms-throttle-scope"]).toMatch(/^Tenant_Application\/ReadWrite\/[^/]+\/[^/]+$/);
    }
    time = 500;
    expect(admitted(await writes(emulator.url, 20))).toBe(10);
    time = 500 + 60_000;
    // A long pause refills to the bucket's size, no more.
    expect(admitted([...(await writes(emulator.url, 20)), ...(await writes(emulator.url, 20))])).toBe(40);
    expect(admitted([...(await writes(emulator.url, 20)), ...(await writes(emulator.url, 20))])).toBe(20);
    expect(emulator.counters.throttled).toBe(20 + 10 + 20);
  });

  it("starts empty when drained, and Retry-After says when the next write fits", async () => {
    const emulator = await start({ writesPerSecond: 0.25, burst: 3, startEmpty: true });
    const refused = await writes(emulator.url, 1);
    expect(refused[0]!.status).toBe(429);
    // One write every 4 s: the next fits in 4 s.
    expect(refused[0]!.headers["Retry-After"]).toBe("4");
    time = 4_000;
    expect(admitted(await writes(emulator.url, 2))).toBe(1);
  });

  it("puts the bucket back as it started on resetWriteThrottle", async () => {
    const emulator = await start({ writesPerSecond: 20, burst: 100, startEmpty: true });
    time = 60_000;
    expect(admitted(await writes(emulator.url, 20))).toBe(20);
    emulator.resetWriteThrottle();
    expect(admitted(await writes(emulator.url, 20))).toBe(0);
  });

  it("reports how much of the limit is used once past 80%, as x-ms-throttle-limit-percentage", async () => {
    const emulator = await start({ writesPerSecond: 1, burst: 10 });
    const answers = await writes(emulator.url, 10);
    const percentages = answers
      .map((a) => a.headers["x-ms-throttle-limit-percentage"])
      .filter((p): p is string => p !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    // 9 and 10 of 10 used: 0.90 and 1.00; below 80% there is no header.
    expect(percentages).toEqual([0.9, 1]);
  });
});

import { describe, expect, it } from "vitest";
import { WritePacer, type PaceTicket } from "../../src/graph/write-pacer.js";
import { simulateWrites } from "./pace-simulation.js";

/** Sends one batch of `writes` at `now`, asserting the pacer lets it go then. */
function send(pacer: WritePacer, writes: number, now: number): PaceTicket {
  pacer.enter(now);
  expect(pacer.waitFor(writes, now)).toEqual({ ms: 0 });
  return pacer.take(writes, now);
}

describe("the write pacer's decisions", () => {
  it("paces nothing before the first 429, after one batch has shown the way", () => {
    const pacer = new WritePacer({ concurrency: 4 });
    const first = send(pacer, 20, 0);
    // One batch into an unknown bucket first: a drained one refuses 20 writes, not 80.
    expect(pacer.waitFor(20, 0)).toBe("answer");
    pacer.settle(first, { accepted: 20, throttled: 0 }, 5);
    const second = send(pacer, 20, 5);
    pacer.settle(second, { accepted: 20, throttled: 0 }, 10);
    for (let i = 0; i < 2; i++) send(pacer, 20, 10);
    expect(pacer.waitFor(20, 10)).toBe("answer");
    expect(pacer.state(10)).toEqual({ mode: "free", throttleEvents: 0 });
  });

  it("paces from the rate achieved so far once Graph says most of the limit is used", () => {
    const pacer = new WritePacer({ concurrency: 4, probeWritesPerSecond: 20 });
    pacer.settle(send(pacer, 20, 0), { accepted: 20, throttled: 0 }, 100);
    // x-ms-throttle-limit-percentage on an accepted write: the bucket is nearly empty.
    pacer.settle(send(pacer, 20, 100), { accepted: 20, throttled: 0, nearLimit: true }, 200);
    expect(pacer.state(200)).toMatchObject({ mode: "probing", throttleEvents: 0 });
    // 40 writes in 200 ms: 200 writes/s, doubling each second from the next send.
    send(pacer, 20, 200);
    expect(pacer.rateAt(200)).toBeCloseTo(200, 6);
    expect(pacer.rateAt(1_200)).toBeCloseTo(400, 6);
  });

  it("holds every sender, reads too, for a Retry-After", () => {
    const pacer = new WritePacer({ concurrency: 4 });
    const ticket = send(pacer, 20, 0);
    pacer.settle(ticket, { accepted: 0, throttled: 20 }, 10);
    pacer.pause(3_000, 10);
    expect(pacer.waitFor(20, 10)).toEqual({ ms: 3_000 });
    expect(pacer.waitFor(0, 2_000)).toEqual({ ms: 1_010 });
    expect(pacer.waitFor(0, 3_010)).toEqual({ ms: 0 });
  });

  it("measures the allowed rate as the writes accepted between two 429s over the time between them", () => {
    const pacer = new WritePacer({ concurrency: 4, growthPerSecond: 0 });
    pacer.settle(send(pacer, 20, 0), { accepted: 0, throttled: 20 }, 0);
    pacer.pause(1_000, 0);
    expect(pacer.state(0).mode).toBe("probing");
    // Probing from Graph's documented 20 writes/s: one batch of 20 per second.
    const a = send(pacer, 20, 1_000);
    expect(pacer.waitFor(20, 1_000)).toEqual({ ms: 1_000 });
    pacer.settle(a, { accepted: 20, throttled: 0 }, 1_010);
    const b = send(pacer, 20, 2_000);
    pacer.settle(b, { accepted: 10, throttled: 10 }, 2_500);
    // 30 writes went through the bucket in the 2.5 s between the two 429s: 12 writes/s.
    expect(pacer.state(2_500)).toMatchObject({
      mode: "paced",
      measuredWritesPerSecond: 12,
      throttleEvents: 2,
    });
    pacer.pause(1_000, 2_500);
    // The bucket was empty at 2.5 s and refills at 12/s: 20 writes fit 1,667 ms after it.
    const due = 2_500 + (20 / 12) * 1000;
    const first = pacer.waitFor(20, 3_500);
    expect(first !== "answer" && first.ms).toBeCloseTo(due - 3_500, 6);
    send(pacer, 20, due);
    const next = pacer.waitFor(20, due);
    expect(next !== "answer" && next.ms).toBeCloseTo((20 / 12) * 1000, 6);
  });

  it("lets the pace grow while no 429 comes, so a limit that rises is found again", () => {
    const pacer = new WritePacer({ concurrency: 4, growthPerSecond: 0.02 });
    pacer.settle(send(pacer, 20, 0), { accepted: 0, throttled: 20 }, 0);
    pacer.settle(send(pacer, 20, 1_000), { accepted: 20, throttled: 0 }, 1_000);
    pacer.settle(send(pacer, 20, 2_000), { accepted: 0, throttled: 20 }, 2_000);
    pacer.pause(1_000, 2_000);
    // 10 writes/s from the 429 at 2 s: 20 writes fit at 4 s.
    send(pacer, 20, 4_000);
    expect(pacer.rateAt(4_000)).toBeCloseTo(10, 6);
    expect(pacer.rateAt(14_000)).toBeCloseTo(10 * Math.exp(0.2), 6);
  });

  it("counts 429s to batches sent before the last one was known as the same episode", () => {
    const pacer = new WritePacer({ concurrency: 4 });
    pacer.settle(send(pacer, 20, 0), { accepted: 20, throttled: 0 }, 10);
    pacer.settle(send(pacer, 20, 10), { accepted: 20, throttled: 0 }, 20);
    const early = [send(pacer, 20, 20), send(pacer, 20, 20)];
    pacer.settle(early[0]!, { accepted: 0, throttled: 20 }, 30);
    pacer.settle(early[1]!, { accepted: 0, throttled: 20 }, 31);
    expect(pacer.state(31)).toMatchObject({ mode: "probing", throttleEvents: 1 });
  });

  it("honours a resource-unit 429's Retry-After without learning a write rate from it", () => {
    const pacer = new WritePacer({ concurrency: 4 });
    pacer.settle(send(pacer, 20, 0), { accepted: 0, throttled: 20, otherLimit: true }, 10);
    pacer.pause(2_000, 10);
    expect(pacer.state(10)).toEqual({ mode: "free", throttleEvents: 0 });
    expect(pacer.waitFor(20, 10)).toEqual({ ms: 2_000 });
  });

  it("takes a rate measured across an idle gap only as a floor: the bucket may have filled meanwhile", () => {
    const pacer = new WritePacer({ concurrency: 1, growthPerSecond: 0 });
    pacer.settle(send(pacer, 20, 0), { accepted: 0, throttled: 20 }, 0);
    pacer.settle(send(pacer, 20, 1_000), { accepted: 20, throttled: 0 }, 1_000);
    pacer.settle(send(pacer, 20, 2_000), { accepted: 20, throttled: 20 }, 2_000);
    expect(pacer.state(2_000).measuredWritesPerSecond).toBe(20);
    // Nothing to send for a minute, then 40 writes and a 429: 40 in 62 s is not the limit.
    const late = send(pacer, 20, 62_000);
    pacer.settle(late, { accepted: 20, throttled: 0 }, 62_000);
    // The minute idle is not made up for: the next batch comes a slot (less 250 ms) later.
    expect(pacer.waitFor(20, 62_000)).toEqual({ ms: 750 });
    pacer.settle(send(pacer, 20, 62_750), { accepted: 20, throttled: 20 }, 63_000);
    expect(pacer.state(63_000).measuredWritesPerSecond).toBe(20);
  });
});

describe("paced writes against a token bucket like Graph's (simulated time)", () => {
  const share = (r: { throttled: number; attempts: number }) => r.throttled / r.attempts;
  const rate = (r: { writes: number; elapsedMs: number }) => (r.writes / r.elapsedMs) * 1000;

  it.each([
    { perSecond: 20, writes: 600, roundTripMs: 20 },
    { perSecond: 20, writes: 600, roundTripMs: 200 },
    { perSecond: 500, writes: 10_000, roundTripMs: 20 },
    { perSecond: 500, writes: 10_000, roundTripMs: 100 },
  ])(
    "reaches 90% of $perSecond writes/s with at most 10% of writes refused, round trip $roundTripMs ms",
    async ({ perSecond, writes, roundTripMs }) => {
      // Graph's shape, 150 s of writes, drained as after the first 3,000 writes of a large apply.
      const result = await simulateWrites({
        writes,
        perSecond,
        capacity: perSecond * 150,
        start: "empty",
        roundTripMs,
      });
      expect(rate(result)).toBeGreaterThanOrEqual(0.9 * perSecond);
      expect(share(result)).toBeLessThanOrEqual(0.1);
      expect(result.pacer.state(result.elapsedMs).measuredWritesPerSecond).toBeGreaterThan(0.9 * perSecond);
    },
  );

  it("meets a bucket part-refilled since an earlier apply one batch at a time", async () => {
    const result = await simulateWrites({ writes: 400, perSecond: 20, capacity: 3_000, start: 100 });
    expect(rate(result)).toBeGreaterThanOrEqual(0.9 * 20);
    expect(share(result)).toBeLessThanOrEqual(0.1);
  });

  it("makes up for senders woken late by a busy event loop", async () => {
    const result = await simulateWrites({
      writes: 10_000,
      perSecond: 500,
      capacity: 500 * 150,
      start: "empty",
      wakeLateMs: 15,
    });
    expect(rate(result)).toBeGreaterThanOrEqual(0.9 * 500);
    expect(share(result)).toBeLessThanOrEqual(0.1);
  });

  it("keeps to the limit after a full bucket's burst", async () => {
    const result = await simulateWrites({ writes: 4_000, perSecond: 20, capacity: 3_000, start: "full" });
    expect(result.elapsedMs).toBeLessThanOrEqual((1_000 / 20 / 0.9) * 1_000);
    expect(share(result)).toBeLessThanOrEqual(0.1);
  });

  it("does not slow down writes that are never throttled", async () => {
    const result = await simulateWrites({
      writes: 10_000,
      perSecond: 1e9,
      capacity: 1e12,
      start: "full",
      roundTripMs: 20,
    });
    expect(result.throttled).toBe(0);
    expect(result.requests).toBe(500);
    // 500 batches, 4 in flight, 20 ms each: 125 round trips, 2 more for the first batches alone.
    expect(result.elapsedMs).toBeLessThanOrEqual((125 + 2) * 20);
  });
});

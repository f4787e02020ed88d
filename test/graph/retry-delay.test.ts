import { describe, expect, it } from "vitest";
import {
  backoffDelayMs,
  isRetryableStatus,
  parseRetryAfterMs,
  retryDelayMs,
} from "../../src/graph/retry-delay.js";

describe("retry delays", () => {
  it("retries only 429, 503 and 504", () => {
    expect([429, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 404, 424, 500, 502].some(isRetryableStatus)).toBe(false);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfterMs("10")).toBe(10_000);
    expect(parseRetryAfterMs("0")).toBe(0);
    expect(parseRetryAfterMs("1.5")).toBe(1_500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfterMs("Thu, 01 Jan 2026 00:00:07 GMT", now)).toBe(7_000);
    expect(parseRetryAfterMs("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs("soon")).toBeUndefined();
    expect(parseRetryAfterMs("86400")).toBe(5 * 60_000);
  });

  it("backs off exponentially with equal jitter and a cap", () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect(backoffDelayMs(1, low)).toBe(500);
    expect(backoffDelayMs(1, high)).toBe(1_000);
    expect(backoffDelayMs(2, low)).toBe(1_000);
    expect(backoffDelayMs(3, low)).toBe(2_000);
    expect(backoffDelayMs(4, high)).toBe(8_000);
    expect(backoffDelayMs(30, high)).toBe(60_000);
    expect(backoffDelayMs(30, low)).toBe(30_000);
  });

  it("prefers Retry-After to backoff", () => {
    expect(retryDelayMs({ retryAfter: "3", attempt: 5, random: () => 0.5 })).toBe(3_000);
    expect(retryDelayMs({ retryAfter: undefined, attempt: 1, random: () => 0.5 })).toBe(750);
  });
});

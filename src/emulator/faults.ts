import { seededRandom } from "./ids.js";

/** Fault injection settings; everything is off by default. */
export interface FaultSettings {
  /** Added to every HTTP request before it is answered. */
  readonly latencyMs?: number;
  /** Token bucket on writes: refill rate, capacity (default: one second's worth) and whether it starts empty. */
  readonly throttle?: WriteThrottle;
  /** Share of requests answered 503 or 504 (0..1). */
  readonly errorRate?: number;
  /** Share of HTTP requests whose connection is destroyed without an answer (0..1). */
  readonly dropRate?: number;
  /** Share of $batch requests refused whole (503, 504 or 429), nothing inside carried out (0..1). */
  readonly batchFailureRate?: number;
  /** Seed of every random choice the emulator makes (faults, $batch order). */
  readonly seed?: number;
  /** Writes whose answer never reaches the client, carried out or not. */
  readonly lostWrites?: LostWriteFault;
}

/**
 * Graph's write limit per app and tenant is a token bucket: 3,000 writes per
 * 150 s is a bucket of 3,000 refilled at 20 a second (Microsoft Graph
 * throttling limits, "Identity and access service limits").
 */
export interface WriteThrottle {
  /** Refill rate. */
  readonly writesPerSecond: number;
  /** Capacity: writes that may go at once (default one second's worth). */
  readonly burst?: number;
  /**
   * Start with no write left, as after an earlier large apply, so the
   * throttle's steady state shows at once instead of after `burst` writes.
   */
  readonly startEmpty?: boolean;
}

/** The write throttle's answer: let through (with how full the bucket is), or refused for some seconds. */
export type WriteAdmission =
  | { readonly admitted: true; readonly usedFraction: number }
  | { readonly admitted: false; readonly retryAfterSeconds: number };

/**
 * A write whose answer is lost: Graph may carry a write out and still answer
 * 503/504 or drop the connection (a gateway timing out in front of a backend
 * that finished), or fail before carrying it out. A client cannot tell which
 * from the answer; it has to read the target back.
 */
export interface LostWriteFault {
  /** Share of writes (0..1) whose answer is lost. */
  readonly rate: number;
  /** true: the write is carried out first; false: it is not carried out at all. */
  readonly carriedOut: boolean;
  /** What the client gets instead: 503, 504 or a connection closed without an answer. */
  readonly answer: 503 | 504 | "drop";
  /**
   * "request" (default): the write's own answer, which inside a `$batch` is
   * its inner response (a drop there closes the whole `$batch` connection);
   * "batch": the answer to the whole `$batch` that carried the write, after
   * all its requests ran.
   */
  readonly scope?: "request" | "batch";
}

/** Thrown to make the server close the connection instead of answering. */
export class AnswerDropped extends Error {
  constructor() {
    super("the emulator dropped this answer on purpose");
  }
}

/**
 * Decides, reproducibly from a seed, which requests are throttled, failed
 * or dropped. The write throttle is a token bucket as in Graph's identity
 * service limits; Retry-After is the whole seconds until a token is back.
 */
export class FaultInjector {
  readonly random: () => number;
  /** Lost write answers injected so far. */
  answersLost = 0;
  private tokens: number;
  private last: number;

  constructor(
    readonly settings: FaultSettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.random = seededRandom(settings.seed ?? 1);
    this.tokens = this.startingTokens();
    this.last = now();
  }

  /** Back to the bucket's starting state (empty when `startEmpty`), from now. */
  resetWriteThrottle(): void {
    this.tokens = this.startingTokens();
    this.last = this.now();
  }

  private startingTokens(): number {
    return this.settings.throttle?.startEmpty === true ? 0 : this.capacity;
  }

  private get capacity(): number {
    const t = this.settings.throttle;
    return t ? Math.max(1, t.burst ?? t.writesPerSecond) : Infinity;
  }

  /**
   * Takes a write token: admitted with the share of the bucket now used, or
   * refused with the whole seconds until a token is back (Graph's
   * Retry-After); undefined when writes are not throttled.
   */
  takeWrite(): WriteAdmission | undefined {
    const t = this.settings.throttle;
    if (!t) return undefined;
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * t.writesPerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { admitted: true, usedFraction: 1 - this.tokens / this.capacity };
    }
    return {
      admitted: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / t.writesPerSecond)),
    };
  }

  /** 503 or 504 for this request, at the configured rate. */
  randomError(): 503 | 504 | undefined {
    const rate = this.settings.errorRate ?? 0;
    if (rate <= 0 || this.random() >= rate) return undefined;
    return this.random() < 0.5 ? 503 : 504;
  }

  /** The status a whole $batch fails with, at the configured rate. */
  batchFailure(): 503 | 504 | 429 | undefined {
    const rate = this.settings.batchFailureRate ?? 0;
    if (rate <= 0 || this.random() >= rate) return undefined;
    const pick = this.random();
    return pick < 1 / 3 ? 503 : pick < 2 / 3 ? 504 : 429;
  }

  /** The lost-answer fault for a write answered at `scope`, at the configured rate. */
  lostWrite(scope: "request" | "batch"): LostWriteFault | undefined {
    const fault = this.settings.lostWrites;
    if (fault === undefined || (fault.scope ?? "request") !== scope || fault.rate <= 0) return undefined;
    if (fault.rate < 1 && this.random() >= fault.rate) return undefined;
    this.answersLost += 1;
    return fault;
  }

  shouldDrop(): boolean {
    const rate = this.settings.dropRate ?? 0;
    return rate > 0 && this.random() < rate;
  }

  /** A seeded shuffle: Graph promises no order inside a $batch, so neither does the emulator. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    // A shuffle may leave a small batch in order; reverse then, so order-dependence is always caught.
    if (out.length > 1 && out.every((x, i) => x === items[i])) out.reverse();
    return out;
  }
}

import { acquirePace, WritePacer, type PaceClock } from "../../src/graph/write-pacer.js";

/**
 * A virtual clock: `sleep` resolves when `run` advances time to it, so a
 * simulated minute takes milliseconds and every run is the same.
 */
export class VirtualClock implements PaceClock {
  private time = 0;
  private timers: { at: number; resolve: () => void }[] = [];

  readonly now = (): number => this.time;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.time + Math.max(0, ms), resolve });
    });

  /**
   * Runs `work` to its end, moving time to the next timer whenever nothing
   * else can run; `busy` says when something outside (a request in flight)
   * will still act at the present time.
   */
  async run<T>(work: Promise<T>, busy: () => boolean = () => false): Promise<T> {
    let done = false;
    const result = work.finally(() => {
      done = true;
    });
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      if (done) break;
      if (busy()) continue;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (next === undefined) continue;
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    return result;
  }
}

/** Graph's write throttle: a token bucket of `capacity` refilled at `perSecond`, Retry-After in whole seconds. */
export class SimulatedBucket {
  private tokens: number;
  private last = 0;

  constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
    startTokens: number,
  ) {
    this.tokens = startTokens;
  }

  /** Takes a token at `now`: the Retry-After seconds when none is left, else the share of the bucket used. */
  take(now: number): { retryAfter: number } | { used: number } {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { used: 1 - this.tokens / this.capacity };
    }
    return { retryAfter: Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond)) };
  }
}

export interface SimulationResult {
  readonly writes: number;
  readonly attempts: number;
  readonly throttled: number;
  readonly requests: number;
  readonly elapsedMs: number;
  readonly maxInFlight: number;
  readonly pacer: WritePacer;
}

/**
 * Sends `writes` writes in batches of 20 through `concurrency` senders, as the
 * batch runner does, to a bucket answering after `roundTripMs`.
 */
export async function simulateWrites(options: {
  readonly writes: number;
  readonly perSecond: number;
  readonly capacity: number;
  /** Tokens in the bucket at the start: "empty", "full" or a number. */
  readonly start: "empty" | "full" | number;
  readonly concurrency?: number;
  readonly roundTripMs?: number;
  /** Each of the pacer's sleeps ends this much late. */
  readonly wakeLateMs?: number;
}): Promise<SimulationResult> {
  const clock = new VirtualClock();
  const pacerClock = { now: clock.now, sleep: (ms: number) => clock.sleep(ms + (options.wakeLateMs ?? 0)) };
  const concurrency = options.concurrency ?? 4;
  const roundTrip = options.roundTripMs ?? 20;
  const pacer = new WritePacer({ concurrency });
  const startTokens =
    options.start === "empty" ? 0 : options.start === "full" ? options.capacity : options.start;
  const bucket = new SimulatedBucket(options.perSecond, options.capacity, startTokens);
  let queue = options.writes;
  let done = 0;
  let attempts = 0;
  let throttled = 0;
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let wake: (() => void)[] = [];
  const sender = async (): Promise<void> => {
    while (done < options.writes) {
      if (queue === 0) {
        await new Promise<void>((resolve) => wake.push(resolve));
        continue;
      }
      const size = Math.min(20, queue);
      queue -= size;
      const ticket = await acquirePace(pacer, size, pacerClock);
      requests += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await clock.sleep(roundTrip / 2);
      let refused = 0;
      let retryAfter = 0;
      let nearLimit = false;
      for (let i = 0; i < size; i++) {
        const answer = bucket.take(clock.now());
        if ("retryAfter" in answer) {
          refused += 1;
          retryAfter = Math.max(retryAfter, answer.retryAfter);
        } else if (answer.used > 0.8) nearLimit = true;
      }
      await clock.sleep(roundTrip / 2);
      inFlight -= 1;
      attempts += size;
      throttled += refused;
      done += size - refused;
      queue += refused;
      pacer.settle(
        ticket,
        { accepted: size - refused, throttled: refused, ...(nearLimit ? { nearLimit } : {}) },
        clock.now(),
      );
      if (refused > 0) pacer.pause(retryAfter * 1000, clock.now());
      const ready = wake;
      wake = [];
      for (const resolve of ready) resolve();
    }
    const ready = wake;
    wake = [];
    for (const resolve of ready) resolve();
  };
  await clock.run(Promise.all(Array.from({ length: concurrency }, () => sender())));
  return {
    writes: options.writes,
    attempts,
    throttled,
    requests,
    elapsedMs: clock.now(),
    maxInFlight,
    pacer,
  };
}

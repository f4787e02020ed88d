/**
 * Client-side pacing of Graph writes, learnt from the throttle's answers.
 *
 * Graph throttles writes per application and tenant with a token bucket
 * (Microsoft Graph throttling limits, "Identity and access service limits":
 * 3,000 writes per 2 min 30 s) and extends throttling for a client that keeps
 * sending after a 429. A 429 means the bucket is empty, so the writes Graph
 * accepted between two 429s are exactly what the bucket refilled in that
 * time: their count over the time between them is the write rate Graph
 * allows. The pacer measures that, spaces `$batch` requests to it, and lets
 * the pace grow slowly (2% a second) so that a limit that rises is found
 * again; each 429's Retry-After pauses every sender of the client, not only
 * the one throttled, and the writes refilled during the pause go first after
 * it. Between the first 429 and the one that measures, the pace starts at
 * Graph's documented 20 writes/s and doubles each second.
 *
 * Until the first 429 nothing is paced (an unthrottled apply runs at full
 * speed); only the first `$batch` requests ramp up one at a time, so a client
 * that meets an empty bucket sends one batch into it, not `concurrency`. Once
 * Graph's `x-ms-throttle-limit-percentage` says most of the limit is used, the
 * pace starts from what the client achieved so far and doubles each second
 * until the 429 that lets it measure.
 */

/** Graph's documented write limit per app and tenant: 3,000 writes per 150 s. */
export const GRAPH_WRITES_PER_SECOND = 3_000 / 150;

/** Tuning of the pacer; the defaults suit Graph. */
export interface WritePacerTuning {
  /** `$batch` requests in flight at once at most. */
  readonly concurrency: number;
  /** How fast the pace grows while no 429 comes, per second (default 2%). */
  readonly growthPerSecond?: number;
  /** Pace of the probe after a 429 that measured nothing yet (default Graph's 20 writes/s); it doubles each second. */
  readonly probeWritesPerSecond?: number;
}

/** One `$batch` let through: how many writes it carries and when it went. */
export interface PaceTicket {
  readonly writes: number;
  readonly sentAt: number;
}

/** What came back for a ticket's writes. */
export interface PaceAnswer {
  /** Writes Graph answered with anything but 429 (the throttle let them through). */
  readonly accepted: number;
  /** Writes answered 429 (inner or for the whole `$batch`). */
  readonly throttled: number;
  /**
   * The 429 came from another limit than the write limit (Graph's
   * `x-ms-throttle-information: ResourceUnitLimitExceeded`): its Retry-After is
   * honoured but says nothing of the write rate.
   */
  readonly otherLimit?: boolean;
  /**
   * An accepted write carried `x-ms-throttle-limit-percentage`: Graph adds it
   * once more than 80% of a limit is used, so the next batches may meet an
   * empty bucket.
   */
  readonly nearLimit?: boolean;
}

/** Why a sender must wait: a time (ms from now) or an answer of a request in flight. */
export type PaceWait = { readonly ms: number } | "answer";

/** What the pacer has learnt, for progress lines and tests. */
export interface PaceState {
  /** "free": not paced (no 429 yet); "probing": after a 429, looking for the rate; "paced": spacing to `writesPerSecond`. */
  readonly mode: "free" | "probing" | "paced";
  /** The pace now, writes per second; undefined while free. */
  readonly writesPerSecond?: number;
  /** The last rate measured between two 429s. */
  readonly measuredWritesPerSecond?: number;
  /** 429 episodes seen (answers to requests sent before the last one known count once). */
  readonly throttleEvents: number;
}

/** A sender with nothing to send or waiting for longer than this leaves the bucket to fill: such a gap is not measured. */
const IDLE_MS = 1_000;
const MIN_WRITES_PER_SECOND = 0.1;
/** Lateness of a sender's wake-up that the pace makes up for by sending sooner. */
const CATCH_UP_MS = 250;
const DEFAULT_GROWTH = 0.02;

/**
 * The pacer's decisions: every method takes the time (ms, any monotonic
 * origin) and returns at once, so tests drive it with numbers.
 * `acquirePace` adds the waiting.
 */
export class WritePacer {
  private readonly growth: number;
  private readonly probeRate: number;
  /** Rate measured between the last two 429 episodes. */
  private measured: number | undefined;
  private probing = false;
  /** Where the probe's pace starts. */
  private probeFrom: number;
  private firstSendAt: number | undefined;
  /** When Graph first said the limit was near, before any 429. */
  private nearLimitAt: number | undefined;
  /** When the current pace started growing; set at the first send after a 429 episode. */
  private growthFrom: number | undefined;
  private lastEventAt: number | undefined;
  private acceptedSinceEvent = 0;
  private idleSinceEvent = false;
  private events = 0;
  private resumeAt = -Infinity;
  /** Since the last 429, sends are scheduled from its time, not from when the pause ended. */
  private creditFromEvent = false;
  private nextSendAt = -Infinity;
  /** Batches allowed in flight before any 429: grows from 1 as batches go through. */
  private window = 1;
  private streak = 0;
  private inFlight = 0;
  private waiting = 0;
  private idleFrom: number | undefined;
  private answerWaiters: (() => void)[] = [];

  constructor(private readonly tuning: WritePacerTuning) {
    this.growth = tuning.growthPerSecond ?? DEFAULT_GROWTH;
    this.probeRate = tuning.probeWritesPerSecond ?? GRAPH_WRITES_PER_SECOND;
    this.probeFrom = this.probeRate;
  }

  /** Resolves at the next `settle`: what a sender told to wait for an answer waits on. */
  nextAnswer(): Promise<void> {
    return new Promise((resolve) => this.answerWaiters.push(resolve));
  }

  /** The pace at `now` in writes per second, or undefined when not paced. */
  rateAt(now: number): number | undefined {
    const from = this.growthFrom ?? now;
    const seconds = Math.max(0, now - from) / 1000;
    if (this.measured !== undefined) return this.measured * Math.exp(this.growth * seconds);
    if (this.probing) return this.probeFrom * 2 ** seconds;
    return undefined;
  }

  /** How long a batch of `writes` writes must wait at `now`; 0 when it may go. */
  waitFor(writes: number, now: number): PaceWait {
    const paused = this.resumeAt - now;
    if (writes === 0) return { ms: Math.max(0, paused) };
    if (this.inFlight >= this.allowedInFlight(now)) return "answer";
    return { ms: Math.max(0, paused, this.dueAt(writes, now) - now) };
  }

  /** A sender starts waiting for its turn (so the gap is not idle). */
  enter(now: number): void {
    if (this.waiting === 0 && this.inFlight === 0 && this.idleFrom !== undefined) {
      if (now - this.idleFrom > IDLE_MS) this.idleSinceEvent = true;
    }
    this.idleFrom = undefined;
    this.waiting += 1;
  }

  /** Lets a batch of `writes` go at `now` (call once `waitFor` is 0). */
  take(writes: number, now: number): PaceTicket {
    this.waiting = Math.max(0, this.waiting - 1);
    if (writes > 0) {
      this.inFlight += 1;
      this.firstSendAt ??= now;
      if ((this.measured !== undefined || this.probing) && this.growthFrom === undefined)
        this.growthFrom = now;
      const rate = this.rateAt(now);
      if (rate === undefined) this.nextSendAt = now;
      else if (this.crediting(now)) {
        // This batch's slot ends when its writes have refilled; once the slots reach the
        // present, the next batch's slot follows it as usual.
        this.nextSendAt += (writes / rate) * 1000;
        if (this.nextSendAt >= now - CATCH_UP_MS) {
          this.creditFromEvent = false;
          this.nextSendAt += (writes / rate) * 1000;
        }
      } else {
        this.creditFromEvent = false;
        // A sender woken late (a busy event loop) makes up for a little of the lost time.
        const from = Math.max(this.nextSendAt, now - CATCH_UP_MS, this.resumeAt);
        this.nextSendAt = from + (writes / rate) * 1000;
      }
    }
    this.markIdle(now);
    return { writes, sentAt: now };
  }

  /** The answer for a ticket came back (or never will: `accepted` and `throttled` 0). */
  settle(ticket: PaceTicket, answer: PaceAnswer, now: number): void {
    if (ticket.writes > 0) this.inFlight = Math.max(0, this.inFlight - 1);
    const waiters = this.answerWaiters;
    this.answerWaiters = [];
    for (const wake of waiters) wake();
    this.acceptedSinceEvent += answer.accepted;
    if (answer.throttled === 0) {
      if (ticket.writes > 0 && answer.accepted > 0) this.grewWindow();
      if (answer.nearLimit === true && this.measured === undefined && !this.probing) this.nearLimit(now);
      this.markIdle(now);
      return;
    }
    this.streak = 0;
    // Sent before the last episode was known: part of that episode, not a new one.
    if (answer.otherLimit || (this.lastEventAt !== undefined && ticket.sentAt < this.lastEventAt)) {
      this.markIdle(now);
      return;
    }
    this.events += 1;
    if (this.lastEventAt !== undefined) {
      const seconds = (now - this.lastEventAt) / 1000;
      if (seconds > 0) {
        const rate = Math.max(MIN_WRITES_PER_SECOND, this.acceptedSinceEvent / seconds);
        // Across an idle gap the bucket may have filled and refills were lost: the count is only a floor.
        this.measured =
          this.idleSinceEvent && this.measured !== undefined ? Math.max(this.measured, rate) : rate;
      }
    }
    if (this.measured === undefined) {
      // Past the limit: the probe starts again from Graph's documented rate.
      this.probing = true;
      this.probeFrom = this.probeRate;
    }
    this.lastEventAt = now;
    this.nextSendAt = now;
    this.creditFromEvent = true;
    this.acceptedSinceEvent = 0;
    this.idleSinceEvent = false;
    this.growthFrom = undefined;
    this.markIdle(now);
  }

  /** Every sender waits `ms` from `now` (Retry-After, or backoff when there is none). */
  pause(ms: number, now: number): void {
    if (ms > 0) this.resumeAt = Math.max(this.resumeAt, now + ms);
  }

  /** What the pacer has learnt so far. */
  state(now: number): PaceState {
    const rate = this.rateAt(now);
    return {
      mode: this.measured !== undefined ? "paced" : this.probing ? "probing" : "free",
      ...(rate !== undefined ? { writesPerSecond: rate } : {}),
      ...(this.measured !== undefined ? { measuredWritesPerSecond: this.measured } : {}),
      throttleEvents: this.events,
    };
  }

  private allowedInFlight(now: number): number {
    // After a 429 the pace limits the sends.
    if (this.lastEventAt !== undefined) return this.tuning.concurrency;
    // Near the limit: one batch at a time into a nearly empty bucket, one more each second.
    const near =
      this.nearLimitAt === undefined ? Infinity : 1 + Math.floor(Math.max(0, now - this.nearLimitAt) / 1000);
    return Math.min(this.tuning.concurrency, this.window, near);
  }

  /** Before any 429, one more batch in flight after every second one that went through whole. */
  private grewWindow(): void {
    this.streak += 1;
    if (this.streak >= 2) this.window = Math.min(this.tuning.concurrency, this.window + 1);
  }

  /**
   * When a batch of `writes` may go. The bucket was empty at the last 429 and
   * has refilled since at the rate, so after one the slots run from that
   * 429, not from the end of the pause: writes whose tokens came back during
   * the Retry-After go at once, each batch at the end of its slot.
   */
  private dueAt(writes: number, now: number): number {
    if (!this.crediting(now)) return this.nextSendAt;
    const rate = this.rateAt(now);
    return rate === undefined ? this.nextSendAt : this.nextSendAt + (writes / rate) * 1000;
  }

  /**
   * Whether the slots still run from the last 429: only just after its pause
   * (for as long again, at least a second), since after an idle gap the bucket
   * may hold less than the gap refilled.
   */
  private crediting(now: number): boolean {
    if (!this.creditFromEvent || this.lastEventAt === undefined) return false;
    return now <= this.resumeAt + Math.max(1_000, this.resumeAt - this.lastEventAt);
  }

  /** Before any 429, Graph says the limit is near: pace from the rate achieved so far, doubling, to find it. */
  private nearLimit(now: number): void {
    const seconds = (now - (this.firstSendAt ?? now)) / 1000;
    const achieved = seconds > 0 ? this.acceptedSinceEvent / seconds : this.probeRate;
    this.probing = true;
    this.probeFrom = Math.max(this.probeRate, achieved);
    this.growthFrom = undefined;
    this.nearLimitAt = now;
  }

  private markIdle(now: number): void {
    if (this.waiting === 0 && this.inFlight === 0) this.idleFrom = now;
  }
}

/** Time and waiting, injected so tests can run the pacer on a virtual clock. */
export interface PaceClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * The clock of a run whose `sleep` may be injected: real time, moved on by
 * whatever an injected sleep skipped, so a sleep that returns at once still
 * counts as the wait it stood for and the pacer never spins on real time.
 */
export function sleepClock(sleep: (ms: number) => Promise<void>, now = () => performance.now()): PaceClock {
  let skew = 0;
  const virtualNow = (): number => now() + skew;
  return {
    now: virtualNow,
    sleep: async (ms) => {
      const target = virtualNow() + ms;
      await sleep(ms);
      // Several senders sleep at once: the clock moves to the latest end, not the sum.
      skew = Math.max(skew, target - now());
    },
  };
}

/** Waits until the pacer lets a batch of `writes` writes go, then takes its ticket. */
export async function acquirePace(pacer: WritePacer, writes: number, clock: PaceClock): Promise<PaceTicket> {
  pacer.enter(clock.now());
  for (;;) {
    const wait = pacer.waitFor(writes, clock.now());
    if (wait === "answer") await pacer.nextAnswer();
    else if (wait.ms > 0) await clock.sleep(wait.ms);
    else return pacer.take(writes, clock.now());
  }
}

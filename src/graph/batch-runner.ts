import { isLicensectlError } from "../model/errors.js";
import { batchRequestBody, MAX_BATCH_SIZE, type BatchItem } from "./batch-packing.js";
import type { GraphConnection } from "./create-graph-client.js";
import {
  attemptEvent,
  attemptOutcome,
  headersToRecord,
  headerValue,
  innerError,
  recordOf,
  type AttemptOutcome,
} from "./batch-answer.js";
import { graphErrorInfo } from "./graph-errors.js";
import { isRetryableStatus, retryDelayMs } from "./retry-delay.js";
import type { BatchItemResult, BatchRunOptions, LostItem } from "./batch-run-types.js";
import type { GraphErrorInfo, ReadBack } from "./write-operations.js";
import { otherLimit, throttleCount, writesIn, type InnerResponse } from "./batch-throttle-count.js";
import {
  acquirePace,
  sleepClock,
  WritePacer,
  type PaceAnswer,
  type PaceClock,
  type PaceTicket,
} from "./write-pacer.js";

export type { BatchItemResult, BatchRunOptions, LostItem };

/** Guards against a server that keeps answering "Retry-After: 0". */
const MAX_ATTEMPTS = 50;

interface Pending {
  readonly item: BatchItem;
  attempts: number;
  waitedMs: number;
  answerLost?: boolean;
  answersLost: number;
  /** When its last answer was lost (`performance.now()`). */
  lostAt?: number;
}

/** An item whose answer was lost, with what came back instead. */
interface LostAnswer {
  readonly pending: Pending;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly retryAfter: string | undefined;
  readonly scope: "batch" | "request";
  readonly info: GraphErrorInfo;
}

/**
 * Sends independent requests packed into `$batch` POSTs of up to 20, several
 * in flight. Retries whole batches on 429/503/504 and network errors, and
 * single items whose inner status is 429/503/504, re-packing them into later
 * batches. A 429 means Graph did not carry the request out; a 503/504, a
 * dropped connection or an item missing from the answer means the answer was
 * lost and the write may have been carried out, so each such write is read
 * back (`readBack`, all those one answer lost together) before it is sent
 * again, and is settled as applied when the read shows it done. Retry-After is honoured (the outer one for a whole batch, the inner
 * one for an item), else jittered exponential backoff; while a wait is due all
 * senders pause, since Graph throttles the app, not one request. Each item is
 * retried until `maxRetryTimeMs` of waiting is used up. Batches go out at the
 * pace the `pacer` learnt from earlier 429s (see write-pacer.ts), so a
 * throttled run stays just under Graph's write limit instead of hammering it.
 *
 * Results are matched by id, never by position: Graph answers in any order.
 * Errors other than network ones (e.g. auth-failed) reject the whole run.
 */
export async function runBatchItems(
  connection: GraphConnection,
  items: readonly BatchItem[],
  options: BatchRunOptions,
): Promise<BatchItemResult[]> {
  const results = new Map<string, BatchItemResult>();
  const queue: Pending[] = items.map((item) => ({ item, attempts: 0, waitedMs: 0, answersLost: 0 }));
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  let failure: unknown;
  const pacer = options.pacer ?? new WritePacer({ concurrency: options.concurrency });
  const clock: PaceClock =
    options.now !== undefined ? { now: options.now, sleep: options.sleep } : sleepClock(options.sleep);

  const wake = (): void => {
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };

  /** Every sender of the client waits: Graph throttles the app, not one request. */
  const pauseFor = (ms: number): void => pacer.pause(ms, clock.now());

  const finish = (result: BatchItemResult, pending?: Pending): void => {
    const lost =
      pending !== undefined && pending.answersLost > 0
        ? {
            answersLost: pending.answersLost,
            ...(pending.lostAt !== undefined ? { lostAnswerAt: pending.lostAt } : {}),
          }
        : {};
    const settled = { ...result, ...lost };
    results.set(settled.id, settled);
    options.onResult?.(settled);
  };

  /** Re-queues an item for a later batch, or fails it when its retry budget is spent. */
  const retryLater = (
    pending: Pending,
    status: number,
    headers: Readonly<Record<string, string>>,
    body: unknown,
    retryAfter: string | undefined,
    scope: "batch" | "request",
    fallback: GraphErrorInfo,
  ): number | undefined => {
    const delay = retryDelayMs({ retryAfter, attempt: pending.attempts, random: options.random });
    if (pending.attempts >= MAX_ATTEMPTS || pending.waitedMs + delay > options.maxRetryTimeMs) {
      const info = status === 0 ? fallback : graphErrorInfo(status, body);
      finish(
        {
          id: pending.item.id,
          status,
          headers,
          body,
          attempts: pending.attempts,
          error: {
            code: info.code,
            message: `gave up after ${pending.attempts} attempts and ${Math.round(pending.waitedMs / 1000)} s of retries: ${info.message}`,
          },
          ...(pending.answerLost ? { afterLostAnswer: true } : {}),
        },
        pending,
      );
      return undefined;
    }
    pending.waitedMs += delay;
    queue.push(pending);
    if (scope === "request" && status === 429)
      options.onEvent?.({ type: "throttled", retryAfterMs: delay, scope });
    return delay;
  };

  /**
   * Items whose answer was lost: they are read back first, together; one found
   * done is finished as applied, the others wait and go again. Returns the
   * longest wait.
   */
  const answerLost = async (lost: readonly LostAnswer[]): Promise<number> => {
    if (lost.length === 0) return 0;
    const lostAt = performance.now();
    for (const { pending, status, scope } of lost) {
      pending.answerLost = true;
      pending.answersLost += 1;
      pending.lostAt = lostAt;
      options.onEvent?.({ type: "answer-lost", status, scope });
    }
    const verdicts: readonly ReadBack[] =
      options.readBack === undefined
        ? lost.map(() => "unknown")
        : await options.readBack(lost.map(({ pending }) => ({ item: pending.item, lostAt })));
    let longestWait = 0;
    for (const [index, { pending, status, headers, body, retryAfter, scope, info }] of lost.entries()) {
      if (options.readBack !== undefined)
        options.onEvent?.({ type: "read-back", id: pending.item.id, verdict: verdicts[index]! });
      if (verdicts[index] === "applied") {
        const result = { id: pending.item.id, status: 200, headers: {}, body: undefined };
        finish(
          { ...result, attempts: pending.attempts, afterLostAnswer: true, readBack: "applied" },
          pending,
        );
        continue;
      }
      const wait = retryLater(pending, status, headers, body, retryAfter, scope, info);
      longestWait = Math.max(longestWait, wait ?? 0);
    }
    return longestWait;
  };

  /** Every item of `batch` lost with the same answer. */
  const allLost = (
    batch: readonly Pending[],
    status: number,
    headers: Readonly<Record<string, string>>,
    body: unknown,
    retryAfter: string | undefined,
    info: GraphErrorInfo,
  ): LostAnswer[] =>
    batch.map((pending) => ({ pending, status, headers, body, retryAfter, scope: "batch", info }));

  const sendBatch = async (batch: Pending[], ticket: PaceTicket): Promise<void> => {
    let settled = false;
    /** Tells the pacer what the throttle did with the batch's writes (once, before any pause). */
    const settle = (answer: PaceAnswer): void => {
      if (settled) return;
      settled = true;
      pacer.settle(ticket, answer, clock.now());
    };
    try {
      await sendAndSettle(batch, settle);
    } finally {
      settle({ accepted: 0, throttled: 0 });
    }
  };

  const sendAndSettle = async (batch: Pending[], settle: (answer: PaceAnswer) => void): Promise<void> => {
    for (const pending of batch) pending.attempts += 1;
    options.onEvent?.({ type: "batch-sent", size: batch.length });
    const startedAt = new Date().toISOString();
    const started = performance.now();
    // Known once the $batch is answered; entries written before carry none.
    const outer: { requestId?: string } = {};
    /** One journal entry per item sent: what was asked, what came back, how long it took. */
    const attempt = (
      pendings: readonly Pending[],
      status: number,
      outcome: AttemptOutcome,
      requestId = outer.requestId,
    ): void => {
      if (options.onEvent === undefined) return;
      const durationMs = Math.round(performance.now() - started);
      for (const { item, attempts } of pendings)
        options.onEvent(attemptEvent(item, attempts, { status, outcome, requestId, startedAt, durationMs }));
    };
    let status: number;
    let headers: Headers | undefined;
    let body: unknown;
    try {
      const response = await connection.send({
        method: "POST",
        url: "/$batch",
        body: batchRequestBody(batch.map((pending) => pending.item)),
        sdkRetry: false,
      });
      ({ status, headers, body } = response);
    } catch (error) {
      if (!isLicensectlError(error) || error.code !== "network-error") throw error;
      const info: GraphErrorInfo = { code: "network-error", message: error.message };
      attempt(batch, 0, "answer-lost");
      settle({ accepted: 0, throttled: 0 });
      pauseFor(await answerLost(allLost(batch, 0, {}, undefined, undefined, info)));
      return;
    }
    const outerHeaders = headersToRecord(headers);
    const outerRequestId = headerValue(outerHeaders, "request-id");
    if (outerRequestId !== undefined) outer.requestId = outerRequestId;
    if (isRetryableStatus(status) && status !== 429) {
      attempt(batch, status, "answer-lost");
      settle({ accepted: 0, throttled: 0 });
      const retryAfter = headerValue(outerHeaders, "retry-after");
      const info = graphErrorInfo(status, body);
      pauseFor(await answerLost(allLost(batch, status, outerHeaders, body, retryAfter, info)));
      return;
    }
    if (status === 429) {
      attempt(batch, status, "throttled");
      settle({ accepted: 0, throttled: writesIn(batch), ...otherLimit(outerHeaders) });
      retryWholeBatch(
        batch,
        status,
        outerHeaders,
        body,
        headerValue(outerHeaders, "retry-after"),
        graphErrorInfo(status, body),
      );
      return;
    }
    const responses = (body as { responses?: unknown } | undefined)?.responses;
    if (status < 200 || status >= 300 || !Array.isArray(responses)) {
      const info = graphErrorInfo(status, body);
      attempt(batch, status, "failed");
      for (const pending of batch) {
        finish(
          {
            id: pending.item.id,
            status,
            headers: outerHeaders,
            body,
            attempts: pending.attempts,
            error: info,
          },
          pending,
        );
      }
      return;
    }
    const byId = new Map<string, InnerResponse>();
    for (const inner of responses as InnerResponse[]) {
      if (typeof inner?.id === "string") byId.set(inner.id.toLowerCase(), inner);
    }
    let longestWait = 0;
    const lost: LostAnswer[] = [];
    for (const pending of batch) {
      const inner = byId.get(pending.item.id.toLowerCase());
      if (inner === undefined || typeof inner.status !== "number") {
        // An answer that lost an item is treated like a dropped request.
        attempt([pending], 0, "answer-lost");
        const message = `the $batch answer had no response for ${pending.item.id}`;
        const info = { code: "missing-response", message };
        lost.push({
          pending,
          status: 0,
          headers: {},
          body: undefined,
          retryAfter: undefined,
          scope: "request",
          info,
        });
        continue;
      }
      const innerHeaders = recordOf(inner.headers);
      const innerRequestId = headerValue(innerHeaders, "request-id") ?? outerRequestId;
      const ok = inner.status >= 200 && inner.status < 300;
      const outcome = attemptOutcome(inner.status);
      attempt([pending], inner.status, outcome, innerRequestId);
      if (isRetryableStatus(inner.status) && inner.status !== 429) {
        lost.push({
          pending,
          status: inner.status,
          headers: innerHeaders,
          body: inner.body,
          retryAfter: headerValue(innerHeaders, "retry-after"),
          scope: "request",
          info: graphErrorInfo(inner.status, inner.body),
        });
        continue;
      }
      if (inner.status === 429) {
        const info = graphErrorInfo(inner.status, inner.body);
        const wait = retryLater(
          pending,
          inner.status,
          innerHeaders,
          inner.body,
          headerValue(innerHeaders, "retry-after"),
          "request",
          info,
        );
        longestWait = Math.max(longestWait, wait ?? 0);
        continue;
      }
      finish(
        {
          id: pending.item.id,
          status: inner.status,
          headers: innerHeaders,
          body: inner.body,
          attempts: pending.attempts,
          ...(ok ? {} : { error: innerError(pending.item, inner.status, inner.body) }),
          ...(pending.answerLost ? { afterLostAnswer: true } : {}),
        },
        pending,
      );
    }
    // In one step, before any other sender runs: what the throttle did, then the wait it asked for.
    settle(throttleCount(batch, byId));
    pauseFor(longestWait);
    // Waits for answers lost, which start now; the 429s' wait started when they came.
    pauseFor(await answerLost(lost));
  };

  const retryWholeBatch = (
    batch: Pending[],
    status: number,
    headers: Readonly<Record<string, string>>,
    body: unknown,
    retryAfter: string | undefined,
    info: GraphErrorInfo,
  ): void => {
    let longestWait = 0;
    for (const pending of batch) {
      longestWait = Math.max(
        longestWait,
        retryLater(pending, status, headers, body, retryAfter, "batch", info) ?? 0,
      );
    }
    if (longestWait > 0) options.onEvent?.({ type: "throttled", retryAfterMs: longestWait, scope: "batch" });
    pauseFor(longestWait);
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (failure !== undefined) return;
      if (queue.length === 0) {
        if (inFlight === 0) return;
        await new Promise<void>((resolve) => waiters.push(resolve));
        continue;
      }
      const batch = queue.splice(0, MAX_BATCH_SIZE);
      // Counted while it waits for its turn too, so that no other sender ends early.
      inFlight += 1;
      try {
        const ticket = await acquirePace(pacer, writesIn(batch), clock);
        if (failure !== undefined) {
          pacer.settle(ticket, { accepted: 0, throttled: 0 }, clock.now());
          return;
        }
        await sendBatch(batch, ticket);
      } catch (error) {
        failure ??= error;
      } finally {
        inFlight -= 1;
        wake();
      }
    }
  };

  const workers = Math.max(1, Math.min(options.concurrency, Math.ceil(items.length / MAX_BATCH_SIZE)));
  await Promise.all(Array.from({ length: workers }, () => worker()));
  if (failure !== undefined) throw failure;
  return items.map((item) => results.get(item.id)!);
}

export { headerValue };

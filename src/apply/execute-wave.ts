import type { Change } from "../model/plan.js";
import type { LicenseWriter, WriteEvent, WriteOperation, WriteOutcome } from "../graph/write-operations.js";
import { isLicensectlError } from "../model/errors.js";
import type { ApplyEvent } from "./apply-events.js";
import type { ApplyTraffic } from "./apply-result.js";
import { toWriteOperation } from "./to-write-operation.js";

/** Traffic counters one apply accumulates across waves. */
export type MutableTraffic = { -readonly [K in keyof ApplyTraffic]: ApplyTraffic[K] };

export interface WaveWrites {
  /** Final outcome per change id; every change given has one. */
  readonly outcomes: ReadonlyMap<string, WriteOutcome>;
  /** Changes whose change-done event was already emitted while the writer ran. */
  readonly reported: ReadonlySet<string>;
}

export function principalName(change: Change): string {
  return change.kind === "setUsageLocation" ? change.user.name : change.target.name;
}

function failedOutcome(id: string, code: string, message: string, attempts: number): WriteOutcome {
  return { id, status: 0, ok: false, attempts, error: { code, message } };
}

/**
 * Runs one wave's changes in a single `writer.execute` call. Operation ids
 * are short counters, not change ids, because they double as `$batch`
 * request ids. Progress is forwarded as it happens; a writer that throws
 * (auth refused, say) fails this wave's changes instead of losing the result
 * of the waves before.
 */
export async function executeWave(
  writer: LicenseWriter,
  changes: readonly Change[],
  waveIndex: number,
  emit: (event: ApplyEvent) => void,
  traffic: MutableTraffic,
): Promise<WaveWrites> {
  const outcomes = new Map<string, WriteOutcome>();
  const reported = new Set<string>();
  if (changes.length === 0) return { outcomes, reported };
  const byOperation = new Map<string, Change>();
  const operations: WriteOperation[] = changes.map((change, index) => {
    const operation = toWriteOperation(change, String(index + 1));
    byOperation.set(operation.id, change);
    return operation;
  });

  const onWriteEvent = (event: WriteEvent): void => {
    if (event.type === "batch-sent") {
      traffic.batches += 1;
      traffic.requests += event.size;
    } else if (event.type === "throttled") {
      traffic.throttled += 1;
      emit({ type: "throttled", retryAfterMs: event.retryAfterMs, scope: event.scope });
    } else if (event.type === "answer-lost") {
      traffic.answersLost += 1;
    } else if (event.type === "attempt") {
      const change = byOperation.get(event.id);
      const { type: _type, id: _id, ...rest } = event;
      if (change !== undefined) emit({ ...rest, type: "write-attempt", waveIndex, changeId: change.id });
    } else if (event.type === "read-back") {
      const change = byOperation.get(event.id);
      if (change !== undefined)
        emit({ type: "read-back", waveIndex, changeId: change.id, verdict: event.verdict });
    } else {
      const change = byOperation.get(event.outcome.id);
      if (change === undefined || reported.has(change.id)) return;
      reported.add(change.id);
      const message = event.outcome.error?.message;
      emit({
        type: "change-done",
        waveIndex,
        changeId: change.id,
        status: event.outcome.ok ? "applied" : event.outcome.unknown ? "unknown" : "failed",
        principal: principalName(change),
        ...(message === undefined ? {} : { message }),
      });
    }
  };

  let results: readonly WriteOutcome[];
  try {
    results = await writer.execute(operations, onWriteEvent);
  } catch (error) {
    const code = isLicensectlError(error) ? error.code : "writer-error";
    const message = error instanceof Error ? error.message : String(error);
    results = operations.map((op) => failedOutcome(op.id, code, message, 1));
  }
  const byId = new Map(results.map((outcome) => [outcome.id, outcome]));
  for (const operation of operations) {
    const change = byOperation.get(operation.id)!;
    let outcome =
      byId.get(operation.id) ??
      failedOutcome(operation.id, "no-outcome", "The writer returned no outcome for this write.", 0);
    if (!outcome.ok && outcome.error === undefined) {
      outcome = {
        ...outcome,
        error: { code: `HTTP ${outcome.status}`, message: `Graph answered ${outcome.status}.` },
      };
    }
    traffic.retries += Math.max(0, outcome.attempts - 1);
    outcomes.set(change.id, outcome);
  }
  return { outcomes, reported };
}

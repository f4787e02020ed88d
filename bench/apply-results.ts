import type { ApplyReport } from "./apply-run.js";

/** One target, checked (the shape of results.ts's TargetCheck). */
interface Check {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

/** Share of Graph's write limit an apply must reach. */
export const APPLY_RATE_FLOOR = 0.9;
/** Share of write requests that may be answered 429. */
export const APPLY_THROTTLED_CEILING = 0.1;

/** Writes answered 429 over writes sent (inner `$batch` 429s count per write). */
export const throttledShare = (a: ApplyReport): number =>
  a.writesAttempted === 0 ? 0 : a.throttled / a.writesAttempted;

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const rateName = (a: ApplyReport): string => `${a.writesPerSecond.toLocaleString("en-US")}/s`;

/** The apply targets of each run: rate, 429 share, exactness, requests. */
export function applyTargets(applies: readonly ApplyReport[]): Check[] {
  const checks: Check[] = [];
  for (const a of applies) {
    checks.push({
      target: `apply at ${rateName(a)}: write rate >= ${pct(APPLY_RATE_FLOOR)} of the limit`,
      measured: `${a.achievedWritesPerSecond}/s (${pct(a.achievedWritesPerSecond / a.writesPerSecond)})`,
      pass: a.achievedWritesPerSecond >= APPLY_RATE_FLOOR * a.writesPerSecond,
    });
    checks.push({
      target: `apply at ${rateName(a)}: <= ${pct(APPLY_THROTTLED_CEILING)} of write requests answered 429`,
      measured: `${a.throttled} of ${a.writesAttempted} (${pct(throttledShare(a))})`,
      pass: throttledShare(a) <= APPLY_THROTTLED_CEILING,
    });
    const exact =
      a.writesApplied === a.changes &&
      a.applied === a.changes &&
      a.failed === 0 &&
      a.skipped === 0 &&
      a.holdersAfter === a.changes &&
      a.consumedAfter === a.changes &&
      a.replanChanges === 0;
    checks.push({
      target: `apply at ${rateName(a)} of ${a.changes.toLocaleString("en-US")} changes: none lost, none applied twice`,
      measured: `${a.writesApplied} writes applied, ${a.holdersAfter} holders, re-plan ${a.replanChanges} changes`,
      pass: exact,
    });
    const batches = Math.ceil(a.changes / 20);
    checks.push({
      target: `apply at ${rateName(a)}: requests <= ceil(${a.changes}/20) + retries`,
      measured: `${a.httpRequests} <= ${batches} + ${a.retries}`,
      pass: a.httpRequests <= batches + a.retries,
    });
  }
  return checks;
}

const wall = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

/** The apply section of RESULTS.md. */
export function renderApplies(applies: readonly ApplyReport[]): string[] {
  if (applies.length === 0) return [];
  const lines = [
    "",
    "Apply of license additions under Graph's write limit per app and tenant: a token bucket holding 150 s of writes " +
      "(Graph's 3,000 per 150 s at 20/s), 429 + Retry-After when empty, each write inside a `$batch` throttled on its own. " +
      "The bucket starts empty, as it is after the first 3,000 writes of a large apply, so the run measures the steady state " +
      "rather than the burst a full bucket lets through. licensectl learns the limit from the 429s and paces itself to it; " +
      "the 429 share counts each refused write inside a `$batch`:",
    "",
    "| Limit | Changes | Wall | Achieved rate | Share of limit | Applied / failed / skipped | HTTP requests | Writes sent / applied | 429s | 429 share | Re-plan after apply |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const a of applies) {
    lines.push(
      `| ${rateName(a)} | ${a.changes.toLocaleString("en-US")} | ${wall(a.wallMs)} | ${a.achievedWritesPerSecond}/s | ${pct(a.achievedWritesPerSecond / a.writesPerSecond)} | ${a.applied} / ${a.failed} / ${a.skipped} | ${a.httpRequests} | ${a.writesAttempted} / ${a.writesApplied} | ${a.throttled} | ${pct(throttledShare(a))} | ${a.replanChanges} changes |`,
    );
  }
  return lines;
}

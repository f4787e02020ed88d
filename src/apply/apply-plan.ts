import type { AssignLicensesChange, Change, Plan, Wave } from "../model/plan.js";
import type { LicenseWriter } from "../graph/write-operations.js";
import type { ApplyEvent } from "./apply-events.js";
import type { ApplyResult, ChangeOutcome, ChangeStatus } from "./apply-result.js";
import { groupCopyRequirements, planGroups, skipReasonFor, type GroupNotReady } from "./dependencies.js";
import { executeWave, type MutableTraffic } from "./execute-wave.js";
import { checkGroupCopies } from "./group-copies.js";
import { readGroupErrors } from "./group-errors.js";
import { checkApplyGuards } from "./guards.js";
import { DEFAULT_GROUP_WAIT, waitForGroupProcessing, type GroupWaitOptions } from "./group-wait.js";
import { LicensectlError } from "../model/errors.js";
import {
  DEFAULT_CONSISTENCY_WINDOW_MS,
  isConsistencyWindow,
  realClock,
  waitUntil,
  type Clock,
} from "../util/consistency-window.js";

/** How `applyPlan` runs; everything is optional. */
export interface ApplyOptions {
  /** The `--max-removals` flag; overrides the plan's own limit. */
  readonly maxRemovals?: number;
  /** Typed progress: waves, writes, throttling, group processing. */
  readonly onEvent?: (event: ApplyEvent) => void;
  /** Bounds the wait for group license processing (default 10 minutes, polling every 5 s). */
  readonly groupWait?: GroupWaitOptions;
  /** Clock for `durationMs` and the consistency window; replaced in tests. */
  readonly now?: () => number;
  /**
   * How long a read may lag behind a write (default
   * `DEFAULT_CONSISTENCY_WINDOW_MS`, 5 s): group processing is only believed
   * complete from a poll sent this long after the group was written, and a
   * group's copies are only believed Active from reads sent this long after
   * the processing was seen complete. Waited with `groupWait.sleep`.
   */
  readonly consistencyWindowMs?: number;
}

/** The outcome of a change without its status: who, what, and where in the plan. */
function describe(change: Change, waveIndex: number, wave: Wave): Omit<ChangeOutcome, "status"> {
  const ref = change.kind === "setUsageLocation" ? change.user : change.target;
  const base = {
    changeId: change.id,
    kind: change.kind,
    waveIndex,
    waveKind: wave.kind,
    principal: { kind: ref.kind, id: ref.id, name: ref.name },
  };
  if (change.kind === "setUsageLocation")
    return { ...base, usageLocation: { from: change.from, to: change.to } };
  const sku = (s: { skuId: string; skuPartNumber: string }) => ({
    skuId: s.skuId,
    skuPartNumber: s.skuPartNumber,
  });
  return {
    ...base,
    skus: { add: change.add.map(sku), update: change.update.map(sku), remove: change.remove.map(sku) },
  };
}

/** The pause between two reads of the users' states: the group wait's first poll. */
function pauseBetweenReads(wait: GroupWaitOptions): Promise<void> {
  const ms = Math.min(Math.max(1, wait.pollMs), wait.firstPollMs ?? 250);
  return wait.sleep ? wait.sleep(ms) : new Promise((resolve) => setTimeout(resolve, ms));
}

function formatWait(ms: number): string {
  return ms < 1_000 ? `${ms}ms` : `${Math.round(ms / 1_000)}s`;
}

function countBy(outcomes: readonly ChangeOutcome[], status: ChangeStatus): number {
  return outcomes.reduce((n, outcome) => n + (outcome.status === status ? 1 : 0), 0);
}

/**
 * Carries out a reviewed plan, exactly: wave by wave, each wave in one
 * `writer.execute` call (the writer batches and retries). Nothing outside the
 * plan is written. A failed change never stops the changes that do not depend
 * on it; those that do are skipped with a reason. Throws a LicensectlError,
 * before any write, when a guard refuses the plan.
 */
export async function applyPlan(
  plan: Plan,
  writer: LicenseWriter,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  checkApplyGuards(plan, options);
  const windowMs = options.consistencyWindowMs ?? DEFAULT_CONSISTENCY_WINDOW_MS;
  if (!isConsistencyWindow(windowMs))
    throw new LicensectlError(
      "bad-option",
      `the consistency window must be a whole number of ms, not ${windowMs}`,
      {
        source: "internal",
      },
    );
  const now = options.now ?? realClock.now;
  const started = now();
  const emit = options.onEvent ?? (() => undefined);
  const groupWait = options.groupWait ?? DEFAULT_GROUP_WAIT;
  const clock: Clock = { now, sleep: groupWait.sleep ?? realClock.sleep };
  const groups = planGroups(plan);
  const groupName = (id: string): string => groups.names.get(id) ?? id;

  const outcomes: ChangeOutcome[] = [];
  const warnings: string[] = [];
  const traffic: MutableTraffic = { batches: 0, requests: 0, retries: 0, throttled: 0, answersLost: 0 };
  const usageLocationNotSet = new Map<string, string>();
  const groupsNotReady = new Map<string, GroupNotReady>();
  /** Groups changed by this apply whose processing has not been seen complete since. */
  const processing = new Set<string>();
  /** Groups whose change applied, in plan order; their members' errors are read at the end. */
  const changedGroups = new Set<string>();
  /**
   * Entra is eventually consistent (see `DEFAULT_CONSISTENCY_WINDOW_MS`): when
   * each changed group was written, when this apply last wrote anything, and
   * when group processing was last seen complete. A read that decides a
   * handover must show the tenant after all of them.
   */
  const groupWrittenAt = new Map<string, number>();
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  let processedAt = Number.NEGATIVE_INFINITY;

  const waitFor = async (groupIds: readonly string[], when: string): Promise<void> => {
    // A poll sent sooner could show the group as it was before the write: "ProcessingComplete".
    const written = Math.max(...groupIds.map((id) => groupWrittenAt.get(id) ?? Number.NEGATIVE_INFINITY));
    await waitUntil(written + windowMs, clock);
    const result = await waitForGroupProcessing(writer, groupIds, groupWait, emit);
    processedAt = now();
    for (const id of result.complete) processing.delete(id);
    if (result.incomplete.length === 0) return;
    for (const id of result.incomplete) {
      // Waited for once already; the end of the apply does not wait for it again.
      processing.delete(id);
      if (!groupsNotReady.has(id)) groupsNotReady.set(id, "group-processing-incomplete");
    }
    const names = `${result.incomplete.length === 1 ? "group" : "groups"} ${result.incomplete.map(groupName).join(", ")}`;
    warnings.push(
      result.error === undefined
        ? `License processing of ${names} did not complete within ${formatWait(groupWait.timeoutMs)} ${when}.`
        : `Could not read the license processing state of ${names} ${when}: ${result.error}`,
    );
  };

  const record = (outcome: ChangeOutcome, change: Change, reported: boolean): void => {
    outcomes.push(outcome);
    const isGroupLicense = change.kind === "assignLicenses" && change.target.kind === "group";
    if (outcome.status !== "applied") {
      if (change.kind === "setUsageLocation") usageLocationNotSet.set(change.user.id, change.id);
      if (isGroupLicense) groupsNotReady.set(change.target.id, "group-change-failed");
    } else if (isGroupLicense) {
      processing.add(change.target.id);
      changedGroups.add(change.target.id);
      groupWrittenAt.set(change.target.id, lastWriteAt);
    }
    if (reported) return;
    const message = outcome.error?.message ?? outcome.reason?.message;
    emit({
      type: "change-done",
      waveIndex: outcome.waveIndex,
      changeId: outcome.changeId,
      status: outcome.status,
      principal: outcome.principal.name,
      ...(message === undefined ? {} : { message }),
    });
  };

  const waveCount = plan.waves.length;
  emit({
    type: "apply-started",
    waveCount,
    changes: plan.waves.reduce((n, wave) => n + wave.changes.length, 0),
  });

  for (const [waveIndex, wave] of plan.waves.entries()) {
    emit({ type: "wave-started", waveIndex, waveCount, kind: wave.kind, changes: wave.changes.length });
    const waitGroups = (wave.waitForGroups ?? []).filter((id) => !groupsNotReady.has(id));
    if (waitGroups.length > 0) {
      const consequence =
        wave.kind === "group-handover"
          ? "; the direct licenses they would take over were left in place"
          : "; seats they free may not be available yet";
      await waitFor(waitGroups, `before the ${wave.kind} wave${consequence}`);
    }

    const state = { usageLocationNotSet, groupsNotReady };
    const skipReasons = new Map(
      wave.changes.map((change) => [change.id, skipReasonFor(change, wave, state, groups)]),
    );
    // Removals that rely on a group's copy run only once that copy is read Active for the user.
    const copies = await checkGroupCopies(
      wave.changes
        .filter(
          (change): change is AssignLicensesChange =>
            change.kind === "assignLicenses" && skipReasons.get(change.id) === undefined,
        )
        .map((change) => {
          const requiresActiveFrom = groupCopyRequirements(change, wave, groups);
          return requiresActiveFrom ? { ...change, requiresActiveFrom } : change;
        }),
      {
        writer,
        pause: () => pauseBetweenReads(groupWait),
        groupName,
        readyAt: Math.max(processedAt, lastWriteAt) + windowMs,
        clock,
      },
    );
    for (const [id, reason] of copies) skipReasons.set(id, reason);
    const runnable = wave.changes.filter((change) => skipReasons.get(change.id) === undefined);
    const writes = await executeWave(writer, runnable, waveIndex, emit, traffic);
    // Every write of the wave was answered (or given up on) by now.
    if (runnable.length > 0) lastWriteAt = now();

    // Recorded in plan order, so the result reads like the plan.
    const first = outcomes.length;
    for (const change of wave.changes) {
      const described = describe(change, waveIndex, wave);
      const reason = skipReasons.get(change.id);
      const outcome = writes.outcomes.get(change.id);
      if (reason !== undefined || outcome === undefined) {
        record({ ...described, status: "skipped", ...(reason ? { reason } : {}) }, change, false);
        continue;
      }
      const status: ChangeStatus = outcome.ok ? "applied" : outcome.unknown ? "unknown" : "failed";
      const error = outcome.ok ? {} : outcome.error ? { error: outcome.error } : {};
      const lost = outcome.answersLost ? { answersLost: outcome.answersLost } : {};
      record(
        { ...described, status, httpStatus: outcome.status, attempts: outcome.attempts, ...error, ...lost },
        change,
        writes.reported.has(change.id),
      );
    }
    const inWave = outcomes.slice(first);
    emit({
      type: "wave-finished",
      waveIndex,
      waveCount,
      kind: wave.kind,
      applied: countBy(inWave, "applied"),
      failed: countBy(inWave, "failed"),
      skipped: countBy(inWave, "skipped"),
    });
  }

  if (processing.size > 0) {
    await waitFor([...processing], "after the last wave; their members' license errors may not be known yet");
  }
  // Members' errors read sooner could be from before the processing.
  if (changedGroups.size > 0) await waitUntil(Math.max(processedAt, lastWriteAt) + windowMs, clock);
  const groupErrors = await readGroupErrors(plan, writer, [...changedGroups], groupName, warnings);

  const applied = outcomes.filter((o) => o.status === "applied");
  const failed = outcomes.filter((o) => o.status === "failed");
  const unknown = outcomes.filter((o) => o.status === "unknown");
  const skipped = outcomes.filter((o) => o.status === "skipped");
  const durationMs = Math.max(0, Math.round(now() - started));
  emit({
    type: "apply-finished",
    applied: applied.length,
    failed: failed.length,
    skipped: skipped.length,
    durationMs,
  });
  return { applied, failed, unknown, skipped, groupErrors, warnings, ...traffic, durationMs };
}

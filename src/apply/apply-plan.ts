import type { Change, Plan, Wave } from "../model/plan.js";
import type { LicenseWriter, WriteEvent, WriteOperation, WriteOutcome } from "../graph/write-operations.js";
import { isLicensectlError } from "../model/errors.js";
import type { ApplyEvent } from "./apply-events.js";
import type { ApplyResult, ChangeOutcome, GroupMemberLicenseError, SkipReason } from "./apply-result.js";
import { planGroups, skipReasonFor, type GroupNotReady } from "./dependencies.js";
import { checkApplyGuards } from "./guards.js";
import { DEFAULT_GROUP_WAIT, waitForGroupProcessing, type GroupWaitOptions } from "./group-wait.js";
import { toWriteOperation } from "./to-write-operation.js";

/** How `applyPlan` runs; everything is optional. */
export interface ApplyOptions {
  /** The `--max-removals` flag; overrides the plan's limit. */
  readonly maxRemovals?: number;
  readonly onEvent?: (event: ApplyEvent) => void;
  /** Bounds the wait for group license processing (default 10 minutes, polling every 5 s). */
  readonly groupWait?: GroupWaitOptions;
  /** Clock for `durationMs`; replaced in tests. */
  readonly now?: () => number;
}

function principalOf(change: Change): ChangeOutcome["principal"] {
  const ref = change.kind === "setUsageLocation" ? change.user : change.target;
  return { kind: ref.kind, id: ref.id, name: ref.name };
}

function describe(change: Change, waveIndex: number, wave: Wave): Omit<ChangeOutcome, "status"> {
  const base = {
    changeId: change.id,
    kind: change.kind,
    waveIndex,
    waveKind: wave.kind,
    principal: principalOf(change),
  };
  if (change.kind === "setUsageLocation")
    return { ...base, usageLocation: { from: change.from, to: change.to } };
  const ref = (sku: { skuId: string; skuPartNumber: string }) => ({
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
  });
  return {
    ...base,
    skus: { add: change.add.map(ref), update: change.update.map(ref), remove: change.remove.map(ref) },
  };
}

function writerFailure(operations: readonly WriteOperation[], error: unknown): WriteOutcome[] {
  const code = isLicensectlError(error) ? error.code : "WriterError";
  const message = error instanceof Error ? error.message : String(error);
  return operations.map((op) => ({ id: op.id, status: 0, ok: false, attempts: 1, error: { code, message } }));
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
  const now = options.now ?? (() => performance.now());
  const started = now();
  const emit = options.onEvent ?? (() => undefined);
  const groupWait = options.groupWait ?? DEFAULT_GROUP_WAIT;
  const groups = planGroups(plan);
  const groupName = (id: string): string => groups.names.get(id) ?? id;

  const outcomes: ChangeOutcome[] = [];
  const warnings: string[] = [];
  const usageLocationNotSet = new Map<string, string>();
  const groupsNotReady = new Map<string, GroupNotReady>();
  /** Groups changed by this apply whose processing has not been seen complete since. */
  const processing = new Set<string>();
  const changedGroups: string[] = [];
  let batches = 0;
  let requests = 0;
  let retries = 0;
  let throttled = 0;

  const waitFor = async (groupIds: readonly string[], when: string): Promise<void> => {
    const result = await waitForGroupProcessing(writer, groupIds, groupWait, emit);
    for (const id of result.complete) processing.delete(id);
    if (result.incomplete.length === 0) return;
    for (const id of result.incomplete) {
      processing.delete(id);
      if (!groupsNotReady.has(id)) groupsNotReady.set(id, "group-processing-incomplete");
    }
    const names = result.incomplete.map(groupName).join(", ");
    warnings.push(
      result.error === undefined
        ? `License processing of ${result.incomplete.length === 1 ? "group" : "groups"} ${names} did not complete within ${Math.round(groupWait.timeoutMs / 1000)}s ${when}.`
        : `Could not read the license processing state of ${names} ${when}: ${result.error}`,
    );
  };

  const record = (outcome: ChangeOutcome, change: Change, emitted: boolean): void => {
    outcomes.push(outcome);
    if (outcome.status !== "applied") {
      if (change.kind === "setUsageLocation") usageLocationNotSet.set(change.user.id, change.id);
      if (change.kind === "assignLicenses" && change.target.kind === "group") {
        groupsNotReady.set(change.target.id, "group-change-failed");
      }
    } else if (change.kind === "assignLicenses" && change.target.kind === "group") {
      processing.add(change.target.id);
      if (!changedGroups.includes(change.target.id)) changedGroups.push(change.target.id);
    }
    if (!emitted) {
      const message = outcome.error?.message ?? outcome.reason?.message;
      emit({
        type: "change-done",
        waveIndex: outcome.waveIndex,
        changeId: outcome.changeId,
        status: outcome.status,
        principal: outcome.principal.name,
        ...(message === undefined ? {} : { message }),
      });
    }
  };

  const totalChanges = plan.waves.reduce((sum, wave) => sum + wave.changes.length, 0);
  emit({ type: "apply-started", waveCount: plan.waves.length, changes: totalChanges });

  for (const [waveIndex, wave] of plan.waves.entries()) {
    emit({
      type: "wave-started",
      waveIndex,
      waveCount: plan.waves.length,
      kind: wave.kind,
      changes: wave.changes.length,
    });
    const waitGroups = (wave.waitForGroups ?? []).filter((id) => !groupsNotReady.has(id));
    if (waitGroups.length > 0) {
      const consequence =
        wave.kind === "group-handover"
          ? "; the direct licenses they would take over were left in place"
          : "; seats they free may not be available yet";
      await waitFor(waitGroups, `before the ${wave.kind} wave${consequence}`);
    }

    const state = { usageLocationNotSet, groupsNotReady };
    const toRun: { change: Change; operation: WriteOperation }[] = [];
    const skipped: { change: Change; reason: SkipReason }[] = [];
    for (const change of wave.changes) {
      const reason = skipReasonFor(change, wave, state, groups);
      if (reason) skipped.push({ change, reason });
      else toRun.push({ change, operation: toWriteOperation(change, String(toRun.length + 1)) });
    }

    const byOperation = new Map(toRun.map((entry) => [entry.operation.id, entry.change]));
    const emitted = new Set<string>();
    const onWriteEvent = (event: WriteEvent): void => {
      if (event.type === "batch-sent") {
        batches += 1;
        requests += event.size;
      } else if (event.type === "throttled") {
        throttled += 1;
        emit({ type: "throttled", retryAfterMs: event.retryAfterMs, scope: event.scope });
      } else {
        const change = byOperation.get(event.outcome.id);
        if (change === undefined || emitted.has(change.id)) return;
        emitted.add(change.id);
        const message = event.outcome.error?.message;
        emit({
          type: "change-done",
          waveIndex,
          changeId: change.id,
          status: event.outcome.ok ? "applied" : "failed",
          principal: principalOf(change).name,
          ...(message === undefined ? {} : { message }),
        });
      }
    };

    let results: WriteOutcome[] = [];
    if (toRun.length > 0) {
      const operations = toRun.map((entry) => entry.operation);
      try {
        results = await writer.execute(operations, onWriteEvent);
      } catch (error) {
        results = writerFailure(operations, error);
      }
    }
    const resultById = new Map(results.map((outcome) => [outcome.id, outcome]));

    // Record in plan order, so results read like the plan.
    const skipReasons = new Map(skipped.map((entry) => [entry.change.id, entry.reason]));
    for (const change of wave.changes) {
      const described = describe(change, waveIndex, wave);
      const reason = skipReasons.get(change.id);
      if (reason) {
        record({ ...described, status: "skipped", reason }, change, false);
        continue;
      }
      const operationId = toRun.find((entry) => entry.change === change)?.operation.id ?? "";
      const outcome = resultById.get(operationId) ?? {
        id: operationId,
        status: 0,
        ok: false,
        attempts: 0,
        error: { code: "NoOutcome", message: "The writer returned no outcome for this change." },
      };
      retries += Math.max(0, outcome.attempts - 1);
      record(
        {
          ...described,
          status: outcome.ok ? "applied" : "failed",
          httpStatus: outcome.status,
          attempts: outcome.attempts,
          ...(outcome.ok || outcome.error === undefined ? {} : { error: outcome.error }),
          ...(!outcome.ok && outcome.error === undefined
            ? { error: { code: `HTTP${outcome.status}`, message: `Graph answered ${outcome.status}.` } }
            : {}),
        },
        change,
        emitted.has(change.id),
      );
    }
    const inWave = outcomes.filter((outcome) => outcome.waveIndex === waveIndex);
    emit({
      type: "wave-finished",
      waveIndex,
      waveCount: plan.waves.length,
      kind: wave.kind,
      applied: inWave.filter((o) => o.status === "applied").length,
      failed: inWave.filter((o) => o.status === "failed").length,
      skipped: inWave.filter((o) => o.status === "skipped").length,
    });
  }

  if (processing.size > 0)
    await waitFor([...processing], "after the last wave; their members' license errors may not be known yet");
  const groupErrors = await readGroupErrors(plan, writer, changedGroups, groupName, warnings);

  const applied = outcomes.filter((o) => o.status === "applied");
  const failed = outcomes.filter((o) => o.status === "failed");
  const skippedAll = outcomes.filter((o) => o.status === "skipped");
  const durationMs = Math.max(0, Math.round(now() - started));
  emit({
    type: "apply-finished",
    applied: applied.length,
    failed: failed.length,
    skipped: skippedAll.length,
    durationMs,
  });
  return {
    applied,
    failed,
    skipped: skippedAll,
    groupErrors,
    warnings,
    batches,
    requests,
    retries,
    throttled,
    durationMs,
  };
}

/** Members of the changed groups whose group-based license failed (CountViolation, ...). */
async function readGroupErrors(
  plan: Plan,
  writer: LicenseWriter,
  groupIds: readonly string[],
  groupName: (id: string) => string,
  warnings: string[],
): Promise<GroupMemberLicenseError[]> {
  const partNumbers = new Map<string, string>(plan.seats.map((seat) => [seat.skuId, seat.skuPartNumber]));
  for (const wave of plan.waves) {
    for (const change of wave.changes) {
      if (change.kind !== "assignLicenses") continue;
      for (const sku of [...change.add, ...change.update, ...change.remove])
        partNumbers.set(sku.skuId, sku.skuPartNumber);
    }
  }
  const errors: GroupMemberLicenseError[] = [];
  for (const groupId of groupIds) {
    try {
      for (const member of await writer.membersWithLicenseErrors(groupId)) {
        const skuPartNumber = partNumbers.get(member.skuId);
        errors.push({
          ...member,
          groupId,
          groupName: groupName(groupId),
          ...(skuPartNumber === undefined ? {} : { skuPartNumber }),
        });
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      warnings.push(
        `Could not read the members with license errors of group ${groupName(groupId)}: ${message}`,
      );
    }
  }
  return errors;
}

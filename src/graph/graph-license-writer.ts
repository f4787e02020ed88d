import { normalizeGuid } from "../util/guid.js";
import { LicensectlError } from "../model/errors.js";
import { findDuplicateIds, toBatchItem, type BatchItem } from "./batch-packing.js";
import { runBatchItems, type BatchItemResult } from "./batch-runner.js";
import type { GraphConnection } from "./create-graph-client.js";
import { graphFailure } from "./graph-errors.js";
import { collectPages } from "./paging.js";
import {
  DEFAULT_CONSISTENCY_WINDOW_MS,
  isConsistencyWindow,
  realClock,
  type Clock,
} from "../util/consistency-window.js";
import { readBackWrites, type ReadBackOptions } from "./verify-lost-write.js";
import { WritePacer } from "./write-pacer.js";
import type {
  GroupLicenseStatus,
  LicenseWriter,
  MemberLicenseError,
  UserLicenseStates,
  WriteOutcome,
} from "./write-operations.js";

/** Tuning for the Graph writer; the defaults suit a real tenant. */
export interface LicenseWriterOptions {
  /** `$batch` requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** Total time one operation may spend waiting in retries (default 10 minutes). */
  readonly maxRetryTimeMs?: number;
  /** Waits between retries and between paced batches; tests inject a fast or virtual one. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The clock `sleep` waits on, in ms (default performance.now). */
  readonly now?: () => number;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
  /**
   * How long a read may lag behind a write (default
   * `DEFAULT_CONSISTENCY_WINDOW_MS`): a write whose answer was lost and that
   * reads back as not carried out is read again once this has passed since
   * the loss, before it is sent again.
   */
  readonly consistencyWindowMs?: number;
  /** The clock that window is waited on: real time, not `sleep`, since it waits for the tenant rather than for a retry. */
  readonly clock?: Clock;
}

/** `$batch` requests in flight at once unless told otherwise (`--concurrency`). */
export const DEFAULT_WRITER_CONCURRENCY = 4;
/** How long a write is retried through throttling and lost answers before it counts as failed. */
export const DEFAULT_MAX_RETRY_TIME_MS = 10 * 60_000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The LicenseWriter that talks to Graph: writes packed into `$batch` requests
 * of 20 (so ceil(n/20) requests plus retries), group status read-backs
 * batched the same way; all of them paced by one pacer, which learns the
 * write rate Graph allows from its 429s.
 */
export function createLicenseWriter(
  connection: GraphConnection,
  options: LicenseWriterOptions = {},
): LicenseWriter {
  const run = {
    concurrency: options.concurrency ?? DEFAULT_WRITER_CONCURRENCY,
    maxRetryTimeMs: options.maxRetryTimeMs ?? DEFAULT_MAX_RETRY_TIME_MS,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    ...(options.now !== undefined ? { now: options.now } : {}),
    // One pacer for the writer: what one wave learnt of Graph's write limit, the next keeps.
    pacer: new WritePacer({ concurrency: Math.max(1, options.concurrency ?? DEFAULT_WRITER_CONCURRENCY) }),
  };
  if (!Number.isInteger(run.concurrency) || run.concurrency < 1) {
    throw new LicensectlError(
      "bad-option",
      `writer concurrency must be a positive integer, not ${run.concurrency}`,
      {
        source: "internal",
      },
    );
  }

  const windowMs = options.consistencyWindowMs ?? DEFAULT_CONSISTENCY_WINDOW_MS;
  if (!isConsistencyWindow(windowMs)) {
    throw new LicensectlError(
      "bad-option",
      `the consistency window must be a whole number of ms, not ${windowMs}`,
      {
        source: "internal",
      },
    );
  }
  const readBackOptions: ReadBackOptions = { windowMs, clock: options.clock ?? realClock, run };

  return {
    async execute(operations, onEvent) {
      const duplicates = findDuplicateIds(operations.map((operation) => operation.id));
      if (duplicates.length > 0) {
        throw new LicensectlError(
          "internal-error",
          `write operation ids must be unique (ignoring case): ${duplicates.join(", ")}`,
          {
            source: "internal",
          },
        );
      }
      // A failure after a lost answer is checked against the tenant before it is reported.
      const toVerify = (result: BatchItemResult) =>
        result.error !== undefined && result.afterLostAnswer === true;
      const byId = new Map(operations.map((operation) => [operation.id.toLowerCase(), operation]));
      const results = await runBatchItems(connection, operations.map(toBatchItem), {
        ...run,
        readBack: (lost) =>
          readBackWrites(
            connection,
            lost.map(({ item, lostAt }) => ({ operation: byId.get(item.id.toLowerCase())!, lostAt })),
            readBackOptions,
          ),
        ...(onEvent !== undefined
          ? {
              onEvent,
              onResult: (result: BatchItemResult) => {
                if (!toVerify(result)) onEvent({ type: "operation-done", outcome: toOutcome(result) });
              },
            }
          : {}),
      });
      // Failures after a lost answer are read back together before they are reported.
      const doubtful = [...results.entries()].filter(([, result]) => toVerify(result));
      const verdicts = await readBackWrites(
        connection,
        doubtful.map(([index, result]) => ({
          operation: operations[index]!,
          lostAt: result.lostAnswerAt ?? readBackOptions.clock.now(),
        })),
        readBackOptions,
      );
      const verdictOf = new Map(doubtful.map(([index], i) => [index, verdicts[i]!]));
      const outcomes: WriteOutcome[] = [];
      for (const [index, result] of results.entries()) {
        let outcome = toOutcome(result);
        const readBack = verdictOf.get(index);
        if (readBack !== undefined) {
          onEvent?.({ type: "read-back", id: result.id, verdict: readBack });
          outcome =
            readBack === "applied"
              ? { id: result.id, status: 200, ok: true, attempts: result.attempts, readBack }
              : { ...outcome, readBack, ...(readBack === "unknown" ? { unknown: true } : {}) };
          if (result.answersLost !== undefined) outcome = { ...outcome, answersLost: result.answersLost };
          onEvent?.({ type: "operation-done", outcome });
        }
        outcomes.push(outcome);
      }
      return outcomes;
    },

    async groupLicenseStatus(groupIds) {
      const unique = [...new Set(groupIds.map(normalizeGuid))];
      const items: BatchItem[] = unique.map((id) => ({
        id,
        method: "GET",
        url: `/groups/${encodeURIComponent(id)}?$select=id,licenseProcessingState`,
      }));
      const results = await runBatchItems(connection, items, run);
      const byId = new Map<string, GroupLicenseStatus>();
      for (const result of results) {
        if (result.error !== undefined)
          throw graphFailure("GET", `/groups/${result.id}`, result.status, { error: result.error });
        const state = (result.body as { licenseProcessingState?: { state?: unknown } | null } | undefined)
          ?.licenseProcessingState?.state;
        byId.set(result.id, { groupId: result.id, state: typeof state === "string" ? state : null });
      }
      return groupIds.map((id) => byId.get(normalizeGuid(id))!);
    },

    async userLicenseStates(userIds) {
      const unique = [...new Set(userIds.map(normalizeGuid))];
      const items: BatchItem[] = unique.map((id) => ({
        id,
        method: "GET",
        url: `/users/${encodeURIComponent(id)}?$select=id,licenseAssignmentStates`,
      }));
      const results = await runBatchItems(connection, items, run);
      const byId = new Map<string, UserLicenseStates>();
      for (const result of results) {
        if (result.error !== undefined)
          throw graphFailure("GET", `/users/${result.id}`, result.status, { error: result.error });
        const raw = (result.body as { licenseAssignmentStates?: RawState[] } | undefined)
          ?.licenseAssignmentStates;
        byId.set(result.id, {
          userId: result.id,
          states: (raw ?? []).map((state) => ({
            skuId: normalizeGuid(state.skuId),
            assignedByGroup:
              typeof state.assignedByGroup === "string" && state.assignedByGroup !== ""
                ? normalizeGuid(state.assignedByGroup)
                : null,
            // A state without `state` is not known to be in effect.
            state: typeof state.state === "string" ? state.state : "Unknown",
            error:
              state.error === undefined || state.error === null || state.error === "None"
                ? null
                : state.error,
          })),
        });
      }
      return userIds.map((id) => byId.get(normalizeGuid(id))!);
    },

    async membersWithLicenseErrors(groupId) {
      const group = normalizeGuid(groupId);
      const out: MemberLicenseError[] = [];
      await collectPages(
        connection,
        `/groups/${encodeURIComponent(group)}/membersWithLicenseErrors?$select=id,userPrincipalName,licenseAssignmentStates`,
        (member: RawErrorMember) => {
          for (const state of member.licenseAssignmentStates ?? []) {
            const error = state.error ?? null;
            if (error === null || error === "None") continue;
            if (typeof state.assignedByGroup !== "string" || normalizeGuid(state.assignedByGroup) !== group)
              continue;
            out.push({
              userId: normalizeGuid(member.id),
              userPrincipalName: member.userPrincipalName ?? "",
              skuId: normalizeGuid(state.skuId),
              error,
            });
          }
        },
        { sleep: run.sleep, random: run.random },
      );
      return out;
    },
  };
}

interface RawState {
  readonly skuId: string;
  readonly assignedByGroup?: string | null;
  readonly state?: string | null;
  readonly error?: string | null;
}

interface RawErrorMember {
  readonly id: string;
  readonly userPrincipalName?: string | null;
  readonly licenseAssignmentStates?: readonly {
    readonly skuId: string;
    readonly assignedByGroup?: string | null;
    readonly error?: string | null;
  }[];
}

function toOutcome(result: BatchItemResult): WriteOutcome {
  return {
    id: result.id,
    status: result.status,
    ok: result.error === undefined && result.status >= 200 && result.status < 300,
    ...(result.error !== undefined ? { error: result.error } : {}),
    attempts: result.attempts,
    ...(result.answersLost !== undefined ? { answersLost: result.answersLost } : {}),
    ...(result.readBack !== undefined ? { readBack: result.readBack } : {}),
  };
}

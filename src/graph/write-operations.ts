/**
 * The writes licensectl makes, as data. The applier turns plan changes into
 * these; the Graph writer packs them into `$batch` requests and retries them.
 */

export interface AssignLicenseBody {
  readonly addLicenses: readonly { readonly skuId: string; readonly disabledPlans: readonly string[] }[];
  readonly removeLicenses: readonly string[];
}

/** One write to Graph: a license assignment on a user or group, or a user's usage location. */
export type WriteOperation =
  | {
      /** Unique within one `execute` call; also the `$batch` request id. */
      readonly id: string;
      readonly kind: "assignLicense";
      readonly target: { readonly kind: "user" | "group"; readonly id: string };
      readonly body: AssignLicenseBody;
    }
  | {
      readonly id: string;
      readonly kind: "setUsageLocation";
      readonly userId: string;
      readonly usageLocation: string;
    };

/** Graph's error code and message for a failed write. */
export interface GraphErrorInfo {
  readonly code: string;
  readonly message: string;
}

/** What reading a write's target back showed: done, not done, or the read failed. */
export type ReadBack = "applied" | "not-applied" | "unknown";

/** What became of one write operation. */
export interface WriteOutcome {
  readonly id: string;
  /** Final HTTP status (200/202/204 on success); 0 when the request never got an answer. */
  readonly status: number;
  readonly ok: boolean;
  readonly error?: GraphErrorInfo;
  /** How many times it was sent (1 = no retry). */
  readonly attempts: number;
  /** Answers lost along the way (5xx, dropped connection, missing from a `$batch` answer). */
  readonly answersLost?: number;
  /** Set when the target was read back to settle the outcome (the answer was lost). */
  readonly readBack?: ReadBack;
  /** Not ok and not known to have failed: the answer was lost and reading the target back failed too. */
  readonly unknown?: boolean;
}

/** Typed progress of writes, for bars, CI lines and tests. */
export type WriteEvent =
  | { readonly type: "batch-sent"; readonly size: number }
  | { readonly type: "throttled"; readonly retryAfterMs: number; readonly scope: "batch" | "request" }
  /** One send of one write and what came of it, for the apply journal. */
  | {
      readonly type: "attempt";
      readonly id: string;
      readonly attempt: number;
      readonly request: { readonly method: string; readonly url: string; readonly body?: unknown };
      /** HTTP status of the write's answer; 0 when none came. */
      readonly status: number;
      /** Graph's request-id for the answer (the inner one, else the `$batch` one). */
      readonly requestId?: string;
      readonly startedAt: string;
      readonly durationMs: number;
      readonly outcome: "done" | "failed" | "throttled" | "answer-lost";
    }
  /** What reading a write's target back showed after its answer was lost. */
  | { readonly type: "read-back"; readonly id: string; readonly verdict: ReadBack }
  /** A write's answer was lost (503/504, dropped connection = status 0, missing item); it is read back. */
  | { readonly type: "answer-lost"; readonly status: number; readonly scope: "batch" | "request" }
  | { readonly type: "operation-done"; readonly outcome: WriteOutcome };

/** The group-licensing read-backs the applier needs while it runs. */
export interface GroupLicenseStatus {
  readonly groupId: string;
  /** QueuedForProcessing, ProcessingInProgress, ProcessingComplete (null if never licensed). */
  readonly state: string | null;
}

/** A group member whose license from the group failed, and why. */
export interface MemberLicenseError {
  readonly userId: string;
  readonly userPrincipalName: string;
  readonly skuId: string;
  /** CountViolation, MutuallyExclusiveViolation, ... */
  readonly error: string;
}

/** One entry of a user's licenseAssignmentStates, as read back during apply. */
export interface UserLicenseState {
  readonly skuId: string;
  /** null for a direct assignment. */
  readonly assignedByGroup: string | null;
  /** Active, ActiveWithError, Disabled, Error. */
  readonly state: string;
  /** null when fine ("None" is read as null). */
  readonly error: string | null;
}

/** A user's licenseAssignmentStates, as read back during apply. */
export interface UserLicenseStates {
  readonly userId: string;
  readonly states: readonly UserLicenseState[];
}

/** What `src/apply` needs from Graph; the real one talks HTTP, tests may record. */
export interface LicenseWriter {
  /** Runs the operations (batched, concurrent, retried) and returns one outcome per operation. */
  execute(
    operations: readonly WriteOperation[],
    onEvent?: (event: WriteEvent) => void,
  ): Promise<WriteOutcome[]>;
  /** The license-processing state of each group. */
  groupLicenseStatus(groupIds: readonly string[]): Promise<GroupLicenseStatus[]>;
  /** The members of a group whose licenses from it failed. */
  membersWithLicenseErrors(groupId: string): Promise<MemberLicenseError[]>;
  /**
   * The users' licenseAssignmentStates, read in `$batch` requests (never one
   * request per user). Apply reads them before removing a direct license that
   * a group is to cover; a writer without it keeps every such license.
   */
  userLicenseStates?(userIds: readonly string[]): Promise<UserLicenseStates[]>;
}

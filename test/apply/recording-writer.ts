import type {
  GroupLicenseStatus,
  LicenseWriter,
  MemberLicenseError,
  UserLicenseStates,
  UserLicenseState,
  WriteEvent,
  WriteOperation,
  WriteOutcome,
} from "../../src/graph/write-operations.js";

/** Scripted answer for one operation: omitted fields mean success. */
export type ScriptedOutcome = Partial<Omit<WriteOutcome, "id">>;

/**
 * An in-memory LicenseWriter that records every call and answers from a
 * script. It stands in for the writer interface, not for Graph's HTTP.
 */
export class RecordingWriter implements LicenseWriter {
  /** One entry per `execute` call. */
  readonly calls: WriteOperation[][] = [];
  readonly statusCalls: string[][] = [];
  readonly errorCalls: string[] = [];
  readonly stateCalls: string[][] = [];
  /** Interleaved log of everything the applier asked, to check ordering. */
  readonly log: string[] = [];

  constructor(
    private readonly script: {
      outcome?: (operation: WriteOperation) => ScriptedOutcome | undefined;
      /** States returned per group on successive polls; the last one repeats. */
      groupStates?: Record<string, readonly (string | null)[]>;
      memberErrors?: Record<string, readonly MemberLicenseError[]>;
      /** A user's licenseAssignmentStates on the n-th read (0-based); unscripted users hold nothing. */
      userStates?: (userId: string, read: number) => readonly UserLicenseState[];
      /** Events to emit before the outcomes of an execute call (e.g. throttling). */
      extraEvents?: (operations: readonly WriteOperation[]) => readonly WriteEvent[];
      throwOnExecute?: Error;
    } = {},
  ) {}

  get operations(): WriteOperation[] {
    return this.calls.flat();
  }

  async execute(
    operations: readonly WriteOperation[],
    onEvent?: (event: WriteEvent) => void,
  ): Promise<WriteOutcome[]> {
    this.calls.push([...operations]);
    this.log.push(`execute ${operations.map(describe).join(" ")}`);
    if (this.script.throwOnExecute) throw this.script.throwOnExecute;
    onEvent?.({ type: "batch-sent", size: operations.length });
    for (const event of this.script.extraEvents?.(operations) ?? []) onEvent?.(event);
    const outcomes = operations.map((operation): WriteOutcome => {
      const scripted = this.script.outcome?.(operation) ?? {};
      const ok = scripted.ok ?? true;
      const success = operation.kind === "assignLicense" && operation.target.kind === "group" ? 202 : 200;
      return {
        id: operation.id,
        status: scripted.status ?? (ok ? success : 400),
        ok,
        attempts: scripted.attempts ?? 1,
        ...(scripted.error ? { error: scripted.error } : {}),
      };
    });
    for (const outcome of outcomes) onEvent?.({ type: "operation-done", outcome });
    return outcomes;
  }

  async groupLicenseStatus(groupIds: readonly string[]): Promise<GroupLicenseStatus[]> {
    this.statusCalls.push([...groupIds]);
    this.log.push(`status ${groupIds.join(",")}`);
    return groupIds.map((groupId) => {
      const states = this.script.groupStates?.[groupId] ?? ["ProcessingComplete"];
      const seen = this.statusCalls.filter((call) => call.includes(groupId)).length;
      return { groupId, state: states[Math.min(seen, states.length) - 1] ?? null };
    });
  }

  async userLicenseStates(userIds: readonly string[]): Promise<UserLicenseStates[]> {
    const read = this.stateCalls.length;
    this.stateCalls.push([...userIds]);
    this.log.push(`states ${userIds.join(",")}`);
    return userIds.map((userId) => ({ userId, states: [...(this.script.userStates?.(userId, read) ?? [])] }));
  }

  async membersWithLicenseErrors(groupId: string): Promise<MemberLicenseError[]> {
    this.errorCalls.push(groupId);
    this.log.push(`errors ${groupId}`);
    return [...(this.script.memberErrors?.[groupId] ?? [])];
  }
}

function describe(operation: WriteOperation): string {
  return operation.kind === "setUsageLocation"
    ? `patch:${operation.userId}`
    : `assign:${operation.target.kind}:${operation.target.id}`;
}

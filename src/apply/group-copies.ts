import type { AssignLicensesChange, GroupCopyRequirement } from "../model/plan.js";
import type { LicenseWriter, UserLicenseStates } from "../graph/write-operations.js";
import { DEFAULT_SETTLE_DELAYS_MS } from "../util/settle.js";
import type { SkipReason } from "./apply-result.js";

/** Reads of the users' states that must agree before a group's copy is trusted (Entra is eventually consistent). */
export const STATE_READS = 2;

/** What a handover needs from the apply loop: the writer, a pause between reads, and group names. */
export interface GroupCopyCheck {
  readonly writer: LicenseWriter;
  readonly pause: () => Promise<void>;
  readonly groupName: (id: string) => string;
  /**
   * Pauses before each further read while a copy is not yet confirmed
   * (default 1, 2 and 4 seconds): Entra is eventually consistent, so a copy
   * the group has just given can be missing from a read for a while.
   */
  readonly settleDelaysMs?: readonly number[];
  /** How the settle delays are waited; replaced in tests so that waiting takes no time. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const lower = (text: string) => text.toLowerCase();
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const NOT_REACHED = "has not reached the user";

/** How the user's copies of one required SKU stand, in words, from one read. */
function describeCopies(states: UserLicenseStates | undefined, need: GroupCopyRequirement): string {
  const groups = new Set(need.groupIds.map(lower));
  const copies = (states?.states ?? []).filter(
    (s) =>
      lower(s.skuId) === lower(need.skuId) &&
      s.assignedByGroup !== null &&
      groups.has(lower(s.assignedByGroup)),
  );
  if (copies.length === 0) return NOT_REACHED;
  return `is ${copies.map((c) => (c.error ? `${c.state} (${c.error})` : c.state)).join(", ")} for the user`;
}

function isActiveCopy(states: UserLicenseStates | undefined, need: GroupCopyRequirement): boolean {
  const groups = new Set(need.groupIds.map(lower));
  return (states?.states ?? []).some(
    (s) =>
      lower(s.skuId) === lower(need.skuId) &&
      s.assignedByGroup !== null &&
      groups.has(lower(s.assignedByGroup)) &&
      s.state === "Active",
  );
}

/**
 * Which of `changes` must not run because a group copy they rely on is not
 * Active for the user: the direct license then stays. The users' states are
 * read {@link STATE_READS} times in `$batch` requests, and a copy counts only
 * when that many reads in a row, spaced by the pause, show it Active: one
 * stale read must not be enough to remove a direct license. While a copy is
 * not confirmed, the states are read again after each settle delay before
 * the direct license is kept, since a read that misses a copy may be stale
 * too. Changes without requirements pass.
 */
export async function checkGroupCopies(
  changes: readonly AssignLicensesChange[],
  check: GroupCopyCheck,
): Promise<Map<string, SkipReason>> {
  const reasons = new Map<string, SkipReason>();
  const relying = changes.filter((c) => (c.requiresActiveFrom?.length ?? 0) > 0);
  /** Whose states each requirement is checked on: the user, or the group's members who keep the SKU. */
  const usersOf = (change: AssignLicensesChange, need: GroupCopyRequirement) =>
    (change.target.kind === "user" ? [change.target.id] : (need.userIds ?? [])).map(lower);
  if (relying.length === 0) return reasons;
  const groupsOf = (change: AssignLicensesChange) => [
    ...new Set(change.requiresActiveFrom!.flatMap((need) => need.groupIds)),
  ];
  const keep = (change: AssignLicensesChange, why: string) =>
    reasons.set(change.id, {
      code: "group-copy-not-active",
      message: `${why}; ${change.target.kind === "user" ? "the direct license stays" : "the group keeps its license"}`,
      groupIds: groupsOf(change),
    });

  const read = check.writer.userLicenseStates?.bind(check.writer);
  if (!read) {
    for (const change of relying)
      keep(change, "this writer cannot read license states, so the group's copy was not confirmed");
    return reasons;
  }
  const userIds = [
    ...new Set(relying.flatMap((c) => c.requiresActiveFrom!.flatMap((need) => usersOf(c, need)))),
  ];
  const reads: Map<string, UserLicenseStates>[] = [];
  /** Whether the last STATE_READS reads all show every copy the change relies on Active. */
  const confirmed = (change: AssignLicensesChange, user: string, need: GroupCopyRequirement) =>
    reads.length >= STATE_READS &&
    reads.slice(-STATE_READS).every((states) => isActiveCopy(states.get(user), need));
  /**
   * Whether a further read may still change the answer: some copy is not
   * confirmed, and not because the last reads all show it there but not
   * Active (a copy read in Error on each was processed, and stands).
   */
  const unsettled = () =>
    relying.some((change) =>
      change.requiresActiveFrom!.some((need) =>
        usersOf(change, need).some(
          (user) =>
            !confirmed(change, user, need) &&
            reads
              .slice(-STATE_READS)
              .some(
                (states) =>
                  describeCopies(states.get(user), need) === NOT_REACHED ||
                  isActiveCopy(states.get(user), need),
              ),
        ),
      ),
    );
  const readAll = async () => {
    reads.push(new Map((await read(userIds)).map((u) => [lower(u.userId), u])));
  };
  try {
    for (let i = 0; i < STATE_READS; i++) {
      if (i > 0) await check.pause();
      await readAll();
    }
    for (const delay of check.settleDelaysMs ?? DEFAULT_SETTLE_DELAYS_MS) {
      if (!unsettled()) break;
      await (check.sleep ?? realSleep)(delay);
      // A fresh pair of reads, spaced by the pause, so a copy still counts only on two in a row.
      await readAll();
      await check.pause();
      await readAll();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    for (const change of relying) keep(change, `the user's license states could not be read (${message})`);
    return reasons;
  }
  for (const change of relying) {
    const parts: string[] = [];
    for (const need of change.requiresActiveFrom!) {
      for (const user of usersOf(change, need)) {
        if (confirmed(change, user, need)) continue;
        const names = need.groupIds.map(check.groupName).join(", ");
        const last = reads[reads.length - 1]!.get(user);
        const who = change.target.kind === "user" ? "the user" : `member ${user}`;
        parts.push(
          `${need.skuPartNumber} through group ${names} ${describeCopies(last, need).replace("the user", who)}, not Active`,
        );
      }
    }
    if (parts.length > 0) keep(change, parts.join("; "));
  }
  return reasons;
}

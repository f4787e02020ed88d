import type { AssignLicensesChange, GroupCopyRequirement } from "../model/plan.js";
import type { LicenseWriter, UserLicenseStates } from "../graph/write-operations.js";
import { waitUntil, type Clock } from "../util/consistency-window.js";
import type { SkipReason } from "./apply-result.js";

/** Reads of the users' states that must agree before a group's copy is trusted (Entra is eventually consistent). */
export const STATE_READS = 2;

/** What a handover needs from the apply loop: the writer, a pause between reads, and group names. */
export interface GroupCopyCheck {
  readonly writer: LicenseWriter;
  readonly pause: () => Promise<void>;
  readonly groupName: (id: string) => string;
  /**
   * The earliest moment (on `clock`) a read of the users' states may be sent
   * and believed: the consistency window after the groups were last seen
   * processed and after this apply's last write, so no read can show a copy
   * as it was before that processing (Active then, in Error now).
   */
  readonly readyAt: number;
  readonly clock: Clock;
}

const lower = (text: string) => text.toLowerCase();

/** How the user's copies of one required SKU stand, in words, from one read. */
function describeCopies(states: UserLicenseStates | undefined, need: GroupCopyRequirement): string {
  const groups = new Set(need.groupIds.map(lower));
  const copies = (states?.states ?? []).filter(
    (s) =>
      lower(s.skuId) === lower(need.skuId) &&
      s.assignedByGroup !== null &&
      groups.has(lower(s.assignedByGroup)),
  );
  if (copies.length === 0) return "has not reached the user";
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
 * read {@link STATE_READS} times in `$batch` requests, spaced by the pause,
 * and a copy counts only when every read shows it Active. Entra is eventually
 * consistent, so the first read is sent no sooner than `readyAt`: each read
 * then shows the users as they were after the groups' processing was seen
 * complete, never an Active copy from before it. Changes without requirements
 * pass.
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
  try {
    await waitUntil(check.readyAt, check.clock);
    for (let i = 0; i < STATE_READS; i++) {
      if (i > 0) await check.pause();
      reads.push(new Map((await read(userIds)).map((u) => [lower(u.userId), u])));
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
        if (reads.every((states) => isActiveCopy(states.get(user), need))) continue;
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

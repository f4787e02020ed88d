import type { Change, PrincipalRef, Wave, WaveKind } from "../model/plan.js";
import { compareText } from "./live-index.js";

/** The order waves run in, with why each one comes where it does. */
export const WAVE_ORDER: readonly { readonly kind: WaveKind; readonly reason: string }[] = [
  {
    kind: "usage-locations",
    reason: "Graph refuses to license a user without a usage location, so locations are set first.",
  },
  {
    kind: "remove-users",
    reason: "Seats are freed before anyone needs them: users who only lose licenses go first.",
  },
  {
    kind: "remove-groups",
    reason: "Groups that only lose licenses free their members' seats before anything is added.",
  },
  {
    kind: "updates",
    reason:
      "Service plan changes and swaps keep each principal's seat count; a swap is one atomic call, so nobody goes without a license.",
  },
  { kind: "add-users", reason: "Users gain licenses once the seats they need are free." },
  {
    kind: "add-groups",
    reason: "Groups gain licenses last among additions; Entra processes their members asynchronously.",
  },
  {
    kind: "group-handover",
    reason:
      "Direct assignments that a newly licensed group now covers are removed only after the group's processing completes, so nobody goes without.",
  },
];

function principalOf(change: Change): PrincipalRef {
  return change.kind === "setUsageLocation" ? change.user : change.target;
}

/** Which wave a change belongs to; handover changes are told apart by the caller. */
export function waveKindOf(change: Change): Exclude<WaveKind, "group-handover"> {
  if (change.kind === "setUsageLocation") return "usage-locations";
  const isGroup = change.target.kind === "group";
  if (change.update.length > 0 || (change.add.length > 0 && change.remove.length > 0)) return "updates";
  if (change.remove.length > 0) return isGroup ? "remove-groups" : "remove-users";
  return isGroup ? "add-groups" : "add-users";
}

/** Sorts by principal name (case-insensitive), then id; keys computed once, since waves can hold 100k changes. */
function sortByPrincipal(changes: Change[]): void {
  const keys = new Map<Change, string>();
  for (const change of changes) keys.set(change, principalOf(change).name.toLowerCase());
  changes.sort(
    (a, b) =>
      compareText(keys.get(a)!, keys.get(b)!) ||
      compareText(principalOf(a).id, principalOf(b).id) ||
      compareText(a.id, b.id),
  );
}

/**
 * Orders changes into waves, omitting empty ones. Group license removals free
 * seats only once Entra has processed them, so the first wave after
 * `remove-groups` waits for those groups; the handover wave waits for the
 * groups that now cover the removed direct assignments.
 */
export function orderIntoWaves(
  changes: readonly Change[],
  handovers: readonly Change[],
  handoverGroupIds: readonly string[],
): Wave[] {
  const buckets = new Map<WaveKind, Change[]>();
  for (const change of changes) {
    const kind = waveKindOf(change);
    const list = buckets.get(kind) ?? [];
    list.push(change);
    buckets.set(kind, list);
  }
  if (handovers.length > 0) buckets.set("group-handover", [...handovers]);

  const waves: Wave[] = [];
  let pendingGroupRemovals: string[] = [];
  for (const { kind, reason } of WAVE_ORDER) {
    const list = buckets.get(kind);
    if (!list || list.length === 0) continue;
    sortByPrincipal(list);
    let waitFor: string[] = [];
    if (kind === "group-handover") waitFor = [...handoverGroupIds];
    else if (pendingGroupRemovals.length > 0 && kind !== "remove-groups") {
      waitFor = pendingGroupRemovals;
      pendingGroupRemovals = [];
    }
    if (kind === "remove-groups") pendingGroupRemovals = list.map((c) => principalOf(c).id);
    const unique = [...new Set(waitFor)].sort(compareText);
    waves.push({ kind, reason, ...(unique.length > 0 ? { waitForGroups: unique } : {}), changes: list });
  }
  return waves;
}

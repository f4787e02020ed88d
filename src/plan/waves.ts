import type { Change, PrincipalRef, Wave, WaveKind } from "../model/plan.js";
import { compareText } from "./live-index.js";

/**
 * The order waves run in, with why each one comes where it does. Two rules
 * shape it: seats are freed before anyone needs them, and nobody loses a
 * license they keep, not even for a moment (a copy is added before the other
 * copy goes, and a removal a group makes up for waits for that group).
 */
export const WAVE_ORDER: readonly { readonly kind: WaveKind; readonly reason: string }[] = [
  {
    kind: "usage-locations",
    reason: "Graph refuses to license a user without a usage location, so locations are set first.",
  },
  {
    kind: "add-held-users",
    reason:
      "A direct copy of a SKU the user already holds through a group takes no extra seat, so it is added before any group's copy goes: moving from a group's license to a direct one leaves no gap.",
  },
  {
    kind: "remove-users",
    reason:
      "Seats are freed before anyone needs them: users who only lose licenses go first. A removal whose seat nobody needs and that a group's new license makes up for waits in group-handover instead.",
  },
  {
    kind: "remove-groups",
    reason: "Groups that only lose licenses free their members' seats before anything is added.",
  },
  {
    kind: "updates",
    reason:
      "Service plan changes and swaps keep each principal's seat count; a swap is one atomic call, so nobody goes without a license. A swap that needs a seat another swap frees runs in a later updates wave.",
  },
  { kind: "add-users", reason: "Users gain licenses once the seats they need are free." },
  {
    kind: "add-groups",
    reason: "Groups gain licenses last among additions; Entra processes their members asynchronously.",
  },
  {
    kind: "group-handover",
    reason:
      "Direct assignments a group covers, and removals a group's new license makes up for, go last: only after the group's processing completes and apply has read the group's copy Active for the user; otherwise the direct license stays. Nobody needs their seats earlier, so they wait.",
  },
];

/** The reason of an updates wave after the first: it needs what the one before frees. */
export const LATER_UPDATES_REASON =
  "These swaps need seats that the swaps of the previous updates wave free, so they run after it (and after its groups are processed); running them together would leave one of them without a seat.";

function principalOf(change: Change): PrincipalRef {
  return change.kind === "setUsageLocation" ? change.user : change.target;
}

/** Which wave a change belongs to; handovers and held additions are told apart by the caller. */
export function waveKindOf(change: Change): Exclude<WaveKind, "group-handover" | "add-held-users"> {
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

/** What goes into the waves. */
export interface WaveInput {
  /** Placed by {@link waveKindOf}. */
  readonly changes: readonly Change[];
  /** Direct additions of SKUs the users already hold through a group. */
  readonly heldAdds?: readonly Change[];
  /** Removals that wait for a group's copy (group-handover). */
  readonly handovers?: readonly Change[];
  /** Groups the handovers wait for (those gaining a license in this plan). */
  readonly handoverGroupIds?: readonly string[];
  /** Round of each updates change (by id) when swaps must run one after another; absent means 0. */
  readonly updateRounds?: ReadonlyMap<string, number>;
}

/**
 * Orders changes into waves, omitting empty ones. A group's license removal
 * frees seats only once Entra has processed it, so the wave after any wave
 * that removes licenses from groups waits for those groups; the handover wave
 * also waits for the groups that take over.
 */
export function orderIntoWaves(input: WaveInput): Wave[] {
  const buckets = new Map<WaveKind, Change[]>();
  const put = (kind: WaveKind, change: Change) => buckets.set(kind, [...(buckets.get(kind) ?? []), change]);
  for (const change of input.changes) put(waveKindOf(change), change);
  for (const change of input.heldAdds ?? []) put("add-held-users", change);
  for (const change of input.handovers ?? []) put("group-handover", change);

  const slots: { kind: WaveKind; reason: string; changes: Change[] }[] = [];
  for (const { kind, reason } of WAVE_ORDER) {
    const list = buckets.get(kind);
    if (!list || list.length === 0) continue;
    if (kind !== "updates") {
      slots.push({ kind, reason, changes: list });
      continue;
    }
    const rounds: Change[][] = [];
    for (const change of list) {
      const round = input.updateRounds?.get(change.id) ?? 0;
      (rounds[round] ??= []).push(change);
    }
    rounds
      .filter((r) => r.length > 0)
      .forEach((r, i) => slots.push({ kind, reason: i === 0 ? reason : LATER_UPDATES_REASON, changes: r }));
  }

  const waves: Wave[] = [];
  let releasingGroups: string[] = [];
  for (const { kind, reason, changes } of slots) {
    sortByPrincipal(changes);
    const waitFor = [
      ...releasingGroups,
      ...(kind === "group-handover" ? (input.handoverGroupIds ?? []) : []),
    ];
    releasingGroups = changes
      .filter((c) => c.kind === "assignLicenses" && c.target.kind === "group" && c.remove.length > 0)
      .map((c) => principalOf(c).id);
    const unique = [...new Set(waitFor)].sort(compareText);
    waves.push({ kind, reason, ...(unique.length > 0 ? { waitForGroups: unique } : {}), changes });
  }
  return waves;
}

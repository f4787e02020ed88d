import type { LiveState } from "../model/live-state.js";

/** One change of a user's held SKUs, in the order the emulator made it. */
export interface LicenseEvent {
  /** 1, 2, 3, ... over the emulator's life. */
  readonly seq: number;
  readonly userId: string;
  readonly skuId: string;
  readonly change: "gained" | "lost";
}

/**
 * Every change of the SKUs each user holds (by any path in effect), as the
 * emulator makes them: the record that shows whether someone went without a
 * license for a moment between two snapshots.
 */
export class LicenseTimeline {
  private readonly events: LicenseEvent[] = [];

  record(userId: string, skuId: string, change: LicenseEvent["change"]): void {
    this.events.push({ seq: this.events.length + 1, userId, skuId, change });
  }

  /** The events so far, oldest first; `since` keeps those with a greater seq. */
  list(since = 0): readonly LicenseEvent[] {
    return since <= 0 ? [...this.events] : this.events.filter((e) => e.seq > since);
  }

  /** The seq of the latest event (0 when none), to mark a point in time. */
  get last(): number {
    return this.events.length;
  }
}

/** SKUs each user holds in a snapshot (assignedLicenses: what is in effect). */
function heldBy(state: LiveState): Map<string, Set<string>> {
  const held = new Map<string, Set<string>>();
  for (const user of state.users)
    held.set(user.id.toLowerCase(), new Set(user.assignedLicenses.map((l) => l.skuId.toLowerCase())));
  return held;
}

/**
 * Users who lost, at some moment between `before` and `after`, a SKU they held
 * in both: each as "userId skuId". `events` are the timeline's events between
 * the two snapshots. Empty when nobody went without a license they kept.
 */
export function continuityViolations(
  before: LiveState,
  after: LiveState,
  events: readonly LicenseEvent[],
): string[] {
  const was = heldBy(before);
  const is = heldBy(after);
  const broken = new Set<string>();
  for (const event of events) {
    if (event.change !== "lost") continue;
    const key = event.userId.toLowerCase();
    const sku = event.skuId.toLowerCase();
    if (was.get(key)?.has(sku) && is.get(key)?.has(sku)) broken.add(`${key} ${sku}`);
  }
  return [...broken].sort();
}

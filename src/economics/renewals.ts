import type {
  LiveSubscription,
  RenewalCondition,
  RenewalFlag,
  RenewalReport,
  SkuRenewal,
  SubscriptionsRead,
} from "../model/economics.js";

/** Seats of one SKU, as the renewal view needs them. */
export interface RenewalSeats {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly enabled: number;
  readonly consumed: number;
}

export interface RenewalOptions {
  /** Flag subscriptions whose next lifecycle date falls within this many days. */
  readonly withinDays: number;
  /** Seats kept free at renewal when counting reducible seats. */
  readonly reserve: number;
  /** The report's "now" (the plan's createdAt), so the same inputs give the same report. */
  readonly now: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const STATUS_CONDITIONS: Readonly<Record<string, RenewalCondition>> = {
  warning: "warning",
  suspended: "suspended",
  lockedout: "locked-out",
};
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Whole days from `now` to `date` (negative when past); null without a readable date. */
export function daysUntil(date: string | null, now: Date): number | null {
  if (date === null) return null;
  const time = Date.parse(date);
  return Number.isNaN(time) ? null : Math.floor((time - now.getTime()) / DAY_MS);
}

/**
 * Each SKU's subscriptions, trials, next lifecycle date and the seats that
 * could be cut at renewal; and the subscriptions that need attention: in
 * Warning, Suspended or LockedOut now, or with a renewal, expiry or status
 * change (Graph's nextLifecycleDateTime) within `withinDays`. Deleted
 * subscriptions are gone and left out. Pure.
 */
export function renewalReport(
  read: SubscriptionsRead,
  seats: readonly RenewalSeats[],
  options: RenewalOptions,
): RenewalReport {
  if (!read.available) return read;
  const live = read.subscriptions.filter((s) => s.status.toLowerCase() !== "deleted");
  const bySku = new Map<string, LiveSubscription[]>();
  for (const s of live) bySku.set(s.skuId, [...(bySku.get(s.skuId) ?? []), s]);
  const byDate = (a: LiveSubscription, b: LiveSubscription) =>
    compare(a.nextLifecycleDateTime ?? "~", b.nextLifecycleDateTime ?? "~") || compare(a.id, b.id);
  const skus: SkuRenewal[] = seats
    .map((seat) => {
      const subscriptions = [...(bySku.get(seat.skuId.toLowerCase()) ?? [])].sort(byDate);
      return {
        skuId: seat.skuId,
        skuPartNumber: seat.skuPartNumber,
        enabled: seat.enabled,
        consumed: seat.consumed,
        reserve: options.reserve,
        reducible: Math.max(0, seat.enabled - seat.consumed - options.reserve),
        trials: subscriptions.filter((s) => s.isTrial).length,
        nextLifecycleDateTime:
          subscriptions.find((s) => s.nextLifecycleDateTime !== null)?.nextLifecycleDateTime ?? null,
        subscriptions,
      };
    })
    .filter((s) => s.subscriptions.length > 0)
    .sort((a, b) => compare(a.skuPartNumber, b.skuPartNumber));
  const flagged: RenewalFlag[] = [];
  for (const subscription of [...live].sort(byDate)) {
    const daysLeft = daysUntil(subscription.nextLifecycleDateTime, options.now);
    const conditions: RenewalCondition[] = [];
    const status = STATUS_CONDITIONS[subscription.status.toLowerCase()];
    if (status) conditions.push(status);
    if (daysLeft !== null && daysLeft >= 0 && daysLeft <= options.withinDays)
      conditions.push(subscription.isTrial ? "trial-ends" : "due");
    if (conditions.length > 0) flagged.push({ subscription, conditions, daysLeft });
  }
  return { available: true, withinDays: options.withinDays, skus, flagged };
}

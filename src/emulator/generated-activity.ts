import type { FixtureSignInActivity, FixtureSubscription } from "./fixture-types.js";

/**
 * What a generated tenant may carry beyond licenses: subscriptions with
 * renewal dates, departments and sign-in activity. Each is drawn from its own
 * random stream, so asking for one leaves the users, groups and licenses of
 * the same seed unchanged.
 */

const DAY = 24 * 60 * 60 * 1000;

/** Departments a generated user is given, most common first. */
export const GENERATED_DEPARTMENTS = [
  "Sales",
  "Engineering",
  "Marketing",
  "Finance",
  "IT",
  "Support",
] as const;

/** `now` shifted by whole days, as ISO 8601 without milliseconds. */
function daysFrom(now: Date, days: number): string {
  return new Date(now.getTime() + days * DAY).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A varied but plausible set of subscriptions for the SKU at `index` with
 * `seats` enabled: every SKU has a paid subscription renewing within the
 * year; the second SKU also has a trial ending in 20 days, the third's paid
 * subscription is in Warning (expired, in its grace period) 10 days before
 * it is suspended. Seats add up to the SKU's.
 */
export function generatedSubscriptions(index: number, seats: number, now: Date): FixtureSubscription[] {
  const renews = daysFrom(now, 30 + ((index * 67) % 300));
  if (index === 1 && seats > 1) {
    const trial = Math.min(25, Math.floor(seats / 2));
    return [
      { seats: seats - trial, nextLifecycleDateTime: renews },
      { seats: trial, trial: true, nextLifecycleDateTime: daysFrom(now, 20) },
    ];
  }
  if (index === 2) return [{ seats, status: "Warning", nextLifecycleDateTime: daysFrom(now, 10) }];
  return [{ seats, nextLifecycleDateTime: renews }];
}

/**
 * A user's sign-in activity: about 10 % never signed in (no signInActivity,
 * as Graph returns it), about 15 % last signed in 100 to 400 days ago, the
 * rest within the last 30 days.
 */
export function generatedSignInActivity(random: () => number, now: Date): FixtureSignInActivity | undefined {
  const roll = random();
  if (roll < 0.1) return undefined;
  const daysAgo = roll < 0.25 ? 100 + Math.floor(random() * 300) : Math.floor(random() * 30);
  const last = daysFrom(now, -daysAgo);
  return {
    lastSignInDateTime: last,
    lastSuccessfulSignInDateTime: last,
    lastNonInteractiveSignInDateTime: last,
  };
}

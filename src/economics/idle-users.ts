import type { LocatedName } from "../model/desired-state.js";
import type { IdleReport, IdleUser, ResolvedPrice, SignInRead } from "../model/economics.js";
import type { LiveState, LiveUser } from "../model/live-state.js";
import { roundMoney } from "./currency-codes.js";
import { monthlyUnitPrice } from "./cost.js";
const DAY_MS = 24 * 60 * 60 * 1000;

export interface IdleOptions {
  readonly inactiveDays: number;
  /** protect.users and policies.exempt: userPrincipalNames or object ids, never listed. */
  readonly exempt: readonly LocatedName[];
  readonly prices: readonly ResolvedPrice[];
  readonly now: Date;
}

/** SKUs a user holds by any path: assignedLicenses already merges direct and group-based ones. */
const heldSkus = (user: LiveUser) => [...new Set(user.assignedLicenses.map((l) => l.skuId.toLowerCase()))];

/**
 * Licensed users whose last sign-in (interactive or not) is older than
 * `inactiveDays`, with what their priced licenses cost a month. Users with
 * no sign-in recorded are counted apart, never called idle (Graph has no
 * record for users who never signed in or last did before April 2020);
 * without sign-in data there is no list at all. Pure.
 */
export function idleUsers(live: LiveState, read: SignInRead, options: IdleOptions): IdleReport {
  if (!read.available) return read;
  const exempt = new Set(options.exempt.map((n) => n.name.trim().toLowerCase()));
  const prices = new Map(options.prices.map((p) => [p.skuId.toLowerCase(), p]));
  const names = new Map(live.skus.map((s) => [s.skuId.toLowerCase(), s.skuPartNumber]));
  const users: IdleUser[] = [];
  let noSignInRecorded = 0;
  let exempted = 0;
  for (const user of live.users) {
    const skus = heldSkus(user);
    if (skus.length === 0) continue;
    const last = read.lastSignIn.get(user.id.toLowerCase()) ?? null;
    if (last === null) {
      noSignInRecorded += 1;
      continue;
    }
    const time = Date.parse(last);
    // Whole days since the last sign-in: 200.4 days is 200 days inactive.
    const days = Number.isNaN(time) ? null : Math.floor((options.now.getTime() - time) / DAY_MS);
    if (days === null || days <= options.inactiveDays) continue;
    if (exempt.has(user.id.toLowerCase()) || exempt.has(user.userPrincipalName.toLowerCase())) {
      exempted += 1;
      continue;
    }
    const cost = new Map<string, number>();
    for (const skuId of skus) {
      const price = prices.get(skuId);
      if (price)
        cost.set(
          price.currency,
          (cost.get(price.currency) ?? 0) + monthlyUnitPrice(price.amount, price.period),
        );
    }
    users.push({
      id: user.id.toLowerCase(),
      userPrincipalName: user.userPrincipalName,
      lastSignIn: last,
      daysInactive: days,
      skus: skus
        .map((skuId) => ({ skuId, skuPartNumber: names.get(skuId) ?? skuId }))
        .sort((a, b) => (a.skuPartNumber < b.skuPartNumber ? -1 : 1)),
      monthlyCost: [...cost]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([currency, amount]) => ({ currency, amount: roundMoney(amount, currency) })),
    });
  }
  users.sort(
    (a, b) => b.daysInactive - a.daysInactive || (a.userPrincipalName < b.userPrincipalName ? -1 : 1),
  );
  return { available: true, inactiveDays: options.inactiveDays, users, noSignInRecorded, exempted };
}

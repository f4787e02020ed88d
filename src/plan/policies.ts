import type { ResolvedPolicies } from "../model/economics.js";
import type { Problem, SourceLocation } from "../model/problem.js";
import type { Holdings } from "./holdings.js";
import type { LiveIndex } from "./live-index.js";

const usersOf = (n: number) => (n === 1 ? "1 user" : `${n} users`);

/** Names listed in a policy message before "and N more". */
const MAX_NAMES = 10;

const names = (upns: readonly string[]) => {
  const sorted = [...upns].sort();
  const shown = sorted.slice(0, MAX_NAMES).join(", ");
  return sorted.length > MAX_NAMES ? `${shown} and ${sorted.length - MAX_NAMES} more` : shown;
};

/**
 * The manifests' policies against the tenant as the plan leaves it. A
 * violation the plan causes or worsens is an error (the plan is refused, with
 * the numbers and the people); one the tenant already has and the plan does
 * not touch is a warning, so an unrelated change is not held hostage.
 */
export function checkPolicies(
  policies: ResolvedPolicies | undefined,
  index: LiveIndex,
  holdings: Holdings,
  after: ReadonlyMap<string, number>,
): Problem[] {
  if (!policies) return [];
  const problems: Problem[] = [];
  const push = (error: boolean, code: string, message: string, hint: string, location: SourceLocation) =>
    problems.push({ code, severity: error ? "error" : "warning", message, hint, location });
  const affected = new Set(holdings.affectedUsers);
  const upn = (id: string) => index.users.get(id)?.userPrincipalName ?? id;

  for (const set of policies.exclusive) {
    const ids = set.skus.map((s) => s.skuId.toLowerCase());
    const label = set.skus.map((s) => s.skuPartNumber).join(", ");
    const caused: string[] = [];
    const standing: string[] = [];
    for (const userId of index.users.keys()) {
      const held = ids.filter((id) => holdings.after(userId).has(id));
      if (held.length < 2) continue;
      const before = ids.filter((id) => holdings.before(userId).has(id)).length;
      (affected.has(userId) && held.length > before ? caused : standing).push(upn(userId));
    }
    if (caused.length > 0)
      push(
        true,
        "policy-exclusive-skus",
        `${caused.length} user(s) would hold more than one of ${label}, which policies.exclusive forbids: ${names(caused)}`,
        "Give each user one SKU of the set: remove the other from the user or from their groups in the same change.",
        set.location,
      );
    if (standing.length > 0)
      push(
        false,
        "policy-exclusive-skus",
        `${standing.length} user(s) already hold more than one of ${label} (policies.exclusive); this plan does not change that: ${names(standing)}`,
        "Remove the extra SKU in the manifests to bring the tenant in line.",
        set.location,
      );
  }

  for (const ceiling of policies.seatCeilings) {
    const skuId = ceiling.sku.skuId.toLowerCase();
    const sku = index.skus.get(skuId);
    if (!sku) continue;
    const enabled = sku.prepaidUnits.enabled;
    const required = Math.max(
      ceiling.minFree ?? 0,
      Math.ceil(((ceiling.minFreePercent ?? 0) * enabled) / 100),
    );
    const used = after.get(skuId) ?? sku.consumedUnits;
    const free = enabled - used;
    if (free >= required) continue;
    const grows = used > sku.consumedUnits;
    const rule = [
      ceiling.minFree !== undefined ? `${ceiling.minFree} seats` : "",
      ceiling.minFreePercent !== undefined ? `${ceiling.minFreePercent} % of ${enabled}` : "",
    ]
      .filter(Boolean)
      .join(" and ");
    const gainers = [...(holdings.gained.get(skuId) ?? [])].map(upn);
    push(
      grows,
      "policy-min-free-seats",
      grows
        ? `${sku.skuPartNumber} would have ${free} free seat(s) of ${enabled} after the plan (${sku.consumedUnits} -> ${used} used); policies.minFreeSeats keeps ${required} free (${rule}). Gaining it: ${names(gainers)}`
        : `${sku.skuPartNumber} has ${free} free seat(s) of ${enabled}; policies.minFreeSeats keeps ${required} free (${rule}); this plan does not use more`,
      "Buy more seats, free some in the same change, or lower the ceiling.",
      ceiling.location,
    );
  }

  for (const pool of policies.seatPools) {
    const skuId = pool.sku.skuId.toLowerCase();
    const department = pool.value.trim().toLowerCase();
    let before = 0;
    const holders: string[] = [];
    const gaining: string[] = [];
    for (const [userId, user] of index.users) {
      if ((user.department ?? "").trim().toLowerCase() !== department) continue;
      const had = holdings.before(userId).has(skuId);
      const has = holdings.after(userId).has(skuId);
      if (had) before += 1;
      if (has) holders.push(user.userPrincipalName);
      if (has && !had) gaining.push(user.userPrincipalName);
    }
    if (holders.length <= pool.max) continue;
    const grows = holders.length > before;
    push(
      grows,
      "policy-seat-pool",
      grows
        ? `${usersOf(holders.length)} of department ${pool.value} would hold ${pool.sku.skuPartNumber} after the plan (${before} now); policies.seatPools allows ${pool.max}. Gaining it: ${names(gaining)}`
        : `${usersOf(holders.length)} of department ${pool.value} hold ${pool.sku.skuPartNumber}; policies.seatPools allows ${pool.max}; this plan does not add any`,
      "Assign the SKU to fewer users of the department, or raise the pool's max.",
      pool.location,
    );
  }
  return problems;
}

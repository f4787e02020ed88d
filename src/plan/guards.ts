import type { LocatedName, ResolvedDesiredState } from "../model/desired-state.js";
import type { LiveState } from "../model/live-state.js";
import type { AssignLicensesChange } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import type { Holdings } from "./holdings.js";
import { compareText, skuRefOf, type LiveIndex } from "./live-index.js";

/** A manifest bound to one tenant must never be planned against another. */
export function checkTenant(desired: ResolvedDesiredState, live: LiveState): Problem[] {
  const want = desired.tenant.id;
  if (!want || want.toLowerCase() === live.tenant.id.toLowerCase()) return [];
  const name = live.tenant.displayName ? ` (${live.tenant.displayName})` : "";
  return [
    {
      code: "wrong-tenant",
      severity: "error",
      message: `the manifests are for tenant ${want.toLowerCase()}, but the signed-in tenant is ${live.tenant.id.toLowerCase()}${name}`,
      hint: "Sign in to the tenant the manifests name (--tenant-id), or fix tenant.id in the manifests.",
    },
  ];
}

const partNumbers = (index: LiveIndex, skuIds: Iterable<string>) =>
  [...new Set(skuIds)]
    .map((id) => skuRefOf(index, id).skuPartNumber)
    .sort(compareText)
    .join(", ");

/**
 * Protected principals never lose a license: no direct removal (not even one a
 * group covers) and no group removal that leaves a protected member without a SKU.
 */
export function checkProtected(
  protectedUsers: ReadonlyMap<string, LocatedName>,
  protectedGroups: ReadonlyMap<string, LocatedName>,
  licenseChanges: readonly AssignLicensesChange[],
  holdings: Holdings,
  index: LiveIndex,
): Problem[] {
  const problems: Problem[] = [];
  const directRemovals = new Map<string, Set<string>>();
  for (const change of licenseChanges) {
    if (change.remove.length === 0) continue;
    const key = `${change.target.kind}:${change.target.id}`;
    const set = directRemovals.get(key) ?? new Set<string>();
    for (const r of change.remove) set.add(r.skuId);
    directRemovals.set(key, set);
  }
  for (const [userId, entry] of [...protectedUsers].sort(([a], [b]) => compareText(a, b))) {
    const removed = directRemovals.get(`user:${userId}`) ?? new Set<string>();
    const after = holdings.after(userId);
    const lost = [...holdings.before(userId)].filter((sku) => !after.has(sku) && !removed.has(sku));
    if (removed.size === 0 && lost.length === 0) continue;
    const upn = index.users.get(userId)?.userPrincipalName ?? entry.name;
    const parts = [
      removed.size > 0 ? `its direct ${partNumbers(index, removed)} would be removed` : "",
      lost.length > 0 ? `it would lose ${partNumbers(index, lost)} through a group change` : "",
    ].filter(Boolean);
    problems.push({
      code: "protected-principal",
      severity: "error",
      message: `protected user ${upn} must not lose a license, but ${parts.join(" and ")}`,
      hint: `Declare these licenses for ${upn} in the manifests, or take it off protect.users if this is intended.`,
      location: entry.location,
    });
  }
  for (const [groupId, entry] of [...protectedGroups].sort(([a], [b]) => compareText(a, b))) {
    const removed = directRemovals.get(`group:${groupId}`);
    if (!removed) continue;
    const name = index.groups.get(groupId)?.displayName ?? entry.name;
    problems.push({
      code: "protected-principal",
      severity: "error",
      message: `protected group ${name} must not lose a license, but ${partNumbers(index, removed)} would be removed`,
      hint: `Declare these licenses for ${name} in the manifests, or take it off protect.groups if this is intended.`,
      location: entry.location,
    });
  }
  return problems;
}

/** Users who end up without a SKU they hold now, by any path. A handover or a swap's added SKU is not a loss; the swapped-out SKU is. */
export function countRemovals(holdings: Holdings): number {
  const users = new Set<string>();
  for (const set of holdings.lost.values()) for (const user of set) users.add(user);
  return users.size;
}

export function checkMaxRemovals(removals: number, maxRemovals: number | undefined): Problem[] {
  if (maxRemovals === undefined || removals <= maxRemovals) return [];
  return [
    {
      code: "max-removals-exceeded",
      severity: "warning",
      message: `this plan takes licenses from ${removals} users; limits.maxRemovals allows ${maxRemovals}`,
      hint: `Review the removals; apply refuses this plan unless run with --max-removals ${removals} or higher.`,
    },
  ];
}

/** Group license removals are the widest-reaching changes, so they head the warnings. */
export function groupRemovalWarnings(changes: readonly AssignLicensesChange[]): Problem[] {
  return changes
    .filter((c) => c.target.kind === "group" && c.remove.length > 0)
    .sort(
      (a, b) =>
        (b.membersLosingLicenses ?? 0) - (a.membersLosingLicenses ?? 0) ||
        compareText(a.target.name, b.target.name),
    )
    .map((c) => {
      const skus = c.remove.map((r) => r.skuPartNumber).join(", ");
      const losing = c.membersLosingLicenses ?? 0;
      return {
        code: "group-license-removal",
        severity: "warning" as const,
        message: `removing ${skus} from group ${c.target.name} takes ${c.remove.length === 1 ? "it" : "them"} from ${losing} member${
          losing === 1 ? "" : "s"
        } who hold ${c.remove.length === 1 ? "it" : "them"} by no other path`,
        hint: `Declare ${skus} on ${c.target.name} to keep ${c.remove.length === 1 ? "it" : "them"}, or assign the members another way first.`,
        ...(c.target.location ? { location: c.target.location } : {}),
      };
    });
}

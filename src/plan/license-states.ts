import jsonpatch from "fast-json-patch";
import type { LiveState } from "../model/live-state.js";
import type { AssignLicensesChange, Change, JsonPatchOperation, LicenseState, Plan } from "../model/plan.js";
import { normalizeGuid } from "../util/guid.js";

/**
 * Adds to each license change of a plan the principal's direct licenses
 * before and after it, and the RFC 6902 patch between the two, so a program
 * reading the plan sees each change as a state transition without knowing
 * Graph's assignLicense semantics. Disabled plans are named as the tenant
 * names them, sorted. A principal changed in two waves gets the state the
 * first change leaves as the `before` of the second. Pure.
 */
export function withLicenseStates(plan: Plan, live: LiveState): Plan {
  const skuName = new Map(live.skus.map((s) => [normalizeGuid(s.skuId), s.skuPartNumber]));
  const planName = new Map(
    live.skus.flatMap((s) =>
      s.servicePlans.map((p) => [normalizeGuid(p.servicePlanId), p.servicePlanName] as const),
    ),
  );
  const nameOfSku = (skuId: string) => skuName.get(normalizeGuid(skuId)) ?? normalizeGuid(skuId);
  const namesOfPlans = (ids: readonly string[]) =>
    ids.map((id) => planName.get(normalizeGuid(id)) ?? normalizeGuid(id)).sort();

  // Indexed once: a plan of tens of thousands of changes must not scan the tenant for each.
  const users = new Map(live.users.map((u) => [normalizeGuid(u.id), u]));
  const groups = new Map(live.groups.map((g) => [normalizeGuid(g.id), g]));
  const direct = (change: AssignLicensesChange): LicenseState => {
    const id = normalizeGuid(change.target.id);
    const assigned =
      change.target.kind === "user"
        ? (users.get(id)?.licenseAssignmentStates.filter((s) => s.assignedByGroup === null) ?? [])
        : (groups.get(id)?.assignedLicenses ?? []);
    const licenses: Record<string, { skuId: string; disabledPlans: string[] }> = {};
    for (const license of assigned)
      licenses[nameOfSku(license.skuId)] = {
        skuId: normalizeGuid(license.skuId),
        disabledPlans: namesOfPlans(license.disabledPlans),
      };
    return { licenses: sortedKeys(licenses) };
  };

  // A principal may change twice (licensed in one wave, its direct copy handed to a group in a later
  // one): each change starts from where the one before left it.
  const current = new Map<string, LicenseState>();
  const enrich = (change: Change): Change => {
    if (change.kind !== "assignLicenses") return change;
    const key = `${change.target.kind}:${normalizeGuid(change.target.id)}`;
    const before = current.get(key) ?? direct(change);
    const after = applyChange(before, change);
    current.set(key, after);
    const patch = jsonpatch.compare(before, after) as JsonPatchOperation[];
    return { ...change, before, after, patch };
  };
  return { ...plan, waves: plan.waves.map((wave) => ({ ...wave, changes: wave.changes.map(enrich) })) };
}

/** The direct licenses after Graph carries the change out: removals go, updates and additions replace. */
export function applyChange(before: LicenseState, change: AssignLicensesChange): LicenseState {
  const licenses: Record<string, { skuId: string; disabledPlans: readonly string[] }> = {};
  const removed = new Set(change.remove.map((r) => normalizeGuid(r.skuId)));
  for (const [name, license] of Object.entries(before.licenses))
    if (!removed.has(normalizeGuid(license.skuId))) licenses[name] = license;
  const names = (plans: readonly { name: string }[]) => plans.map((p) => p.name).sort();
  for (const update of change.update)
    licenses[update.skuPartNumber] = {
      skuId: normalizeGuid(update.skuId),
      disabledPlans: names(update.toDisabledPlans),
    };
  for (const add of change.add)
    licenses[add.skuPartNumber] = {
      skuId: normalizeGuid(add.skuId),
      disabledPlans: names(add.disabledPlans),
    };
  return { licenses: sortedKeys(licenses) };
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

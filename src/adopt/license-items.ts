import { isMap, isScalar, isSeq, type Node } from "yaml";
import type { Catalog, CatalogSku } from "../catalog/catalog.js";
import { normalizePlans } from "../plan/live-index.js";

/** skuId -> the plans it disables, as the planner would want them (lower-case ids, sorted). */
export type LicenseSet = ReadonlyMap<string, readonly string[]>;

/** A profile of the manifests with its licenses resolved against the tenant. */
export interface ResolvedProfile {
  readonly name: string;
  readonly licenses: LicenseSet;
  /** SKUs the profile states as an allow-list (`enabledPlans`): copies of them keep that form. */
  readonly allowLists: ReadonlySet<string>;
}

/** One item of a `licenses:` list, read back from the YAML. */
export type LicenseItem =
  | { readonly kind: "sku"; readonly skuId: string; readonly sku: CatalogSku }
  | { readonly kind: "profile"; readonly name: string; readonly profile?: ResolvedProfile }
  | { readonly kind: "unknown" };

const text = (node: unknown): string | undefined =>
  isScalar(node) && typeof node.value === "string" ? node.value : undefined;

/** Plan names or ids of a YAML list as lower-case ids of `sku`; undefined when one does not resolve. */
export function planIds(catalog: Catalog, sku: CatalogSku, names: readonly string[]): string[] | undefined {
  const ids: string[] = [];
  for (const name of names) {
    const lookup = catalog.lookupPlan(sku, name);
    if (lookup.kind !== "found") return undefined;
    ids.push(lookup.plan.id);
  }
  return ids;
}

/**
 * The plans a `{ sku, disabledPlans | enabledPlans }` entry disables against
 * the tenant's copy of the SKU: an allow-list disables every other plan,
 * as the planner's desiredDisabledPlans does.
 */
export function effectivePlans(
  catalog: Catalog,
  sku: CatalogSku,
  entry: { readonly disabledPlans?: readonly string[]; readonly enabledPlans?: readonly string[] },
): readonly string[] | undefined {
  if (entry.enabledPlans !== undefined) {
    const allowed = planIds(catalog, sku, entry.enabledPlans);
    if (!allowed) return undefined;
    return normalizePlans(sku.servicePlans.map((p) => p.id).filter((id) => !allowed.includes(id)));
  }
  const disabled = planIds(catalog, sku, entry.disabledPlans ?? []);
  return disabled && normalizePlans(disabled);
}

/** Every profile the manifest documents define, resolved; profiles that do not resolve are left out. */
export function resolveProfiles(documents: readonly unknown[], catalog: Catalog): ResolvedProfile[] {
  const result: ResolvedProfile[] = [];
  for (const data of documents) {
    const profiles = (data as { profiles?: unknown } | null)?.profiles;
    if (!profiles || typeof profiles !== "object") continue;
    for (const [name, list] of Object.entries(profiles as Record<string, unknown>)) {
      if (!Array.isArray(list)) continue;
      const licenses = new Map<string, readonly string[]>();
      const allowLists = new Set<string>();
      let ok = list.length > 0;
      for (const entry of list as { sku?: unknown; disabledPlans?: string[]; enabledPlans?: string[] }[]) {
        const lookup = typeof entry?.sku === "string" ? catalog.lookupSku(entry.sku) : undefined;
        const plans = lookup?.kind === "found" ? effectivePlans(catalog, lookup.sku, entry) : undefined;
        if (lookup?.kind !== "found" || plans === undefined) ok = false;
        else {
          licenses.set(lookup.sku.id, plans);
          if (entry.enabledPlans !== undefined) allowLists.add(lookup.sku.id);
        }
      }
      if (ok) result.push({ name, licenses, allowLists });
    }
  }
  return result;
}

/** What one item of a principal's `licenses:` list declares. */
export function readLicenseItem(
  node: unknown,
  catalog: Catalog,
  profiles: ReadonlyMap<string, ResolvedProfile>,
): LicenseItem {
  if (!isMap(node)) return { kind: "unknown" };
  const profile = text(node.get("profile", true));
  if (profile !== undefined) {
    const found = profiles.get(profile);
    return { kind: "profile", name: profile, ...(found ? { profile: found } : {}) };
  }
  const name = text(node.get("sku", true));
  if (name === undefined) return { kind: "unknown" };
  const lookup = catalog.lookupSku(name);
  return lookup.kind === "found"
    ? { kind: "sku", skuId: lookup.sku.id, sku: lookup.sku }
    : { kind: "unknown" };
}

/** The SKUs an item declares. */
export function itemSkus(item: LicenseItem): string[] {
  if (item.kind === "sku") return [item.skuId];
  if (item.kind === "profile" && item.profile) return [...item.profile.licenses.keys()];
  return [];
}

/** The string values of a YAML list node (plan names as written). */
export function stringItems(node: Node | null | undefined): string[] {
  if (!isSeq(node)) return [];
  return node.items.map((item) => text(item)).filter((t): t is string => t !== undefined);
}

const samePlans = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Writes `licenses` with the profiles they match exactly: a profile is used
 * when each of its SKUs is in the set with the same plans (largest profiles
 * first, then in the order the manifests define them); the rest stay SKUs.
 */
export function matchProfiles(
  licenses: LicenseSet,
  profiles: readonly ResolvedProfile[],
  scope: ReadonlySet<string>,
): { readonly profiles: readonly string[]; readonly rest: LicenseSet } {
  const rest = new Map(licenses);
  const used: string[] = [];
  const bySize = profiles
    .map((profile, order) => ({ profile, order }))
    .sort((a, b) => b.profile.licenses.size - a.profile.licenses.size || a.order - b.order);
  for (const { profile } of bySize) {
    const fits = [...profile.licenses].every(([skuId, plans]) => {
      const have = rest.get(skuId);
      return scope.has(skuId) && have !== undefined && samePlans(have, plans);
    });
    if (!fits) continue;
    used.push(profile.name);
    for (const skuId of profile.licenses.keys()) rest.delete(skuId);
  }
  return { profiles: used, rest };
}

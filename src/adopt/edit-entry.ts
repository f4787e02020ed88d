import type { Document, Node } from "yaml";
import type { Catalog, CatalogSku } from "../catalog/catalog.js";
import type { PrincipalTarget } from "./adoption-targets.js";
import {
  itemSkus,
  matchProfiles,
  planIds,
  readLicenseItem,
  type LicenseSet,
  type ResolvedProfile,
} from "./license-items.js";
import {
  isMap,
  isScalar,
  isSeq,
  ownValue,
  removeKeepingComments,
  Scalar,
  YAMLMap,
  YAMLSeq,
} from "./yaml-text.js";

/** What adoption needs to read and write license names. */
export interface NamingContext {
  readonly catalog: Catalog;
  readonly profiles: readonly ResolvedProfile[];
  readonly profilesByName: ReadonlyMap<string, ResolvedProfile>;
  /** In-scope skuIds. */
  readonly scope: ReadonlySet<string>;
}

export type EntryOutcome =
  { readonly kind: "edited"; readonly profiles: readonly string[] } | { readonly kind: "removed" };

const planName = (sku: CatalogSku, id: string) => sku.servicePlans.find((p) => p.id === id)?.name ?? id;

function flowList(values: readonly string[]): YAMLSeq {
  const seq = new YAMLSeq();
  seq.flow = true;
  seq.items = values.map((value) => new Scalar(value));
  return seq;
}

/** Makes a list of plan names hold exactly `ids`: names kept as written, in their order; new ones appended. */
function editPlanList(list: YAMLSeq, ids: readonly string[], sku: CatalogSku, naming: NamingContext): void {
  const present = new Set<string>();
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i];
    const id = isScalar(item) ? planIds(naming.catalog, sku, [String(item.value)])?.[0] : undefined;
    if (id !== undefined && ids.includes(id) && !present.has(id)) present.add(id);
    else removeKeepingComments(list, i);
  }
  for (const id of ids) if (!present.has(id)) list.items.push(new Scalar(planName(sku, id)));
}

/** Sets the plans a `{ sku: ... }` item disables, in the form it already uses (allow-list or deny-list). */
function editPlans(
  item: YAMLMap,
  sku: CatalogSku,
  disabled: readonly string[],
  naming: NamingContext,
  document: Document.Parsed,
): void {
  const index = (key: string) => item.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === key);
  const allowed = sku.servicePlans.map((p) => p.id).filter((id) => !disabled.includes(id));
  if (item.has("enabledPlans") && allowed.length > 0) {
    const list = ownValue(item, "enabledPlans", document);
    if (isSeq(list)) return editPlanList(list, allowed, sku, naming);
    item.set("enabledPlans", flowList(allowed.map((id) => planName(sku, id))));
    return;
  }
  if (item.has("enabledPlans")) removeKeepingComments(item, index("enabledPlans"));
  if (disabled.length === 0) {
    if (item.has("disabledPlans")) removeKeepingComments(item, index("disabledPlans"));
    return;
  }
  const list = item.has("disabledPlans") ? ownValue(item, "disabledPlans", document) : undefined;
  if (isSeq(list)) return editPlanList(list, disabled, sku, naming);
  item.set("disabledPlans", flowList(disabled.map((id) => planName(sku, id))));
}

/** New `licenses:` items for a set of licenses: the profiles it matches, then the remaining SKUs. */
export function licenseItems(
  licenses: LicenseSet,
  naming: NamingContext,
  allowLists: ReadonlySet<string> = new Set(),
): { readonly items: YAMLMap[]; readonly profiles: readonly string[] } {
  const matched = matchProfiles(licenses, naming.profiles, naming.scope);
  const items: YAMLMap[] = [];
  for (const name of matched.profiles) {
    const map = new YAMLMap();
    map.set("profile", new Scalar(name));
    items.push(map);
  }
  for (const [skuId, disabled] of matched.rest) {
    const sku = naming.catalog.skuById(skuId);
    const map = new YAMLMap();
    map.set("sku", new Scalar(sku?.partNumber ?? skuId));
    const enabled = sku?.servicePlans.map((p) => p.id).filter((id) => !disabled.includes(id)) ?? [];
    // A license that came from an allow-list stays one, so plans Microsoft adds later stay off.
    if (sku && allowLists.has(skuId) && enabled.length > 0)
      map.set("enabledPlans", flowList(enabled.map((id) => planName(sku, id))));
    else if (disabled.length > 0)
      map.set("disabledPlans", flowList(disabled.map((id) => (sku ? planName(sku, id) : id))));
    items.push(map);
  }
  return { items, profiles: matched.profiles };
}

/**
 * Edits one principal's entry (a copy; the caller splices it back) so that it
 * declares what the tenant holds for every SKU in `target`: a `{ sku }` item
 * is removed or gets the tenant's plans; a profile that no longer fits is
 * replaced by the profiles and SKUs that do; new SKUs are added as profiles
 * where one matches exactly. A user left with no license loses the entry.
 */
export function editEntry(
  entry: YAMLMap,
  target: PrincipalTarget,
  naming: NamingContext,
  document: Document.Parsed,
): EntryOutcome {
  const changed = target.licenses;
  const pool = new Map<string, readonly string[]>();
  const allowLists = new Set<string>();
  const handled = new Set<string>();
  let list = changed.size > 0 && entry.has("licenses") ? ownValue(entry, "licenses", document) : undefined;
  if (isSeq(list)) {
    for (let i = list.items.length - 1; i >= 0; i--) {
      const node = list.items[i] as Node;
      const item = readLicenseItem(node, naming.catalog, naming.profilesByName);
      const skus = itemSkus(item);
      if (!skus.some((skuId) => changed.has(skuId))) continue;
      if (item.kind === "sku" && isMap(node)) {
        const want = changed.get(item.skuId)!;
        if (want === null) removeKeepingComments(list, i);
        else editPlans(node, item.sku, want, naming, document);
        handled.add(item.skuId);
        continue;
      }
      if (item.kind !== "profile" || !item.profile) continue;
      for (const [skuId, plans] of item.profile.licenses) {
        const want = changed.has(skuId) ? changed.get(skuId)! : plans;
        if (want !== null) pool.set(skuId, want);
        if (item.profile.allowLists.has(skuId)) allowLists.add(skuId);
        handled.add(skuId);
      }
      removeKeepingComments(list, i);
    }
  }
  for (const [skuId, want] of changed) if (!handled.has(skuId) && want !== null) pool.set(skuId, want);
  let profiles: readonly string[] = [];
  if (pool.size > 0) {
    if (!isSeq(list)) {
      list = new YAMLSeq();
      entry.set("licenses", list);
    }
    const added = licenseItems(pool, naming, allowLists);
    (list as YAMLSeq).items.push(...added.items);
    profiles = added.profiles;
  }
  const dropped = [...changed.values()].some((want) => want === null);
  if (isSeq(list) && list.items.length === 0 && dropped) {
    if (target.principal.kind === "user") return { kind: "removed" };
    const empty = new YAMLSeq();
    empty.flow = true;
    empty.comment = list.comment ?? null;
    entry.set("licenses", empty);
  }

  if (target.usageLocation !== undefined) {
    const tenant = target.usageLocation.tenant;
    const node = entry.get("usageLocation", true);
    if (tenant === null) {
      const at = entry.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === "usageLocation");
      if (at >= 0) removeKeepingComments(entry, at);
    } else if (isScalar(node)) node.value = tenant;
    else entry.set("usageLocation", new Scalar(tenant));
  }
  return { kind: "edited", profiles };
}

import type { LiveSku } from "../model/live-state.js";
import { isGuid, normalizeGuid } from "../util/guid.js";
import { closestMatches } from "../util/suggest.js";

/** A service plan in Microsoft's product-names catalog. */
export interface CatalogServicePlan {
  /** servicePlanId, lower-case. */
  readonly id: string;
  /** servicePlanName, e.g. EXCHANGE_S_ENTERPRISE. */
  readonly name: string;
  readonly friendlyName?: string;
}

/** A SKU in Microsoft's product-names catalog, with its service plans. */
export interface CatalogSku {
  /** skuId, lower-case. */
  readonly id: string;
  /** skuPartNumber, e.g. ENTERPRISEPACK. */
  readonly partNumber: string;
  /** Product display name, e.g. "Office 365 E3"; the part number when unknown. */
  readonly displayName: string;
  readonly servicePlans: readonly CatalogServicePlan[];
}

/** What looking a SKU up by name found: one, several that fit, or none (with the closest names). */
export type SkuLookup =
  | { readonly kind: "found"; readonly sku: CatalogSku }
  | { readonly kind: "ambiguous"; readonly candidates: readonly CatalogSku[] }
  | { readonly kind: "unknown"; readonly suggestions: readonly string[] };

/** What looking a service plan of a SKU up by name found. */
export type PlanLookup =
  | { readonly kind: "found"; readonly plan: CatalogServicePlan }
  /** The name is a real service plan, just not one of this SKU's. */
  | {
      readonly kind: "not-in-sku";
      readonly plan: CatalogServicePlan;
      readonly suggestions: readonly string[];
    }
  | { readonly kind: "unknown"; readonly suggestions: readonly string[] };

function addTo<K, V>(index: Map<K, V[]>, key: K, value: V): void {
  const list = index.get(key);
  if (!list) index.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

const fold = (text: string) => text.trim().replace(/\s+/g, " ").toLowerCase();

/**
 * SKUs and their service plans with name lookup. Built from Microsoft's
 * published CSV (offline) or from a tenant's subscribedSkus (authoritative
 * for that tenant). Lookups ignore case; misses come with the closest names.
 */
export class Catalog {
  readonly skus: readonly CatalogSku[];
  private readonly byId = new Map<string, CatalogSku>();
  private readonly byPartNumber = new Map<string, CatalogSku[]>();
  private readonly byDisplayName = new Map<string, CatalogSku[]>();
  private readonly plansById = new Map<string, CatalogServicePlan>();
  private readonly plansByName = new Map<string, CatalogServicePlan>();

  constructor(skus: readonly CatalogSku[]) {
    this.skus = skus;
    for (const sku of skus) {
      this.byId.set(sku.id, sku);
      addTo(this.byPartNumber, fold(sku.partNumber), sku);
      addTo(this.byDisplayName, fold(sku.displayName), sku);
      for (const plan of sku.servicePlans) {
        if (!this.plansById.has(plan.id)) this.plansById.set(plan.id, plan);
        if (!this.plansByName.has(fold(plan.name))) this.plansByName.set(fold(plan.name), plan);
      }
    }
  }

  /** The SKU with this skuId (any case), if the catalog has it. */
  skuById(id: string): CatalogSku | undefined {
    return this.byId.get(normalizeGuid(id));
  }

  /** The service plan with this servicePlanId (any case), if the catalog has it. */
  planById(id: string): CatalogServicePlan | undefined {
    return this.plansById.get(normalizeGuid(id));
  }

  /**
   * A SKU by skuPartNumber, product display name or skuId GUID. Microsoft's
   * table reuses a few part numbers and display names; those are ambiguous.
   */
  lookupSku(name: string): SkuLookup {
    const key = fold(name);
    if (isGuid(key)) {
      const sku = this.byId.get(key);
      if (sku) return { kind: "found", sku };
    }
    for (const index of [this.byPartNumber, this.byDisplayName]) {
      const matches = index.get(key) ?? [];
      if (matches.length === 1) return { kind: "found", sku: matches[0]! };
      if (matches.length > 1) return { kind: "ambiguous", candidates: matches };
    }
    const names = this.skus.flatMap((sku) => [sku.partNumber, sku.displayName]);
    return { kind: "unknown", suggestions: closestMatches(name.trim(), names) };
  }

  /** A service plan of `sku`, by servicePlanName or servicePlanId. */
  lookupPlan(sku: CatalogSku, name: string): PlanLookup {
    const key = fold(name);
    const inSku = sku.servicePlans.find((p) => (isGuid(key) ? p.id === key : fold(p.name) === key));
    if (inSku) return { kind: "found", plan: inSku };
    const suggestions = closestMatches(
      name.trim(),
      sku.servicePlans.map((p) => p.name),
    );
    const elsewhere = isGuid(key) ? this.plansById.get(key) : this.plansByName.get(key);
    if (elsewhere) return { kind: "not-in-sku", plan: elsewhere, suggestions };
    return { kind: "unknown", suggestions };
  }

  /**
   * The tenant's own catalog: its subscribedSkus, with display names and
   * friendly plan names taken from `reference` where it knows them.
   */
  static fromSubscribedSkus(skus: readonly LiveSku[], reference?: Catalog): Catalog {
    return new Catalog(
      skus.map((live) => {
        const known = reference?.skuById(live.skuId);
        return {
          id: normalizeGuid(live.skuId),
          partNumber: live.skuPartNumber,
          displayName: known?.displayName ?? live.skuPartNumber,
          servicePlans: live.servicePlans.map((plan) => {
            const friendlyName = reference?.planById(plan.servicePlanId)?.friendlyName;
            return {
              id: normalizeGuid(plan.servicePlanId),
              name: plan.servicePlanName,
              ...(friendlyName ? { friendlyName } : {}),
            };
          }),
        };
      }),
    );
  }
}

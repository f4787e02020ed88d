import type { Catalog } from "../catalog/catalog.js";
import type { LocatedName } from "../model/desired-state.js";
import {
  POLICY_DEFAULTS,
  type DesiredPolicies,
  type DesiredPrice,
  type ResolvedPolicies,
  type ResolvedPrice,
} from "../model/economics.js";
import type { SkuRef } from "../model/plan.js";
import type { Problem, SourceLocation } from "../model/problem.js";
import { didYouMean } from "../util/suggest.js";
import type { ResolveOptions } from "./resolve-names.js";

const at = (l: SourceLocation) => `${l.file}:${l.line}:${l.column}`;

/**
 * Resolves the SKU names of prices and policies. A SKU the tenant does not
 * own is a warning here, not an error: one price list or policy serves
 * several tenants, and a rule about a SKU nobody can hold holds trivially.
 */
export function resolveEconomics(
  prices: readonly DesiredPrice[],
  policies: DesiredPolicies | undefined,
  catalog: Catalog,
  options: ResolveOptions,
): { prices: ResolvedPrice[]; policies?: ResolvedPolicies; problems: Problem[] } {
  const problems: Problem[] = [];
  const lookup = (name: string, location: SourceLocation, what: string): SkuRef | undefined => {
    const found = catalog.lookupSku(name);
    if (found.kind === "found") return { skuId: found.sku.id, skuPartNumber: found.sku.partNumber };
    if (found.kind === "ambiguous") {
      problems.push({
        code: "ambiguous-sku",
        severity: "error",
        message: `SKU name "${name}" in ${what} matches ${found.candidates.length} products`,
        hint: `Name the SKU by its skuId GUID, e.g. "${found.candidates[0]!.id}".`,
        location,
      });
      return undefined;
    }
    const known = options.catalogIsTenant ? options.reference?.lookupSku(name) : undefined;
    if (known && known.kind !== "unknown") {
      problems.push({
        code: "sku-not-in-tenant",
        severity: "warning",
        message: `the tenant has no subscription for "${name}"; ${what} for it is ignored`,
        location,
      });
      return undefined;
    }
    problems.push({
      code: "unknown-sku",
      severity: "error",
      message: `unknown SKU "${name}" in ${what}: no product has this part number, display name or GUID`,
      hint: `${didYouMean(found.suggestions) || "Check the spelling."} \`licensectl skus\` lists SKU names.`,
      location,
    });
    return undefined;
  };

  const resolvedPrices: ResolvedPrice[] = [];
  const pricedAt = new Map<string, { readonly name: string; readonly location: SourceLocation }>();
  for (const price of prices) {
    const sku = lookup(price.sku, price.location, "the price");
    if (!sku) continue;
    const first = pricedAt.get(sku.skuId);
    if (first) {
      // The same name twice was reported when the prices were merged.
      if (first.name === price.sku.trim().toLowerCase()) continue;
      problems.push({
        code: "duplicate-price",
        severity: "error",
        message: `${sku.skuPartNumber} is priced here (as "${price.sku}") and at ${at(first.location)}`,
        hint: "Price each SKU once: delete one of the two entries.",
        location: price.location,
      });
      continue;
    }
    pricedAt.set(sku.skuId, { name: price.sku.trim().toLowerCase(), location: price.location });
    resolvedPrices.push({
      ...sku,
      amount: price.amount,
      currency: price.currency,
      period: price.period,
      location: price.location,
    });
  }
  if (!policies) return { prices: resolvedPrices, problems };

  const skuOf = (name: LocatedName, what: string) => lookup(name.name, name.location, what);
  const exclusive = policies.exclusive.flatMap((set) => {
    const skus = new Map<string, SkuRef>();
    for (const name of set.skus) {
      const sku = skuOf(name, "the exclusive set");
      if (sku) skus.set(sku.skuId, sku);
    }
    return skus.size >= 2 ? [{ skus: [...skus.values()], location: set.location }] : [];
  });
  const seatCeilings = policies.seatCeilings.flatMap((ceiling) => {
    const sku = skuOf(ceiling.sku, "minFreeSeats");
    return sku ? [{ ...ceiling, sku }] : [];
  });
  const seatPools = policies.seatPools.flatMap((pool) => {
    const sku = skuOf(pool.sku, "the seat pool");
    return sku ? [{ ...pool, sku }] : [];
  });
  return {
    prices: resolvedPrices,
    policies: {
      exclusive,
      seatCeilings,
      seatPools,
      inactiveDays: policies.inactiveDays ?? POLICY_DEFAULTS.inactiveDays,
      exempt: policies.exempt,
      renewalWarningDays: policies.renewalWarningDays ?? POLICY_DEFAULTS.renewalWarningDays,
      renewalReserve: policies.renewalReserve ?? POLICY_DEFAULTS.renewalReserve,
    },
    problems,
  };
}

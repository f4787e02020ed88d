import type { SeatSummary } from "../model/plan.js";
import { compareText, type LiveIndex } from "./live-index.js";

/** One row per SKU of the tenant, by part number: what the reviewer reads first. */
export function seatSummary(
  index: LiveIndex,
  after: ReadonlyMap<string, number>,
  scope: ReadonlySet<string>,
): SeatSummary[] {
  return [...index.skus.values()]
    .map((sku) => {
      const skuId = sku.skuId.toLowerCase();
      return {
        skuId,
        skuPartNumber: sku.skuPartNumber,
        capabilityStatus: sku.capabilityStatus,
        enabled: sku.prepaidUnits.enabled,
        consumedBefore: sku.consumedUnits,
        consumedAfter: after.get(skuId) ?? sku.consumedUnits,
        inScope: scope.has(skuId),
      };
    })
    .sort((a, b) => compareText(a.skuPartNumber, b.skuPartNumber) || compareText(a.skuId, b.skuId));
}

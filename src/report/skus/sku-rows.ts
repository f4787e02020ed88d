import type { Catalog } from "../../catalog/catalog.js";
import type { LiveSku } from "../../model/live-state.js";

/** One subscribed SKU as `licensectl skus` shows it: seats, status and names resolved. */
export interface SkuRow {
  readonly skuId: string;
  readonly skuPartNumber: string;
  /** Product name from the catalog, e.g. "Office 365 E3"; null when the catalog does not know the SKU. */
  readonly productName: string | null;
  readonly appliesTo: string;
  readonly capabilityStatus: string;
  /** prepaidUnits.enabled */
  readonly enabled: number;
  readonly consumed: number;
  /** enabled - consumed; negative when the tenant is over its seats. */
  readonly available: number;
  readonly warning: number;
  readonly suspended: number;
  readonly lockedOut: number;
  readonly servicePlans: readonly {
    readonly servicePlanId: string;
    readonly servicePlanName: string;
    readonly friendlyName: string | null;
    readonly provisioningStatus: string;
    readonly appliesTo: string;
  }[];
}

const byName = (a: string, b: string) =>
  a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;

/** The SKUs sorted by part number (then id), with catalog names; service plans sorted by name. */
export function skuRows(skus: readonly LiveSku[], catalog: Catalog): SkuRow[] {
  return [...skus]
    .sort((a, b) => byName(a.skuPartNumber, b.skuPartNumber) || byName(a.skuId, b.skuId))
    .map((sku) => {
      const known = catalog.skuById(sku.skuId);
      const productName = known && known.displayName !== sku.skuPartNumber ? known.displayName : null;
      // Microsoft's table spells a plan's friendly name differently per SKU; prefer this SKU's spelling.
      const friendlyName = (id: string, name: string): string | null => {
        const found =
          known?.servicePlans.find((p) => p.id === id.toLowerCase())?.friendlyName ??
          catalog.planById(id)?.friendlyName;
        return found && found !== name ? found : null;
      };
      return {
        skuId: sku.skuId,
        skuPartNumber: sku.skuPartNumber,
        productName,
        appliesTo: sku.appliesTo,
        capabilityStatus: sku.capabilityStatus,
        enabled: sku.prepaidUnits.enabled,
        consumed: sku.consumedUnits,
        available: sku.prepaidUnits.enabled - sku.consumedUnits,
        warning: sku.prepaidUnits.warning,
        suspended: sku.prepaidUnits.suspended,
        lockedOut: sku.prepaidUnits.lockedOut,
        servicePlans: [...sku.servicePlans]
          .sort((a, b) => byName(a.servicePlanName, b.servicePlanName))
          .map((plan) => ({
            servicePlanId: plan.servicePlanId,
            servicePlanName: plan.servicePlanName,
            friendlyName: friendlyName(plan.servicePlanId, plan.servicePlanName),
            provisioningStatus: plan.provisioningStatus,
            appliesTo: plan.appliesTo,
          })),
      };
    });
}

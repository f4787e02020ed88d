import type { Change } from "../model/plan.js";
import type { WriteOperation } from "../graph/write-operations.js";

/**
 * The one Graph write a plan change stands for. `assignLicense` always
 * carries both arrays (Graph rejects a body missing either), and an update
 * is an `addLicenses` entry because its `disabledPlans` replace the SKU's.
 */
export function toWriteOperation(change: Change, operationId: string): WriteOperation {
  if (change.kind === "setUsageLocation") {
    return { id: operationId, kind: "setUsageLocation", userId: change.user.id, usageLocation: change.to };
  }
  return {
    id: operationId,
    kind: "assignLicense",
    target: { kind: change.target.kind, id: change.target.id },
    body: {
      addLicenses: [
        ...change.add.map((sku) => ({
          skuId: sku.skuId,
          disabledPlans: sku.disabledPlans.map((plan) => plan.id),
        })),
        ...change.update.map((sku) => ({
          skuId: sku.skuId,
          disabledPlans: sku.toDisabledPlans.map((plan) => plan.id),
        })),
      ],
      removeLicenses: change.remove.map((sku) => sku.skuId),
    },
  };
}

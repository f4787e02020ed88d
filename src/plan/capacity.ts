import type { Problem } from "../model/problem.js";
import type { Holdings } from "./holdings.js";
import type { LiveIndex } from "./live-index.js";

/**
 * Seats consumed per SKU after the plan: the live count moved by the users who
 * gain or lose the SKU by any path (a user holding it twice counts once).
 * Starting from Graph's consumedUnits keeps seats the plan does not touch as
 * Graph counts them.
 */
export function seatsAfter(index: LiveIndex, holdings: Holdings): ReadonlyMap<string, number> {
  const result = new Map<string, number>();
  for (const [skuId, sku] of index.skus) {
    const gained = holdings.gained.get(skuId)?.size ?? 0;
    const lost = holdings.lost.get(skuId)?.size ?? 0;
    result.set(skuId, Math.max(0, sku.consumedUnits + gained - lost));
  }
  return result;
}

/** Every SKU whose consumption grows must fit its enabled seats; shrinking or steady SKUs are not this plan's doing. */
export function checkCapacity(
  index: LiveIndex,
  holdings: Holdings,
  after: ReadonlyMap<string, number>,
): Problem[] {
  const problems: Problem[] = [];
  const skus = [...index.skus.values()].sort((a, b) =>
    a.skuPartNumber < b.skuPartNumber ? -1 : a.skuPartNumber > b.skuPartNumber ? 1 : 0,
  );
  for (const sku of skus) {
    const skuId = sku.skuId.toLowerCase();
    const gained = holdings.gained.get(skuId)?.size ?? 0;
    const lost = holdings.lost.get(skuId)?.size ?? 0;
    if (gained <= lost) continue;
    const needed = after.get(skuId) ?? sku.consumedUnits;
    const enabled = sku.prepaidUnits.enabled;
    if (needed <= enabled) continue;
    problems.push({
      code: "capacity-exceeded",
      severity: "error",
      message: `${sku.skuPartNumber} needs ${needed} seats after this plan; the tenant has ${enabled} enabled (consumed now ${sku.consumedUnits})`,
      hint: `Buy ${needed - enabled} more ${sku.skuPartNumber} seat${needed - enabled === 1 ? "" : "s"}, or free them by removing ${sku.skuPartNumber} from principals in the manifests.`,
    });
  }
  return problems;
}

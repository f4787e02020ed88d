import type { CapacityCondition, CapacityIssue, SkuSeats } from "../model/drift.js";
import { compareSkuRefs, type DriftContext } from "./drift-context.js";

/** A SKU counts as nearly full from this share of its enabled seats. */
export const NEAR_CAPACITY_RATIO = 0.9;

const STATUS_CONDITIONS: Readonly<Record<string, CapacityCondition>> = {
  suspended: "suspended",
  warning: "warning",
  lockedout: "locked-out",
};

/** Seats of every SKU of the tenant, with the plan's after-count where it has one. */
export function skuSeats(context: DriftContext): SkuSeats[] {
  const after = new Map(context.seatsAfterPlan.map((s) => [s.skuId.toLowerCase(), s]));
  return context.live.skus
    .map((sku): SkuSeats => {
      const ref = context.skuRef(sku.skuId);
      const planned = after.get(ref.skuId);
      const displayName = context.reference.skuById(ref.skuId)?.displayName ?? planned?.displayName;
      return {
        ...ref,
        ...(displayName && displayName !== ref.skuPartNumber ? { displayName } : {}),
        capabilityStatus: sku.capabilityStatus,
        appliesTo: sku.appliesTo,
        enabled: sku.prepaidUnits.enabled,
        consumed: sku.consumedUnits,
        ...(planned ? { consumedAfterPlan: planned.consumedAfter } : {}),
        warning: sku.prepaidUnits.warning,
        suspended: sku.prepaidUnits.suspended,
        lockedOut: sku.prepaidUnits.lockedOut,
        inScope: context.inScope.has(ref.skuId),
      };
    })
    .sort(compareSkuRefs);
}

/** What is wrong with a SKU's seats or standing; empty when nothing is. */
export function capacityConditions(seats: SkuSeats): CapacityCondition[] {
  const conditions: CapacityCondition[] = [];
  if (seats.consumed > seats.enabled) conditions.push("over-capacity");
  else if (seats.consumed > 0 && seats.consumed >= NEAR_CAPACITY_RATIO * seats.enabled)
    conditions.push("near-capacity");
  const status = STATUS_CONDITIONS[seats.capabilityStatus.toLowerCase()];
  if (status) conditions.push(status);
  return conditions;
}

export function capacityIssues(seats: readonly SkuSeats[]): CapacityIssue[] {
  return seats.flatMap((s) => {
    const conditions = capacityConditions(s);
    return conditions.length > 0 ? [{ seats: s, conditions }] : [];
  });
}

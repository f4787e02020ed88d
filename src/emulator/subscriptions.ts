import type { FixtureSku } from "./fixture-types.js";
import { derivedId } from "./ids.js";
import { FIXTURE_EPOCH, type SkuRecord, type SubscriptionRecord, type TenantInfo } from "./tenant-model.js";

/**
 * The subscriptions behind a fixture SKU (`GET /directory/subscriptions`). A
 * SKU without a `subscriptions` list has one Enabled, non-trial subscription
 * for all its seats, with no known next lifecycle date: the fixture must say
 * when a subscription renews or ends, the emulator never invents a date.
 */
export function subscriptionsOf(entry: FixtureSku, sku: SkuRecord, tenantId: string): SubscriptionRecord[] {
  const listed = entry.subscriptions ?? [{ seats: entry.seats }];
  return listed.map((s, i) => {
    const id = (
      s.id ?? derivedId(tenantId, "subscription", i === 0 ? sku.skuId : `${sku.skuId}#${i}`)
    ).toLowerCase();
    return {
      id,
      commerceSubscriptionId: derivedId(tenantId, "commerce-subscription", id),
      skuId: sku.skuId,
      skuPartNumber: sku.skuPartNumber,
      status: s.status ?? "Enabled",
      isTrial: s.trial ?? false,
      totalLicenses: s.seats,
      createdDateTime: s.createdDateTime ?? FIXTURE_EPOCH,
      nextLifecycleDateTime: s.nextLifecycleDateTime ?? null,
    };
  });
}

/** A companySubscription as Graph v1.0 returns it. */
export function subscriptionJson(
  subscription: SubscriptionRecord,
  sku: SkuRecord | undefined,
  tenant: TenantInfo,
): Record<string, unknown> {
  return {
    id: subscription.id,
    commerceSubscriptionId: subscription.commerceSubscriptionId,
    createdDateTime: subscription.createdDateTime,
    isTrial: subscription.isTrial,
    nextLifecycleDateTime: subscription.nextLifecycleDateTime,
    ownerId: null,
    ownerTenantId: tenant.id,
    ownerType: null,
    skuId: subscription.skuId,
    skuPartNumber: subscription.skuPartNumber,
    status: subscription.status,
    totalLicenses: subscription.totalLicenses,
    serviceStatus: (sku?.servicePlans ?? []).map((p) => ({
      servicePlanId: p.servicePlanId,
      servicePlanName: p.servicePlanName,
      provisioningStatus: p.provisioningStatus,
      appliesTo: p.appliesTo,
    })),
  };
}

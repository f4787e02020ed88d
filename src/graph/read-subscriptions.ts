import type { LiveSubscription, SubscriptionsRead } from "../model/economics.js";
import type { GraphConnection } from "./create-graph-client.js";
import { graphErrorInfo, graphFailure } from "./graph-errors.js";
import { collectPages, getWithRetry } from "./paging.js";

/** `GET /directory/subscriptions` (companySubscription, Graph v1.0; least permission Organization.Read.All). */
export const SUBSCRIPTIONS_URL = "/directory/subscriptions";

interface RawSubscription {
  readonly id: string;
  readonly skuId?: string | null;
  readonly skuPartNumber?: string | null;
  readonly status?: string | null;
  readonly isTrial?: boolean | null;
  readonly totalLicenses?: number | null;
  readonly createdDateTime?: string | null;
  readonly nextLifecycleDateTime?: string | null;
}

function normalizeSubscription(raw: RawSubscription): LiveSubscription {
  return {
    id: raw.id.toLowerCase(),
    skuId: (raw.skuId ?? "").toLowerCase(),
    skuPartNumber: raw.skuPartNumber ?? "",
    status: raw.status ?? "Enabled",
    isTrial: raw.isTrial ?? false,
    totalLicenses: raw.totalLicenses ?? 0,
    createdDateTime: raw.createdDateTime ?? null,
    nextLifecycleDateTime: raw.nextLifecycleDateTime ?? null,
  };
}

/**
 * Reads the tenant's subscriptions. A 403 (the app lacks
 * Organization.Read.All) is not fatal: the reports then say renewals are
 * unknown instead of failing the whole run. Other failures throw as any read does.
 */
export async function readSubscriptions(connection: GraphConnection): Promise<SubscriptionsRead> {
  const first = await getWithRetry(connection, SUBSCRIPTIONS_URL);
  if (first.status === 403) {
    const info = graphErrorInfo(first.status, first.body);
    return {
      available: false,
      reason: `GET ${SUBSCRIPTIONS_URL} was refused (${info.code}: ${info.message}); grant Organization.Read.All to see subscriptions and renewals`,
    };
  }
  if (first.status < 200 || first.status >= 300)
    throw graphFailure("GET", SUBSCRIPTIONS_URL, first.status, first.body);
  const page = (first.body ?? {}) as { value?: RawSubscription[]; "@odata.nextLink"?: string };
  const subscriptions = (page.value ?? []).map(normalizeSubscription);
  const next = page["@odata.nextLink"];
  if (typeof next === "string" && next !== "")
    await collectPages(connection, next, (raw: RawSubscription) =>
      subscriptions.push(normalizeSubscription(raw)),
    );
  return { available: true, subscriptions };
}

import type { Catalog } from "../../catalog/catalog.js";
import type { LiveSku } from "../../model/live-state.js";
import { skuRows, type SkuRow } from "./sku-rows.js";
import type { RenewalReport } from "../../model/economics.js";

export const SKUS_FORMAT_VERSION = 1;

/** What `licensectl skus --format json` prints. */
export interface SkusDocument {
  readonly formatVersion: typeof SKUS_FORMAT_VERSION;
  readonly skus: readonly SkuRow[];
  /** Subscriptions and renewals per SKU, when they were read (or why they could not be). */
  readonly renewals?: RenewalReport;
}

/** The SKUs as a versioned JSON document, service plans always included. */
export function renderSkusJson(skus: readonly LiveSku[], catalog: Catalog, renewals?: RenewalReport): string {
  const document: SkusDocument = {
    formatVersion: SKUS_FORMAT_VERSION,
    skus: skuRows(skus, catalog),
    ...(renewals ? { renewals } : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

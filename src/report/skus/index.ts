import type { Catalog } from "../../catalog/catalog.js";
import type { RenewalReport } from "../../model/economics.js";
import type { LiveSku } from "../../model/live-state.js";
import { formatsOf, type Renderer, type RendererOptions } from "../renderer.js";
import { renderSkusJson } from "./render-skus-json.js";
import { renderSkusText } from "./render-skus-text.js";

/** What `licensectl skus` shows: the tenant's subscriptions, named through the catalog. */
export interface SkuListing {
  readonly skus: readonly LiveSku[];
  readonly catalog: Catalog;
  /** The subscriptions behind the SKUs: renewals, trials, seats reducible at renewal. */
  readonly renewals?: RenewalReport;
}

/** Options of the SKU renderers. */
export interface SkusRenderOptions extends RendererOptions {
  /** List each SKU's service plans under it (text). */
  readonly plans?: boolean;
}

/** The output formats of the SKU listing (`licensectl skus --format`). */
export type SkusFormat = "text" | "json";

/** One renderer per SKU-listing format. */
export const SKUS_RENDERERS: Readonly<Record<SkusFormat, Renderer<SkuListing, SkusRenderOptions>>> = {
  text: ({ skus, catalog, renewals }, options) =>
    renderSkusText(skus, catalog, {
      color: options.color,
      plans: options.plans === true,
      ...(renewals ? { renewals } : {}),
    }),
  json: ({ skus, catalog, renewals }) => renderSkusJson(skus, catalog, renewals),
};

/** The SKU-listing formats, text first. */
export const SKUS_FORMATS = formatsOf(SKUS_RENDERERS);

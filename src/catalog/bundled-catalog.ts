import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LicensectlError } from "../model/errors.js";
import { Catalog, type CatalogServicePlan, type CatalogSku } from "./catalog.js";
import { parseCsvRows } from "./csv-rows.js";

/** Microsoft's "Product names and service plan identifiers for licensing" table, shipped in `data/`. */
export const BUNDLED_CATALOG_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "data",
  "product-names-and-service-plan-identifiers.csv",
);

/** Header names as Microsoft spells them now, and as older copies do. */
const COLUMN_ALIASES: Record<string, string> = {
  product_display_name: "displayName",
  string_id: "partNumber",
  guid: "skuId",
  service_plan_name: "planName",
  service_plan_id: "planId",
  service_plans_included_friendly_names: "planFriendlyName",
};

/**
 * Parses the CSV into a catalog. Tolerates a byte-order mark, quoted commas,
 * stray tabs and spaces around names, mixed-case GUIDs and the old
 * `String_ Id` header spelling.
 */
export function parseCatalogCsv(text: string, file = "catalog.csv"): Catalog {
  let rows: string[][];
  try {
    rows = parseCsvRows(text);
  } catch (error) {
    throw new LicensectlError(
      "catalog-unreadable",
      `${file} is not a readable CSV: ${(error as Error).message}`,
      {
        hint: "Point --catalog at Microsoft's 'Product names and service plan identifiers for licensing' CSV.",
      },
    );
  }
  const header = (rows.shift() ?? []).map((h) => COLUMN_ALIASES[h.replace(/\s+/g, "").toLowerCase()] ?? h);
  const column = (name: string) => header.indexOf(name);
  const columns = ["displayName", "partNumber", "skuId", "planName", "planId"].map(column);
  if (columns.some((i) => i < 0)) {
    throw new LicensectlError(
      "catalog-unreadable",
      `${file} lacks the expected columns (found: ${header.join(", ")})`,
      {
        hint: "Expected Product_Display_Name, String_Id, GUID, Service_Plan_Name, Service_Plan_Id.",
      },
    );
  }
  const [displayIdx, partIdx, skuIdx, planNameIdx, planIdIdx] = columns as [
    number,
    number,
    number,
    number,
    number,
  ];
  const friendlyIdx = column("planFriendlyName");
  const skus = new Map<
    string,
    { id: string; partNumber: string; displayName: string; plans: Map<string, CatalogServicePlan> }
  >();
  for (const row of rows) {
    const clean = (i: number) => (row[i] ?? "").replace(/\s+/g, " ").trim();
    const skuId = clean(skuIdx).toLowerCase();
    if (!skuId) continue;
    let sku = skus.get(skuId);
    if (!sku) {
      sku = { id: skuId, partNumber: clean(partIdx), displayName: clean(displayIdx), plans: new Map() };
      skus.set(skuId, sku);
    }
    const planId = clean(planIdIdx).toLowerCase();
    if (planId && !sku.plans.has(planId)) {
      const friendlyName = friendlyIdx >= 0 ? clean(friendlyIdx) : "";
      sku.plans.set(planId, {
        id: planId,
        name: clean(planNameIdx),
        ...(friendlyName ? { friendlyName } : {}),
      });
    }
  }
  const list: CatalogSku[] = [...skus.values()].map((s) => ({
    id: s.id,
    partNumber: s.partNumber,
    displayName: s.displayName || s.partNumber,
    servicePlans: [...s.plans.values()],
  }));
  return new Catalog(list);
}

const cache = new Map<string, Catalog>();

/** The bundled catalog, or the CSV at `path` (for a newer copy than the one shipped). Cached per path. */
export function loadCatalog(path: string = BUNDLED_CATALOG_PATH): Catalog {
  const cached = cache.get(path);
  if (cached) return cached;
  let text: string;
  try {
    // A device (/dev/zero) would be read until the process runs out of memory and aborts.
    if (!statSync(path).isFile()) throw new Error("it is not a regular file");
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new LicensectlError(
      "catalog-unreadable",
      `cannot read the SKU catalog ${path}: ${(error as Error).message}`,
      {
        hint: "Check the --catalog path, or omit it to use the bundled catalog.",
      },
    );
  }
  const catalog = parseCatalogCsv(text, path);
  cache.set(path, catalog);
  return catalog;
}

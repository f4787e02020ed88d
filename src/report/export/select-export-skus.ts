import type { Catalog } from "../../catalog/catalog.js";
import type { LiveSku } from "../../model/live-state.js";
import { LicensectlError } from "../../model/errors.js";
import { isGuid, normalizeGuid } from "../../util/guid.js";
import { closestMatches } from "../../util/suggest.js";

/**
 * The tenant SKUs to export: those named in `names` (part number, skuId or
 * product name), or by default every SKU that applies to users. Sorted by
 * part number so that the output does not depend on Graph's order.
 */
export function selectExportSkus(
  skus: readonly LiveSku[],
  catalog: Catalog,
  names?: readonly string[],
): LiveSku[] {
  const sorted = [...skus].sort(
    (a, b) =>
      compare(a.skuPartNumber.toLowerCase(), b.skuPartNumber.toLowerCase()) || compare(a.skuId, b.skuId),
  );
  if (names === undefined) {
    const users = sorted.filter((sku) => sku.appliesTo === "User");
    if (users.length === 0) {
      throw new LicensectlError(
        "nothing-to-export",
        "the tenant has no subscribed SKU that applies to users",
        {
          hint: "Check the tenant with `licensectl skus`; name SKUs with --skus to export others.",
        },
      );
    }
    return users;
  }
  const chosen = new Set<LiveSku>();
  for (const name of names) chosen.add(findSku(sorted, catalog, name));
  if (chosen.size === 0) {
    throw new LicensectlError("nothing-to-export", "no SKU to export", {
      hint: "Name at least one SKU with --skus.",
    });
  }
  return sorted.filter((sku) => chosen.has(sku));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function findSku(skus: readonly LiveSku[], catalog: Catalog, name: string): LiveSku {
  const key = name.trim().toLowerCase();
  const byId = isGuid(key) ? skus.find((sku) => normalizeGuid(sku.skuId) === key) : undefined;
  if (byId) return byId;
  const byPart = skus.filter((sku) => sku.skuPartNumber.toLowerCase() === key);
  if (byPart.length === 1) return byPart[0]!;
  if (byPart.length > 1) {
    throw new LicensectlError("ambiguous-sku", `the tenant has several SKUs with part number ${name}`, {
      hint: `Name one by skuId: ${byPart.map((sku) => sku.skuId).join(", ")}.`,
    });
  }
  const lookup = catalog.lookupSku(name);
  if (lookup.kind === "found") {
    const subscribed = skus.find((sku) => normalizeGuid(sku.skuId) === lookup.sku.id);
    if (subscribed) return subscribed;
    throw new LicensectlError(
      "sku-not-in-tenant",
      `the tenant has no subscription to ${lookup.sku.partNumber} (${lookup.sku.displayName})`,
      {
        hint: "Run `licensectl skus` to see the SKUs the tenant holds.",
      },
    );
  }
  const suggestions = closestMatches(
    name.trim(),
    skus.map((sku) => sku.skuPartNumber),
  );
  throw new LicensectlError("unknown-sku", `the tenant has no SKU named ${name}`, {
    hint:
      suggestions.length > 0
        ? `Did you mean ${suggestions.join(" or ")}? Run \`licensectl skus\` to list the tenant's SKUs.`
        : "Run `licensectl skus` to list the tenant's SKUs.",
  });
}

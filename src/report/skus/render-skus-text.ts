import type { Catalog } from "../../catalog/catalog.js";
import type { LiveSku } from "../../model/live-state.js";
import { createStyle, formatCount, formatTable, type Style } from "../style.js";
import { skuRows, type SkuRow } from "./sku-rows.js";
import type { RenewalReport } from "../../model/economics.js";
import { renewalLinesText } from "./renewal-lines.js";

/** Options of `licensectl skus` for a terminal. */
export interface SkusTextOptions {
  readonly color: boolean;
  /** List each SKU's service plans under it. */
  readonly plans?: boolean;
  /** Subscriptions and renewals, when they were read. */
  readonly renewals?: RenewalReport;
}

function statusCell(row: SkuRow, style: Style): string {
  if (row.capabilityStatus === "Enabled") return row.capabilityStatus;
  return row.capabilityStatus === "Warning"
    ? style.yellow(row.capabilityStatus)
    : style.red(row.capabilityStatus);
}

function planLines(row: SkuRow, style: Style): string[] {
  const rows = row.servicePlans.map((plan) => [
    plan.servicePlanName,
    style.dim(plan.friendlyName ?? ""),
    plan.provisioningStatus === "Success" ? plan.provisioningStatus : style.yellow(plan.provisioningStatus),
  ]);
  return formatTable(rows, [], "    ");
}

/**
 * Seats per subscribed SKU, sorted by part number: what `licensectl skus`
 * prints. Seats in warning or suspended state are shown because they are the
 * ones about to disappear.
 */
export function renderSkusText(skus: readonly LiveSku[], catalog: Catalog, options: SkusTextOptions): string {
  const style = createStyle(options.color);
  const rows = skuRows(skus, catalog);
  if (rows.length === 0) return "The tenant has no subscribed SKUs.\n";
  const header = [
    "SKU",
    "PRODUCT",
    "APPLIES TO",
    "STATUS",
    "ENABLED",
    "CONSUMED",
    "AVAILABLE",
    "WARNING",
    "SUSPENDED",
  ];
  const align = ["left", "left", "left", "left", "right", "right", "right", "right", "right"] as const;
  const cells = rows.map((row) => [
    style.bold(row.skuPartNumber),
    row.productName ?? "",
    row.appliesTo,
    statusCell(row, style),
    formatCount(row.enabled),
    formatCount(row.consumed),
    row.available < 0 ? style.red(formatCount(row.available)) : formatCount(row.available),
    row.warning > 0 ? style.yellow(formatCount(row.warning)) : formatCount(row.warning),
    row.suspended > 0 ? style.red(formatCount(row.suspended)) : formatCount(row.suspended),
  ]);
  const table = formatTable([header.map(style.dim), ...cells], align);
  const lines: string[] = [table[0]!];
  rows.forEach((row, i) => {
    lines.push(table[i + 1]!);
    if (options.plans) lines.push(...planLines(row, style), "");
  });
  if (lines.at(-1) === "") lines.pop();
  if (options.renewals) lines.push(...renewalLinesText(options.renewals, style));
  return `${lines.join("\n")}\n`;
}

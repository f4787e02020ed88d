import type { RenewalReport } from "../../model/economics.js";
import { formatCount, formatTable, type Style } from "../style.js";

const day = (date: string | null) => (date === null ? "unknown" : date.slice(0, 10));

/**
 * The subscriptions behind each SKU for `licensectl skus`: status, trial,
 * seats and next renewal or expiry (Graph's nextLifecycleDateTime, shown as
 * reported, never a guessed term), and the seats that could go at renewal.
 */
export function renewalLinesText(renewals: RenewalReport, style: Style): string[] {
  const lines = ["", style.bold("Subscriptions and renewals:")];
  if (!renewals.available) return [...lines, style.yellow(`  Unknown: ${renewals.reason}.`)];
  if (renewals.skus.length === 0) return [...lines, "  The tenant lists no subscriptions."];
  const flagged = new Set(renewals.flagged.map((f) => f.subscription.id));
  const header = ["SKU", "SUBSCRIPTION", "STATUS", "SEATS", "NEXT RENEWAL OR EXPIRY", "REDUCIBLE"].map(
    style.dim,
  );
  const rows: string[][] = [];
  for (const sku of renewals.skus) {
    sku.subscriptions.forEach((s, i) => {
      const status = `${s.status}${s.isTrial ? " (trial)" : ""}`;
      rows.push([
        i === 0 ? style.bold(sku.skuPartNumber) : "",
        s.id,
        s.status === "Enabled" ? status : style.yellow(status),
        formatCount(s.totalLicenses),
        flagged.has(s.id) ? style.yellow(`${day(s.nextLifecycleDateTime)} !`) : day(s.nextLifecycleDateTime),
        i === 0 ? formatCount(sku.reducible) : "",
      ]);
    });
  }
  lines.push(...formatTable([header, ...rows], ["left", "left", "left", "right", "left", "right"], "  "));
  lines.push(
    style.dim(
      `  Reducible: enabled - consumed - reserve seats, which could be cut at renewal. ! renews, expires or changes status within ${renewals.withinDays} days, or needs attention now.`,
    ),
  );
  return lines;
}

import type { DriftReport } from "../../model/drift.js";
import { formatMoney } from "../money.js";
import { formatCount } from "../style.js";
import type { ReportTable } from "./drift-tables.js";

/**
 * The informative sections of a drift report (what is paid for and not
 * used), as plain tables for every renderer. They follow the drift
 * categories and never count as drift.
 */
export function economicsTables(report: DriftReport): ReportTable[] {
  const economics = report.economics;
  if (!economics) return [];
  const tables: ReportTable[] = [];
  if (economics.unusedSeats) {
    const rows = economics.unusedSeats.map((u) => [
      u.skuPartNumber,
      `${formatCount(u.unused)} of ${formatCount(u.enabled)}`,
      formatMoney(u.monthlyUnitPrice, u.currency),
      formatMoney(u.monthlyCost, u.currency),
      formatMoney(u.yearlyCost, u.currency),
    ]);
    const totals = (economics.unusedSeatTotals ?? []).map(
      (t) =>
        `${formatCount(t.unused)} seats, ${formatMoney(t.monthlyCost, t.currency)} a month, ${formatMoney(t.yearlyCost, t.currency)} a year`,
    );
    tables.push({
      category: "unusedSeats",
      title: "Cost of unused seats",
      explanation:
        rows.length > 0
          ? `Enabled seats nobody holds, at the manifests' prices: candidates to cut at the next renewal. In total: ${totals.join("; ")}.`
          : "Every priced SKU has all its enabled seats in use.",
      columns: ["SKU", "Unused seats", "Per seat / month", "Monthly", "Yearly"],
      rows,
    });
  }
  return tables;
}

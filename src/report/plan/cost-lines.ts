import type { PlanCost, SkuCostDelta } from "../../model/economics.js";
import type { Plan } from "../../model/plan.js";
import { codeSpanInTable, escapeMarkdown } from "../markdown.js";
import { formatMoney } from "../money.js";
import { formatCount, formatDelta, formatTable, type Style } from "../style.js";

/**
 * The plan's cost rows, shared by the text and markdown renderers: priced
 * SKUs whose seats change, then one total per currency, and the in-scope
 * SKUs whose seats change without a price (their cost is unknown, not zero).
 */
export interface CostView {
  readonly rows: readonly SkuCostDelta[];
  readonly totals: PlanCost["totals"];
  readonly unpriced: readonly string[];
}

/** What the cost section shows; undefined when the plan carries no prices (no money column at all). */
export function costView(plan: Plan): CostView | undefined {
  if (!plan.cost) return undefined;
  const priced = new Set(plan.cost.skus.map((s) => s.skuId));
  return {
    rows: plan.cost.skus.filter((s) => s.seatsAfter !== s.seatsBefore),
    totals: plan.cost.totals,
    unpriced: plan.seats
      .filter((s) => s.inScope && s.consumedAfter !== s.consumedBefore && !priced.has(s.skuId))
      .map((s) => s.skuPartNumber),
  };
}

/** Says what the numbers are: assigned seats at the manifests' prices, not the invoice. */
export const COST_NOTE =
  "Cost of assigned seats at the prices in the manifests; the invoice follows purchased seats, so freed seats save money once the subscription is reduced.";

const seatsCell = (row: SkuCostDelta) =>
  `${formatCount(row.seatsBefore)} → ${formatCount(row.seatsAfter)} (${formatDelta(row.seatsAfter - row.seatsBefore)})`;

/** The cost section for a terminal; empty when the plan carries no prices. */
export function costLinesText(plan: Plan, style: Style): string[] {
  const view = costView(plan);
  if (!view) return [];
  const lines = [style.bold("Cost:")];
  const money = (amount: number, currency: string) => {
    const text = formatMoney(amount, currency, true);
    return amount > 0 ? style.red(text) : amount < 0 ? style.green(text) : text;
  };
  if (view.rows.length === 0) {
    lines.push("  No change in the cost of assigned seats.");
  } else {
    const header = ["SKU", "SEATS", "PER SEAT/MONTH", "MONTHLY", "YEARLY"].map(style.dim);
    const rows = view.rows.map((row) => [
      row.skuPartNumber,
      seatsCell(row),
      formatMoney(row.monthlyUnitPrice, row.currency),
      money(row.monthlyDelta, row.currency),
      money(row.yearlyDelta, row.currency),
    ]);
    const totals = view.totals.map((t) => [
      style.bold(`Total ${t.currency}`),
      "",
      "",
      money(t.monthlyDelta, t.currency),
      money(t.yearlyDelta, t.currency),
    ]);
    lines.push(
      ...formatTable([header, ...rows, ...totals], ["left", "right", "right", "right", "right"], "  "),
    );
  }
  if (view.unpriced.length > 0)
    lines.push(style.yellow(`  No price for ${view.unpriced.join(", ")}: not counted.`));
  lines.push(style.dim(`  ${COST_NOTE}`), "");
  return lines;
}

/** The cost table for a pull-request comment (its first table); empty when the plan carries no prices. */
export function costMarkdown(plan: Plan): string[] {
  const view = costView(plan);
  if (!view) return [];
  const lines = ["#### Cost", ""];
  if (view.rows.length === 0) {
    lines.push("No change in the cost of assigned seats.", "");
  } else {
    lines.push("| SKU | Seats | Per seat / month | Monthly | Yearly |", "|:--|--:|--:|--:|--:|");
    for (const row of view.rows) {
      lines.push(
        `| ${codeSpanInTable(row.skuPartNumber)} | ${seatsCell(row)} | ${formatMoney(row.monthlyUnitPrice, row.currency)} | ` +
          `${formatMoney(row.monthlyDelta, row.currency, true)} | ${formatMoney(row.yearlyDelta, row.currency, true)} |`,
      );
    }
    for (const t of view.totals) {
      lines.push(
        `| **Total ${t.currency}** | | | **${formatMoney(t.monthlyDelta, t.currency, true)}** | **${formatMoney(t.yearlyDelta, t.currency, true)}** |`,
      );
    }
    lines.push("");
  }
  if (view.unpriced.length > 0)
    lines.push(`⚠️ No price for ${view.unpriced.map(codeSpanInTable).join(", ")}: not counted.`, "");
  lines.push(`_${escapeMarkdown(COST_NOTE)}_`, "");
  return lines;
}

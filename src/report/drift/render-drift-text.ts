import { DRIFT_CATEGORIES, hasDrift, type DriftReport } from "../../model/drift.js";
import { createStyle, formatTable, plural } from "../style.js";
import { categoryTitle, driftTables, type ReportTable } from "./drift-tables.js";
import { economicsTables } from "./economics-tables.js";

/** Options of renderDriftText. */
export interface DriftTextOptions {
  readonly color: boolean;
}

/** The drift report for a terminal or a CI log: a summary, then one aligned table per category. */
export function renderDriftText(report: DriftReport, options: DriftTextOptions): string {
  const style = createStyle(options.color);
  const lines = [
    style.bold(`Drift report for ${report.tenant.displayName} (${report.tenant.id})`),
    style.dim(`generated ${report.generatedAt}, scope mode ${report.mode}`),
    "",
  ];
  const tableLines = (table: ReportTable) => [
    "",
    style.bold(`${table.title} (${table.rows.length})`),
    style.dim(`  ${table.explanation}`),
    ...(table.rows.length > 0
      ? formatTable([table.columns.map((c) => style.dim(c)), ...table.rows], [], "  ")
      : []),
  ];
  const informative = economicsTables(report).flatMap(tableLines);
  if (!hasDrift(report)) {
    lines.push(style.green("No drift: the tenant matches the manifests."), ...informative);
    return `${lines.join("\n")}\n`;
  }
  lines.push(style.yellow(`Drift found: ${plural(report.summary.total, "item")}.`));
  lines.push(
    ...formatTable(
      DRIFT_CATEGORIES.filter((c) => report.summary[c] > 0).map((c) => [
        categoryTitle(c),
        String(report.summary[c]),
      ]),
      ["left", "right"],
      "  ",
    ),
  );
  for (const table of driftTables(report, DRIFT_CATEGORIES)) lines.push(...tableLines(table));
  lines.push(...informative);
  return `${lines.join("\n")}\n`;
}

import { DRIFT_CATEGORIES, hasDrift, type DriftReport } from "../../model/drift.js";
import { categoryTitle, driftTables, type ReportTable } from "./drift-tables.js";
import { economicsTables } from "./economics-tables.js";
import { DEFAULT_MARKDOWN_MAX_LENGTH, escapeMarkdown, markdownTable } from "../markdown.js";

/** Marks a licensectl drift comment so a workflow can find and update it instead of adding another. */
export const DRIFT_MARKDOWN_MARKER = "<!-- licensectl-drift -->";

/** GitHub refuses issue and pull-request comments longer than this many characters. */

export interface DriftMarkdownOptions {
  /** Most characters the output may have; defaults to GitHub's comment limit less a margin for wrappers. */
  readonly maxLength?: number;
}

/**
 * Shares `budget` characters among sections: small sections get all they
 * need, the rest is split evenly among the larger ones, so one huge
 * category cannot crowd out the others.
 */
function allot(sizes: readonly number[], budget: number): number[] {
  const order = sizes.map((size, index) => ({ size, index })).sort((a, b) => a.size - b.size);
  const result = sizes.map(() => 0);
  let remaining = budget;
  order.forEach(({ size, index }, position) => {
    const share = Math.floor(remaining / (order.length - position));
    result[index] = Math.min(size, share);
    remaining -= result[index]!;
  });
  return result;
}

function sectionHead(table: ReportTable): string[] {
  return ["", `### ${table.title} (${table.rows.length.toLocaleString("en-US")})`, "", table.explanation, ""];
}

/** Room kept per section for the note on rows left out. */
const NOTE_RESERVE = 200;

/** Characters a section takes with every row shown (counted as renderSection counts them). */
function sectionLength(table: ReportTable): number {
  return (
    [...sectionHead(table), ...markdownTable(table.columns, table.rows)].join("\n").length + NOTE_RESERVE
  );
}

/** A section within `budget` characters: as many rows as fit, then a note saying how many were left out. */
function renderSection(table: ReportTable, budget: number): { lines: string[]; omitted: number } {
  // An informative section may have nothing to list (subscriptions that could not be read).
  if (table.rows.length === 0) return { lines: sectionHead(table), omitted: 0 };
  const [header, rule, ...rows] = markdownTable(table.columns, table.rows);
  const lines = [...sectionHead(table), header!, rule!];
  let used = lines.join("\n").length + NOTE_RESERVE;
  let shown = 0;
  for (const row of rows) {
    if (used + row.length + 1 > budget) break;
    lines.push(row);
    used += row.length + 1;
    shown += 1;
  }
  const omitted = rows.length - shown;
  if (omitted > 0) {
    lines.push(
      "",
      `_${omitted.toLocaleString("en-US")} more not shown here (comment size limit); see the JSON or HTML report._`,
    );
  }
  return { lines, omitted };
}

/**
 * The drift report as GitHub markdown (PR comments, issues, step summaries).
 * User text is escaped; the whole stays under GitHub's comment limit, with a
 * note at the top when rows had to be left out.
 */
export function renderDriftMarkdown(report: DriftReport, options: DriftMarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MARKDOWN_MAX_LENGTH;
  const head = [
    DRIFT_MARKDOWN_MARKER,
    `## licensectl drift: ${escapeMarkdown(report.tenant.displayName)}`,
    "",
    `Tenant \`${report.tenant.id}\`, generated ${report.generatedAt}, scope mode ${report.mode}.`,
    "",
  ];
  const informative = economicsTables(report);
  if (!hasDrift(report)) {
    const sections = informative.flatMap((table) => renderSection(table, maxLength / 2).lines);
    return `${[...head, "No drift: the tenant matches the manifests.", ...sections].join("\n")}\n`;
  }

  const summary = [
    `**Drift found: ${report.summary.total.toLocaleString("en-US")} items.**`,
    "",
    "| Category | Items |",
    "| --- | ---: |",
    ...DRIFT_CATEGORIES.filter((c) => report.summary[c] > 0).map(
      (c) => `| ${categoryTitle(c)} | ${report.summary[c].toLocaleString("en-US")} |`,
    ),
  ];
  const tables = [...driftTables(report, DRIFT_CATEGORIES), ...informative];
  const truncationNote =
    "> **Truncated:** the report is longer than a GitHub comment allows; some rows are left out below. The full report: `licensectl drift --format json` or `--format html`.";
  const fixed = [...head, truncationNote, "", ...summary].join("\n").length + 2;
  const full = tables.map(sectionLength);
  const budgets = allot(full, Math.max(0, maxLength - fixed));
  const sections = tables.map((table, i) => renderSection(table, budgets[i]!));
  const truncated = sections.some((s) => s.omitted > 0);
  const lines = [
    ...head,
    ...(truncated ? [truncationNote, ""] : []),
    ...summary,
    ...sections.flatMap((s) => s.lines),
  ];
  return `${lines.join("\n")}\n`;
}

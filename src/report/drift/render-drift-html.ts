import { DRIFT_CATEGORIES, hasDrift, type DriftReport } from "../../model/drift.js";
import { categoryTitle, driftTables, type ReportTable } from "./drift-tables.js";
import { economicsTables } from "./economics-tables.js";
import { escapeHtml } from "./html-text.js";
import { renderSeatChart } from "./seat-chart-svg.js";

/** Options of renderDriftHtml. */
export interface DriftHtmlOptions {
  /** Most rows per table; the JSON report has them all. */
  readonly maxRowsPerTable?: number;
}

export const DEFAULT_HTML_ROWS_PER_TABLE = 5_000;

const CSS = `
:root { color-scheme: light; --ok: #2e7d32; --warn: #b26a00; --bad: #c62828; --line: #d0d7de; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem; color: #1f2328; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 2rem 0 .25rem; }
.meta, .explanation, .note { color: #59636e; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { border: 1px solid var(--line); padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.count { text-align: right; }
.verdict { font-weight: 600; } .verdict.drift { color: var(--warn); } .verdict.clean { color: var(--ok); }
.seat-chart text { font: 12px system-ui, sans-serif; fill: #1f2328; }
.seat-chart .track { fill: #eaeef2; } .seat-chart .after-plan { stroke: #1f2328; stroke-width: 2; stroke-dasharray: 3 2; } .seat-bar.ok .fill { fill: var(--ok); } .seat-bar.warn .fill { fill: var(--warn); } .seat-bar.bad .fill { fill: var(--bad); }
`;

function tableHtml(table: ReportTable, maxRows: number): string {
  const shown = table.rows.slice(0, maxRows);
  const omitted = table.rows.length - shown.length;
  const head = `<tr>${table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("")}</tr>`;
  const body = shown
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`)
    .join("\n");
  return [
    `<section class="drift" id="${table.category}">`,
    `<h2>${escapeHtml(table.title)} (${table.rows.length.toLocaleString("en-US")})</h2>`,
    `<p class="explanation">${escapeHtml(table.explanation)}</p>`,
    table.rows.length > 0
      ? `<table data-category="${table.category}"><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`
      : "",
    omitted > 0
      ? `<p class="note">${omitted.toLocaleString("en-US")} more rows are not shown; <code>licensectl drift --format json</code> lists them all.</p>`
      : "",
    `</section>`,
  ].join("\n");
}

/**
 * The drift report as one self-contained HTML page: inline CSS and SVG, no
 * script, no external font or image (a Content-Security-Policy forbids any),
 * every piece of tenant or manifest text escaped.
 */
export function renderDriftHtml(report: DriftReport, options: DriftHtmlOptions = {}): string {
  const maxRows = options.maxRowsPerTable ?? DEFAULT_HTML_ROWS_PER_TABLE;
  const title = `licensectl drift: ${report.tenant.displayName}`;
  const verdict = hasDrift(report)
    ? `<p class="verdict drift">Drift found: ${report.summary.total.toLocaleString("en-US")} items.</p>`
    : `<p class="verdict clean">No drift: the tenant matches the manifests.</p>`;
  const summaryRows = DRIFT_CATEGORIES.map(
    (c) =>
      `<tr data-category="${c}"><td>${escapeHtml(categoryTitle(c))}</td><td class="count">${report.summary[c].toLocaleString("en-US")}</td></tr>`,
  ).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Tenant ${escapeHtml(report.tenant.id)}, generated ${escapeHtml(report.generatedAt)} by licensectl ${escapeHtml(report.toolVersion)}, scope mode ${escapeHtml(report.mode)}.</p>
${verdict}
</header>
<section id="summary">
<h2>Summary</h2>
<table class="summary"><thead><tr><th scope="col">Category</th><th scope="col">Items</th></tr></thead><tbody>
${summaryRows}
</tbody></table>
</section>
<section id="seats">
<h2>Seat utilisation</h2>
<p class="explanation">Consumed of enabled seats per SKU; amber from 90 %, red when over capacity or suspended; a dashed line marks the seats in use after the plan.</p>
${renderSeatChart(report.seats)}
</section>
${[...driftTables(report, DRIFT_CATEGORIES), ...economicsTables(report)]
  .map((t) => tableHtml(t, maxRows))
  .join("\n")}
</body>
</html>
`;
}

import { countStatuses, type TenantDriftEntry, type TenantStatus } from "../../model/tenant-run.js";
import { escapeHtml } from "../drift/html-text.js";
import { renderDriftHtml } from "../drift/render-drift-html.js";
import { DRIFT_MARKDOWN_MARKER, renderDriftMarkdown } from "../drift/render-drift-markdown.js";
import { DEFAULT_MARKDOWN_MAX_LENGTH, escapeMarkdown } from "../markdown.js";
import { plural } from "../style.js";
import { byAttention } from "./tenant-rows.js";

const STATUS: Record<TenantStatus, string> = { failed: "failed", changed: "drift", "in-sync": "in sync" };
const ICON: Record<TenantStatus, string> = { failed: "❌", changed: "⚠️", "in-sync": "✅" };
const MIN_SECTION = 400;

const verdict = (entries: readonly TenantDriftEntry[]) => {
  const counts = countStatuses(entries);
  return `${counts.failed} failed, ${counts.changed} with drift, ${counts["in-sync"]} in sync`;
};

const items = (entry: TenantDriftEntry) => (entry.report ? String(entry.report.summary.total) : "–");

/**
 * Drift of several tenants as one comment: a table (tenant, status, drift
 * items, pending changes, unmanaged, license errors), then a collapsible
 * section per tenant that failed or drifted, each given an equal share of
 * what is left under `maxLength` (GitHub's comment limit by default).
 */
export function renderTenantDriftMarkdown(
  entries: readonly TenantDriftEntry[],
  options: { readonly maxLength?: number } = {},
): string {
  const maxLength = options.maxLength ?? DEFAULT_MARKDOWN_MAX_LENGTH;
  const ordered = byAttention(entries);
  const row = (e: TenantDriftEntry) => {
    const s = e.report?.summary;
    return `| ${escapeMarkdown(e.name)} | ${ICON[e.status]} ${STATUS[e.status]} | ${items(e)} | ${s?.pendingChanges ?? "–"} | ${s?.unmanagedAssignments ?? "–"} | ${s?.licenseErrors ?? "–"} |`;
  };
  let rows = ordered.map(row);
  const headLines = (list: readonly string[]) =>
    [
      DRIFT_MARKDOWN_MARKER,
      `### licensectl drift for ${plural(entries.length, "tenant")}`,
      "",
      `**${verdict(entries)}.**`,
      "",
      "| Tenant | Status | Drift items | Pending changes | Unmanaged | License errors |",
      "| --- | --- | --: | --: | --: | --: |",
      ...list,
      "",
      "",
    ].join("\n");
  if (headLines(rows).length > maxLength / 2) rows = ordered.filter((e) => e.status !== "in-sync").map(row);
  const head = headLines(rows);
  let room = maxLength - head.length;
  const attention = ordered.filter((e) => e.status !== "in-sync");
  const sections: string[] = [];
  let dropped = 0;
  for (const [i, entry] of attention.entries()) {
    const share = Math.floor((room - 200) / (attention.length - i));
    const summary = `<details><summary>${ICON[entry.status]} ${escapeMarkdown(entry.name)}: ${escapeMarkdown(entry.failure?.message ?? `${items(entry)} drift items`)}</summary>\n\n`;
    const end = "\n</details>\n\n";
    const room2 = share - summary.length - end.length;
    if (room2 < MIN_SECTION) {
      dropped += 1;
      continue;
    }
    const body = entry.report
      ? renderDriftMarkdown(entry.report, { maxLength: room2 }).replace(`${DRIFT_MARKDOWN_MARKER}\n`, "")
      : `\`${entry.failure!.code}\` ${escapeMarkdown(entry.failure!.hint ?? "")}\n`;
    const section = summary + body + end;
    if (section.length > share) {
      dropped += 1;
      continue;
    }
    sections.push(section);
    room -= section.length;
  }
  const note =
    dropped > 0
      ? `> [!NOTE]\n> ${plural(dropped, "tenant section")} not shown to stay under GitHub's comment limit; see the JSON report.\n`
      : "";
  return head + sections.join("") + note;
}

/**
 * One HTML page for several tenants: an overview table linking to each
 * tenant's own drift report, embedded below it (each a complete report,
 * isolated in an iframe so their styles and scripts cannot meet).
 */
export function renderTenantDriftHtml(entries: readonly TenantDriftEntry[]): string {
  const ordered = byAttention(entries);
  const rows = ordered
    .map((e) => {
      const s = e.report?.summary;
      const name = escapeHtml(e.name);
      const link = e.report ? `<a href="#tenant-${name}">${name}</a>` : name;
      return `<tr class="${e.status}"><td>${link}</td><td>${ICON[e.status]} ${STATUS[e.status]}</td><td>${items(e)}</td><td>${s?.pendingChanges ?? "–"}</td><td>${s?.unmanagedAssignments ?? "–"}</td><td>${s?.licenseErrors ?? "–"}</td><td>${escapeHtml(e.failure?.message ?? "")}</td></tr>`;
    })
    .join("\n");
  const reports = ordered
    .filter((e) => e.report)
    .map(
      (e) =>
        `<section id="tenant-${escapeHtml(e.name)}"><h2>${escapeHtml(e.name)}</h2><iframe title="Drift report of ${escapeHtml(e.name)}" srcdoc="${escapeHtml(renderDriftHtml(e.report!))}" loading="lazy"></iframe></section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self' about:;">
<title>licensectl drift: ${plural(entries.length, "tenant")}</title>
<style>
body { font: 14px/1.5 system-ui, sans-serif; margin: 2rem; color: #1f2328; }
table { border-collapse: collapse; } th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; }
tr.failed td { background: #ffebe9; } tr.changed td { background: #fff8c5; }
iframe { width: 100%; height: 80vh; border: 1px solid #d0d7de; }
</style>
</head>
<body>
<h1>licensectl drift: ${plural(entries.length, "tenant")}</h1>
<p>${verdict(entries)}.</p>
<table>
<thead><tr><th>Tenant</th><th>Status</th><th>Drift items</th><th>Pending changes</th><th>Unmanaged</th><th>License errors</th><th>Error</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${reports}
</body>
</html>
`;
}

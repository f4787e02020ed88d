import type { ImpactLevel } from "../../model/plan.js";
import { formatProblem } from "../../model/problem.js";
import { countStatuses, type TenantPlanEntry, type TenantStatus } from "../../model/tenant-run.js";
import { DEFAULT_MARKDOWN_MAX_LENGTH, escapeMarkdown } from "../markdown.js";
import { PLAN_COMMENT_MARKER, renderPlanMarkdown } from "../plan/render-plan-markdown.js";
import { formatCount, plural } from "../style.js";
import { byAttention, tenantRow, type TenantRow } from "./tenant-rows.js";

export interface TenantPlansMarkdownOptions {
  /** Stay under this many characters (default: under GitHub's comment limit). */
  readonly maxLength?: number;
}

const RISK: Record<ImpactLevel, string> = {
  none: "⚪ none",
  low: "🟢 low",
  medium: "🟡 medium",
  high: "🔴 high",
};
const STATUS: Record<TenantStatus, string> = {
  failed: "❌ failed",
  changed: "📝 changes",
  "in-sync": "✅ in sync",
};
/** Problems listed per failed tenant; the rest are counted. */
const MAX_PROBLEMS = 10;
/** Below this, a tenant's section only points at the full plan. */
const MIN_SECTION = 400;

const count = (n: number | undefined) => (n === undefined ? "–" : formatCount(n));

function rowLine(row: TenantRow): string {
  return `| ${escapeMarkdown(row.name)} | ${STATUS[row.status]} | ${count(row.adds)} | ${count(row.updates)} | ${count(row.removes)} | ${row.seatsShort > 0 ? `**${formatCount(row.seatsShort)}**` : "0"} | ${row.risk ? RISK[row.risk] : "–"} |`;
}

function head(entries: readonly TenantPlanEntry[], rows: readonly TenantRow[], compact: boolean): string {
  const counts = countStatuses(entries);
  const lines = [
    PLAN_COMMENT_MARKER,
    `### licensectl plan for ${plural(entries.length, "tenant")}`,
    "",
    `**${counts.failed} failed, ${counts.changed} with changes, ${counts["in-sync"]} in sync.**`,
    "",
    "| Tenant | Status | Adds | Updates | Removes | Seats short | Risk |",
    "| --- | --- | --: | --: | --: | --: | :-- |",
  ];
  const shown = compact ? rows.filter((r) => r.status !== "in-sync") : rows;
  lines.push(...shown.map(rowLine));
  if (compact && counts["in-sync"] > 0)
    lines.push("", `${plural(counts["in-sync"], "more tenant")} in sync (not listed, to fit the comment).`);
  return `${lines.join("\n")}\n\n`;
}

function failureSection(entry: TenantPlanEntry): string {
  const failure = entry.failure!;
  const problems = failure.problems
    .slice(0, MAX_PROBLEMS)
    .map((p) => `- ${escapeMarkdown(formatProblem(p))}`);
  if (failure.problems.length > MAX_PROBLEMS)
    problems.push(`- … ${plural(failure.problems.length - MAX_PROBLEMS, "more problem")} in the job log`);
  return [
    `<details><summary>❌ ${escapeMarkdown(entry.name)}: ${escapeMarkdown(failure.message)}</summary>`,
    "",
    `\`${failure.code}\`${failure.hint ? ` · ${escapeMarkdown(failure.hint)}` : ""}`,
    "",
    ...problems,
    "",
    "</details>",
    "",
    "",
  ].join("\n");
}

const planWrapper = (entry: TenantPlanEntry, body: string) =>
  `<details><summary>📝 ${escapeMarkdown(entry.name)}: ${plural(entry.plan!.summary.changes, "change")}, risk ${entry.plan!.summary.risk}</summary>\n\n${body}\n</details>\n\n`;

function planSection(entry: TenantPlanEntry, room: number): string {
  const wrapper = planWrapper(entry, "").length;
  if (room - wrapper < MIN_SECTION)
    return planWrapper(
      entry,
      "The plan is too large to show with the other tenants; see the job log or the JSON plan.\n",
    );
  const body = renderPlanMarkdown(entry.plan!, { maxLength: room - wrapper }).replace(
    `${PLAN_COMMENT_MARKER}\n`,
    "",
  );
  return planWrapper(entry, body);
}

/**
 * One pull-request comment for several tenants: a summary table (tenant,
 * status, adds, updates, removes, seats short, risk), then a collapsible
 * section per tenant that failed or has changes, failed first. However many
 * tenants there are, it stays under `maxLength`: smallest plans first, each
 * gets an equal share of the room left (cut as the single-tenant comment
 * cuts itself), so what small plans leave over goes to the large ones;
 * sections that cannot get a useful share are counted in a note, and with
 * very many tenants the table lists only those that need attention.
 */
export function renderTenantPlansMarkdown(
  entries: readonly TenantPlanEntry[],
  options: TenantPlansMarkdownOptions = {},
): string {
  const maxLength = options.maxLength ?? DEFAULT_MARKDOWN_MAX_LENGTH;
  const ordered = byAttention(entries);
  const rows = ordered.map(tenantRow);
  let top = head(entries, rows, false);
  if (top.length > maxLength / 2) top = head(entries, rows, true);
  const foot = `<sub>licensectl · ${plural(entries.length, "tenant")}</sub>\n`;
  const failures = ordered.filter((e) => e.status === "failed").map(failureSection);
  let room = maxLength - top.length - foot.length;
  const kept: string[] = [];
  let dropped = 0;
  for (const section of failures) {
    if (section.length <= room - 200) {
      kept.push(section);
      room -= section.length;
    } else dropped += 1;
  }
  const changed = ordered.filter((e) => e.status === "changed" && e.plan);
  // The smallest plans first, each with an equal share of the room left, so what a small plan leaves
  // over goes to the larger ones; once a share is too small to be useful, the larger rest is counted.
  const bySize = [...changed].sort((a, b) => a.plan!.summary.changes - b.plan!.summary.changes);
  const sections = new Map<string, string>();
  for (const [i, entry] of bySize.entries()) {
    const share = Math.floor((room - 200) / (bySize.length - i));
    if (share <= MIN_SECTION) {
      dropped += bySize.length - i;
      break;
    }
    const section = planSection(entry, share);
    if (section.length > share) {
      dropped += 1;
      continue;
    }
    sections.set(entry.name, section);
    room -= section.length;
  }
  const body = [...kept, ...changed.flatMap((e) => (sections.has(e.name) ? [sections.get(e.name)!] : []))];
  const note =
    dropped > 0
      ? `> [!NOTE]\n> ${plural(dropped, "tenant section")} not shown to stay under GitHub's comment limit; see the job log or the JSON plans.\n\n`
      : "";
  const text = top + body.join("") + note + foot;
  return text.length <= maxLength ? text : `${text.slice(0, text.lastIndexOf("\n", maxLength - 2))}\n`;
}

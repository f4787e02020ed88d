import type { AssignLicensesChange, Change, ImpactLevel, Plan, SeatSummary, Wave } from "../../model/plan.js";
import { formatCount, formatDelta, plural } from "../style.js";
import {
  NO_CHANGES,
  changeCount,
  describeUpdate,
  formatLocation,
  groupNames,
  memberEffect,
  planRisks,
  summaryCounts,
  waveTitle,
} from "./describe-plan.js";
import { actionLabel, changePatterns, reasonLabel } from "./change-patterns.js";
import { codeSpanInTable, DEFAULT_MARKDOWN_MAX_LENGTH, escapeMarkdown } from "../markdown.js";
import { licenseErrorsMarkdown } from "./license-error-lines.js";
import { costMarkdown } from "./cost-lines.js";

/** Options of the pull-request renderer. */
export interface PlanMarkdownOptions {
  /** Longest text to produce; GitHub refuses comments over 65,536 characters. Default 65,000. */
  readonly maxLength?: number;
}

/** The first line of every plan comment, so a CI step can find and update its own comment. */
export const PLAN_COMMENT_MARKER = "<!-- licensectl-plan -->";

export { DEFAULT_MARKDOWN_MAX_LENGTH };

/** Risks beyond this many are counted, not listed: a reviewer reads the first ones. */
const MAX_RISKS_SHOWN = 30;

const RISK_BADGE: Record<ImpactLevel, string> = {
  none: "⚪ none",
  low: "🟢 low",
  medium: "🟡 medium",
  high: "🔴 high",
};

const cell = (text: string) => escapeMarkdown(text);
const sortedNames = (plans: readonly { readonly name: string }[]) => plans.map((p) => p.name).sort();
const sku = (partNumber: string) => codeSpanInTable(partNumber);

function reasonsCell(change: Change): string {
  return change.reasons
    .map((r) => cell(r.message) + (r.location ? ` (${codeSpanInTable(formatLocation(r.location))})` : ""))
    .join("<br>");
}

function principalCell(change: AssignLicensesChange): string {
  const name = cell(change.target.name);
  const effect = memberEffect(change);
  return change.target.kind === "group" ? `group **${name}**${effect ? ` (${cell(effect)})` : ""}` : name;
}

function changeRow(change: Change): string {
  if (change.kind === "setUsageLocation") {
    return `| ${cell(change.user.name)} | ${change.from === null ? "—" : cell(change.from)} → ${cell(change.to)} | ${reasonsCell(change)} |`;
  }
  const gains = change.add
    .map(
      (a) =>
        sku(a.skuPartNumber) +
        (a.disabledPlans.length > 0 ? ` without ${sortedNames(a.disabledPlans).map(sku).join(", ")}` : ""),
    )
    .join("<br>");
  const loses = change.remove.map((r) => sku(r.skuPartNumber)).join("<br>");
  const plans = change.update.map((u) => `${sku(u.skuPartNumber)}: ${cell(describeUpdate(u))}`).join("<br>");
  return `| ${principalCell(change)} | ${gains} | ${loses} | ${plans} | ${reasonsCell(change)} |`;
}

function tableHead(wave: Wave): string {
  return wave.kind === "usage-locations"
    ? "| User | Usage location | Why |\n|:--|:--|:--|"
    : "| Principal | Gains | Loses | Service plans | Why |\n|:--|:--|:--|:--|:--|";
}

/** A wave's `<details>` block, in parts so that its rows can be cut to fit. */
interface WaveBlock {
  readonly intro: string;
  readonly head: string;
  readonly rows: readonly string[];
  /** prefix[i]: length of the first i rows, newlines included. */
  readonly prefix: readonly number[];
}

const CLOSE = "\n</details>\n\n";

function waveBlock(wave: Wave, index: number, total: number, plan: Plan): WaveBlock {
  const count = plural(wave.changes.length, "change");
  const waits =
    wave.waitForGroups && wave.waitForGroups.length > 0
      ? ` Waits for license processing of ${groupNames(plan, wave.waitForGroups).map(cell).join(", ")}.`
      : "";
  const intro = [
    "<details>",
    `<summary><b>Wave ${index + 1}/${total}: ${waveTitle(wave.kind)}</b> (${count})</summary>`,
    "",
    `_${cell(wave.reason)}${waits}_`,
    "",
    "",
  ].join("\n");
  const rows = wave.changes.map(changeRow);
  const prefix = [0];
  for (const row of rows) prefix.push(prefix[prefix.length - 1]! + row.length + 1);
  return { intro, head: `${tableHead(wave)}\n`, rows, prefix };
}

const hiddenNote = (hidden: number) => `\n_… ${plural(hidden, "more change")} in this wave not shown._\n`;

function renderBlock(block: WaveBlock, cap: number): string {
  const shown = Math.min(cap, block.rows.length);
  const hidden = block.rows.length - shown;
  const table = shown > 0 ? block.head + block.rows.slice(0, shown).join("\n") + "\n" : "";
  return block.intro + table + (hidden > 0 ? hiddenNote(hidden) : "") + CLOSE;
}

/** renderBlock(block, cap).length, without building the text. */
function blockLength(block: WaveBlock, cap: number): number {
  const shown = Math.min(cap, block.rows.length);
  const hidden = block.rows.length - shown;
  const table = shown > 0 ? block.head.length + block.prefix[shown]! : 0;
  return block.intro.length + table + (hidden > 0 ? hiddenNote(hidden).length : 0) + CLOSE.length;
}

function seatsSection(seats: readonly SeatSummary[]): string {
  const inScope = seats.filter((s) => s.inScope);
  const outOfScope = seats.length - inScope.length;
  const lines = ["#### Seats", ""];
  if (inScope.length > 0) {
    lines.push("| SKU | Before → after | Enabled | Free after |", "|:--|--:|--:|--:|");
    for (const seat of inScope) {
      const delta = seat.consumedAfter - seat.consumedBefore;
      const name =
        seat.displayName && seat.displayName !== seat.skuPartNumber ? ` ${cell(seat.displayName)}` : "";
      const status = seat.capabilityStatus === "Enabled" ? "" : ` ⚠️ ${cell(seat.capabilityStatus)}`;
      const free = seat.enabled - seat.consumedAfter;
      lines.push(
        `| ${sku(seat.skuPartNumber)}${name}${status} | ${formatCount(seat.consumedBefore)} → ${formatCount(seat.consumedAfter)}` +
          `${delta === 0 ? "" : ` (${formatDelta(delta)})`} | ${formatCount(seat.enabled)} | ${free < 0 ? `**${formatCount(free)}**` : formatCount(free)} |`,
      );
    }
    lines.push("");
  }
  if (outOfScope > 0) lines.push(`_${plural(outOfScope, "out-of-scope SKU")} not shown._`, "");
  return lines.join("\n");
}

/** The plan's shape first: every pattern, however large the plan (see changePatterns). */
function patternsSection(plan: Plan): string[] {
  const patterns = changePatterns(plan);
  if (patterns.length === 0) return [];
  const lines = [
    "#### Change patterns",
    "",
    "| Action | SKU | Why | Changes | For example | Declared at |",
    "|:--|:--|:--|--:|:--|:--|",
  ];
  for (const p of patterns) {
    const subject = p.action === "set usage location" ? cell(p.subject) : sku(p.subject);
    const more = p.count > p.examples.length ? ", …" : "";
    const files = p.files > 1 ? ` (${p.files} files)` : "";
    const declared = p.declaredAt.map(codeSpanInTable).join(", ") + (p.declaredAt.length > 0 ? files : "—");
    lines.push(
      `| ${actionLabel(p)} | ${subject} | ${cell(reasonLabel(p))} | ${formatCount(p.count)} | ${p.examples.map(cell).join(", ")}${more} | ${declared} |`,
    );
  }
  lines.push("");
  return lines;
}

function headSection(plan: Plan): string {
  const lines = [PLAN_COMMENT_MARKER, `### licensectl plan for ${cell(plan.tenant.displayName)}`, ""];
  const empty = changeCount(plan) === 0;
  lines.push(
    empty ? `✅ ${NO_CHANGES}` : `**Risk: ${RISK_BADGE[plan.summary.risk]}.** ${summaryCounts(plan)}.`,
    "",
  );
  // What it costs is the reviewer's first question: the cost table comes first.
  if (!empty) lines.push(...costMarkdown(plan));
  lines.push(...patternsSection(plan));
  const risks = planRisks(plan);
  if (risks.length > 0) {
    lines.push("#### Risks", "");
    for (const risk of risks.slice(0, MAX_RISKS_SHOWN)) {
      const where = risk.location ? ` (${formatLocation(risk.location)})` : "";
      lines.push(`- ⚠️ ${cell(risk.message + where)}${risk.hint ? `<br>${cell(risk.hint)}` : ""}`);
    }
    if (risks.length > MAX_RISKS_SHOWN)
      lines.push(`- … and ${plural(risks.length - MAX_RISKS_SHOWN, "more risk")} in the full plan`);
    lines.push("");
  }
  if (empty) return `${lines.join("\n")}\n`;
  const s = plan.summary;
  lines.push(
    "| Adds | Updates | Removes | Usage locations | Users losing a license | Risk |",
    "|--:|--:|--:|--:|--:|:--|",
    `| ${[s.adds, s.updates, s.removes, s.usageLocations, s.removals].map(formatCount).join(" | ")} | ${RISK_BADGE[s.risk]} |`,
    "",
  );
  lines.push(seatsSection(plan.seats));
  return `${lines.join("\n")}\n`;
}

function footer(plan: Plan): string {
  return `<sub>Tenant ${codeSpanInTable(plan.tenant.id)} · mode ${plan.mode} · licensectl ${cell(plan.toolVersion)} · ${cell(plan.createdAt)}</sub>\n`;
}

const truncatedNote = (hidden: number) =>
  `> [!NOTE]\n> … ${plural(hidden, "more change")} not shown; see the full plan in the job log / plan.json.\n\n`;

/**
 * The plan as a pull-request comment: verdict, the change patterns (action x
 * SKU x reason, counted, with the first names and where they are declared),
 * risks, a summary and seat table, then one collapsible block per wave. When
 * it would exceed `maxLength`, the largest waves lose rows first and a note
 * says how many changes are not shown; the patterns always stay.
 */
export function renderPlanMarkdown(plan: Plan, options: PlanMarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MARKDOWN_MAX_LENGTH;
  const head = headSection(plan) + licenseErrorsMarkdown(plan);
  const foot = footer(plan);
  const waves = plan.waves.filter((w) => w.changes.length > 0);
  const blocks = waves.map((wave, i) => waveBlock(wave, i, waves.length, plan));
  const total = blocks.reduce((sum, b) => sum + b.rows.length, 0);
  const hiddenAt = (cap: number) => blocks.reduce((sum, b) => sum + Math.max(0, b.rows.length - cap), 0);
  const lengthAt = (cap: number) => {
    const hidden = hiddenAt(cap);
    return (
      head.length +
      foot.length +
      (hidden > 0 ? truncatedNote(hidden).length : 0) +
      blocks.reduce((sum, b) => sum + blockLength(b, cap), 0)
    );
  };
  // Every wave shows at most `cap` rows: the largest waves are cut first, small ones stay whole.
  let cap = Math.max(0, ...blocks.map((b) => b.rows.length));
  if (lengthAt(cap) > maxLength) {
    let low = 0;
    let high = cap;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (lengthAt(mid) <= maxLength) low = mid;
      else high = mid - 1;
    }
    cap = low;
  }
  const hidden = hiddenAt(cap);
  const body = blocks.map((b) => renderBlock(b, cap)).join("");
  const text = head + (hidden > 0 ? truncatedNote(hidden) : "") + body + foot;
  return text.length <= maxLength ? text : hardCut(head, maxLength, total);
}

/**
 * Last resort when even the head does not fit (thousands of risks or SKUs):
 * the head cut at a line, no waves (a cut inside `<details>` would hide the
 * note), and a note that says so.
 */
function hardCut(text: string, maxLength: number, total: number): string {
  const note = `\n\n> [!NOTE]\n> The plan (${plural(total, "change")}) is too large to show here; see the full plan in the job log / plan.json.\n`;
  const room = Math.max(0, maxLength - note.length);
  const cut = text.lastIndexOf("\n", room);
  return text.slice(0, cut > 0 ? cut : room) + note;
}

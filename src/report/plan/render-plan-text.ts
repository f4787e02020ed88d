import { licenseErrorLinesText } from "./license-error-lines.js";
import { costLinesText } from "./cost-lines.js";
import type { Change, Plan, SeatSummary, Wave } from "../../model/plan.js";
import { createStyle, formatCount, formatDelta, formatTable, plural, type Style } from "../style.js";
import {
  NO_CHANGES,
  changeCount,
  changeItems,
  changeSymbol,
  formatLocation,
  groupNames,
  memberEffect,
  planRisks,
  principalLabel,
  summaryCounts,
  waveTitle,
  type ChangeSymbol,
  type PlanRisk,
} from "./describe-plan.js";
import { actionLabel, changePatterns, reasonLabel, type ChangePattern } from "./change-patterns.js";

/** Options of the terminal renderer. */
export interface PlanTextOptions {
  /** ANSI colours; the CLI sets it for a TTY without NO_COLOR or --no-color. */
  readonly color: boolean;
}

function paint(style: Style, symbol: ChangeSymbol, text: string): string {
  if (symbol === "+") return style.green(text);
  if (symbol === "-") return style.red(text);
  return style.yellow(text);
}

function renderRisks(risks: readonly PlanRisk[], style: Style): string[] {
  if (risks.length === 0) return [];
  const lines = [style.bold(style.yellow("Warnings:"))];
  for (const risk of risks) {
    const where = risk.location ? `${formatLocation(risk.location)}: ` : "";
    lines.push(`  ${style.yellow("!")} ${where}${risk.message}`);
    if (risk.hint) lines.push(style.dim(`    hint: ${risk.hint}`));
  }
  return [...lines, ""];
}

function renderChange(change: Change, style: Style): string[] {
  const symbol = changeSymbol(change);
  const effect = change.kind === "assignLicenses" ? memberEffect(change) : "";
  const head = `  ${paint(style, symbol, symbol)} ${style.bold(principalLabel(change))}`;
  const lines = [effect ? `${head}  ${style.dim(`(${effect})`)}` : head];
  const rows = changeItems(change).map((item) => [
    paint(style, item.symbol, `${item.symbol} ${item.subject}`),
    item.detail,
  ]);
  lines.push(...formatTable(rows, [], "      "));
  for (const reason of change.reasons) {
    const where = reason.location ? ` (${formatLocation(reason.location)})` : "";
    lines.push(style.dim(`      # ${reason.message}${where}`));
  }
  return lines;
}

function renderWave(wave: Wave, index: number, total: number, plan: Plan, style: Style): string[] {
  const lines = [
    style.bold(`Wave ${index + 1}/${total}: ${waveTitle(wave.kind)}`) +
      style.dim(` (${plural(wave.changes.length, "change")})`),
  ];
  lines.push(style.dim(`  ${wave.reason}`));
  if (wave.waitForGroups && wave.waitForGroups.length > 0) {
    lines.push(
      style.dim(`  Waits for license processing of: ${groupNames(plan, wave.waitForGroups).join(", ")}`),
    );
  }
  for (const change of wave.changes) lines.push("", ...renderChange(change, style));
  return [...lines, ""];
}

function renderSeats(seats: readonly SeatSummary[], style: Style): string[] {
  const inScope = seats.filter((s) => s.inScope);
  const outOfScope = seats.length - inScope.length;
  if (inScope.length === 0 && outOfScope === 0) return [];
  const lines = [style.bold("Seats:")];
  if (inScope.length > 0) {
    const header = ["SKU", "ENABLED", "BEFORE", "AFTER", "DELTA", "FREE AFTER"].map(style.dim);
    const rows = inScope.map((seat) => {
      const delta = seat.consumedAfter - seat.consumedBefore;
      const free = seat.enabled - seat.consumedAfter;
      const status =
        seat.capabilityStatus === "Enabled" ? "" : ` ${style.yellow(`(${seat.capabilityStatus})`)}`;
      return [
        seat.skuPartNumber + status,
        formatCount(seat.enabled),
        formatCount(seat.consumedBefore),
        formatCount(seat.consumedAfter),
        delta > 0
          ? style.green(formatDelta(delta))
          : delta < 0
            ? style.red(formatDelta(delta))
            : formatDelta(delta),
        free < 0 ? style.red(formatCount(free)) : formatCount(free),
      ];
    });
    lines.push(
      ...formatTable([header, ...rows], ["left", "right", "right", "right", "right", "right"], "  "),
    );
  }
  if (outOfScope > 0) {
    lines.push(
      style.dim(
        `  ${plural(outOfScope, "out-of-scope SKU")} not shown; licensectl does not manage ${outOfScope === 1 ? "it" : "them"}.`,
      ),
    );
  }
  return [...lines, ""];
}

const RISK_COLOUR = { none: "green", low: "green", medium: "yellow", high: "red" } as const;

const PATTERN_SYMBOL: Record<ChangePattern["action"], ChangeSymbol> = {
  add: "+",
  remove: "-",
  "update plans": "~",
  "set usage location": "~",
};

/**
 * One line per pattern (action, SKU, count, why), and under it who and where,
 * so the table stays as narrow as a terminal however long the names are.
 */
function renderPatterns(plan: Plan, style: Style): string[] {
  const patterns = changePatterns(plan);
  if (patterns.length === 0) return [];
  const rows = patterns.map((p) => [
    paint(style, PATTERN_SYMBOL[p.action], `${PATTERN_SYMBOL[p.action]} ${actionLabel(p)}`),
    style.bold(p.subject),
    `${formatCount(p.count)}`,
    reasonLabel(p),
  ]);
  const details = patterns.map((p) => {
    const more = p.count > p.examples.length ? ", ..." : "";
    const files = p.files > 1 ? ` (${p.files} files)` : "";
    const where = p.declaredAt.length > 0 ? `; ${p.declaredAt.join(", ")}${files}` : "";
    return `      ${style.dim(`e.g. ${p.examples.join(", ")}${more}${where}`)}`;
  });
  const table = formatTable(rows, ["left", "left", "right"], "  ");
  return [style.bold("Change patterns:"), ...table.flatMap((line, i) => [line, details[i]!]), ""];
}

/**
 * The plan for a terminal, in the manner of `terraform plan`: warnings first,
 * then the change patterns and the seats per SKU, the changes wave by wave with
 * their reasons, and a one-line summary.
 */
export function renderPlanText(plan: Plan, options: PlanTextOptions): string {
  const style = createStyle(options.color);
  // The removal count is for reviewers; in a terminal the changes below show it.
  const risks = planRisks(plan).filter((risk) => risk.code !== "license-removals");
  const lines: string[] = [...renderRisks(risks, style), ...licenseErrorLinesText(plan, style)];
  if (changeCount(plan) === 0) {
    lines.push(style.green(NO_CHANGES));
    return `${lines.join("\n")}\n`;
  }
  // The plan's shape first (patterns), then the seats, then every change wave by wave.
  lines.push(...renderPatterns(plan, style));
  lines.push(...renderSeats(plan.seats, style));
  lines.push(...costLinesText(plan, style));
  const waves = plan.waves.filter((w) => w.changes.length > 0);
  // A loop, not a spread: a wave of 100,000 changes would overflow the argument stack.
  waves.forEach((wave, i) => {
    for (const line of renderWave(wave, i, waves.length, plan, style)) lines.push(line);
  });
  const risk = style[RISK_COLOUR[plan.summary.risk]](plan.summary.risk);
  lines.push(`${style.bold("Plan:")} ${summaryCounts(plan)}. Risk: ${risk}.`);
  return `${lines.join("\n")}\n`;
}

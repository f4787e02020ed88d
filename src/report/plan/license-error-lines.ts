import type { Plan, PlanLicenseError } from "../../model/plan.js";
import { formatCount, type Style } from "../style.js";
import { escapeMarkdown } from "../markdown.js";

/** Most license errors listed one by one; the rest are counted (the JSON plan lists them all). */
const LIMIT = 50;

const where = (e: PlanLicenseError) => (e.group ? `group ${e.group.name}` : "direct");

/**
 * The plan's license assignments that are not in effect, for a terminal: one
 * line per user, SKU and error with its group, then what fixes it. Empty when
 * there are none.
 */
export function licenseErrorLinesText(plan: Plan, style: Style): string[] {
  const errors = plan.licenseErrors ?? [];
  if (errors.length === 0) return [];
  const lines = [
    style.bold(style.yellow(`License assignments not in effect (${formatCount(errors.length)}):`)),
    style.dim("  They give the user nothing and cover no direct assignment until fixed and reprocessed."),
  ];
  for (const e of errors.slice(0, LIMIT)) {
    lines.push(
      `  ${style.yellow("!")} ${e.user.name}  ${e.sku.skuPartNumber}  ${e.error}  ${style.dim(`(${where(e)}, ${e.state})`)}`,
    );
    lines.push(style.dim(`      fix: ${e.fix}`));
  }
  if (errors.length > LIMIT)
    lines.push(
      style.dim(`  ... and ${formatCount(errors.length - LIMIT)} more; --format json lists them all`),
    );
  return [...lines, ""];
}

/** The same, as a Markdown table for a pull request comment; "" when there are none. */
export function licenseErrorsMarkdown(plan: Plan): string {
  const errors = plan.licenseErrors ?? [];
  if (errors.length === 0) return "";
  const rows = errors
    .slice(0, LIMIT)
    .map(
      (e) =>
        `| ${escapeMarkdown(e.user.name)} | ${escapeMarkdown(e.sku.skuPartNumber)} | ${escapeMarkdown(where(e))} | ${escapeMarkdown(e.error)} | ${escapeMarkdown(e.fix)} |`,
    );
  const more = errors.length > LIMIT ? `\n_... and ${formatCount(errors.length - LIMIT)} more._\n` : "";
  return (
    [
      `#### License assignments not in effect (${formatCount(errors.length)})`,
      "",
      "They give the user nothing and cover no direct assignment until fixed and reprocessed.",
      "",
      "| User | SKU | From | Error | How to fix |",
      "| --- | --- | --- | --- | --- |",
      ...rows,
      "",
    ].join("\n") +
    more +
    "\n"
  );
}

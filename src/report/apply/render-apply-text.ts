import type { ApplyResult, ChangeOutcome } from "../../apply/apply-result.js";
import { createStyle, formatCount, plural, type Style } from "../style.js";
import { describeOutcomeAction, formatDuration } from "./describe-outcome.js";

/** Options of the terminal renderer of apply results. */
export interface ApplyTextOptions {
  /** ANSI colours; the CLI sets it for a TTY without NO_COLOR or --no-color. */
  readonly color: boolean;
  /** Most failures, skips and member errors listed each (default 50); the rest are counted. */
  readonly limit?: number;
}

const DEFAULT_LIMIT = 50;

function more(hidden: number, what: string, style: Style): string[] {
  return hidden > 0
    ? [style.dim(`  ... and ${formatCount(hidden)} more ${what}; --format json lists them all`)]
    : [];
}

function principalLabel(outcome: ChangeOutcome): string {
  return outcome.principal.kind === "group" ? `group ${outcome.principal.name}` : outcome.principal.name;
}

function renderFailed(failed: readonly ChangeOutcome[], style: Style, limit: number): string[] {
  if (failed.length === 0) return [];
  const lines = [style.bold(style.red(`Failed (${formatCount(failed.length)}):`))];
  for (const outcome of failed.slice(0, limit)) {
    lines.push(
      `  ${style.red("x")} ${style.bold(principalLabel(outcome))}  ${describeOutcomeAction(outcome)}`,
    );
    const status = outcome.httpStatus ? ` (HTTP ${outcome.httpStatus})` : "";
    const error = outcome.error ? `${outcome.error.code}: ${outcome.error.message}` : "failed";
    lines.push(`      ${error}${style.dim(status)}`);
  }
  return [...lines, ...more(failed.length - limit, "failures", style), ""];
}

function renderUnknown(unknown: readonly ChangeOutcome[], style: Style, limit: number): string[] {
  if (unknown.length === 0) return [];
  const lines = [style.bold(style.red(`Outcome unknown (${formatCount(unknown.length)}):`))];
  for (const outcome of unknown.slice(0, limit)) {
    lines.push(
      `  ${style.red("?")} ${style.bold(principalLabel(outcome))}  ${describeOutcomeAction(outcome)}`,
    );
    const error = outcome.error ? `${outcome.error.code}: ${outcome.error.message}` : "no answer";
    lines.push(`      ${error}`);
  }
  lines.push(
    style.dim("  Graph's answer was lost and the principal could not be read back; run plan to see."),
  );
  return [...lines, ...more(unknown.length - limit, "changes of unknown outcome", style), ""];
}

function renderSkipped(skipped: readonly ChangeOutcome[], style: Style, limit: number): string[] {
  if (skipped.length === 0) return [];
  const lines = [style.bold(style.yellow(`Skipped (${formatCount(skipped.length)}):`))];
  for (const outcome of skipped.slice(0, limit)) {
    lines.push(
      `  ${style.yellow("-")} ${style.bold(principalLabel(outcome))}  ${describeOutcomeAction(outcome)}`,
    );
    lines.push(
      style.dim(`      skipped: ${outcome.reason?.message ?? "a change it depends on did not apply"}`),
    );
  }
  return [...lines, ...more(skipped.length - limit, "skipped changes", style), ""];
}

function renderGroupErrors(result: ApplyResult, style: Style, limit: number): string[] {
  if (result.groupErrors.length === 0) return [];
  const lines = [
    style.bold(style.red(`Group members with license errors (${formatCount(result.groupErrors.length)}):`)),
  ];
  for (const error of result.groupErrors.slice(0, limit)) {
    const sku = error.skuPartNumber ?? error.skuId;
    const before = error.beforeApply ? ", already before this apply" : "";
    lines.push(
      `  ${style.red("!")} ${error.userPrincipalName}  ${sku}  ${error.error}  ${style.dim(`(group ${error.groupName}${before})`)}`,
    );
    if (error.fix) lines.push(style.dim(`      fix: ${error.fix}`));
  }
  return [...lines, ...more(result.groupErrors.length - limit, "members with errors", style), ""];
}

function renderWarnings(warnings: readonly string[], style: Style): string[] {
  if (warnings.length === 0) return [];
  return [style.bold(style.yellow("Warnings:")), ...warnings.map((w) => `  ${style.yellow("!")} ${w}`), ""];
}

/**
 * The apply result for a terminal: failures with Graph's message first, then
 * skips with their reason, group members with license errors, warnings, and
 * a summary line last, where the eye lands. Pure.
 */
export function renderApplyResultText(result: ApplyResult, options: ApplyTextOptions): string {
  const style = createStyle(options.color);
  const limit = Math.max(0, options.limit ?? DEFAULT_LIMIT);
  const counts = [
    style.green(`${formatCount(result.applied.length)} applied`),
    result.failed.length > 0 ? style.red(`${formatCount(result.failed.length)} failed`) : "0 failed",
    ...(result.unknown.length > 0 ? [style.red(`${formatCount(result.unknown.length)} unknown`)] : []),
    result.skipped.length > 0 ? style.yellow(`${formatCount(result.skipped.length)} skipped`) : "0 skipped",
  ];
  const traffic = [
    `${plural(result.requests, "write request")} in ${plural(result.batches, "batch", "batches")}`,
    plural(result.retries, "retry", "retries"),
    `${formatCount(result.throttled)} throttled`,
    // Lost answers are not throttling: the write may have been carried out, so it was read back.
    ...(result.answersLost > 0 ? [`${plural(result.answersLost, "answer")} lost and read back`] : []),
  ];
  const lines = [
    ...renderFailed(result.failed, style, limit),
    ...renderUnknown(result.unknown, style, limit),
    ...renderSkipped(result.skipped, style, limit),
    ...renderGroupErrors(result, style, limit),
    ...renderWarnings(result.warnings, style),
    `${style.bold("Apply finished:")} ${counts.join(", ")} in ${formatDuration(result.durationMs)}.`,
    style.dim(`${traffic.join(", ")}.`),
  ];
  return `${lines.join("\n")}\n`;
}

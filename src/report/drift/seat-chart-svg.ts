import type { CapacityCondition, SkuSeats } from "../../model/drift.js";
import { capacityConditions } from "../../drift/capacity.js";
import { conditionLabel, utilisation } from "./drift-tables.js";
import { escapeHtml } from "./html-text.js";

const ROW_HEIGHT = 28;
const LABEL_WIDTH = 300;
const BAR_WIDTH = 420;
const VALUE_WIDTH = 220;

function barClass(conditions: readonly CapacityCondition[]): string {
  if (
    conditions.includes("over-capacity") ||
    conditions.includes("suspended") ||
    conditions.includes("locked-out")
  )
    return "bad";
  if (conditions.length > 0) return "warn";
  return "ok";
}

/**
 * Seat utilisation as inline SVG: one bar per SKU, its track the enabled
 * seats and its fill the consumed ones (capped at the track; an over-full
 * SKU is drawn full and red). No script, no external resource.
 */
export function renderSeatChart(seats: readonly SkuSeats[]): string {
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  const height = Math.max(1, seats.length) * ROW_HEIGHT + 8;
  const bars = seats.map((s, i) => {
    const y = 4 + i * ROW_HEIGHT;
    const conditions = capacityConditions(s);
    const ratio = s.enabled > 0 ? Math.min(1, s.consumed / s.enabled) : s.consumed > 0 ? 1 : 0;
    const fill = Math.round(ratio * BAR_WIDTH);
    const label = s.displayName ? `${s.skuPartNumber} (${s.displayName})` : s.skuPartNumber;
    const value = `${s.consumed.toLocaleString("en-US")} / ${s.enabled.toLocaleString("en-US")} (${utilisation(s)})`;
    const after = s.consumedAfterPlan;
    const planned =
      after !== undefined && after !== s.consumed ? `, ${after.toLocaleString("en-US")} after the plan` : "";
    const notes = conditions.map(conditionLabel).join(", ");
    const tooltip = `${label}: ${value}${planned}${notes ? `, ${notes}` : ""}`;
    const afterX =
      planned && s.enabled > 0
        ? LABEL_WIDTH + Math.round(Math.min(1, (after ?? 0) / s.enabled) * BAR_WIDTH)
        : undefined;
    return [
      `<g class="seat-bar ${barClass(conditions)}" data-sku="${escapeHtml(s.skuPartNumber)}" data-consumed="${s.consumed}" data-enabled="${s.enabled}">`,
      `<title>${escapeHtml(tooltip)}</title>`,
      `<text class="sku-label" x="${LABEL_WIDTH - 8}" y="${y + 18}" text-anchor="end">${escapeHtml(shorten(label, 42))}</text>`,
      `<rect class="track" x="${LABEL_WIDTH}" y="${y + 4}" width="${BAR_WIDTH}" height="${ROW_HEIGHT - 10}" rx="3"/>`,
      `<rect class="fill" x="${LABEL_WIDTH}" y="${y + 4}" width="${fill}" height="${ROW_HEIGHT - 10}" rx="3"/>`,
      afterX === undefined
        ? ""
        : `<line class="after-plan" x1="${afterX}" x2="${afterX}" y1="${y + 1}" y2="${y + ROW_HEIGHT - 3}"/>`,
      `<text class="seat-value" x="${LABEL_WIDTH + BAR_WIDTH + 8}" y="${y + 18}">${escapeHtml(notes ? `${value} ${notes}` : value)}</text>`,
      `</g>`,
    ].join("");
  });
  return (
    `<svg class="seat-chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Seat utilisation per SKU" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${bars.join("\n")}\n</svg>`
  );
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}\u2026` : text;
}

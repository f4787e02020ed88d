import { countStatuses, type TenantApplyEntry, type TenantPlanEntry } from "../../model/tenant-run.js";
import { plural } from "../style.js";
import { byAttention, tenantRow } from "./tenant-rows.js";

const pad = (text: string, width: number) => text.padEnd(width);

/** A terminal summary of a run over several tenants: a line per tenant, failures with their message. */
export function renderTenantPlansText(entries: readonly TenantPlanEntry[]): string {
  const counts = countStatuses(entries);
  const width = Math.max(6, ...entries.map((e) => e.name.length));
  const lines = [
    `${plural(entries.length, "tenant")}: ${counts.failed} failed, ${counts.changed} with changes, ${counts["in-sync"]} in sync`,
    "",
    `${pad("tenant", width)}  ${pad("status", 8)}  adds  updates  removes  seats short  risk`,
  ];
  for (const entry of byAttention(entries)) {
    const row = tenantRow(entry);
    const n = (v: number | undefined, w: number) => (v === undefined ? "-" : String(v)).padStart(w);
    lines.push(
      `${pad(row.name, width)}  ${pad(row.status, 8)}  ${n(row.adds, 4)}  ${n(row.updates, 7)}  ${n(row.removes, 7)}  ${n(row.seatsShort, 11)}  ${row.risk ?? "-"}`,
    );
    if (entry.failure) lines.push(`${" ".repeat(width + 2)}error: ${entry.failure.message}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A terminal summary of saved plans applied tenant by tenant. */
export function renderTenantApplyText(entries: readonly TenantApplyEntry[]): string {
  const counts = countStatuses(entries);
  const lines = [
    `${plural(entries.length, "tenant")}: ${counts.failed} failed or refused, ${counts.changed} applied and converged, ${counts["in-sync"]} had nothing to do`,
  ];
  for (const entry of byAttention(entries)) {
    const detail =
      entry.refusal?.message ??
      entry.failure?.message ??
      entry.notConverged ??
      (entry.changes > 0 ? `${plural(entry.changes, "change")} applied, converged` : "no changes");
    lines.push(`  ${entry.name}: ${entry.status === "failed" ? "FAILED" : "ok"}: ${detail}`);
  }
  return `${lines.join("\n")}\n`;
}

import type { DriftReport } from "../../model/drift.js";

/** The report as its JSON contract (schemas/drift.schema.json), for machines; nothing else on stdout. */
export function renderDriftJson(report: DriftReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

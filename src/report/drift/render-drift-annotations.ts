import type { DriftReport } from "../../model/drift.js";
import type { SourceLocation } from "../../model/problem.js";
import { describeChange, principalLabel } from "./drift-tables.js";

/** GitHub workflow-command escaping: data and property values differ (properties also escape `:` and `,`). */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function annotation(location: SourceLocation, title: string, message: string, level = "warning"): string {
  return (
    `::${level} file=${escapeProperty(location.file)},line=${location.line},col=${location.column},` +
    `title=${escapeProperty(title)}::${escapeData(message)}`
  );
}

/**
 * `::warning` / `::error` workflow commands for drift items that point at a manifest
 * line, so GitHub shows them on the file in the pull request or run summary.
 */
export function renderDriftAnnotations(report: DriftReport): string[] {
  const lines: string[] = [];
  for (const problem of report.planProblems) {
    if (problem.location) {
      lines.push(
        annotation(
          problem.location,
          "licensectl: no plan",
          problem.hint ? `${problem.message} (${problem.hint})` : problem.message,
          problem.severity === "error" ? "error" : "warning",
        ),
      );
    }
  }
  for (const change of report.pendingChanges) {
    const location = change.principal.location ?? change.reasons.find((r) => r.location)?.location;
    if (location) {
      lines.push(
        annotation(
          location,
          "licensectl drift",
          `${principalLabel(change.principal)}: ${describeChange(change)} pending`,
        ),
      );
    }
  }
  for (const item of report.redundantAssignments) {
    if (item.declaredAt) {
      const groups = item.groups.map((g) => g.name).join(", ");
      lines.push(
        annotation(
          item.declaredAt,
          "licensectl drift",
          `${item.user.name} also inherits ${item.sku.skuPartNumber} from ${groups}; the direct assignment is redundant`,
        ),
      );
    }
  }
  for (const item of report.newServicePlans) {
    for (const holder of item.holders) {
      const effect =
        holder.effect === "enabled" ? "is enabled silently (deny-list)" : "stays disabled (allow-list)";
      lines.push(
        annotation(
          holder.location,
          "licensectl drift",
          `${item.plan.name}, new in ${item.sku.skuPartNumber}, ${effect} for ${principalLabel(holder.principal)}`,
        ),
      );
    }
  }
  for (const item of report.missingUsageLocations) {
    if (item.user.location) {
      lines.push(
        annotation(
          item.user.location,
          "licensectl drift",
          `${item.user.name} holds licenses and has no usage location`,
        ),
      );
    }
  }
  return lines;
}

import type {
  CapacityCondition,
  DriftCategory,
  DriftPrincipal,
  DriftReport,
  NewPlanHolder,
  PendingChange,
  SkuSeats,
} from "../../model/drift.js";
import type { SkuRef } from "../../model/plan.js";

/**
 * The drift report as plain tables: one per category, cells as plain
 * (unescaped) text. Text, markdown and HTML renderers all lay out these
 * rows, so the three never disagree about what an item says.
 */
export interface ReportTable {
  /** A stable id: the drift category, or the name of an informative section. */
  readonly category: string;
  readonly title: string;
  /** One sentence: what the category means and what to do about it. */
  readonly explanation: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A table of one drift category. */
export interface DriftTable extends ReportTable {
  readonly category: DriftCategory;
}

const TITLES: Readonly<Record<DriftCategory, { title: string; explanation: string }>> = {
  planProblems: {
    title: "Why no plan can be made",
    explanation:
      "The planner refused, so the changes the manifests need are not known yet; fix these and run plan again.",
  },
  pendingChanges: {
    title: "Changes a plan would make",
    explanation:
      "The tenant differs from the manifests here; `licensectl plan` shows them in order and `licensectl apply` carries them out.",
  },
  unmanagedAssignments: {
    title: "Unmanaged direct assignments",
    explanation:
      "Direct assignments of SKUs outside scope.skus; licensectl never touches them. Add the SKU to scope to manage it.",
  },
  redundantAssignments: {
    title: "Direct assignments also inherited from a group",
    explanation:
      "The user holds the SKU directly and through a group; the direct assignment can go without the user losing anything.",
  },
  licenseErrors: {
    title: "License assignment errors",
    explanation:
      "Assignments Microsoft could not carry out (licenseAssignmentStates with an error); the user does not have the license.",
  },
  newServicePlans: {
    title: "Service plans Microsoft added",
    explanation:
      "Plans the tenant's SKU has and the bundled catalog lacks. Under a deny-list they are enabled silently; under an allow-list they stay disabled.",
  },
  capacityIssues: {
    title: "Seats and subscription status",
    explanation:
      "SKUs at 90 % of their enabled seats or more, over capacity, or not in good standing (Warning, Suspended, LockedOut).",
  },
  missingUsageLocations: {
    title: "Licensed users without usage location",
    explanation:
      "Direct assignments fail without one; set usageLocation on the user or tenant.defaultUsageLocation in the manifest.",
  },
};

export function categoryTitle(category: DriftCategory): string {
  return TITLES[category].title;
}

export function principalLabel(principal: DriftPrincipal): string {
  return principal.id === undefined ? `${principal.name} (not in tenant)` : principal.name;
}

export function skuLabel(sku: SkuRef): string {
  return sku.skuPartNumber;
}

const CONDITION_LABELS: Readonly<Record<CapacityCondition, string>> = {
  "over-capacity": "over capacity",
  "near-capacity": "near capacity",
  suspended: "Suspended",
  warning: "Warning",
  "locked-out": "LockedOut",
};

export function conditionLabel(condition: CapacityCondition): string {
  return CONDITION_LABELS[condition];
}

/** Consumed seats as a share of enabled seats, `93 %`; `-` when the SKU has none enabled. */
export function utilisation(seats: Pick<SkuSeats, "enabled" | "consumed">): string {
  if (seats.enabled <= 0) return seats.consumed > 0 ? "over" : "-";
  return `${Math.round((seats.consumed / seats.enabled) * 100)} %`;
}

/** `+SPE_E5, ~ENTERPRISEPACK, -FLOW_FREE` for licenses; `usage location none -> US` for locations. */
export function describeChange(change: PendingChange): string {
  if (change.usageLocation)
    return `usage location ${change.usageLocation.from ?? "none"} -> ${change.usageLocation.to}`;
  const parts = [
    ...change.add.map((s) => `+${skuLabel(s)}`),
    ...change.update.map((s) => `~${skuLabel(s)} (plans)`),
    ...change.remove.map((s) => `-${skuLabel(s)}`),
  ];
  const members: string[] = [];
  if (change.membersGainingLicenses) members.push(`${change.membersGainingLicenses} members gain`);
  if (change.membersLosingLicenses) members.push(`${change.membersLosingLicenses} members lose`);
  return members.length > 0 ? `${parts.join(", ")} (${members.join(", ")})` : parts.join(", ");
}

const MAX_NAMES = 5;

function names(holders: readonly NewPlanHolder[]): string {
  if (holders.length === 0) return "-";
  const shown = holders.slice(0, MAX_NAMES).map((h) => principalLabel(h.principal));
  return holders.length > MAX_NAMES
    ? `${shown.join(", ")} and ${holders.length - MAX_NAMES} more`
    : shown.join(", ");
}

function rowsOf(report: DriftReport, category: DriftCategory): string[][] {
  switch (category) {
    case "planProblems":
      return report.planProblems.map((p) => [
        p.location ? `${p.location.file}:${p.location.line}:${p.location.column}` : "-",
        p.message,
        p.hint ?? "",
      ]);
    case "pendingChanges":
      return report.pendingChanges.map((c) => [
        `${c.principal.kind} ${principalLabel(c.principal)}`,
        describeChange(c),
        c.impact,
        c.reasons.map((r) => r.message).join("; "),
      ]);
    case "unmanagedAssignments":
      return report.unmanagedAssignments.map((u) => [
        `${u.principal.kind} ${principalLabel(u.principal)}`,
        skuLabel(u.sku),
        u.disabledPlans.map((p) => p.name).join(", ") || "-",
      ]);
    case "redundantAssignments":
      return report.redundantAssignments.map((r) => [
        principalLabel(r.user),
        skuLabel(r.sku),
        r.groups.map((g) => g.name).join(", "),
        r.removedByPlan
          ? "plan removes the direct one"
          : r.inScope
            ? r.declaredAt
              ? "declared in the manifest"
              : "in scope"
            : "out of scope",
      ]);
    case "licenseErrors":
      return report.licenseErrors.map((e) => [
        principalLabel(e.user),
        skuLabel(e.sku),
        e.group ? e.group.name : "(direct)",
        e.error,
        e.state,
        e.fix,
      ]);
    case "newServicePlans":
      return report.newServicePlans.map((n) => [
        skuLabel(n.sku),
        n.plan.name,
        names(n.holders.filter((h) => h.effect === "enabled")),
        names(n.holders.filter((h) => h.effect === "kept-disabled")),
      ]);
    case "capacityIssues":
      return report.capacityIssues.map((c) => [
        skuLabel(c.seats),
        `${c.seats.consumed} / ${c.seats.enabled}`,
        utilisation(c.seats),
        c.seats.capabilityStatus,
        c.conditions.map(conditionLabel).join(", "),
      ]);
    case "missingUsageLocations":
      return report.missingUsageLocations.map((m) => [
        principalLabel(m.user),
        m.skus.map(skuLabel).join(", "),
        m.inheritedOnly ? "groups only" : "direct",
        m.plannedUsageLocation ?? "-",
      ]);
  }
}

const COLUMNS: Readonly<Record<DriftCategory, readonly string[]>> = {
  planProblems: ["Where", "Problem", "How to fix"],
  pendingChanges: ["Principal", "Change", "Impact", "Why"],
  unmanagedAssignments: ["Principal", "SKU", "Disabled plans"],
  redundantAssignments: ["User", "SKU", "Also from group", "Status"],
  licenseErrors: ["User", "SKU", "Group", "Error", "State", "How to fix"],
  newServicePlans: ["SKU", "New plan", "Enabled silently for", "Kept disabled for"],
  capacityIssues: ["SKU", "Consumed / enabled", "Used", "Status", "Condition"],
  missingUsageLocations: ["User", "Licenses", "Held through", "Plan sets"],
};

/** The categories that have items, as tables, in report order. */
export function driftTables(report: DriftReport, categories: readonly DriftCategory[]): DriftTable[] {
  return categories
    .map((category) => ({
      category,
      ...TITLES[category],
      columns: COLUMNS[category],
      rows: rowsOf(report, category),
    }))
    .filter((table) => table.rows.length > 0);
}

import type { DriftReport } from "../../model/drift.js";
import type { IdleReport, RenewalCondition, RenewalReport } from "../../model/economics.js";
import { formatMoney } from "../money.js";
import { formatCount } from "../style.js";
import type { ReportTable } from "./drift-tables.js";

/**
 * The informative sections of a drift report (what is paid for and not
 * used), as plain tables for every renderer. They follow the drift
 * categories and never count as drift.
 */
export function economicsTables(report: DriftReport): ReportTable[] {
  const economics = report.economics;
  if (!economics) return [];
  const tables: ReportTable[] = [];
  if (economics.unusedSeats) {
    const rows = economics.unusedSeats.map((u) => [
      u.skuPartNumber,
      `${formatCount(u.unused)} of ${formatCount(u.enabled)}`,
      formatMoney(u.monthlyUnitPrice, u.currency),
      formatMoney(u.monthlyCost, u.currency),
      formatMoney(u.yearlyCost, u.currency),
    ]);
    const totals = (economics.unusedSeatTotals ?? []).map(
      (t) =>
        `${formatCount(t.unused)} seats, ${formatMoney(t.monthlyCost, t.currency)} a month, ${formatMoney(t.yearlyCost, t.currency)} a year`,
    );
    tables.push({
      category: "unusedSeats",
      title: "Cost of unused seats",
      explanation:
        rows.length > 0
          ? `Enabled seats nobody holds, at the manifests' prices: candidates to cut at the next renewal. In total: ${totals.join("; ")}.`
          : "Every priced SKU has all its enabled seats in use.",
      columns: ["SKU", "Unused seats", "Per seat / month", "Monthly", "Yearly"],
      rows,
    });
  }
  if (economics.renewals) tables.push(...renewalTables(economics.renewals));
  if (economics.idle) tables.push(idleTable(economics.idle));
  return tables;
}

const CONDITION_LABELS: Readonly<Record<RenewalCondition, string>> = {
  due: "renews, expires or changes status",
  "trial-ends": "trial ends",
  warning: "Warning (grace period)",
  suspended: "Suspended",
  "locked-out": "LockedOut",
};

const day = (date: string | null) => (date === null ? "unknown" : date.slice(0, 10));

function renewalTables(renewals: RenewalReport): ReportTable[] {
  if (!renewals.available)
    return [
      {
        category: "renewals",
        title: "Subscriptions and renewals",
        explanation: `Unknown: ${renewals.reason}.`,
        columns: [],
        rows: [],
      },
    ];
  const perSku: ReportTable = {
    category: "renewals",
    title: "Subscriptions and renewals",
    explanation:
      "Each SKU's subscriptions, trials and next renewal or expiry (Graph's nextLifecycleDateTime), and the seats that could be cut at renewal: enabled - consumed - reserve.",
    columns: [
      "SKU",
      "Subscriptions",
      "Trials",
      "Next renewal or expiry",
      "Enabled",
      "Consumed",
      "Reserve",
      "Reducible",
    ],
    rows: renewals.skus.map((s) => [
      s.skuPartNumber,
      formatCount(s.subscriptions.length),
      formatCount(s.trials),
      day(s.nextLifecycleDateTime),
      formatCount(s.enabled),
      formatCount(s.consumed),
      formatCount(s.reserve),
      formatCount(s.reducible),
    ]),
  };
  const flagged: ReportTable = {
    category: "expiringSubscriptions",
    title: "Subscriptions needing attention",
    explanation: `Subscriptions in Warning, Suspended or LockedOut, or that renew, expire or change status within ${renewals.withinDays} days (policies.renewals.warnDays): decide on seats before the date.`,
    columns: ["SKU", "Subscription", "Status", "Seats", "Date", "Days left", "Why"],
    rows: renewals.flagged.map((f) => [
      f.subscription.skuPartNumber,
      f.subscription.id,
      f.subscription.isTrial ? `${f.subscription.status} (trial)` : f.subscription.status,
      formatCount(f.subscription.totalLicenses),
      day(f.subscription.nextLifecycleDateTime),
      f.daysLeft === null ? "-" : String(f.daysLeft),
      f.conditions.map((c) => CONDITION_LABELS[c]).join(", "),
    ]),
  };
  return flagged.rows.length > 0 ? [flagged, perSku] : [perSku];
}

function idleTable(idle: IdleReport): ReportTable {
  const title = "Idle licenses";
  if (!idle.available)
    return {
      category: "idle",
      title,
      explanation: `Unknown, so nobody is listed: ${idle.reason}.`,
      columns: [],
      rows: [],
    };
  const notes = [
    idle.noSignInRecorded > 0
      ? `${formatCount(idle.noSignInRecorded)} licensed users have no sign-in recorded (never, or before April 2020) and are not counted`
      : "",
    idle.exempted > 0 ? `${formatCount(idle.exempted)} exempt (protect.users, policies.exempt)` : "",
  ].filter(Boolean);
  return {
    category: "idle",
    title,
    explanation: `Licensed users with no sign-in (interactive or not) for more than ${idle.inactiveDays} days: remove their licenses in the manifests to take them back.${notes.length > 0 ? ` ${notes.join("; ")}.` : ""}`,
    columns: ["User", "Last sign-in", "Days", "Licenses", "Monthly cost"],
    rows: idle.users.map((u) => [
      u.userPrincipalName,
      u.lastSignIn.slice(0, 10),
      formatCount(u.daysInactive),
      u.skus.map((s) => s.skuPartNumber).join(", "),
      u.monthlyCost.map((c) => formatMoney(c.amount, c.currency)).join(" + ") || "-",
    ]),
  };
}

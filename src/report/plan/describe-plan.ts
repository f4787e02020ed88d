import type {
  AssignLicensesChange,
  Change,
  Plan,
  SeatSummary,
  SkuUpdate,
  WaveKind,
} from "../../model/plan.js";
import type { SourceLocation } from "../../model/problem.js";
import { formatCount, plural } from "../style.js";

/**
 * Words shared by the plan renderers, derived from the plan's data so that the
 * terminal, markdown and any later format say the same thing.
 */

const WAVE_TITLES: Record<WaveKind, string> = {
  "usage-locations": "Set usage locations",
  "add-held-users": "Add direct copies of licenses users hold through groups",
  "remove-users": "Remove licenses from users",
  "remove-groups": "Remove licenses from groups",
  updates: "Update service plans and swap SKUs",
  "add-users": "Add licenses to users",
  "add-groups": "Add licenses to groups",
  "group-handover": "Hand direct assignments over to groups",
};

export function waveTitle(kind: WaveKind): string {
  return WAVE_TITLES[kind] ?? kind;
}

/** `users.yaml:12`, the form editors and CI logs turn into links. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}`;
}

/** `+` only adds, `-` only removes, `~` anything else (updates, swaps, usage locations). */
export type ChangeSymbol = "+" | "-" | "~";

export function changeSymbol(change: Change): ChangeSymbol {
  if (change.kind === "setUsageLocation") return "~";
  const adds = change.add.length > 0;
  const removes = change.remove.length > 0;
  if (adds && !removes && change.update.length === 0) return "+";
  if (removes && !adds && change.update.length === 0) return "-";
  return "~";
}

/** One line item of a change: what happens to one SKU or to the usage location. */
export interface ChangeItem {
  readonly symbol: ChangeSymbol;
  /** SKU part number, or `usageLocation: null -> US`. */
  readonly subject: string;
  /** e.g. `disabled: SWAY`, `disable: SWAY; enable: TEAMS1`; empty when there is nothing more to say. */
  readonly detail: string;
}

const names = (plans: readonly { readonly name: string }[]) => plans.map((p) => p.name).sort();

/** Plans the update turns off and on, by name. */
export function updateDelta(update: SkuUpdate): { disable: string[]; enable: string[] } {
  const from = new Set(update.fromDisabledPlans.map((p) => p.id));
  const to = new Set(update.toDisabledPlans.map((p) => p.id));
  return {
    disable: names(update.toDisabledPlans.filter((p) => !from.has(p.id))),
    enable: names(update.fromDisabledPlans.filter((p) => !to.has(p.id))),
  };
}

export function describeUpdate(update: SkuUpdate): string {
  const { disable, enable } = updateDelta(update);
  const parts: string[] = [];
  if (disable.length > 0) parts.push(`disable: ${disable.join(", ")}`);
  if (enable.length > 0) parts.push(`enable: ${enable.join(", ")}`);
  return parts.join("; ") || "service plans unchanged";
}

export function changeItems(change: Change): ChangeItem[] {
  if (change.kind === "setUsageLocation") {
    return [{ symbol: "~", subject: `usageLocation: ${change.from ?? "null"} -> ${change.to}`, detail: "" }];
  }
  return [
    ...change.add.map((sku) => ({
      symbol: "+" as const,
      subject: sku.skuPartNumber,
      detail: sku.disabledPlans.length > 0 ? `disabled: ${names(sku.disabledPlans).join(", ")}` : "",
    })),
    ...change.update.map((sku) => ({
      symbol: "~" as const,
      subject: sku.skuPartNumber,
      detail: describeUpdate(sku),
    })),
    ...change.remove.map((sku) => ({ symbol: "-" as const, subject: sku.skuPartNumber, detail: "" })),
  ];
}

/** For a group: how many members gain or lose a license through it. */
export function memberEffect(change: AssignLicensesChange): string {
  const skus = (list: readonly { readonly skuPartNumber: string }[]) =>
    list.length === 1 ? list[0]!.skuPartNumber : "a license";
  const parts: string[] = [];
  if (change.membersGainingLicenses)
    parts.push(`${plural(change.membersGainingLicenses, "member")} gain ${skus(change.add)}`);
  if (change.membersLosingLicenses)
    parts.push(`${plural(change.membersLosingLicenses, "member")} lose ${skus(change.remove)}`);
  return parts.join(", ");
}

export function principalLabel(change: Change): string {
  const target = change.kind === "setUsageLocation" ? change.user : change.target;
  return target.kind === "group" ? `group ${target.name}` : target.name;
}

/** Group names for ids, as the plan's changes name them; the id when no change does. */
export function groupNames(plan: Plan, ids: readonly string[]): string[] {
  const byId = new Map<string, string>();
  for (const wave of plan.waves) {
    for (const change of wave.changes) {
      if (change.kind === "assignLicenses" && change.target.kind === "group")
        byId.set(change.target.id, change.target.name);
    }
  }
  return ids.map((id) => byId.get(id) ?? id);
}

/** Something a reviewer should look at before approving; risky changes come first. */
export interface PlanRisk {
  /**
   * `group-license-removal`, `max-removals-exceeded`, `license-removals`, `sku-not-enabled`,
   * `capacity-exceeded`, or a planner warning's code.
   */
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  readonly location?: SourceLocation;
}

const STATUS_MEANING: Record<string, string> = {
  Warning: "the subscription has expired and is in its grace period",
  Suspended: "the subscription is suspended; assigned users cannot use it",
  LockedOut: "the subscription is locked out",
  Deleted: "the subscription is deleted",
};

function skuLabel(seat: SeatSummary): string {
  return seat.skuPartNumber;
}

/** Risks a reviewer must see first: the widest-reaching removals, then the guard they trip. */
const FIRST_RISKS = ["group-license-removal", "max-removals-exceeded", "license-removals"];

/**
 * The plan's risks, worst first: group removals that strip members (most
 * members first), removals beyond `limits.maxRemovals` (or else the count of
 * users who lose a license), SKUs that are not
 * Enabled or lack seats, then the planner's own warnings. The planner warns
 * about most of these itself; a derived risk is left out when a warning with
 * the same code already names the same group or SKU, so plans made by any
 * planner version show each risk once.
 */
export function planRisks(plan: Plan): PlanRisk[] {
  const derived: { risk: PlanRisk; subject?: string }[] = [];
  const groupRemovals: { risk: PlanRisk; subject: string; members: number }[] = [];
  for (const wave of plan.waves) {
    for (const change of wave.changes) {
      if (change.kind !== "assignLicenses" || change.target.kind !== "group" || change.remove.length === 0)
        continue;
      const members = change.membersLosingLicenses ?? 0;
      if (members === 0) continue;
      const skus = change.remove.map((sku) => sku.skuPartNumber).join(", ");
      const what = change.remove.length === 1 ? "it" : "a license";
      groupRemovals.push({
        members,
        subject: change.target.name,
        risk: {
          code: "group-license-removal",
          message: `Removes ${skus} from group ${change.target.name}: ${plural(members, "member")} lose ${what}`,
          ...(change.target.location ? { location: change.target.location } : {}),
        },
      });
    }
  }
  groupRemovals.sort((a, b) => b.members - a.members);
  derived.push(...groupRemovals);
  if (plan.maxRemovals !== undefined && plan.summary.removals > plan.maxRemovals) {
    derived.push({
      risk: {
        code: "max-removals-exceeded",
        message: `${plural(plan.summary.removals, "license removal")} exceed limits.maxRemovals (${formatCount(plan.maxRemovals)})`,
        hint: `apply refuses this plan unless run with --max-removals ${plan.summary.removals}`,
      },
    });
  }
  const removalsExplained =
    derived.some((d) => d.risk.code === "max-removals-exceeded") ||
    plan.warnings.some((w) => w.code === "max-removals-exceeded");
  if (plan.summary.removals > 0 && !removalsExplained) {
    // Not alarming on its own, but the first thing a reviewer checks.
    derived.push({
      risk: { code: "license-removals", message: `${plural(plan.summary.removals, "user")} lose a license` },
    });
  }
  for (const seat of plan.seats) {
    if (!seat.inScope) continue;
    if (seat.capabilityStatus !== "Enabled") {
      const meaning = STATUS_MEANING[seat.capabilityStatus] ?? "licenses may not work";
      derived.push({
        subject: seat.skuPartNumber,
        risk: {
          code: "sku-not-enabled",
          message: `${skuLabel(seat)} is ${seat.capabilityStatus}, not Enabled: ${meaning}`,
        },
      });
    }
    if (seat.consumedAfter > seat.enabled) {
      derived.push({
        subject: seat.skuPartNumber,
        risk: {
          code: "capacity-exceeded",
          message: `${skuLabel(seat)} needs ${formatCount(seat.consumedAfter)} seats, ${formatCount(seat.enabled)} enabled`,
        },
      });
    }
  }
  const alreadyWarned = (d: { risk: PlanRisk; subject?: string }) =>
    plan.warnings.some(
      (w) => w.code === d.risk.code && (d.subject === undefined || w.message.includes(d.subject)),
    );
  const risks: PlanRisk[] = [
    ...derived.filter((d) => !alreadyWarned(d)).map((d) => d.risk),
    ...plan.warnings.map((w) => ({
      code: w.code,
      message: w.message,
      ...(w.hint ? { hint: w.hint } : {}),
      ...(w.location ? { location: w.location } : {}),
    })),
  ];
  const rank = (risk: PlanRisk) => {
    const i = FIRST_RISKS.indexOf(risk.code);
    return i < 0 ? FIRST_RISKS.length : i;
  };
  return risks.sort((a, b) => rank(a) - rank(b));
}

export function changeCount(plan: Plan): number {
  return plan.waves.reduce((sum, wave) => sum + wave.changes.length, 0);
}

/** `12 to add, 3 to update, 2 to remove, 4 usage locations`. */
export function summaryCounts(plan: Plan): string {
  const s = plan.summary;
  return [
    `${formatCount(s.adds)} to add`,
    `${formatCount(s.updates)} to update`,
    `${formatCount(s.removes)} to remove`,
    plural(s.usageLocations, "usage location"),
  ].join(", ");
}

export const NO_CHANGES = "No changes. The tenant matches the manifests.";

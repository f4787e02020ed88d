import { createTwoFilesPatch } from "diff";
import jsonpatch from "fast-json-patch";
import type { Change, Plan, ServicePlanRef } from "../model/plan.js";

/**
 * A plan's change set as a reviewer reads it, for showing what moved between
 * a reviewed plan and the plan made now: one line per change (and per order
 * constraint), and the same as a JSON document for RFC 6902 patches.
 */

/** An RFC 6902 operation. */
export type PatchOperation = jsonpatch.Operation;

/** What moved between two plans' change sets. */
export interface ChangeSetDifference {
  /** Unified diff of the two change lists, reviewed plan first; "" when they read the same. */
  readonly unifiedDiff: string;
  /** RFC 6902 operations turning the reviewed change set document into the current one. */
  readonly patch: readonly PatchOperation[];
  readonly added: number;
  readonly dropped: number;
  readonly altered: number;
}

const planNames = (plans: readonly ServicePlanRef[]) => plans.map((p) => p.name).join(", ");

function changeKey(change: Change): string {
  return change.kind === "setUsageLocation"
    ? `usage location of user ${change.user.name}`
    : `licenses of ${change.target.kind} ${change.target.name}`;
}

function changeText(change: Change): string {
  if (change.kind === "setUsageLocation") return `${change.from ?? "(none)"} -> ${change.to}`;
  const parts = [
    ...change.add.map(
      (a) =>
        `+${a.skuPartNumber}${a.disabledPlans.length > 0 ? ` (disabled: ${planNames(a.disabledPlans)})` : ""}`,
    ),
    ...change.update.map((u) => {
      const from = new Set(u.fromDisabledPlans.map((p) => p.name));
      const to = new Set(u.toDisabledPlans.map((p) => p.name));
      const disable = [...to].filter((name) => !from.has(name));
      const enable = [...from].filter((name) => !to.has(name));
      const parts = [
        ...(disable.length > 0 ? [`disable ${disable.join(", ")}`] : []),
        ...(enable.length > 0 ? [`enable ${enable.join(", ")}`] : []),
      ];
      return `~${u.skuPartNumber} (${parts.join("; ")})`;
    }),
    ...change.remove.map((r) => `-${r.skuPartNumber}`),
  ];
  return parts.join(" ");
}

function changeDocument(change: Change, wave: string): Record<string, unknown> {
  if (change.kind === "setUsageLocation")
    return { wave, userId: change.user.id.toLowerCase(), from: change.from, to: change.to };
  const disabled = (plans: readonly ServicePlanRef[]) => plans.map((p) => p.name);
  return {
    wave,
    id: change.target.id.toLowerCase(),
    add: change.add.map((a) => ({ sku: a.skuPartNumber, disabledPlans: disabled(a.disabledPlans) })),
    update: change.update.map((u) => ({
      sku: u.skuPartNumber,
      from: disabled(u.fromDisabledPlans),
      to: disabled(u.toDisabledPlans),
    })),
    remove: change.remove.map((r) => r.skuPartNumber),
  };
}

/** Keys unique within a plan: a name shared by two groups gets the group id. */
function keyed(plan: Plan): { key: string; wave: string; change: Change }[] {
  const all = plan.waves.flatMap((wave) => wave.changes.map((change) => ({ wave: wave.kind, change })));
  const counts = new Map<string, number>();
  for (const { change } of all) counts.set(changeKey(change), (counts.get(changeKey(change)) ?? 0) + 1);
  return all.map(({ wave, change }) => {
    const key = changeKey(change);
    const id = change.kind === "setUsageLocation" ? change.user.id : change.target.id;
    return { key: (counts.get(key) ?? 0) > 1 ? `${key} (${id.toLowerCase()})` : key, wave, change };
  });
}

function groupName(plan: Plan, id: string): string {
  for (const wave of plan.waves)
    for (const change of wave.changes)
      if (change.kind === "assignLicenses" && change.target.id.toLowerCase() === id.toLowerCase())
        return change.target.name;
  return id.toLowerCase();
}

/** The change set as lines: guards first, then each wave's order constraint and changes in plan order. */
export function changeListLines(plan: Plan): string[] {
  const lines = [
    `mode: ${plan.mode}`,
    `removals: ${plan.summary.removals}${plan.maxRemovals === undefined ? "" : ` (limit ${plan.maxRemovals})`}`,
  ];
  const byWave = new Map<string, string[]>();
  for (const { key, wave, change } of keyed(plan)) {
    const list = byWave.get(wave) ?? [];
    list.push(`  ${key}: ${changeText(change)}`);
    byWave.set(wave, list);
  }
  for (const wave of plan.waves) {
    const waits = (wave.waitForGroups ?? []).map((id) => groupName(plan, id));
    lines.push(
      `wave ${wave.kind}${waits.length > 0 ? ` (after license processing of ${waits.join(", ")})` : ""}`,
    );
    lines.push(...(byWave.get(wave.kind) ?? []));
    byWave.delete(wave.kind);
  }
  return lines;
}

/** The change set as a JSON document keyed by principal, so a patch names who moved. */
export function changeSetDocument(plan: Plan): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const { key, wave, change } of keyed(plan)) changes[key] = changeDocument(change, wave);
  const waits: Record<string, string[]> = {};
  for (const wave of plan.waves)
    if ((wave.waitForGroups ?? []).length > 0)
      waits[wave.kind] = wave.waitForGroups!.map((id) => groupName(plan, id));
  return {
    mode: plan.mode,
    maxRemovals: plan.maxRemovals ?? null,
    removals: plan.summary.removals,
    waitForGroups: waits,
    changes,
  };
}

/** What moved from the reviewed plan to the plan made now. Pure. */
export function diffChangeSets(
  reviewed: Plan,
  current: Plan,
  names: { reviewed: string; current: string },
): ChangeSetDifference {
  const before = changeSetDocument(reviewed);
  const after = changeSetDocument(current);
  const patch = jsonpatch.compare(before, after);
  const beforeKeys = new Set(Object.keys(before.changes as object));
  const afterKeys = new Set(Object.keys(after.changes as object));
  const beforeChanges = before.changes as Record<string, unknown>;
  const afterChanges = after.changes as Record<string, unknown>;
  const added = [...afterKeys].filter((k) => !beforeKeys.has(k)).length;
  const dropped = [...beforeKeys].filter((k) => !afterKeys.has(k)).length;
  const altered = [...afterKeys].filter(
    (k) => beforeKeys.has(k) && JSON.stringify(beforeChanges[k]) !== JSON.stringify(afterChanges[k]),
  ).length;
  const text = (plan: Plan) => `${changeListLines(plan).join("\n")}\n`;
  const unified =
    text(reviewed) === text(current)
      ? ""
      : createTwoFilesPatch(
          names.reviewed,
          names.current,
          text(reviewed),
          text(current),
          undefined,
          undefined,
          {
            context: 2,
          },
        );
  // The "=====" banner createTwoFilesPatch starts with says nothing here.
  return { unifiedDiff: unified.replace(/^=+\n/, ""), patch, added, dropped, altered };
}

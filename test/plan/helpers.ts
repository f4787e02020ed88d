import { expect } from "vitest";
import type { ResolvedDesiredState } from "../../src/model/desired-state.js";
import type { LiveState } from "../../src/model/live-state.js";
import type { AssignLicensesChange, Change, Plan, SetUsageLocationChange } from "../../src/model/plan.js";
import { formatProblem, type Problem } from "../../src/model/problem.js";
import { planChanges, type PlanOptions } from "../../src/plan/plan-changes.js";

export const OPTIONS: PlanOptions = { toolVersion: "0.1.0", now: new Date("2026-01-02T03:04:05Z") };

/** Plans and fails the test with the problems when there is no plan. */
export function planOf(desired: ResolvedDesiredState, live: LiveState): Plan {
  const result = planChanges(desired, live, OPTIONS);
  if (!result.plan)
    throw new Error(`expected a plan, got:\n${result.problems.map(formatProblem).join("\n")}`);
  expect(result.problems.every((p) => p.severity === "warning")).toBe(true);
  return result.plan;
}

/** Plans and expects the planner to refuse; returns its errors. */
export function errorsOf(desired: ResolvedDesiredState, live: LiveState): Problem[] {
  const result = planChanges(desired, live, OPTIONS);
  expect(result.plan).toBeUndefined();
  return result.problems.filter((p) => p.severity === "error");
}

export const changesOf = (plan: Plan): Change[] => plan.waves.flatMap((w) => w.changes);
export const waveKinds = (plan: Plan): string[] => plan.waves.map((w) => w.kind);

export function licenseChange(plan: Plan, id: string): AssignLicensesChange {
  const change = changesOf(plan).find((c) => c.id === id);
  if (!change || change.kind !== "assignLicenses") throw new Error(`no license change ${id}`);
  return change;
}

export function locationChange(plan: Plan, id: string): SetUsageLocationChange {
  const change = changesOf(plan).find((c) => c.id === id);
  if (!change || change.kind !== "setUsageLocation") throw new Error(`no usage location change ${id}`);
  return change;
}

export const parts = (refs: readonly { skuPartNumber: string }[]) => refs.map((r) => r.skuPartNumber);
export const seat = (plan: Plan, part: string) => plan.seats.find((s) => s.skuPartNumber === part)!;

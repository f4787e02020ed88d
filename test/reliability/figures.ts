import type { TaskMeta } from "vitest";

/**
 * What the reliability suite counts while it runs. Each test adds its own
 * numbers to its task's meta; the figures reporter sums them over the run and
 * prints one summary line at the end of `npm test`.
 */
export interface ReliabilityFigures {
  /** Generated cases checked (property runs, corpus inputs, fault scenarios). */
  casesRun: number;
  /** Faults the emulator injected (429, 503/504, dropped connections) plus processes killed mid-apply. */
  faultsInjected: number;
  /** Bad inputs that licensectl refused with exit 1. */
  badInputsRefused: number;
  /** Writes the emulator saw while licensectl was refusing an input; must stay 0. */
  writesOnRefusal: number;
  /** Outputs (stdout, stderr, files) scanned for secrets. */
  outputsScannedForSecrets: number;
}

declare module "vitest" {
  interface TaskMeta {
    reliability?: ReliabilityFigures;
  }
}

export const EMPTY_FIGURES: ReliabilityFigures = {
  casesRun: 0,
  faultsInjected: 0,
  badInputsRefused: 0,
  writesOnRefusal: 0,
  outputsScannedForSecrets: 0,
};

/** Adds `figures` to the running test's tally (call with the test context's `task`). */
export function countFigures(task: { meta: TaskMeta }, figures: Partial<ReliabilityFigures>): void {
  const current = task.meta.reliability ?? { ...EMPTY_FIGURES };
  for (const [key, value] of Object.entries(figures) as [keyof ReliabilityFigures, number][])
    current[key] += value;
  task.meta.reliability = current;
}

export function addFigures(a: ReliabilityFigures, b: Partial<ReliabilityFigures>): ReliabilityFigures {
  const out = { ...a };
  for (const [key, value] of Object.entries(b) as [keyof ReliabilityFigures, number][])
    out[key] += value ?? 0;
  return out;
}

export function formatFigures(f: ReliabilityFigures, tests: number): string {
  return (
    `reliability: ${f.casesRun} cases run in ${tests} tests, ${f.faultsInjected} faults injected, ` +
    `${f.badInputsRefused} bad inputs refused, ${f.writesOnRefusal} writes on refusal, ` +
    `${f.outputsScannedForSecrets} outputs scanned for secrets`
  );
}

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RulesRecord } from "./tenant-model.js";

/**
 * The service-plan rules Entra enforces (mutually exclusive plans, plan
 * dependencies), shipped beside the catalog in `data/` with the source of
 * each entry. Every emulator tenant gets them unless its fixture declares
 * its own `rules`.
 */
export const BUNDLED_RULES_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "data",
  "service-plan-rules.json",
);

interface PlanRef {
  readonly name: string;
  readonly id: string;
}

interface RulesFile {
  readonly mutuallyExclusive: readonly { readonly plans: readonly PlanRef[] }[];
  readonly dependencies: readonly { readonly plan: PlanRef; readonly requiresAnyOf: readonly PlanRef[] }[];
}

let cached: RulesRecord | undefined;

/** The bundled rules as plan ids; a fresh copy each call, since tenant data is mutable. */
export function loadBundledRules(): RulesRecord {
  if (!cached) {
    const file = JSON.parse(readFileSync(BUNDLED_RULES_PATH, "utf8")) as RulesFile;
    cached = {
      mutuallyExclusive: file.mutuallyExclusive.map((set) => set.plans.map((p) => p.id.toLowerCase())),
      dependencies: file.dependencies.map((d) => ({
        plan: d.plan.id.toLowerCase(),
        requires: d.requiresAnyOf.map((p) => p.id.toLowerCase()),
      })),
    };
  }
  return {
    mutuallyExclusive: cached.mutuallyExclusive.map((set) => [...set]),
    dependencies: cached.dependencies.map((d) => ({ plan: d.plan, requires: [...d.requires] })),
  };
}

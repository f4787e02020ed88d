import type { ApplyResult } from "../apply/apply-result.js";
import { applyVerdict } from "../apply/verdict.js";
import type { GraphConnection } from "../graph/create-graph-client.js";
import type { DesiredState } from "../model/desired-state.js";
import type { Plan } from "../model/plan.js";
import { settle } from "../util/settle.js";
import { planAgainst, readTenant } from "./prepare-plan.js";

/** How the tenant is read back after an apply. */
export interface VerifyOptions {
  readonly catalog?: string;
  readonly progress: (line: string) => void;
  /** Pauses before each re-read while changes remain (default 1, 2 and 4 s). */
  readonly settleDelaysMs?: readonly number[];
}

type Attempt = { readonly plan: Plan } | { readonly error: unknown };

/**
 * Reads the tenant back after `result` and plans again: the plan that
 * remains. Entra is eventually consistent, so a read right after the last
 * write can still show the tenant before it, and a plan made from it would
 * report changes that are already done. When the apply says it did all its
 * plan said and changes remain anyway, the tenant is read again after each
 * settle delay, and only a plan that still has changes after the last is
 * reported. Without lag the first read is clean and nothing is waited; when
 * the apply itself fell short, the remaining changes are expected and the
 * first read stands.
 */
export async function planAfterApply(
  connection: GraphConnection,
  desired: DesiredState,
  result: ApplyResult,
  options: VerifyOptions,
): Promise<Plan> {
  const globals = options.catalog !== undefined ? { catalog: options.catalog } : {};
  const attempt = async (): Promise<Attempt> => {
    const after = await readTenant(connection, desired, options.progress);
    try {
      return { plan: planAgainst(desired, after, globals).plan };
    } catch (error) {
      // A stale read (consumedUnits that trail the assignments) can make the plan refuse; read again.
      return { error };
    }
  };
  const done = (a: Attempt) => "plan" in a && a.plan.summary.changes === 0;
  const delays = applyVerdict(result).ok ? options.settleDelaysMs : [];
  const last = await settle(attempt, done, delays);
  if ("error" in last) throw last.error;
  return last.plan;
}

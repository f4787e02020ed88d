import type { ApplyResult } from "../apply/apply-result.js";
import { applyVerdict } from "../apply/verdict.js";
import type { GraphConnection } from "../graph/create-graph-client.js";
import type { DesiredState } from "../model/desired-state.js";
import type { Plan } from "../model/plan.js";
import {
  DEFAULT_CONSISTENCY_WINDOW_MS,
  realClock,
  waitUntil,
  type Clock,
} from "../util/consistency-window.js";
import { planAgainst, readTenant, type ReadTenantOptions } from "./prepare-plan.js";

/** How the tenant is read back after an apply. */
export interface VerifyOptions {
  readonly catalog?: string;
  readonly progress: (line: string) => void;
  /** How long a read may lag behind a write (default `DEFAULT_CONSISTENCY_WINDOW_MS`). */
  readonly consistencyWindowMs?: number;
  /** How the tenant is read back. */
  readonly read?: ReadTenantOptions;
  /** Replaced in tests. */
  readonly clock?: Clock;
}

type Attempt = { readonly plan: Plan } | { readonly error: unknown };

/**
 * Reads the tenant back after `result` and plans again: the plan that
 * remains. Entra is eventually consistent, so a read right after the last
 * write can still show the tenant before it, and a plan made from it would
 * report changes that are already done. When the apply says it did all its
 * plan said and changes remain anyway, the tenant is read once more, no
 * sooner than the consistency window after the apply ended, and that plan is
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
  const clock = options.clock ?? realClock;
  // Every write was answered before this point.
  const appliedAt = clock.now();
  const globals = options.catalog !== undefined ? { catalog: options.catalog } : {};
  const attempt = async (): Promise<Attempt> => {
    const after = await readTenant(connection, desired, options.progress, options.read);
    try {
      return { plan: planAgainst(desired, after, globals).plan };
    } catch (error) {
      // A stale read (consumedUnits that trail the assignments) can make the plan refuse.
      return { error };
    }
  };
  let last = await attempt();
  const clean = "plan" in last && last.plan.summary.changes === 0;
  if (!clean && applyVerdict(result).ok) {
    await waitUntil(appliedAt + (options.consistencyWindowMs ?? DEFAULT_CONSISTENCY_WINDOW_MS), clock);
    last = await attempt();
  }
  if ("error" in last) throw last.error;
  return last.plan;
}

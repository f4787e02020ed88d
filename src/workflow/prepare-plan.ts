import type { GraphConnection } from "../graph/create-graph-client.js";
import { readLiveState, type ReadProgressEvent } from "../graph/read-live-state.js";
import { loadManifests } from "../manifest/load-manifests.js";
import type { DesiredState, ResolvedDesiredState } from "../model/desired-state.js";
import type { LiveState } from "../model/live-state.js";
import type { Plan } from "../model/plan.js";
import { hasErrors, type Problem } from "../model/problem.js";
import { noPlanError, planFromState, type NoPlan } from "./plan-outcome.js";
import { withPriceTable } from "../manifest/price-table.js";
import { plural } from "../report/style.js";

/** Manifests that loaded, with the loader's warnings (an empty file beside them). */
export interface LoadedManifests {
  readonly kind: "loaded";
  readonly desired: DesiredState;
  readonly warnings: readonly Problem[];
}

/**
 * Reads manifests; every located problem comes back at once, as a refusal
 * ("no-manifests" when the paths hold none) rather than an exception.
 */
export async function readManifests(
  paths: readonly string[],
  cwd: string,
  pricesFile?: string,
): Promise<LoadedManifests | NoPlan> {
  const loaded = await loadManifests(paths, { cwd });
  // A CSV price table (`--prices`) joins the manifests' `prices:`, checked as they are.
  const priced = loaded.state ? await withPriceTable(loaded.state, pricesFile, cwd) : undefined;
  const problems = [...loaded.problems, ...(priced?.problems ?? [])];
  if (!priced || hasErrors(problems)) {
    const errors = problems.filter((p) => p.severity === "error");
    return {
      kind: "refused",
      reason: errors.some((p) => p.code === "no-manifests") ? "no-manifests" : "invalid-manifests",
      code: "invalid-manifests",
      message: "the manifests are not valid",
      problems,
      hint: "Fix the problems above; `licensectl validate` checks manifests offline.",
      warnings: [],
    };
  }
  return { kind: "loaded", desired: priced.desired, warnings: problems };
}

/** How the tenant is read: ranges of users at once, and events for a progress display. */
export interface ReadTenantOptions {
  /** `userPrincipalName` ranges read at once; 1 reads page after page. */
  readonly concurrency?: number;
  /** Called as pages arrive: users and groups read, pages, the total Graph counted. */
  readonly onProgress?: (event: ReadProgressEvent) => void;
}

/** Reads manifests, throwing a LicensectlError with every located problem at once. */
export async function loadDesiredState(
  paths: readonly string[],
  cwd: string,
  pricesFile?: string,
): Promise<{ desired: DesiredState; warnings: Problem[] }> {
  const loaded = await readManifests(paths, cwd, pricesFile);
  if (loaded.kind === "refused") throw noPlanError(loaded);
  return { desired: loaded.desired, warnings: [...loaded.warnings] };
}

/** Reads the live tenant, reporting what was read and how long it took. */
export async function readTenant(
  connection: GraphConnection,
  desired: DesiredState | undefined,
  progress: (line: string) => void,
  read: ReadTenantOptions = {},
): Promise<LiveState> {
  const started = performance.now();
  progress(`Reading the tenant from ${connection.describe()} ...`);
  const live = await readLiveState(connection, {
    groupRefs: desired?.groups.map((g) => g.ref) ?? [],
    ...(read.concurrency !== undefined ? { readConcurrency: read.concurrency } : {}),
    ...(read.onProgress ? { onProgress: read.onProgress } : {}),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  progress(
    `Read ${live.tenant.displayName} (${live.tenant.id}): ${plural(live.users.length, "user")}, ` +
      `${plural(live.groups.length, "group")}, ${plural(live.skus.length, "SKU")} in ${seconds} s.`,
  );
  return live;
}

/**
 * Resolves names against the tenant's own SKUs and plans, as planFromState
 * does, but throws a LicensectlError (`invalid-manifests`, `plan-refused`)
 * instead of returning a refusal: for callers to whom a refusal is a failure.
 */
export function planAgainst(
  desired: DesiredState,
  live: LiveState,
  globals: { readonly catalog?: string },
): { resolved: ResolvedDesiredState; plan: Plan; warnings: Problem[] } {
  const outcome = planFromState(
    desired,
    live,
    globals.catalog !== undefined ? { catalog: globals.catalog } : {},
  );
  if (outcome.kind === "refused") throw noPlanError(outcome);
  return { resolved: outcome.resolved, plan: outcome.plan, warnings: [...outcome.warnings] };
}

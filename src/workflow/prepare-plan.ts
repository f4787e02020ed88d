import { loadCatalog } from "../catalog/bundled-catalog.js";
import { Catalog } from "../catalog/catalog.js";
import type { GraphConnection } from "../graph/create-graph-client.js";
import { readLiveState } from "../graph/read-live-state.js";
import { loadManifests } from "../manifest/load-manifests.js";
import { resolveDesiredState } from "../manifest/resolve-names.js";
import type { DesiredState, ResolvedDesiredState } from "../model/desired-state.js";
import { LicensectlError } from "../model/errors.js";
import type { LiveState } from "../model/live-state.js";
import type { Plan } from "../model/plan.js";
import { hasErrors, type Problem } from "../model/problem.js";
import { digestLiveState } from "../plan/live-digest.js";
import { withLicenseStates } from "../plan/license-states.js";
import { planChanges } from "../plan/plan-changes.js";
import { TOOL_VERSION } from "../version.js";
import { connectToGraph, type ConnectionSettings } from "./connect.js";
import { withPriceTable } from "../manifest/price-table.js";

export interface PreparedPlan {
  readonly desired: DesiredState;
  readonly resolved: ResolvedDesiredState;
  readonly live: LiveState;
  readonly plan: Plan;
  readonly connection: GraphConnection;
  /** Non-fatal problems from loading and resolving (warnings). */
  readonly warnings: readonly Problem[];
}

export interface PrepareOptions {
  readonly manifestPaths: readonly string[];
  /** How to reach Graph, and `catalog`: a newer copy of Microsoft's SKU CSV than the bundled one. */
  readonly globals: ConnectionSettings & { readonly catalog?: string };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly progress: (line: string) => void;
  readonly verbose?: (line: string) => void;
  /** Reuse an open connection (apply re-plans after writing). */
  readonly connection?: GraphConnection;
  /** A CSV price table (`--prices`) added to the manifests' `prices:`. */
  readonly pricesFile?: string;
}

/** Reads manifests, fails with every located problem at once. */
export async function loadDesiredState(
  paths: readonly string[],
  cwd: string,
  pricesFile?: string,
): Promise<{ desired: DesiredState; warnings: Problem[] }> {
  const loaded = await loadManifests(paths, { cwd });
  const priced = loaded.state ? await withPriceTable(loaded.state, pricesFile, cwd) : undefined;
  const problems = [...loaded.problems, ...(priced?.problems ?? [])];
  if (!priced || hasErrors(problems)) {
    throw new LicensectlError("invalid-manifests", "the manifests are not valid", {
      problems,
      hint: "Fix the problems above; `licensectl validate` checks manifests offline.",
    });
  }
  return { desired: priced.desired, warnings: problems };
}

/**
 * The thin async wrapper around the pure planner: every read happens here,
 * then `planChanges` decides. Throws a LicensectlError carrying the located
 * problems when the manifests or the plan are refused; writes nothing.
 */
export async function preparePlan(options: PrepareOptions): Promise<PreparedPlan> {
  const { desired, warnings } = await loadDesiredState(
    options.manifestPaths,
    options.cwd,
    options.pricesFile,
  );
  const connection =
    options.connection ?? connectToGraph(options.globals, options.env, desired.tenant.id, options.verbose);
  const live = await readTenant(connection, desired, options.progress);
  const planned = planAgainst(desired, live, options.globals);
  return {
    ...planned,
    desired,
    live,
    connection,
    warnings: [...warnings, ...planned.warnings],
  };
}

/** Reads the live tenant, reporting what was read and how long it took. */
export async function readTenant(
  connection: GraphConnection,
  desired: DesiredState | undefined,
  progress: (line: string) => void,
): Promise<LiveState> {
  const started = performance.now();
  progress(`Reading the tenant from ${connection.describe()} ...`);
  const live = await readLiveState(connection, { groupRefs: desired?.groups.map((g) => g.ref) ?? [] });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  progress(
    `Read ${live.tenant.displayName} (${live.tenant.id}): ${live.users.length} users, ${live.groups.length} groups, ` +
      `${live.skus.length} SKUs in ${seconds} s.`,
  );
  return live;
}

/** Resolves names against the tenant's own SKUs and plans; pure apart from reading the bundled catalog. */
export function planAgainst(
  desired: DesiredState,
  live: LiveState,
  globals: { readonly catalog?: string },
): { resolved: ResolvedDesiredState; plan: Plan; warnings: Problem[] } {
  const reference = loadCatalog(globals.catalog);
  const tenantCatalog = Catalog.fromSubscribedSkus(live.skus, reference);
  const resolution = resolveDesiredState(desired, tenantCatalog, { catalogIsTenant: true, reference });
  if (!resolution.state || hasErrors(resolution.problems)) {
    throw new LicensectlError("invalid-manifests", "the manifests do not match the tenant's subscriptions", {
      problems: resolution.problems,
    });
  }
  const result = planChanges(resolution.state, live, { toolVersion: TOOL_VERSION, now: new Date() });
  if (!result.plan || hasErrors(result.problems)) {
    const policy = result.problems.some((p) => p.severity === "error" && p.code.startsWith("policy-"));
    throw new LicensectlError(policy ? "policy-violated" : "plan-refused", "no plan can be made", {
      problems: result.problems,
      hint: "Nothing was written to the tenant. Fix the problems above and run plan again.",
    });
  }
  // Each license change carries the principal's licenses before and after, for programs reading the plan.
  return {
    resolved: resolution.state,
    plan: withLicenseStates(result.plan, live),
    // Resolution warnings (names resolved against the tenant) are not in the plan; callers show them.
    warnings: resolution.problems.filter((p) => p.severity !== "error"),
  };
}

export { digestLiveState };

import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { Catalog } from "../../src/catalog/catalog.js";
import type { GraphConnection } from "../../src/graph/create-graph-client.js";
import { readLiveState } from "../../src/graph/read-live-state.js";
import { loadManifests } from "../../src/manifest/load-manifests.js";
import { resolveDesiredState } from "../../src/manifest/resolve-names.js";
import type { DesiredState } from "../../src/model/desired-state.js";
import type { Plan, PlanResult } from "../../src/model/plan.js";
import { formatProblem, hasErrors } from "../../src/model/problem.js";
import { planChanges } from "../../src/plan/plan-changes.js";

/** Loads manifests, failing the test with their problems. */
export async function loadDesired(paths: readonly string[], cwd: string): Promise<DesiredState> {
  const loaded = await loadManifests(paths, { cwd });
  if (!loaded.state || hasErrors(loaded.problems))
    throw new Error(loaded.problems.map(formatProblem).join("\n"));
  return loaded.state;
}

/**
 * Reads the tenant through Graph and asks the planner, as `licensectl plan`
 * does: a plan, or the problems that refuse one. Names that do not resolve
 * fail the test.
 */
export async function planLiveResult(
  connection: GraphConnection,
  desired: DesiredState,
): Promise<PlanResult> {
  const live = await readLiveState(connection, { groupRefs: desired.groups.map((g) => g.ref) });
  const reference = loadCatalog();
  const resolution = resolveDesiredState(desired, Catalog.fromSubscribedSkus(live.skus, reference), {
    catalogIsTenant: true,
    reference,
  });
  if (!resolution.state || hasErrors(resolution.problems))
    throw new Error(resolution.problems.map(formatProblem).join("\n"));
  return planChanges(resolution.state, live, {
    toolVersion: "0.0.0-test",
    now: new Date("2026-01-01T00:00:00Z"),
  });
}

/** Reads the tenant through Graph and plans against it, failing the test when the planner refuses. */
export async function planLive(connection: GraphConnection, desired: DesiredState): Promise<Plan> {
  const result = await planLiveResult(connection, desired);
  if (!result.plan || hasErrors(result.problems))
    throw new Error(result.problems.map(formatProblem).join("\n"));
  return result.plan;
}

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { createGraphClient } from "../../src/graph/create-graph-client.js";
import { readLiveState } from "../../src/graph/read-live-state.js";
import { loadManifests } from "../../src/manifest/load-manifests.js";
import { resolveDesiredState } from "../../src/manifest/resolve-names.js";
import { formatProblem, hasErrors } from "../../src/model/problem.js";
import { planChanges } from "../../src/plan/index.js";
import { exportManifests } from "../../src/report/export/export-manifests.js";
import { renderPlanText } from "../../src/report/plan/render-plan-text.js";

const root = resolve(import.meta.dirname, "../..");
let emulator: RunningEmulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/**
 * The acceptance test of `licensectl export`: export the example tenant
 * through the Graph emulator, load the files as `licensectl plan` does, and
 * plan them against the same tenant: nothing to do.
 */
describe("export, then plan against the same tenant", () => {
  it("shows no changes for the example tenant", async () => {
    emulator = await startEmulator({
      tenant: join(root, "examples", "tenant.yaml"),
      port: 0,
      groupProcessingDelayMs: 0,
    });
    const connection = createGraphClient({ cloud: "global", graphUrl: emulator.url, auth: "none", env: {} });
    const reference = loadCatalog();
    const exported = exportManifests(await readLiveState(connection, {}), reference);
    expect(exported.files.map((f) => f.path)).toEqual(["tenant.yaml", "groups.yaml", "users.yaml"]);

    dir = await mkdtemp(join(tmpdir(), "licensectl-round-trip-"));
    for (const file of exported.files) await writeFile(join(dir, file.path), file.content);
    const loaded = await loadManifests(["."], { cwd: dir });
    expect(loaded.problems.filter((p) => p.severity === "error").map(formatProblem)).toEqual([]);

    const live = await readLiveState(connection, { groupRefs: loaded.state!.groups.map((g) => g.ref) });
    const resolved = resolveDesiredState(loaded.state!, Catalog.fromSubscribedSkus(live.skus, reference), {
      catalogIsTenant: true,
      reference,
    });
    expect(resolved.problems.filter((p) => p.severity === "error").map(formatProblem)).toEqual([]);
    const result = planChanges(resolved.state!, live, { toolVersion: "0.0.0", now: new Date(0) });
    expect(hasErrors(result.problems) ? result.problems.map(formatProblem) : []).toEqual([]);
    const plan = result.plan!;
    expect(plan.waves.flatMap((w) => w.changes)).toEqual([]);
    expect(renderPlanText(plan, { color: false })).toMatch(
      /No changes\. The tenant matches the manifests\.\n$/,
    );
  });
});

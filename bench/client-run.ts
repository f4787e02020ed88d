/**
 * Child process measured by the benchmark: does what `licensectl plan` does
 * (load manifests, read the tenant, resolve names, plan, render) phase by
 * phase against an emulator in another process, and reports timings.
 */
import { loadCatalog } from "../src/catalog/bundled-catalog.js";
import { Catalog } from "../src/catalog/catalog.js";
import { createGraphClient, DEFAULT_READ_CONCURRENCY } from "../src/graph/index.js";
import { readLiveState } from "../src/graph/read-live-state.js";
import { loadManifests } from "../src/manifest/load-manifests.js";
import { resolveDesiredState } from "../src/manifest/resolve-names.js";
import { hasErrors } from "../src/model/problem.js";
import { planChanges } from "../src/plan/index.js";
import { renderPlanJson } from "../src/report/plan/render-plan-json.js";
import { renderPlanMarkdown } from "../src/report/plan/render-plan-markdown.js";
import { renderPlanText } from "../src/report/plan/render-plan-text.js";
import { TOOL_VERSION } from "../src/version.js";
import { measure, peakRssMb, type PhaseTiming } from "./measure.js";
import type { ClientRequest, ClientResult } from "./messages.js";

const request = JSON.parse(process.argv[2] ?? "{}") as ClientRequest;
const phases: Record<string, PhaseTiming> = {};

const fail = (what: string, detail: unknown): never => {
  throw new Error(`${what}: ${JSON.stringify(detail, null, 1).slice(0, 2000)}`);
};

const connection = createGraphClient({ cloud: "global", graphUrl: request.url, auth: "none", env: {} });

// The read needs the manifests too: it reads the members of the groups they name.
const loaded = await measure(() => loadManifests([request.manifestDir]));
phases.load = loaded.timing;
if (!loaded.value.state || hasErrors(loaded.value.problems)) fail("manifests invalid", loaded.value.problems);
const desired = loaded.value.state!;
const groupRefs = desired.groups.map((g) => g.ref);

const readConcurrency = request.readConcurrency ?? DEFAULT_READ_CONCURRENCY;
let readRestarted: string | undefined;
const read = await measure(() =>
  readLiveState(connection, {
    groupRefs,
    readConcurrency,
    onProgress: (event) => {
      if (event.restarted !== undefined) readRestarted = event.restarted;
    },
  }),
);
phases.read = read.timing;
const live = read.value;
let plan: ClientResult["plan"];

if (request.mode === "full") {
  // The same steps as the plan workflow's planAgainst, timed one by one.
  const catalog = await measure(() => loadCatalog());
  phases.catalog = catalog.timing;
  const resolved = await measure(() => {
    const tenantCatalog = Catalog.fromSubscribedSkus(live.skus, catalog.value);
    return resolveDesiredState(desired, tenantCatalog, { catalogIsTenant: true, reference: catalog.value });
  });
  phases.resolve = resolved.timing;
  if (!resolved.value.state || hasErrors(resolved.value.problems))
    fail("names unresolved", resolved.value.problems);
  const planned = await measure(() =>
    planChanges(resolved.value.state!, live, { toolVersion: TOOL_VERSION, now: new Date() }),
  );
  phases.planner = planned.timing;
  const result = planned.value;
  if (!result.plan || hasErrors(result.problems)) fail("plan refused", result.problems);
  const p = result.plan!;
  const text = await measure(() => renderPlanText(p, { color: false }));
  phases.renderText = text.timing;
  const markdown = await measure(() => renderPlanMarkdown(p));
  phases.renderMarkdown = markdown.timing;
  const json = await measure(() => renderPlanJson(p));
  phases.renderJson = json.timing;
  const waves: Record<string, number> = {};
  for (const wave of p.waves) waves[wave.kind] = (waves[wave.kind] ?? 0) + wave.changes.length;
  plan = {
    changes: p.summary.changes,
    waves,
    renderedBytes: {
      text: Buffer.byteLength(text.value),
      markdown: Buffer.byteLength(markdown.value),
      json: Buffer.byteLength(json.value),
    },
  };
}

const result: ClientResult = {
  type: "result",
  phases,
  requests: connection.requestCount(),
  peakRssMb: peakRssMb(),
  ...(plan ? { plan } : {}),
  live: { users: live.users.length, groups: live.groups.length, skus: live.skus.length },
  readConcurrency,
  ...(readRestarted !== undefined ? { readRestarted } : {}),
};
process.send!(result, () => process.disconnect());

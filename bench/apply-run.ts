/**
 * Child process for the apply benchmark: serves a tenant from an emulator
 * with Graph's write limit shape, a token bucket of `windowSeconds` of writes
 * refilled at `writesPerSecond`, started empty (in this process: the write
 * rate, not CPU or memory, is measured), plans `changes` license additions and applies them through
 * the Graph writer, then checks through the emulator that each change landed
 * exactly once and that a fresh plan finds nothing left to do.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyPlan } from "../src/apply/index.js";
import { startEmulator } from "../src/emulator/index.js";
import { createGraphClient, createLicenseWriter, readLiveState } from "../src/graph/index.js";
import { loadManifests } from "../src/manifest/load-manifests.js";
import { hasErrors } from "../src/model/problem.js";
import { planAgainst } from "../src/workflow/prepare-plan.js";
import { measure, peakRssMb } from "./measure.js";
import { ADD_SKU, applyManifests, benchTenant } from "./scenario.js";

/** What the apply benchmark is asked to do. */
export interface ApplyRequest {
  readonly users: number;
  readonly changes: number;
  readonly writesPerSecond: number;
  /** The bucket holds this many seconds of writes (Graph: 150). */
  readonly windowSeconds: number;
  readonly seed: number;
}

/** What it reports. */
export interface ApplyReport {
  readonly type: "apply";
  readonly users: number;
  readonly changes: number;
  readonly writesPerSecond: number;
  readonly windowSeconds: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly achievedWritesPerSecond: number;
  readonly applied: number;
  readonly failed: number;
  readonly skipped: number;
  /** Emulator: HTTP requests during apply, and by route. */
  readonly httpRequests: number;
  readonly byRoute: Readonly<Record<string, number>>;
  readonly writesAttempted: number;
  readonly writesApplied: number;
  /** Writes answered 429 (each write inside a `$batch` counts). */
  readonly throttled: number;
  /** Applier: sends beyond the first, summed over operations. */
  readonly retries: number;
  /** Users holding the SKU directly after apply, per the emulator's snapshot. */
  readonly holdersAfter: number;
  readonly consumedAfter: number;
  /** Changes a fresh plan finds after apply (0 = converged). */
  readonly replanChanges: number;
  readonly peakRssMb: number;
}

const request = JSON.parse(process.argv[2] ?? "{}") as ApplyRequest;
const tenant = benchTenant(request.users, 200, request.seed);
const dir = mkdtempSync(join(tmpdir(), "licensectl-bench-apply-"));
for (const file of applyManifests(tenant, request.changes)) writeFileSync(join(dir, file.name), file.text);

const emulator = await startEmulator({
  tenant,
  groupProcessingDelayMs: 0,
  throttle: {
    writesPerSecond: request.writesPerSecond,
    burst: Math.round(request.writesPerSecond * request.windowSeconds),
    startEmpty: true,
  },
});
try {
  const globals = { catalog: undefined };
  const connection = createGraphClient({ cloud: "global", graphUrl: emulator.url, auth: "none", env: {} });
  const loaded = await loadManifests([dir]);
  if (!loaded.state || hasErrors(loaded.problems))
    throw new Error(JSON.stringify(loaded.problems).slice(0, 2000));
  const desired = loaded.state;
  const live = await readLiveState(connection, { groupRefs: [] });
  const { plan } = planAgainst(desired, live, globals);
  if (plan.summary.changes !== request.changes)
    throw new Error(`expected ${request.changes} changes, the plan has ${plan.summary.changes}`);

  emulator.resetCounters();
  // The set-up reads took a while: the bucket starts the apply empty, not refilled by them.
  emulator.resetWriteThrottle();
  const writer = createLicenseWriter(connection);
  const applied = await measure(() => applyPlan(plan, writer));
  const counters = structuredClone(emulator.counters);
  const result = applied.value;

  const snapshot = emulator.snapshot();
  const sku = snapshot.skus.find((s) => s.skuPartNumber === ADD_SKU)!;
  const holders = snapshot.users.filter((u) =>
    u.licenseAssignmentStates.some((s) => s.skuId === sku.skuId && s.assignedByGroup === null),
  ).length;
  const after = await readLiveState(connection, { groupRefs: [] });
  const replan = planAgainst(desired, after, globals).plan;

  const report: ApplyReport = {
    type: "apply",
    users: request.users,
    changes: request.changes,
    writesPerSecond: request.writesPerSecond,
    windowSeconds: request.windowSeconds,
    wallMs: Math.round(applied.timing.wallMs),
    cpuMs: Math.round(applied.timing.cpuMs),
    achievedWritesPerSecond: Math.round((counters.writesApplied / applied.timing.wallMs) * 1000 * 10) / 10,
    applied: result.applied.length,
    failed: result.failed.length,
    skipped: result.skipped.length,
    httpRequests: counters.requests,
    byRoute: counters.byRoute,
    writesAttempted: counters.writesAttempted,
    writesApplied: counters.writesApplied,
    throttled: counters.throttled,
    retries: result.retries,
    holdersAfter: holders,
    consumedAfter: sku.consumedUnits,
    replanChanges: replan.summary.changes,
    peakRssMb: peakRssMb(),
  };
  process.send!(report);
} finally {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
  process.disconnect();
}

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { createGraphClient, readLiveState } from "../../src/graph/index.js";
import { loadManifests } from "../../src/manifest/load-manifests.js";
import type { LiveState } from "../../src/model/live-state.js";
import type { Plan } from "../../src/model/plan.js";
import { planAgainst } from "../../src/workflow/prepare-plan.js";
import {
  applyManifests,
  benchManifests,
  benchTenant,
  expectedReadRequests,
  type BenchManifests,
  type ManifestFile,
} from "../../bench/scenario.js";

const catalog = loadCatalog();
const lookup = (name: string) => {
  const found = catalog.lookupSku(name);
  if (found.kind !== "found") throw new Error(name);
  return found.sku;
};

function writeAll(files: readonly ManifestFile[]): string {
  const dir = mkdtempSync(join(tmpdir(), "licensectl-bench-test-"));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.name)), { recursive: true });
    writeFileSync(join(dir, file.name), file.text);
  }
  return dir;
}

async function planFor(
  files: readonly ManifestFile[],
  emulator: RunningEmulator,
  readConcurrency?: number,
): Promise<{ plan: Plan; live: LiveState; requests: number }> {
  const dir = writeAll(files);
  try {
    const loaded = await loadManifests([dir]);
    expect(loaded.problems.filter((p) => p.severity === "error")).toEqual([]);
    const desired = loaded.state!;
    const connection = createGraphClient({ cloud: "global", graphUrl: emulator.url, auth: "none", env: {} });
    emulator.resetCounters();
    const live = await readLiveState(connection, {
      groupRefs: desired.groups.map((g) => g.ref),
      ...(readConcurrency !== undefined ? { readConcurrency } : {}),
    });
    const requests = emulator.counters.requests;
    return { plan: planAgainst(desired, live, {}).plan, live, requests };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const changesIn = (plan: Plan, kind: string) =>
  plan.waves.filter((w) => w.kind === kind).reduce((n, w) => n + w.changes.length, 0);

describe("benchmark tenant and manifests", () => {
  const tenant = benchTenant(1_200);
  let manifests: BenchManifests;
  let emulator: RunningEmulator;
  beforeAll(async () => {
    manifests = benchManifests(tenant, lookup);
    emulator = await startEmulator({ tenant, groupProcessingDelayMs: 0 });
  });
  afterAll(() => emulator.stop());

  it("has 12 SKUs and 200 groups, most of them licensed", () => {
    expect(tenant.skus).toHaveLength(12);
    expect(tenant.groups).toHaveLength(200);
    expect(tenant.groups!.filter((g) => (g.licenses?.length ?? 0) > 0).length).toBeGreaterThan(100);
  });

  it("plans exactly the drift the manifests were built with", async () => {
    const { plan } = await planFor(manifests.files, emulator);
    const d = manifests.drift;
    expect(d.userRemovals).toBeGreaterThan(0);
    // A removal a group also covers waits in group-handover for its copy to be read Active, so
    // the users who only lose licenses are those of remove-users plus those only in group-handover.
    const usersIn = (kinds: readonly string[]) =>
      new Set(
        plan.waves
          .filter((w) => kinds.includes(w.kind))
          .flatMap((w) => w.changes.map((c) => (c.kind === "assignLicenses" ? c.target.id : c.user.id))),
      );
    const elsewhere = usersIn(["usage-locations", "add-held-users", "updates", "add-users"]);
    const onlyLosing = [...usersIn(["remove-users", "group-handover"])].filter((id) => !elsewhere.has(id));
    expect(onlyLosing).toHaveLength(d.userRemovals);
    // A swap whose removed SKU a group covers becomes an addition now and a handover later.
    const handedOver = usersIn(["group-handover"]);
    const split = [...usersIn(["add-users"])].filter((id) => handedOver.has(id)).length;
    expect(changesIn(plan, "updates") + split).toBe(d.userUpdates + d.userSwaps + d.groupUpdates);
    expect(changesIn(plan, "add-users") - split).toBe(d.userAdds);
    expect(changesIn(plan, "add-groups")).toBe(d.groupAdds);
    expect(changesIn(plan, "remove-groups")).toBe(d.groupRemovals);
    expect(changesIn(plan, "usage-locations")).toBe(d.usageLocations);
  });

  it("predicts the requests of the reader reading page after page", async () => {
    const { requests } = await planFor(manifests.files, emulator, 1);
    const expected = expectedReadRequests(tenant, manifests.namedGroups);
    expect(requests).toBe(expected.total);
    expect(expected.memberPages).toBe(manifests.namedGroups.length);
  });

  it("builds an apply plan of exactly the requested size", async () => {
    const { plan } = await planFor(applyManifests(tenant, 300), emulator);
    expect(plan.summary.changes).toBe(300);
    expect(changesIn(plan, "add-users")).toBe(300);
  });
});

describe("expectedReadRequests", () => {
  it("counts pages of 999 and the member pages of licensed or named groups, 20 to a $batch round by round", () => {
    const users = Array.from({ length: 1_998 }, (_, i) => ({ upn: `u${i}@x.com` }));
    const fixture = {
      ...benchTenant(1),
      users,
      groups: [
        { name: "Big", members: users.map((u) => u.upn), licenses: [{ sku: "SPE_E3" }] },
        { name: "Named", members: [] },
        { name: "Ignored", members: ["u1@x.com"] },
      ],
    };
    // users: 2 pages, groups: 1, $batch: 1, members: 2 (Big) + 1 (Named) pages in 2 batches:
    // round 1 carries the first pages of Big and Named, round 2 Big's second.
    expect(expectedReadRequests(fixture, ["named"])).toEqual({ total: 6, memberPages: 3, memberBatches: 2 });
    const many = {
      ...fixture,
      groups: Array.from({ length: 45 }, (_, i) => ({
        name: `G${i}`,
        members: [],
        licenses: [{ sku: "SPE_E3" }],
      })),
    };
    // 45 first pages: 20 + 20 + 5.
    expect(expectedReadRequests(many, [])).toEqual({ total: 4 + 3, memberPages: 45, memberBatches: 3 });
  });
});

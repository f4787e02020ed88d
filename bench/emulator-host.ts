/**
 * Child process that generates a benchmark tenant, writes its manifests to a
 * temporary directory and serves the tenant from one emulator per latency,
 * so that the measured client's CPU time and memory are its own.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadCatalog } from "../src/catalog/bundled-catalog.js";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.js";
import type { HostCounters, HostReady, HostRequest, HostSettled } from "./messages.js";
import { benchManifests, benchTenant, expectedReadRequests } from "./scenario.js";

const request = JSON.parse(process.argv[2] ?? "{}") as HostRequest;

/**
 * Generates the tenant, writes its manifests and starts the emulators. The
 * fixture and manifest texts stay inside: once the emulators hold the
 * tenant, a million generated users are not kept alive beside them.
 */
async function setUp(): Promise<{ emulators: RunningEmulator[]; manifestDir: string; ready: HostReady }> {
  const started = performance.now();
  const tenant = benchTenant(request.users, request.groups, request.seed);
  const catalog = loadCatalog();
  const manifests = benchManifests(
    tenant,
    (name) => {
      const found = catalog.lookupSku(name);
      if (found.kind !== "found") throw new Error(`the catalog lacks ${name}`);
      return found.sku;
    },
    request.shape,
  );
  const manifestDir = mkdtempSync(join(tmpdir(), "licensectl-bench-"));
  let manifestBytes = 0;
  for (const file of manifests.files) {
    const path = join(manifestDir, file.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
    manifestBytes += Buffer.byteLength(file.text);
  }
  const emulators: RunningEmulator[] = [];
  for (const latencyMs of request.latencies) {
    // Group processing is instant: the read benchmarks never wait for it. The emulator that adds
    // latency serves the measured reads as a warm service: pages asked for again are kept.
    emulators.push(
      await startEmulator({ tenant, groupProcessingDelayMs: 0, latencyMs, keepPages: latencyMs > 0 }),
    );
  }
  const expected = expectedReadRequests(tenant, manifests.namedGroups);
  const ready: HostReady = {
    type: "ready",
    urls: emulators.map((e) => e.url),
    manifestDir,
    manifestFiles: manifests.files.length,
    manifestBytes,
    expectedReadRequests: expected.total,
    expectedMemberPages: expected.memberPages,
    expectedMemberBatches: expected.memberBatches,
    drift: manifests.drift,
    tenant: {
      users: tenant.users.length,
      groups: tenant.groups?.length ?? 0,
      licensedGroups: (tenant.groups ?? []).filter((g) => (g.licenses?.length ?? 0) > 0).length,
      skus: tenant.skus.length,
      usersWithDirectLicenses: tenant.users.filter((u) => (u.licenses?.length ?? 0) > 0).length,
    },
    setupMs: Math.round(performance.now() - started),
  };
  return { emulators, manifestDir, ready };
}

const { emulators, manifestDir, ready } = await setUp();
process.send!(ready);
// The orchestrator kills the host when a measured client fails: leave no manifests behind.
process.once("SIGTERM", () => {
  rmSync(manifestDir, { recursive: true, force: true });
  process.exit(1);
});

process.on("message", (message: { type: string }) => {
  if (message.type === "counters") {
    const reply: HostCounters = {
      type: "counters",
      counters: emulators.map((e) => e.counters),
    };
    process.send!(reply);
  } else if (message.type === "settle") {
    // Collect now what the warm-up reads left, rather than during the measured read that follows.
    (globalThis as { gc?: () => void }).gc?.();
    const reply: HostSettled = { type: "settled" };
    process.send!(reply);
  } else if (message.type === "stop") {
    void (async () => {
      for (const e of emulators) await e.stop();
      rmSync(manifestDir, { recursive: true, force: true });
      process.disconnect();
    })();
  }
});

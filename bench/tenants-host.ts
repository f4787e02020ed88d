/**
 * Child process of `npm run bench:tenants`: generates N tenants of U users
 * each, writes a repository of them (tenants/tNN/ with each tenant's
 * manifests) and serves every tenant from one emulator, told apart by the
 * tenant of each request's token, so that the measured clients' CPU time
 * and memory are their own.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadCatalog } from "../src/catalog/bundled-catalog.js";
import { startEmulator, type TenantFixture } from "../src/emulator/index.js";
import { benchManifests, benchTenant } from "./scenario.js";

/** What the host is asked to build. */
export interface TenantsHostRequest {
  readonly tenants: number;
  readonly users: number;
  readonly groups: number;
}

/** What it answers once the emulator listens. */
export interface TenantsHostReady {
  readonly type: "ready";
  readonly url: string;
  /** The repository: tenants/ under it. */
  readonly root: string;
  readonly names: readonly string[];
  readonly setupMs: number;
}

const request = JSON.parse(process.argv[2] ?? "{}") as TenantsHostRequest;
const started = performance.now();
const catalog = loadCatalog();
const root = mkdtempSync(join(tmpdir(), "licensectl-bench-tenants-"));
const fixtures: TenantFixture[] = [];
const names: string[] = [];
for (let i = 1; i <= request.tenants; i++) {
  const tenant = benchTenant(request.users, request.groups, 1000 + i);
  const name = `t${String(i).padStart(2, "0")}`;
  const manifests = benchManifests(tenant, (sku) => {
    const found = catalog.lookupSku(sku);
    if (found.kind !== "found") throw new Error(`the catalog lacks ${sku}`);
    return found.sku;
  });
  for (const file of manifests.files) {
    const path = join(root, "tenants", name, file.name);
    mkdirSync(dirname(path), { recursive: true });
    // The drift of some seeds takes a group license from the protected user, which the planner rightly
    // refuses; this benchmark measures planning, so its tenants protect no one.
    writeFileSync(path, file.text.replace(/^protect:\n {2}users: \[[^\n]*\]\n/m, ""));
  }
  fixtures.push(tenant);
  names.push(name);
}
const emulator = await startEmulator({ tenants: fixtures, groupProcessingDelayMs: 0 });
const ready: TenantsHostReady = {
  type: "ready",
  url: emulator.url,
  root,
  names,
  setupMs: Math.round(performance.now() - started),
};
process.send!(ready);
process.once("SIGTERM", () => {
  rmSync(root, { recursive: true, force: true });
  process.exit(1);
});
process.on("message", (message: { type: string }) => {
  if (message.type !== "stop") return;
  void (async () => {
    await emulator.stop();
    rmSync(root, { recursive: true, force: true });
    process.disconnect();
  })();
});

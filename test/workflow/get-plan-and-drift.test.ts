import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator, type TenantFixture } from "../../src/emulator/index.js";
import { createGraphClient } from "../../src/graph/create-graph-client.js";
import { getDrift } from "../../src/workflow/get-drift.js";
import { getPlan } from "../../src/workflow/get-plan.js";
import { EXAMPLE_MANIFESTS, EXAMPLE_TENANT } from "../cli/cli-harness.js";

/** A program gets plans and drift reports as values; expected refusals are values too, and nothing is written. */

const TENANT_ID = "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90";
const OTHER_TENANT = "11111111-2222-4333-8444-555555555555";

/** One E3 seat for two users who want one: no plan can be made. */
const shortOfSeats: TenantFixture = {
  apiVersion: "licensectl.emulator/v1",
  kind: "Tenant",
  tenant: {
    id: TENANT_ID,
    displayName: "Contoso",
    countryLetterCode: "US",
    domains: ["contoso.onmicrosoft.com"],
  },
  skus: [{ sku: "ENTERPRISEPACK", seats: 1 }],
  users: [
    { upn: "alice@contoso.com", usageLocation: "US", licenses: [{ sku: "ENTERPRISEPACK" }] },
    { upn: "grace@contoso.com", usageLocation: "US" },
  ],
};
const manifest = (tenantId: string, sku = "ENTERPRISEPACK") =>
  `apiVersion: licensectl/v1\ntenant:\n  id: ${tenantId}\nscope:\n  skus: [${sku}]\n  mode: authoritative\n` +
  `users:\n  - user: alice@contoso.com\n    licenses:\n      - sku: ${sku}\n` +
  `  - user: grace@contoso.com\n    licenses:\n      - sku: ${sku}\n`;

let emulator: RunningEmulator | undefined;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "licensectl-get-"));
});
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(tenant: string | TenantFixture) {
  emulator = await startEmulator({ tenant, port: 0 });
  const running = emulator;
  const tenantsAsked: (string | undefined)[] = [];
  const connection = (tenantId: string | undefined) => {
    tenantsAsked.push(tenantId);
    return createGraphClient({ cloud: "global", graphUrl: running.url, auth: "none", env: {} });
  };
  return { emulator: running, connection, tenantsAsked };
}

async function write(name: string, text: string): Promise<string> {
  await writeFile(join(dir, name), text);
  return name;
}

describe("getPlan", () => {
  it("plans the example, records its manifests, opens the connection for the manifests' tenant and writes nothing", async () => {
    const { emulator, connection, tenantsAsked } = await start(EXAMPLE_TENANT);
    await mkdir(join(dir, ".git"));
    await cp(EXAMPLE_MANIFESTS, join(dir, "m"), { recursive: true });
    const lines: string[] = [];
    const outcome = await getPlan({
      manifestPaths: ["m"],
      cwd: dir,
      connection,
      progress: (line) => lines.push(line),
    });
    expect(outcome.kind).toBe("planned");
    if (outcome.kind !== "planned") return;
    expect(outcome.plan.summary.changes).toBeGreaterThan(0);
    expect(outcome.plan.tenant.id).toBe(TENANT_ID);
    expect(outcome.plan.manifests?.base).toBe("repository");
    expect(outcome.plan.manifests?.files.map((f) => f.path)).toEqual(
      [...outcome.desired.files].map((f) => f.replace(/\\/g, "/")).sort(),
    );
    expect(tenantsAsked).toEqual([TENANT_ID]);
    expect(lines.at(-1)).toMatch(/^Read .* users, .* groups, .* SKUs in /);
    expect(emulator.counters.writesAttempted).toBe(0);
  });

  it("answers an empty directory with no-manifests, and a broken file with invalid-manifests, without connecting", async () => {
    const { connection, tenantsAsked } = await start(shortOfSeats);
    await mkdir(join(dir, "empty"));
    expect(await getPlan({ manifestPaths: ["empty"], cwd: dir, connection })).toMatchObject({
      kind: "refused",
      reason: "no-manifests",
      code: "invalid-manifests",
    });
    const broken = await write("broken.yaml", "apiVersion: licensectl/v1\ntenant: [\n");
    const invalid = await getPlan({ manifestPaths: [broken], cwd: dir, connection });
    expect(invalid).toMatchObject({ kind: "refused", reason: "invalid-manifests" });
    expect(invalid.kind === "refused" && invalid.problems[0]?.location?.file).toBe("broken.yaml");
    expect(tenantsAsked).toEqual([]);
  });

  it("answers a SKU the tenant lacks with unresolved, another tenant's manifests with wrong-tenant, and seats short with refused", async () => {
    const { emulator, connection } = await start(shortOfSeats);
    const run = async (text: string) =>
      getPlan({ manifestPaths: [await write("licenses.yaml", text)], cwd: dir, connection });

    const unresolved = await run(manifest(TENANT_ID, "SPE_E5"));
    expect(unresolved).toMatchObject({ kind: "refused", reason: "unresolved", code: "invalid-manifests" });

    const other = await run(manifest(OTHER_TENANT));
    expect(other).toMatchObject({ kind: "refused", reason: "wrong-tenant", code: "plan-refused" });
    expect(other.kind === "refused" && other.problems.map((p) => p.code)).toContain("wrong-tenant");

    const short = await run(manifest(TENANT_ID));
    expect(short).toMatchObject({ kind: "refused", reason: "refused", code: "plan-refused" });
    expect(short.kind === "refused" && short.problems.map((p) => p.code)).toContain("capacity-exceeded");
    expect(emulator.counters.writesAttempted).toBe(0);
  });

  it("answers a plan a policy forbids with policy-violated, the located policy and the people, writing nothing", async () => {
    const { emulator, connection } = await start({
      ...shortOfSeats,
      skus: [
        { sku: "SPE_E3", seats: 5 },
        { sku: "SPE_E5", seats: 5 },
      ],
      users: [
        { upn: "alice@contoso.com", usageLocation: "US", licenses: [{ sku: "SPE_E3" }] },
        { upn: "grace@contoso.com", usageLocation: "US" },
      ],
    });
    const text =
      `apiVersion: licensectl/v1\ntenant:\n  id: ${TENANT_ID}\nscope:\n  skus: [SPE_E3, SPE_E5]\n  mode: authoritative\n` +
      `policies:\n  exclusive:\n    - [SPE_E3, SPE_E5]\n` +
      `users:\n  - user: alice@contoso.com\n    licenses:\n      - sku: SPE_E3\n      - sku: SPE_E5\n` +
      `  - user: grace@contoso.com\n    licenses:\n      - sku: SPE_E5\n`;
    const outcome = await getPlan({
      manifestPaths: [await write("licenses.yaml", text)],
      cwd: dir,
      connection,
    });
    expect(outcome).toMatchObject({ kind: "refused", reason: "refused", code: "policy-violated" });
    if (outcome.kind !== "refused") return;
    const errors = outcome.problems.filter((p) => p.severity === "error");
    expect(errors.map((p) => p.code)).toEqual(["policy-exclusive-skus"]);
    // Only alice would hold both; grace takes E5 alone, which the policy allows. Line 9 is the set.
    expect(errors[0]!.message).toMatch(
      /^1 user\(s\) would hold more than one of SPE_E3, SPE_E5.*alice@contoso\.com$/,
    );
    expect(errors[0]!.location).toMatchObject({ file: "licenses.yaml", line: 9 });
    expect(emulator.counters.writesAttempted).toBe(0);
  });
});

describe("getDrift", () => {
  it("reports the example's drift from the plan it makes", async () => {
    const { emulator, connection } = await start(EXAMPLE_TENANT);
    const outcome = await getDrift({ manifestPaths: [EXAMPLE_MANIFESTS], cwd: dir, connection });
    expect(outcome.kind).toBe("drift");
    if (outcome.kind !== "drift") return;
    expect(outcome.plan).toBeDefined();
    expect(outcome.report.planProblems).toEqual([]);
    expect(outcome.report.pendingChanges.map((c) => c.changeId)).toEqual(
      outcome.plan!.waves.flatMap((w) => w.changes.map((c) => c.id)),
    );
    expect(outcome.report.tenant.id).toBe(TENANT_ID);
    expect(outcome.report.liveDigest).toBe(outcome.plan!.liveDigest);
    expect(emulator.counters.writesAttempted).toBe(0);
  });

  it("still reports when the planner refuses, with its reasons as drift and no pending changes", async () => {
    const { connection } = await start(shortOfSeats);
    const name = await write("licenses.yaml", manifest(TENANT_ID));
    const outcome = await getDrift({ manifestPaths: [name], cwd: dir, connection });
    expect(outcome.kind).toBe("drift");
    if (outcome.kind !== "drift") return;
    expect(outcome.plan).toBeUndefined();
    expect(outcome.report.planProblems.map((p) => p.code)).toContain("capacity-exceeded");
    expect(outcome.report.pendingChanges).toEqual([]);
    expect(outcome.report.planSummary.changes).toBe(0);
    expect(outcome.report.tenant.id).toBe(TENANT_ID);
    expect(outcome.report.manifestDigest).toBe(outcome.desired.digest);
    expect(outcome.report.capacityIssues.map((c) => c.seats.skuPartNumber)).toEqual(["ENTERPRISEPACK"]);
  });

  it("answers manifests for another tenant with wrong-tenant rather than a report", async () => {
    const { connection } = await start(shortOfSeats);
    const name = await write("licenses.yaml", manifest(OTHER_TENANT));
    const outcome = await getDrift({ manifestPaths: [name], cwd: dir, connection });
    expect(outcome).toMatchObject({ kind: "refused", reason: "wrong-tenant" });
    expect(outcome.kind === "refused" && outcome.problems[0]?.message).toContain(OTHER_TENANT);
  });
});

import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { EXAMPLE_MANIFESTS, EXAMPLE_TENANT, ROOT } from "../cli/cli-harness.js";
import { expectGolden } from "../report/golden.js";

/**
 * The example repository, converged with the example tenant, then changed by
 * hand in the tenant the way a help desk does during an incident. Each hand
 * change is adopted on its own (--principal) into a patch that is compared
 * with its golden file and that `git apply --check` must accept.
 */

let emulator: RunningEmulator;
let repo: string;

const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" });

async function cli(args: readonly string[]) {
  const io = new RecordingIo({ cwd: repo });
  const code = await runCli([...args, "--graph-url", emulator.url, "--auth", "none"], io);
  return { code, out: io.out, err: io.err };
}

/** A Graph call as an admin would make it by hand (the emulator is Graph here). */
async function graph(method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${emulator.url}/v1.0${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

function ids(upn: string, sku: string, plans: readonly string[] = []) {
  const live = emulator.snapshot();
  const user = live.users.find((u) => u.userPrincipalName === upn)!;
  const found = live.skus.find((s) => s.skuPartNumber === sku)!;
  const planIds = plans.map(
    (name) => found.servicePlans.find((p) => p.servicePlanName === name)!.servicePlanId,
  );
  return { userId: user.id, skuId: found.skuId, planIds };
}

async function assign(upn: string, sku: string, disabledPlans: readonly string[] = []) {
  const { userId, skuId, planIds } = ids(upn, sku, disabledPlans);
  await graph("POST", `/users/${userId}/assignLicense`, {
    addLicenses: [{ skuId, disabledPlans: planIds }],
    removeLicenses: [],
  });
}

async function unassign(upn: string, sku: string) {
  const { userId, skuId } = ids(upn, sku);
  await graph("POST", `/users/${userId}/assignLicense`, { addLicenses: [], removeLicenses: [skuId] });
}

beforeAll(async () => {
  emulator = await startEmulator({ tenant: EXAMPLE_TENANT, port: 0, groupProcessingDelayMs: 5 });
  repo = mkdtempSync(join(tmpdir(), "licensectl-adopt-"));
  cpSync(EXAMPLE_MANIFESTS, join(repo, "examples", "manifests"), { recursive: true });
  git("init", "-q");
  const converged = await cli(["apply", "-m", "examples/manifests", "--auto-approve"]);
  expect(converged.code, converged.err).toBe(0);

  // By hand, in the tenant:
  await assign("derek.holloway@contoso.com", "POWER_BI_PRO"); // a user licensed by hand
  await unassign("janice.allen@contoso.com", "AAD_PREMIUM_P2"); // a license removed by hand
  await assign("diego.castellanos@contoso.com", "VISIOCLIENT", []); // OneDrive turned back on in Visio
  await graph("PATCH", `/users/${ids("grace.adeyemi@contoso.com", "SPE_E3").userId}`, {
    usageLocation: "FR",
  }); // moved to Paris
}, 60_000);

afterAll(async () => {
  await emulator?.stop();
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe("adopt on the example repository", () => {
  it.for([
    ["user-added", "derek.holloway@contoso.com"],
    ["license-removed", "janice.allen@contoso.com"],
    ["plans-changed", "diego.castellanos@contoso.com"],
    ["usage-location-changed", "grace.adeyemi@contoso.com"],
  ] as const)("adopts %s (%s) as a patch git apply accepts", async ([name, upn]) => {
    emulator.resetCounters();
    const run = await cli(["adopt", "-m", "examples/manifests", "--principal", upn]);
    expect(run.code, run.err).toBe(0);
    // Adoption reads the tenant and never writes to it ($batch reads count as POSTs, but not as writes).
    expect(emulator.counters.writesAttempted).toBe(0);
    expect(emulator.counters.requests).toBeGreaterThan(0);
    expectGolden(`adopt/${name}.patch.txt`, run.out);
    const patch = join(repo, `${name}.patch`);
    writeFileSync(patch, run.out);
    git("apply", "--check", patch);
  });

  it("gives RFC 6902 operations per file with --format json, and puts new entries where --into says", async () => {
    const run = await cli([
      "adopt",
      "-m",
      "examples/manifests",
      "--format",
      "json",
      "--into",
      "examples/manifests/users/it.yaml",
    ]);
    expect(run.code, run.err).toBe(0);
    const json = JSON.parse(run.out) as {
      files: {
        path: string;
        operations: { op: string; path: string; value?: unknown }[];
        edits: { action: string; placement?: string }[];
      }[];
    };
    const it = json.files.find((f) => f.path === "examples/manifests/users/it.yaml")!;
    expect(it.edits).toContainEqual(expect.objectContaining({ action: "add-entry", placement: "into" }));
    expect(it.operations).toContainEqual({
      op: "add",
      path: "/users/-",
      value: { user: "derek.holloway@contoso.com", usageLocation: "US", licenses: [{ profile: "analyst" }] },
    });
    // The output keeps to its published schema.
    const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(
      JSON.parse(readFileSync(join(ROOT, "schemas", "adopt.schema.json"), "utf8")) as object,
    );
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    const engineering = json.files.find((f) => f.path === "examples/manifests/users/engineering.yaml")!;
    expect(engineering.operations).toContainEqual({
      op: "replace",
      path: "/users/0/usageLocation",
      value: "FR",
    });
  });

  it("refuses a --principal the tenant does not have, and an --into outside the manifests", async () => {
    const unknown = await cli(["adopt", "-m", "examples/manifests", "--principal", "nobody@contoso.com"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("--principal nobody@contoso.com names no user or group of the tenant");
    const outside = await cli(["adopt", "-m", "examples/manifests", "--into", "elsewhere.yaml"]);
    expect(outside.code).toBe(1);
    expect(outside.err).toContain("--into elsewhere.yaml is not one of the manifest files");
    expect(outside.out).toBe("");
  });

  it("adopts everything at once with --write, after which plan has nothing to do", async () => {
    const patch = await cli(["adopt", "-m", "examples/manifests"]);
    const before = readFileSync(join(repo, "examples/manifests/users/engineering.yaml"), "utf8");
    const run = await cli(["adopt", "-m", "examples/manifests", "--write"]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain("engineering.yaml");
    expect(readFileSync(join(repo, "examples/manifests/users/engineering.yaml"), "utf8")).not.toBe(before);
    // The patch printed before --write is the edit --write made.
    writeFileSync(join(repo, "all.patch"), patch.out);
    git("apply", "--check", "--reverse", join(repo, "all.patch"));
    const plan = await cli(["plan", "-m", "examples/manifests", "--detailed-exitcode"]);
    expect(plan.out).toContain("No changes.");
    expect(plan.code).toBe(0);
  });
});

import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RecordingIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { digestLiveState } from "../../src/plan/live-digest.js";
import { EXAMPLE_MANIFESTS, EXAMPLE_TENANT } from "../cli/cli-harness.js";

/**
 * The pipeline licensectl exists for: `plan --out` on a pull request, the
 * plan file kept as an artifact, `apply plan.json` after merge, from wherever
 * the pipeline runs it, with the tenant busy in between.
 */
let emulator: RunningEmulator;
let work: string;
let repo: string;

beforeEach(async () => {
  emulator = await startEmulator({ tenant: EXAMPLE_TENANT, port: 0, groupProcessingDelayMs: 2 });
  work = await mkdtemp(join(tmpdir(), "licensectl-pipeline-"));
  repo = join(work, "repo");
  // A repository: the `.git` entry is all apply looks for.
  await mkdir(join(repo, ".git"), { recursive: true });
  await cp(EXAMPLE_MANIFESTS, join(repo, "licensing"), { recursive: true });
  // Other YAML in the repository that is not these manifests: apply must not read it.
  await mkdir(join(repo, "test", "corpus"), { recursive: true });
  await writeFile(join(repo, "test", "corpus", "broken.yaml"), "apiVersion: licensectl/v1\nusers: 3\n");
});
afterEach(async () => {
  await emulator.stop();
  await rm(work, { recursive: true, force: true });
});

async function licensectl(cwd: string, args: readonly string[]) {
  const io = new RecordingIo({ cwd });
  // The emulator's reads do not lag, so licensectl need not wait for them to catch up.
  const window = ["--consistency-window", "0"];
  const code = await runCli([...args, "--graph-url", emulator.url, "--auth", "none", ...window], io);
  return { code, out: io.out, err: io.err };
}

const ALLOW = ["--max-removals", "10"];

/** `plan --out` from the repository root, the file then kept in an artifact folder. */
async function planInPullRequest(): Promise<{ artifact: string; changes: number }> {
  const planned = await licensectl(repo, ["plan", "-m", "licensing", "--out", "plan.json", "--quiet"]);
  expect(planned.code).toBe(0);
  const artifact = join(repo, "artifacts", "licensectl-plan");
  await mkdir(artifact, { recursive: true });
  await cp(join(repo, "plan.json"), join(artifact, "plan.json"));
  await rm(join(repo, "plan.json"));
  const plan = JSON.parse(await readFile(join(artifact, "plan.json"), "utf8")) as {
    manifests: { base: string; files: { path: string }[] };
    summary: { changes: number };
  };
  expect(plan.manifests.base).toBe("repository");
  expect(plan.manifests.files.map((f) => f.path)).toContain("licensing/tenant.yaml");
  return { artifact, changes: plan.summary.changes };
}

async function graph(method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${emulator.url}/v1.0${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

/** Two users neither the manifests nor the plan mention. */
async function unrelatedUsers(plan: string): Promise<[string, string]> {
  const files = [
    "tenant.yaml",
    "groups.yaml",
    ...(await readdir(join(EXAMPLE_MANIFESTS, "users"))).map((f) => join("users", f)),
  ];
  const manifests = (await Promise.all(files.map((f) => readFile(join(EXAMPLE_MANIFESTS, f), "utf8")))).join(
    "\n",
  );
  const live = emulator.snapshot();
  const planned = await readFile(plan, "utf8");
  const free = live.users.filter(
    (u) => !manifests.includes(u.userPrincipalName) && !planned.includes(u.userPrincipalName),
  );
  expect(free.length).toBeGreaterThanOrEqual(2);
  return [free[0]!.userPrincipalName, free[1]!.userPrincipalName];
}

function skuId(part: string): string {
  return emulator.snapshot().skus.find((s) => s.skuPartNumber === part)!.skuId;
}

describe("apply plan.json in a real pipeline", () => {
  it("applies the reviewed plan from another directory after unrelated tenant changes", async () => {
    const { artifact, changes } = await planInPullRequest();
    const digestBefore = digestLiveState(emulator.snapshot());

    // Between review and merge: a self-service sign-up for an SKU out of scope, and an unrelated user moving.
    const [signUp, mover] = await unrelatedUsers(join(artifact, "plan.json"));
    await graph("POST", `/users/${signUp}/assignLicense`, {
      addLicenses: [{ skuId: skuId("FLOW_FREE"), disabledPlans: [] }],
      removeLicenses: [],
    });
    await graph("PATCH", `/users/${mover}`, { usageLocation: "FR" });
    // The tenant did move: a whole-tenant digest would refuse the plan.
    expect(digestLiveState(emulator.snapshot())).not.toBe(digestBefore);

    emulator.resetCounters();
    const elsewhere = join(repo, "tools", "scripts");
    await mkdir(elsewhere, { recursive: true });
    const applied = await licensectl(elsewhere, ["apply", join(artifact, "plan.json"), ...ALLOW]);
    expect(applied.err).toContain("Converged: the tenant matches the manifests.");
    expect(applied.code).toBe(0);
    expect(applied.out).toContain(`Apply finished: ${changes} applied, 0 failed, 0 skipped`);
    expect(emulator.counters.writesApplied).toBe(changes);
  });

  it("applies from the artifact folder, and from outside the repository with -m", async () => {
    const { artifact } = await planInPullRequest();
    const outside = join(work, "outside");
    await mkdir(outside);
    await cp(join(artifact, "plan.json"), join(outside, "plan.json"));

    // Outside the repository the manifests cannot be found: the error names them and -m.
    const lost = await licensectl(outside, ["apply", "plan.json", ...ALLOW]);
    expect(lost.code).toBe(1);
    expect(lost.err).toContain("licensing/tenant.yaml");
    expect(lost.err).toContain("-m");
    expect(emulator.counters.writesAttempted).toBe(0);

    const fromArtifact = await licensectl(artifact, ["apply", "plan.json", ...ALLOW]);
    expect(fromArtifact.code).toBe(0);
    expect(fromArtifact.err).toContain("Converged");

    // The same manifests named with -m from anywhere; the plan is applied already, so the tenant moved.
    const again = await licensectl(outside, ["apply", "plan.json", "-m", join(repo, "licensing"), ...ALLOW]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/the tenant changed since plan.json was made/);
  });

  it("refuses when a change of the reviewed plan moved, showing exactly what moved", async () => {
    const { artifact } = await planInPullRequest();
    // Someone licensed a user by hand that the plan was going to license.
    await graph("POST", "/users/sandra.eriksson@contoso.com/assignLicense", {
      addLicenses: [{ skuId: skuId("AAD_PREMIUM_P2"), disabledPlans: [] }],
      removeLicenses: [],
    });
    emulator.resetCounters();

    const text = await licensectl(artifact, ["apply", "plan.json", ...ALLOW]);
    expect(text.code).toBe(1);
    expect(text.err).toMatch(/^--- plan.json$/m);
    expect(text.err).toMatch(/^- {2}licenses of user sandra\.eriksson@contoso\.com: \+AAD_PREMIUM_P2$/m);
    expect(text.err).toContain("0 added, 1 dropped, 0 altered");

    const markdown = await licensectl(artifact, ["apply", "plan.json", "--format", "markdown", ...ALLOW]);
    expect(markdown.code).toBe(1);
    expect(markdown.out).toContain("```diff\n--- plan.json");

    const json = await licensectl(artifact, ["apply", "plan.json", "--format", "json", ...ALLOW]);
    expect(json.code).toBe(1);
    const refusal = JSON.parse(json.out) as { reason: string; difference: { patch: unknown[] } };
    expect(refusal.reason).toBe("stale");
    expect(refusal.difference.patch).toEqual([
      { op: "remove", path: "/changes/licenses of user sandra.eriksson@contoso.com" },
    ]);
    expect(emulator.counters.writesAttempted).toBe(0);
  });

  it("refuses a manifest changed since the plan was made, naming it", async () => {
    const { artifact } = await planInPullRequest();
    const groups = join(repo, "licensing", "groups.yaml");
    await writeFile(groups, `${await readFile(groups, "utf8")}\n# edited after review\n`);
    const refused = await licensectl(artifact, ["apply", "plan.json", ...ALLOW]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("licensing/groups.yaml changed since plan.json was made");
    expect(emulator.counters.writesAttempted).toBe(0);
  });
});

import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { createGraphClient } from "../../src/graph/create-graph-client.js";
import { serializePlan } from "../../src/plan/plan-file.js";
import { applySavedPlan } from "../../src/workflow/apply-saved-plan.js";
import { withManifestSet } from "../../src/workflow/manifest-set.js";
import { loadDesiredState, planAgainst } from "../../src/workflow/prepare-plan.js";
import { EXAMPLE_MANIFESTS, EXAMPLE_TENANT } from "../cli/cli-harness.js";

/** A program calling the library gets the guards the CLI has, as results rather than exceptions. */
let emulator: RunningEmulator;
let dir: string;
beforeEach(async () => {
  emulator = await startEmulator({ tenant: EXAMPLE_TENANT, port: 0, groupProcessingDelayMs: 2 });
  dir = await mkdtemp(join(tmpdir(), "licensectl-saved-"));
  await mkdir(join(dir, ".git"));
  await cp(EXAMPLE_MANIFESTS, join(dir, "m"), { recursive: true });
});
afterEach(async () => {
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
});

const connection = () =>
  createGraphClient({ cloud: "global", graphUrl: emulator.url, auth: "none", env: {} });

async function savedPlanText(): Promise<string> {
  const { desired } = await loadDesiredState(["m"], dir);
  const { plan } = planAgainst(desired, emulator.snapshot(), {});
  return serializePlan(await withManifestSet(plan, desired.files, dir));
}

describe("applySavedPlan", () => {
  it("carries out a saved plan and reports convergence", async () => {
    const planText = await savedPlanText();
    const outcome = await applySavedPlan({
      planText,
      planFile: "plan.json",
      cwd: join(dir, "m", "users"),
      connection: connection(),
      maxRemovals: 10,
      writer: { sleep: async () => undefined },
      // The emulator's reads do not lag, so there is nothing to wait for.
      consistencyWindowMs: 0,
    });
    expect(outcome.kind).toBe("applied");
    if (outcome.kind !== "applied") return;
    expect(outcome.result?.failed).toEqual([]);
    expect(outcome.converged).toBe(true);
    expect(emulator.counters.writesApplied).toBe(outcome.plan.summary.changes);
  });

  it("refuses, without throwing and without writing, a forged plan, another tenant's, and one whose manifests are not found", async () => {
    const planText = await savedPlanText();
    const base = { planFile: "plan.json", cwd: dir, connection: connection(), maxRemovals: 10 };

    const edited = planText.replace('"kind": "remove-users"', '"kind": "add-users"');
    expect(await applySavedPlan({ ...base, planText: edited })).toMatchObject({
      kind: "refused",
      reason: "tampered",
    });

    const other = JSON.parse(planText) as { tenant: { id: string }; digest?: string };
    other.tenant.id = "0d6f3a9b-2c8e-4b1d-8f7a-5e4c3b2a1d0e";
    delete other.digest;
    expect(await applySavedPlan({ ...base, planText: serializePlan(other as never) })).toMatchObject({
      kind: "refused",
      reason: "wrong-tenant",
    });

    const missing = await applySavedPlan({ ...base, cwd: tmpdir(), planText });
    expect(missing).toMatchObject({ kind: "refused", reason: "manifests-not-found" });
    // The hint names the directory that holds them all, not the first path's top folder.
    expect((missing as { hint?: string }).hint).toContain("-m path/to/checkout/m`");
    expect(emulator.counters.writesAttempted).toBe(0);
  });

  it("records each manifest relative to the repository root with the digest of its bytes", async () => {
    const plan = JSON.parse(await savedPlanText()) as {
      manifests: { base: string; files: { path: string; digest: string }[] };
    };
    expect(plan.manifests.base).toBe("repository");
    const bytes = await readFile(join(dir, "m", "tenant.yaml"));
    expect(plan.manifests.files.find((f) => f.path === "m/tenant.yaml")?.digest).toBe(
      `sha256:${createHash("sha256").update(bytes).digest("hex")}`,
    );
    expect(plan.manifests.files.map((f) => f.path)).toContain("m/users/engineering.yaml");
  });
});

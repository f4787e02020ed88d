import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyPlan } from "../../src/apply/apply-plan.js";
import type { ApplyResult } from "../../src/apply/apply-result.js";
import {
  continuityViolations,
  startEmulator,
  type LicenseEvent,
  type RunningEmulator,
  type TenantFixture,
} from "../../src/emulator/index.js";
import { createGraphClient, type GraphConnection } from "../../src/graph/create-graph-client.js";
import type { LiveState } from "../../src/model/live-state.js";
import type { Plan } from "../../src/model/plan.js";
import type { Problem } from "../../src/model/problem.js";
import { writerFor } from "./emulator-setup.js";
import { loadDesired, planLiveResult } from "./plan-from-manifests.js";
import { afterLag, LAGGED, WINDOW } from "../support/consistency-lag.js";

export { TENANT_ID } from "./emulator-setup.js";

/** What one plan + apply against the emulator did, with the emulator's record of every license change. */
export interface AppliedScenario {
  readonly result: ApplyResult;
  readonly before: LiveState;
  readonly after: LiveState;
  readonly events: readonly LicenseEvent[];
  /** "userId skuId" for each license someone held before and after but lost in between. */
  readonly gaps: readonly string[];
  /** The plan made from the tenant after apply. */
  readonly replan: Plan | undefined;
}

/** A tenant fixture served by an emulator (groups processed at once) and a manifest, planned as `licensectl plan` does. */
export class GroupScenario {
  private constructor(
    readonly emulator: RunningEmulator,
    private readonly connection: GraphConnection,
    private readonly dir: string,
    private readonly manifests: string,
  ) {}

  static async start(fixture: TenantFixture, manifest: string): Promise<GroupScenario> {
    const emulator = await startEmulator({ tenant: fixture, port: 0, groupProcessingDelayMs: 0, ...LAGGED });
    const connection = createGraphClient({ cloud: "global", graphUrl: emulator.url, auth: "none", env: {} });
    const dir = await mkdtemp(join(tmpdir(), "licensectl-groups-"));
    const file = join(dir, "licenses.yaml");
    await writeFile(file, manifest);
    return new GroupScenario(emulator, connection, dir, file);
  }

  async stop(): Promise<void> {
    await this.emulator.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** The planner's answer for the tenant as it is now: a plan, or the errors that refuse one. */
  async plan(): Promise<{ readonly plan?: Plan; readonly errors: readonly Problem[] }> {
    const desired = await loadDesired([this.manifests], this.dir);
    const result = await planLiveResult(this.connection, desired);
    const errors = result.problems.filter((p) => p.severity === "error");
    return result.plan ? { plan: result.plan, errors } : { errors };
  }

  /** Applies `plan` through the real writer and reports what happened, moment by moment. */
  async apply(plan: Plan): Promise<AppliedScenario> {
    const before = this.emulator.snapshot();
    const mark = this.emulator.timeline().length;
    const result = await applyPlan(plan, writerFor(this.emulator.url), {
      maxRemovals: 1_000,
      ...WINDOW,
      groupWait: { timeoutMs: 5_000, pollMs: 2, firstPollMs: 1 },
    });
    const after = this.emulator.snapshot();
    const events = this.emulator.timeline(mark);
    // Planned again as a person would run the next command: once the lag has passed.
    await afterLag();
    const replan = (await this.plan()).plan;
    return { result, before, after, events, gaps: continuityViolations(before, after, events), replan };
  }
}

/** A user's held SKUs by part number, from a snapshot's assignedLicenses. */
export function heldParts(state: LiveState, upn: string): string[] {
  const user = state.users.find((u) => u.userPrincipalName === upn);
  const part = (id: string) => state.skus.find((s) => s.skuId === id)?.skuPartNumber ?? id;
  return (user?.assignedLicenses ?? []).map((l) => part(l.skuId)).sort();
}

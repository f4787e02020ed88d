import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGraphClient } from "../../src/graph/create-graph-client.js";
import { readLiveState } from "../../src/graph/read-live-state.js";
import type { LiveState } from "../../src/model/live-state.js";
import type { Plan } from "../../src/model/plan.js";
import { simulateApply } from "../plan/simulate-apply.js";
import { builtCli } from "./built-cli.js";
import { churnFixture, writeChurnManifests } from "./churn-scenario.js";
import { countFigures } from "./figures.js";
import { emulatorArgs, leakedSentinels, runLicensectl, sentinelEnv } from "./harness.js";
import { changedPrincipals, principalsPlanned, tenantView } from "./tenant-view.js";
import { afterLag, TEST_CONSISTENCY_LAG_MS } from "../support/consistency-lag.js";

/**
 * A process killed in the middle of `licensectl apply --auto-approve`, then
 * plan and apply run again: the tenant (kept by an emulator process with
 * --state, restarted in between) ends exactly where the first plan said, and
 * nothing outside that plan was ever written. The saved plan itself is
 * refused once the tenant has moved.
 */
let cli: string;
let work: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  cli = await builtCli();
  work = mkdtempSync(join(tmpdir(), "licensectl-killed-"));
  writeFileSync(join(work, "tenant.yaml"), stringify(churnFixture()));
  writeChurnManifests(join(work, "m"));
}, 120_000);

afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

interface Spawned {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function spawnCli(args: readonly string[]): Spawned {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: work,
    env: { PATH: process.env.PATH ?? "", ...sentinelEnv() },
  });
  children.add(child);
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, output: () => output, exited };
}

/** Starts `licensectl emulator` on the state file and resolves with its URL. */
async function startEmulatorProcess(
  state: string,
  extra: readonly string[] = [],
): Promise<Spawned & { url: string }> {
  const spawned = spawnCli([
    "emulator",
    "--tenant",
    "tenant.yaml",
    "--state",
    state,
    "--port",
    "0",
    "--group-delay",
    "5",
    "--consistency-lag",
    String(TEST_CONSISTENCY_LAG_MS),
    ...extra,
  ]);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(spawned.output());
      if (found) {
        clearInterval(timer);
        resolve(found[1]!);
      }
    }, 20);
    void spawned.exited.then(() => {
      clearInterval(timer);
      reject(new Error(`the emulator exited: ${spawned.output()}`));
    });
  });
  return { ...spawned, url };
}

async function stopProcess(spawned: Spawned, signal: NodeJS.Signals): Promise<void> {
  spawned.child.kill(signal);
  await spawned.exited;
}

const read = (url: string): Promise<LiveState> =>
  readLiveState(createGraphClient({ cloud: "global", graphUrl: url, auth: "none", env: {} }), {
    groupRefs: ["Licensing - EMS", "Licensing - E3"],
  });

describe("an apply killed partway, then planned and applied again", () => {
  it.for([
    { killAfter: 2, label: "early" },
    { killAfter: 25, label: "halfway" },
  ])(
    "killed $label: the tenant ends exactly where the first plan said",
    { timeout: 90_000 },
    async ({ killAfter }, { task }) => {
      const state = `state-${killAfter}.json`;
      let emulator = await startEmulatorProcess(state, ["--throttle", "20", "--burst", "8"]);
      const planned = await runLicensectl(
        ["plan", "-m", "m", "--out", `plan-${killAfter}.json`, ...emulatorArgs(emulator.url)],
        { cwd: work },
      );
      expect(planned.code, planned.err).toBe(0);
      const plan = JSON.parse(readFileSync(join(work, `plan-${killAfter}.json`), "utf8")) as Plan;
      const before = await read(emulator.url);
      const expected = tenantView(simulateApply(before, plan));
      const total = changedPrincipals(tenantView(before), expected).length;

      // Apply in a child process, and kill it once some (not all) of the plan has landed.
      const apply = spawnCli([
        "apply",
        "--auto-approve",
        `plan-${killAfter}.json`,
        "-m",
        "m",
        "--concurrency",
        "1",
        ...emulatorArgs(emulator.url),
      ]);
      let done = 0;
      for (;;) {
        done = changedPrincipals(tenantView(before), tenantView(await read(emulator.url))).length;
        if (done >= killAfter) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      await stopProcess(apply, "SIGKILL");
      // Read once the lag has passed, so the read shows every write that landed.
      await afterLag();
      const partial = tenantView(await read(emulator.url));
      const landed = changedPrincipals(tenantView(before), partial);
      expect(landed.length, "killed before the plan finished").toBeLessThan(total);
      expect(landed.length).toBeGreaterThanOrEqual(killAfter);
      expect(leakedSentinels(apply.output())).toEqual([]);

      // The emulator process goes down and comes back from its state file, without throttling.
      await stopProcess(emulator, "SIGTERM");
      emulator = await startEmulatorProcess(state);
      expect(tenantView(await read(emulator.url))).toEqual(partial);

      // The saved plan is now stale, and refused without a write.
      const stale = await runLicensectl(
        ["apply", "--auto-approve", `plan-${killAfter}.json`, "-m", "m", ...emulatorArgs(emulator.url)],
        { cwd: work },
      );
      expect(stale.code).toBe(1);
      expect(stale.err).toMatch(
        /the tenant changed since plan-\d+\.json was made, and the plan made now differs/,
      );
      expect(tenantView(await read(emulator.url))).toEqual(partial);

      // Plan and apply again finish the job; a third plan is empty.
      const again = await runLicensectl(
        ["apply", "--auto-approve", "-m", "m", ...emulatorArgs(emulator.url)],
        { cwd: work },
      );
      expect(again.code, again.out + again.err).toBe(0);
      expect(again.err).toMatch(/Converged/);
      await afterLag();
      const after = await read(emulator.url);
      expect(tenantView(after)).toEqual(expected);
      const allowed = principalsPlanned(plan, before);
      for (const key of changedPrincipals(tenantView(before), tenantView(after)))
        expect(allowed, `${key} changed but the first plan does not name it`).toContain(key);
      const check = await runLicensectl(
        ["plan", "-m", "m", "--detailed-exitcode", ...emulatorArgs(emulator.url)],
        { cwd: work },
      );
      expect(check.code, check.out).toBe(0);
      for (const run of [planned, stale, again, check])
        expect(leakedSentinels(run.out + run.err)).toEqual([]);

      await stopProcess(emulator, "SIGTERM");
      countFigures(task, { casesRun: 1, faultsInjected: 1, outputsScannedForSecrets: 9 });
    },
  );
});

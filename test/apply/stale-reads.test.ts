import { afterEach, describe, expect, it } from "vitest";
import { applyPlan } from "../../src/apply/apply-plan.js";
import { continuityViolations, startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import type { UserLicenseState } from "../../src/graph/write-operations.js";
import { applyTenant, holdings, lookup, writerFor } from "./emulator-setup.js";
import { assign, buildPlan, E5, group, user, wave } from "./plan-builder.js";
import { RecordingWriter } from "./recording-writer.js";

/** A handover of u1's direct E5 to group g1. */
const handover = () =>
  buildPlan([
    wave("add-groups", [assign("g1-add", group("g1"), { add: [{ ...E5, disabledPlans: [] }] })]),
    wave("group-handover", [assign("h1", user("u1"), { remove: [E5] })], ["g1"]),
  ]);
const active: UserLicenseState = { skuId: E5.skuId, assignedByGroup: "g1", state: "Active", error: null };
const instant = { timeoutMs: 60_000, pollMs: 1, sleep: async () => undefined };

describe("apply does not trust a first read (Entra is eventually consistent)", () => {
  it("keeps the direct license when only one read shows the group's copy Active", async () => {
    // Read 0 (stale or not) says Active; read 1 says the copy is gone: the removal must not run.
    const writer = new RecordingWriter({
      groupStates: { g1: ["ProcessingComplete"] },
      userStates: (_user, read) => (read === 0 ? [active] : [{ ...active, state: "Error", error: "Other" }]),
    });
    const result = await applyPlan(handover(), writer, { groupWait: instant, settleDelaysMs: [1, 1] });
    expect(result.applied.map((o) => o.changeId)).toEqual(["g1-add"]);
    expect(result.skipped).toMatchObject([{ changeId: "h1", reason: { code: "group-copy-not-active" } }]);
  });

  it("re-reads a copy that has not reached the user yet, and hands over once two reads in a row show it Active", async () => {
    const slept: number[] = [];
    // The first two reads are stale: the copy is not there yet.
    const writer = new RecordingWriter({
      groupStates: { g1: ["ProcessingComplete"] },
      userStates: (_user, read) => (read < 2 ? [] : [active]),
    });
    const result = await applyPlan(handover(), writer, {
      groupWait: { ...instant, sleep: async (ms) => void slept.push(ms) },
      settleDelaysMs: [1_000, 2_000],
    });
    expect(result.applied.map((o) => o.changeId)).toEqual(["g1-add", "h1"]);
    expect(result.skipped).toEqual([]);
    expect(writer.stateCalls).toHaveLength(4);
    // One settle delay was enough; the next one was not waited.
    expect(slept).toContain(1_000);
    expect(slept).not.toContain(2_000);
  });

  it("waits no settle delay when the first reads agree", async () => {
    const slept: number[] = [];
    const writer = new RecordingWriter({
      groupStates: { g1: ["ProcessingComplete"] },
      userStates: () => [active],
    });
    await applyPlan(handover(), writer, {
      groupWait: { ...instant, sleep: async (ms) => void slept.push(ms) },
      settleDelaysMs: [1_000],
    });
    expect(writer.stateCalls).toHaveLength(2);
    expect(slept).not.toContain(1_000);
  });
});

describe("apply against an emulator whose reads lag", () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  it("hands over without a moment unlicensed and ends where the plan said", async () => {
    emulator = await startEmulator({
      tenant: applyTenant(),
      port: 0,
      groupProcessingDelayMs: 0,
      consistencyLagMs: 400,
      seed: 11,
    });
    const before = emulator.snapshot();
    const ids = lookup(before);
    const E3 = ids.sku("ENTERPRISEPACK");
    const engineering = ids.group("Engineering");
    const plan = buildPlan([
      wave("add-groups", [assign("eng-e3", engineering, { add: [{ ...E3, disabledPlans: [] }] })]),
      wave(
        "group-handover",
        [assign("handover-grady", ids.user("grady.archie@contoso.com"), { remove: [E3] })],
        [engineering.id],
      ),
    ]);
    const result = await applyPlan(plan, writerFor(emulator.url), {
      groupWait: { timeoutMs: 20_000, pollMs: 50 },
      settleDelaysMs: [300, 600, 1_200],
    });
    expect(result.failed).toEqual([]);
    expect(result.skipped.map((o) => `${o.changeId}: ${o.reason?.message}`)).toEqual([]);
    const after = emulator.snapshot();
    expect(holdings(after, "grady.archie@contoso.com")).toEqual(["ENTERPRISEPACK:group"]);
    expect(continuityViolations(before, after, emulator.timeline())).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { applyPlan } from "../../src/apply/apply-plan.js";
import {
  continuityViolations,
  startEmulator,
  type RunningEmulator,
  type TenantFixture,
} from "../../src/emulator/index.js";
import type { LicenseWriter, UserLicenseState } from "../../src/graph/write-operations.js";
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

/** Time that passes only when the apply waits, so the order of reads and waits can be checked exactly. */
function fakeClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

/** `writer`, logging each call with the time it was made. */
function timed(writer: LicenseWriter, now: () => number, log: string[]): LicenseWriter {
  return {
    execute: async (operations, onEvent) => {
      log.push(`write at ${now()}`);
      return writer.execute(operations, onEvent);
    },
    groupLicenseStatus: async (ids) => {
      log.push(`poll at ${now()}`);
      return writer.groupLicenseStatus(ids);
    },
    userLicenseStates: async (ids) => {
      log.push(`states at ${now()}`);
      return writer.userLicenseStates!(ids);
    },
    membersWithLicenseErrors: async (id) => {
      log.push(`errors at ${now()}`);
      return writer.membersWithLicenseErrors(id);
    },
  };
}

describe("apply does not trust a read younger than the consistency window", () => {
  it("keeps the direct license when one of the reads shows the group's copy not Active", async () => {
    const clock = fakeClock();
    const writer = new RecordingWriter({
      groupStates: { g1: ["ProcessingComplete"] },
      userStates: (_user, read) => (read === 0 ? [active] : [{ ...active, state: "Error", error: "Other" }]),
    });
    const result = await applyPlan(handover(), writer, {
      now: clock.now,
      groupWait: { timeoutMs: 60_000, pollMs: 10, sleep: clock.sleep },
      consistencyWindowMs: 1_000,
    });
    expect(result.applied.map((o) => o.changeId)).toEqual(["g1-add"]);
    expect(result.skipped).toMatchObject([{ changeId: "h1", reason: { code: "group-copy-not-active" } }]);
  });

  it("polls the group a window after writing it, and reads the users a window after it was seen processed", async () => {
    const clock = fakeClock();
    const log: string[] = [];
    const writer = new RecordingWriter({
      groupStates: { g1: ["ProcessingComplete"] },
      userStates: () => [active],
    });
    const result = await applyPlan(handover(), timed(writer, clock.now, log), {
      now: clock.now,
      groupWait: { timeoutMs: 60_000, pollMs: 10, sleep: clock.sleep },
      consistencyWindowMs: 1_000,
    });
    expect(result.applied.map((o) => o.changeId)).toEqual(["g1-add", "h1"]);
    expect(log).toEqual([
      "write at 0",
      // Sooner, "ProcessingComplete" could be the state from before the write.
      "poll at 1000",
      "poll at 1010",
      // Sooner, an Active copy could be from before the processing (Error since).
      "states at 2010",
      "states at 2020",
      "write at 2020",
      // The members' errors, a window after the last write.
      "errors at 3020",
    ]);
  });

  it("waits nothing when the window is 0", async () => {
    const clock = fakeClock();
    const log: string[] = [];
    const writer = new RecordingWriter({
      groupStates: { g1: ["ProcessingComplete"] },
      userStates: () => [active],
    });
    await applyPlan(handover(), timed(writer, clock.now, log), {
      now: clock.now,
      groupWait: { timeoutMs: 60_000, pollMs: 10, sleep: clock.sleep },
      consistencyWindowMs: 0,
    });
    expect(log).toEqual([
      "write at 0",
      "poll at 0",
      "poll at 10",
      "states at 10",
      "states at 20",
      "write at 20",
      "errors at 20",
    ]);
  });
});

describe("apply against an emulator whose reads lag", () => {
  const LAG = 400;
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
      consistencyLagMs: LAG,
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
    const result = await applyPlan(plan, writerFor(emulator.url, LAG), {
      groupWait: { timeoutMs: 20_000, pollMs: 50 },
      consistencyWindowMs: LAG,
    });
    expect(result.failed).toEqual([]);
    expect(result.skipped.map((o) => `${o.changeId}: ${o.reason?.message}`)).toEqual([]);
    const after = emulator.snapshot();
    expect(holdings(after, "grady.archie@contoso.com")).toEqual(["ENTERPRISEPACK:group"]);
    expect(continuityViolations(before, after, emulator.timeline())).toEqual([]);
  });

  /** Megan holds E5 directly and through Sales; giving Sales a SKU without seats puts her E5 copy in error. */
  function copyTurnsToError(): TenantFixture {
    const base = applyTenant();
    return {
      ...base,
      users: [
        ...base.users,
        { upn: "megan.bowen@contoso.com", usageLocation: "US", licenses: [{ sku: "SPE_E5" }] },
      ],
      groups: [
        ...(base.groups ?? []),
        { name: "Sales", members: ["megan.bowen@contoso.com"], licenses: [{ sku: "SPE_E5" }] },
      ],
    };
  }

  it("keeps a direct license whose group copy went from Active to ActiveWithError a moment ago, though stale reads still show it Active", async () => {
    const megan = "megan.bowen@contoso.com";
    // With a window of 0, seeds 5 and 6 serve both reads stale and the direct license is removed.
    for (const seed of [1, 5, 6]) {
      emulator = await startEmulator({
        tenant: copyTurnsToError(),
        port: 0,
        groupProcessingDelayMs: 0,
        consistencyLagMs: LAG,
        seed,
      });
      const before = emulator.snapshot();
      expect(holdings(before, megan)).toEqual(["SPE_E5:direct", "SPE_E5:group"]);
      const ids = lookup(before);
      const sales = ids.group("Sales");
      const plan = buildPlan([
        wave("add-groups", [
          assign("sales-pbi", sales, { add: [{ ...ids.sku("POWER_BI_PRO"), disabledPlans: [] }] }),
        ]),
        wave(
          "group-handover",
          [assign("handover-megan", ids.user(megan), { remove: [ids.sku("SPE_E5")] })],
          [sales.id],
        ),
      ]);
      const result = await applyPlan(plan, writerFor(emulator.url, LAG), {
        groupWait: { timeoutMs: 20_000, pollMs: 50 },
        consistencyWindowMs: LAG,
      });
      expect(result.skipped).toMatchObject([
        { changeId: "handover-megan", reason: { code: "group-copy-not-active" } },
      ]);
      expect(result.skipped[0]!.reason!.message).toMatch(/SPE_E5 through group Sales is ActiveWithError/);
      const after = emulator.snapshot();
      expect(holdings(after, megan)).toEqual([
        "POWER_BI_PRO:group:CountViolation",
        "SPE_E5:direct",
        "SPE_E5:group:CountViolation",
      ]);
      expect(continuityViolations(before, after, emulator.timeline())).toEqual([]);
      await emulator.stop();
      emulator = undefined;
    }
  });
});

import { describe, expect, it } from "vitest";
import { applyPlan } from "../../src/apply/apply-plan.js";
import type { ApplyEvent } from "../../src/apply/apply-events.js";
import { LicensectlError } from "../../src/model/errors.js";
import { assign, buildPlan, E3, E5, group, usageLocation, user, wave } from "./plan-builder.js";
import { RecordingWriter } from "./recording-writer.js";

const instant = { timeoutMs: 30_000, pollMs: 5_000, sleep: async () => undefined };
const seatsError = {
  code: "Request_BadRequest",
  message: "Subscription with SKU x does not have any available licenses.",
};

describe("applyPlan", () => {
  it("runs waves in order, one execute call per wave", async () => {
    const plan = buildPlan([
      wave("usage-locations", [usageLocation("c1", "u1")]),
      wave("remove-users", [assign("c2", user("u2"), { remove: [E3] })]),
      wave("add-users", [assign("c3", user("u1"), { add: [{ ...E3, disabledPlans: [] }] })]),
    ]);
    const writer = new RecordingWriter();
    const result = await applyPlan(plan, writer, { groupWait: instant });
    expect(writer.log).toEqual(["execute patch:u1", "execute assign:user:u2", "execute assign:user:u1"]);
    expect(result.applied.map((o) => o.changeId)).toEqual(["c1", "c2", "c3"]);
    expect(result.failed).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.batches).toBe(3);
    expect(result.requests).toBe(3);
  });

  it("builds assignLicense bodies with both arrays and updates as addLicenses entries", async () => {
    const plan = buildPlan([
      wave("updates", [
        assign("swap", user("u1"), {
          add: [{ ...E5, disabledPlans: [{ id: "p-yammer", name: "YAMMER_ENTERPRISE" }] }],
          update: [
            {
              ...E3,
              fromDisabledPlans: [{ id: "p-sway", name: "SWAY" }],
              toDisabledPlans: [{ id: "p-forms", name: "FORMS" }],
            },
          ],
          remove: [{ skuId: "sku-old", skuPartNumber: "OLD" }],
        }),
        assign("only-remove", group("g1"), { remove: [E3] }),
      ]),
    ]);
    const writer = new RecordingWriter();
    await applyPlan(plan, writer, { groupWait: instant });
    expect(writer.operations).toEqual([
      {
        id: "1",
        kind: "assignLicense",
        target: { kind: "user", id: "u1" },
        body: {
          addLicenses: [
            { skuId: E5.skuId, disabledPlans: ["p-yammer"] },
            { skuId: E3.skuId, disabledPlans: ["p-forms"] },
          ],
          removeLicenses: ["sku-old"],
        },
      },
      {
        id: "2",
        kind: "assignLicense",
        target: { kind: "group", id: "g1" },
        body: { addLicenses: [], removeLicenses: [E3.skuId] },
      },
    ]);
  });

  it("builds a PATCH for a usage location", async () => {
    const writer = new RecordingWriter();
    await applyPlan(buildPlan([wave("usage-locations", [usageLocation("c1", "u1", "DE")])]), writer, {
      groupWait: instant,
    });
    expect(writer.operations).toEqual([
      { id: "1", kind: "setUsageLocation", userId: "u1", usageLocation: "DE" },
    ]);
  });

  describe("guards", () => {
    const removing = [
      wave("remove-users", [
        assign("r1", user("u1"), { remove: [E3] }),
        assign("r2", user("u2"), { remove: [E3] }),
      ]),
    ];

    it("refuses more removals than the plan allows, writing nothing", async () => {
      const writer = new RecordingWriter();
      const error = await applyPlan(buildPlan(removing, { maxRemovals: 1 }), writer).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LicensectlError);
      expect((error as LicensectlError).code).toBe("max-removals-exceeded");
      expect((error as LicensectlError).message).toContain("2 user(s), more than the limit of 1");
      expect((error as LicensectlError).hint).toContain("--max-removals 2");
      expect(writer.calls).toEqual([]);
      expect(writer.statusCalls).toEqual([]);
    });

    it("lets the flag override the plan's limit, both ways", async () => {
      const writer = new RecordingWriter();
      await expect(
        applyPlan(buildPlan(removing, { maxRemovals: 1 }), writer, { maxRemovals: 2 }),
      ).resolves.toBeDefined();
      const strict = new RecordingWriter();
      await expect(
        applyPlan(buildPlan(removing, { maxRemovals: 5 }), strict, { maxRemovals: 0 }),
      ).rejects.toThrow(/limit of 0/);
      expect(strict.calls).toEqual([]);
    });

    it("counts removals as the planner did, group members included", async () => {
      const plan = buildPlan([
        wave("remove-groups", [assign("g", group("g1"), { remove: [E3], membersLosingLicenses: 40 })]),
      ]);
      const writer = new RecordingWriter();
      const refused = applyPlan(
        { ...plan, maxRemovals: 10, summary: { ...plan.summary, removals: 40 } },
        writer,
      );
      await expect(refused).rejects.toMatchObject({
        code: "max-removals-exceeded",
        hint: expect.stringContaining("--max-removals 40"),
      });
      expect(writer.calls).toEqual([]);
    });

    it("applies without a limit when neither the plan nor the flag sets one", async () => {
      const writer = new RecordingWriter();
      const result = await applyPlan(buildPlan(removing), writer);
      expect(result.applied).toHaveLength(2);
    });

    it("refuses an additive plan that removes, writing nothing", async () => {
      const writer = new RecordingWriter();
      const plan = buildPlan([wave("usage-locations", [usageLocation("c0", "u9")]), ...removing], {
        mode: "additive",
      });
      await expect(applyPlan(plan, writer)).rejects.toMatchObject({ code: "additive-removal" });
      expect(writer.calls).toEqual([]);
    });
  });

  describe("partial failure", () => {
    it("skips the license change of a user whose usage location failed and applies the rest", async () => {
      const plan = buildPlan([
        wave("usage-locations", [usageLocation("loc1", "u1"), usageLocation("loc2", "u2")]),
        wave("add-users", [
          assign("add1", user("u1"), { add: [{ ...E3, disabledPlans: [] }] }),
          assign("add2", user("u2"), { add: [{ ...E3, disabledPlans: [] }] }),
          assign("add3", user("u3"), { add: [{ ...E5, disabledPlans: [] }] }),
        ]),
      ]);
      const writer = new RecordingWriter({
        outcome: (op) =>
          op.kind === "setUsageLocation" && op.userId === "u1"
            ? {
                ok: false,
                status: 400,
                error: { code: "Request_BadRequest", message: "Invalid value for usageLocation." },
              }
            : op.kind === "assignLicense" && op.target.id === "u3"
              ? { ok: false, status: 400, error: seatsError, attempts: 3 }
              : undefined,
      });
      const result = await applyPlan(plan, writer, { groupWait: instant });
      expect(writer.calls[1]?.map((op) => (op.kind === "assignLicense" ? op.target.id : ""))).toEqual([
        "u2",
        "u3",
      ]);
      expect(result.applied.map((o) => o.changeId)).toEqual(["loc2", "add2"]);
      expect(result.failed.map((o) => [o.changeId, o.error?.code, o.httpStatus])).toEqual([
        ["loc1", "Request_BadRequest", 400],
        ["add3", "Request_BadRequest", 400],
      ]);
      expect(result.failed[1]?.skus?.add).toEqual([E5]);
      expect(result.failed[1]?.principal).toEqual({ kind: "user", id: "u3", name: "u3@contoso.com" });
      expect(result.skipped).toHaveLength(1);
      expect(result.skipped[0]).toMatchObject({
        changeId: "add1",
        status: "skipped",
        reason: { code: "usage-location-failed", dependsOnChange: "loc1" },
      });
      expect(result.retries).toBe(2);
    });

    it("still removes licenses from a user whose usage location failed", async () => {
      const plan = buildPlan([
        wave("usage-locations", [usageLocation("loc1", "u1")]),
        wave("remove-users", [assign("rm", user("u1"), { remove: [E3] })]),
      ]);
      const writer = new RecordingWriter({
        outcome: (op) => (op.kind === "setUsageLocation" ? { ok: false } : undefined),
      });
      const result = await applyPlan(plan, writer, { groupWait: instant });
      expect(result.applied.map((o) => o.changeId)).toEqual(["rm"]);
    });

    it("turns a writer that throws into failed changes and carries on with the next wave", async () => {
      let calls = 0;
      const writer = new RecordingWriter();
      const flaky = {
        ...writer,
        execute: async (...args: Parameters<RecordingWriter["execute"]>) => {
          calls += 1;
          if (calls === 1) throw new Error("socket hang up");
          return writer.execute(...args);
        },
        groupLicenseStatus: writer.groupLicenseStatus.bind(writer),
        membersWithLicenseErrors: writer.membersWithLicenseErrors.bind(writer),
      };
      const plan = buildPlan([
        wave("remove-users", [assign("rm", user("u1"), { remove: [E3] })]),
        wave("add-users", [assign("add", user("u2"), { add: [{ ...E3, disabledPlans: [] }] })]),
      ]);
      const result = await applyPlan(plan, flaky, { groupWait: instant });
      expect(result.failed).toMatchObject([
        { changeId: "rm", httpStatus: 0, error: { code: "writer-error", message: "socket hang up" } },
      ]);
      expect(result.applied.map((o) => o.changeId)).toEqual(["add"]);
    });
  });

  describe("groups", () => {
    /** u1 holds E5 from g1 and u2 holds E3 from g2, Active, on every read. */
    const activeCopies = (userId: string) =>
      userId === "u1"
        ? [{ skuId: E5.skuId, assignedByGroup: "g1", state: "Active", error: null }]
        : [{ skuId: E3.skuId, assignedByGroup: "g2", state: "Active", error: null }];

    const handoverPlan = () =>
      buildPlan([
        wave("add-groups", [
          assign("g1-add", group("g1"), { add: [{ ...E5, disabledPlans: [] }] }),
          assign("g2-add", group("g2"), { add: [{ ...E3, disabledPlans: [] }] }),
        ]),
        wave(
          "group-handover",
          [assign("h1", user("u1"), { remove: [E5] }), assign("h2", user("u2"), { remove: [E3] })],
          ["g1", "g2"],
        ),
      ]);

    it("polls until every group is ProcessingComplete before the handover, then reads member errors", async () => {
      const slept: number[] = [];
      const writer = new RecordingWriter({
        groupStates: {
          g1: [
            "QueuedForProcessing",
            "QueuedForProcessing",
            "ProcessingInProgress",
            "ProcessingInProgress",
            "ProcessingInProgress",
            "ProcessingComplete",
          ],
        },
        memberErrors: {
          g2: [
            { userId: "u7", userPrincipalName: "u7@contoso.com", skuId: E3.skuId, error: "CountViolation" },
          ],
        },
        userStates: activeCopies,
      });
      const events: ApplyEvent[] = [];
      const result = await applyPlan(handoverPlan(), writer, {
        groupWait: { timeoutMs: 60_000, pollMs: 2_000, sleep: async (ms) => void slept.push(ms) },
        onEvent: (event) => events.push(event),
        // The pauses of polling alone; the waits for the window are checked in stale-reads.test.ts.
        consistencyWindowMs: 0,
      });
      expect(writer.log).toEqual([
        "execute assign:group:g1 assign:group:g2",
        "status g1,g2",
        "status g1,g2",
        "status g1",
        "status g1",
        "status g1",
        "status g1",
        "status g1",
        // The users' states, read twice, show each group's copy Active before the direct one goes.
        "states u1,u2",
        "states u1,u2",
        "execute assign:user:u1 assign:user:u2",
        "errors g1",
        "errors g2",
      ]);
      // Pauses start short and double up to pollMs; then one short pause between the state reads.
      expect(slept).toEqual([250, 500, 1_000, 2_000, 2_000, 2_000, 250]);
      expect(result.applied).toHaveLength(4);
      expect(result.groupErrors).toEqual([
        {
          userId: "u7",
          userPrincipalName: "u7@contoso.com",
          skuId: E3.skuId,
          skuPartNumber: "ENTERPRISEPACK",
          error: "CountViolation",
          groupId: "g2",
          groupName: "Group g2",
          fix: expect.stringMatching(
            /^Free or buy one ENTERPRISEPACK seat .*reprocessLicenseAssignment for u7@contoso\.com/,
          ),
        },
      ]);
      expect(
        events
          .filter((e) => e.type === "waiting-for-groups")
          .map((e) => e.type === "waiting-for-groups" && e.state),
      ).toEqual(["waiting", "waiting", "waiting", "waiting", "waiting", "waiting", "complete"]);
    });

    it("times out cleanly: warns and skips only the handover that waits for the slow group", async () => {
      const writer = new RecordingWriter({
        groupStates: { g1: ["ProcessingInProgress"] },
        userStates: activeCopies,
      });
      const result = await applyPlan(handoverPlan(), writer, {
        groupWait: { timeoutMs: 10_000, pollMs: 5_000, firstPollMs: 5_000, sleep: async () => undefined },
      });
      expect(writer.statusCalls.filter((call) => call.includes("g1"))).toHaveLength(3);
      expect(result.skipped).toMatchObject([
        { changeId: "h1", reason: { code: "group-processing-incomplete", groupIds: ["g1"] } },
      ]);
      expect(result.applied.map((o) => o.changeId)).toEqual(["g1-add", "g2-add", "h2"]);
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toContain("Group g1");
      expect(result.warnings[0]).toContain("10s");
      // The slow group is not waited for a second time at the end.
      expect(writer.log.at(-3)).toBe("execute assign:user:u2");
    });

    it("skips the handover whose group change failed, without polling that group", async () => {
      const writer = new RecordingWriter({
        outcome: (op) =>
          op.kind === "assignLicense" && op.target.id === "g2" ? { ok: false, error: seatsError } : undefined,
        userStates: activeCopies,
      });
      const result = await applyPlan(handoverPlan(), writer, { groupWait: instant });
      // Complete on two polls in a row; g2 is never asked about.
      expect(writer.statusCalls).toEqual([["g1"], ["g1"]]);
      expect(writer.stateCalls).toEqual([["u1"], ["u1"]]);
      expect(result.skipped).toMatchObject([
        { changeId: "h2", reason: { code: "group-change-failed", groupIds: ["g2"] } },
      ]);
      expect(result.failed.map((o) => o.changeId)).toEqual(["g2-add"]);
      expect(result.applied.map((o) => o.changeId)).toEqual(["g1-add", "h1"]);
      expect(writer.errorCalls).toEqual(["g1"]);
    });

    it("does not skip later waves that only wait for groups to free seats", async () => {
      const writer = new RecordingWriter({ groupStates: { g1: ["ProcessingInProgress"] } });
      const plan = buildPlan([
        wave("remove-groups", [assign("g-rm", group("g1"), { remove: [E3], membersLosingLicenses: 1 })]),
        wave("add-users", [assign("add", user("u1"), { add: [{ ...E3, disabledPlans: [] }] })], ["g1"]),
      ]);
      const result = await applyPlan(plan, writer, { groupWait: instant });
      expect(result.applied.map((o) => o.changeId)).toEqual(["g-rm", "add"]);
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toContain("seats they free may not be available yet");
    });

    it("treats an unreadable processing state like a timeout, and an unreadable error list as a warning", async () => {
      class BrokenReads extends RecordingWriter {
        override async groupLicenseStatus(): Promise<never> {
          throw new Error("Microsoft Graph answered 500");
        }
        override async membersWithLicenseErrors(): Promise<never> {
          throw new Error("Microsoft Graph answered 503");
        }
      }
      const writer = new BrokenReads();
      const result = await applyPlan(handoverPlan(), writer, { groupWait: instant });
      expect(result.applied.map((o) => o.changeId)).toEqual(["g1-add", "g2-add"]);
      expect(result.skipped.map((o) => [o.changeId, o.reason?.code])).toEqual([
        ["h1", "group-processing-incomplete"],
        ["h2", "group-processing-incomplete"],
      ]);
      expect(result.warnings).toEqual([
        "Could not read the license processing state of groups Group g1, Group g2 before the group-handover wave; the direct licenses they would take over were left in place: Microsoft Graph answered 500",
        "Could not read the members with license errors of group Group g1: Microsoft Graph answered 503",
        "Could not read the members with license errors of group Group g2: Microsoft Graph answered 503",
      ]);
    });

    it("waits at the end for every group it changed", async () => {
      const writer = new RecordingWriter({
        groupStates: { g1: ["QueuedForProcessing", "ProcessingComplete"] },
      });
      const plan = buildPlan([
        wave("remove-groups", [assign("g", group("g1"), { remove: [E3], membersLosingLicenses: 2 })]),
      ]);
      const result = await applyPlan(plan, writer, { groupWait: instant });
      expect(writer.log).toEqual([
        "execute assign:group:g1",
        "status g1",
        "status g1",
        "status g1",
        "errors g1",
      ]);
      expect(result.warnings).toEqual([]);
    });

    it("does not touch groups or poll when the plan changes none", async () => {
      const writer = new RecordingWriter();
      await applyPlan(buildPlan([wave("usage-locations", [usageLocation("c", "u1")])]), writer, {
        groupWait: instant,
      });
      expect(writer.statusCalls).toEqual([]);
      expect(writer.errorCalls).toEqual([]);
    });
  });

  it("emits typed events in order and counts throttling", async () => {
    const writer = new RecordingWriter({
      extraEvents: () => [{ type: "throttled", retryAfterMs: 1_000, scope: "request" }],
      outcome: () => ({ attempts: 2 }),
    });
    const events: ApplyEvent[] = [];
    const plan = buildPlan([wave("remove-users", [assign("rm", user("u1"), { remove: [E3] })])]);
    const result = await applyPlan(plan, writer, { onEvent: (e) => events.push(e), now: () => 0 });
    expect(events).toEqual([
      { type: "apply-started", waveCount: 1, changes: 1 },
      { type: "wave-started", waveIndex: 0, waveCount: 1, kind: "remove-users", changes: 1 },
      { type: "throttled", retryAfterMs: 1_000, scope: "request" },
      { type: "change-done", waveIndex: 0, changeId: "rm", status: "applied", principal: "u1@contoso.com" },
      {
        type: "wave-finished",
        waveIndex: 0,
        waveCount: 1,
        kind: "remove-users",
        applied: 1,
        failed: 0,
        skipped: 0,
      },
      { type: "apply-finished", applied: 1, failed: 0, skipped: 0, durationMs: 0 },
    ]);
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
    expect(result).toMatchObject({ throttled: 1, retries: 1, requests: 1, batches: 1 });
  });

  it("does nothing for an empty plan", async () => {
    const writer = new RecordingWriter();
    const result = await applyPlan(buildPlan([]), writer);
    expect(writer.log).toEqual([]);
    expect(result.applied).toEqual([]);
  });
});

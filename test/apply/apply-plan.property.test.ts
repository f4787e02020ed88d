import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../../src/apply/apply-plan.js";
import type { Change, Wave } from "../../src/model/plan.js";
import { assign, buildPlan, E3, E5, group, usageLocation, user, wave } from "./plan-builder.js";
import { RecordingWriter } from "./recording-writer.js";

/** A plan shaped like the planner's: locations, user changes, group additions, handovers that wait for the groups. */
const planArbitrary = fc
  .record({
    users: fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 12 }),
    located: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    groups: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
    handovers: fc.uniqueArray(fc.integer({ min: 31, max: 40 }), { maxLength: 4 }),
  })
  .map(({ users, located, groups, handovers }) => {
    const waves: Wave[] = [];
    const locations = users.filter((_, i) => located[i]).map((u) => usageLocation(`loc-${u}`, `u${u}`));
    if (locations.length > 0) waves.push(wave("usage-locations", locations));
    const adds = users.map((u) => assign(`add-${u}`, user(`u${u}`), { add: [{ ...E3, disabledPlans: [] }] }));
    if (adds.length > 0) waves.push(wave("add-users", adds));
    const groupAdds = groups.map((g) =>
      assign(`grp-${g}`, group(`g${g}`), { add: [{ ...E5, disabledPlans: [] }] }),
    );
    if (groupAdds.length > 0) waves.push(wave("add-groups", groupAdds));
    if (groups.length > 0 && handovers.length > 0) {
      const changes = handovers.map((u) => assign(`hand-${u}`, user(`u${u}`), { remove: [E5] }));
      waves.push(
        wave(
          "group-handover",
          changes,
          groups.map((g) => `g${g}`),
        ),
      );
    }
    return buildPlan(waves);
  });

describe("applyPlan invariants", () => {
  it("accounts for every change once, writes only what runs, and skips only what depends on a failure", async () => {
    await fc.assert(
      fc.asyncProperty(
        planArbitrary,
        fc.func(fc.boolean()),
        fc.func(fc.boolean()),
        fc.func(fc.boolean()),
        async (plan, fails, slow, errored) => {
          const changes = plan.waves.flatMap((w) => w.changes);
          const failing = new Set(changes.filter((c) => fails(c.id)).map((c) => c.id));
          const slowGroups = new Set(
            changes
              .filter((c) => c.kind === "assignLicenses" && c.target.kind === "group" && slow(c.id))
              .map((c) => (c as Extract<Change, { kind: "assignLicenses" }>).target.id),
          );
          const byTarget = (op: { kind: string; userId?: string; target?: { id: string } }) =>
            changes.find((c) =>
              op.kind === "setUsageLocation"
                ? c.kind === "setUsageLocation" && c.user.id === op.userId
                : c.kind === "assignLicenses" && c.target.id === op.target?.id,
            );
          const writer = new RecordingWriter({
            outcome: (op) => {
              const waveOfOp = byTarget(op as never);
              return waveOfOp && failing.has(waveOfOp.id)
                ? { ok: false, error: { code: "Request_BadRequest", message: "no" } }
                : undefined;
            },
            groupStates: Object.fromEntries([...slowGroups].map((id) => [id, ["ProcessingInProgress"]])),
            // Each user holds E5 from every group the handover waits for: Active, or in Error for some.
            userStates: (userId) =>
              (plan.waves.at(-1)?.waitForGroups ?? []).map((g) => ({
                skuId: E5.skuId,
                assignedByGroup: g,
                state: errored(userId) ? "Error" : "Active",
                error: errored(userId) ? "CountViolation" : null,
              })),
          });
          const result = await applyPlan(plan, writer, {
            groupWait: { timeoutMs: 10, pollMs: 5, sleep: async () => undefined },
          });

          const all = [...result.applied, ...result.failed, ...result.skipped].map((o) => o.changeId).sort();
          expect(all).toEqual(changes.map((c) => c.id).sort());
          // One write per change that was not skipped, never more.
          expect(writer.operations).toHaveLength(changes.length - result.skipped.length);
          // One execute call per wave that had something to run, in plan order.
          const wavesRun = plan.waves.filter((w) =>
            w.changes.some((c) => !result.skipped.some((s) => s.changeId === c.id)),
          );
          expect(writer.calls).toHaveLength(wavesRun.length);
          for (const outcome of result.failed) expect(failing.has(outcome.changeId)).toBe(true);
          for (const outcome of result.applied) expect(failing.has(outcome.changeId)).toBe(false);
          // ... and everything that depends on a failure is skipped.
          const skippedIds = new Set(result.skipped.map((o) => o.changeId));
          for (const change of changes) {
            if (change.id.startsWith("add-")) {
              expect(skippedIds.has(change.id)).toBe(failing.has(`loc-${change.id.slice(4)}`));
            }
            if (change.id.startsWith("hand-")) {
              const groupIds = plan.waves.at(-1)?.waitForGroups ?? [];
              const notReady = groupIds.some((g) => failing.has(`grp-${g.slice(1)}`) || slowGroups.has(g));
              // A user's direct E5 goes only when a group's copy is read Active for them.
              expect(skippedIds.has(change.id)).toBe(notReady || errored(`u${change.id.slice(5)}`));
            }
          }
          for (const skipped of result.skipped) {
            const reason = skipped.reason!;
            if (reason.code === "usage-location-failed")
              expect(failing.has(reason.dependsOnChange!)).toBe(true);
            else if (reason.code === "group-copy-not-active")
              expect(errored(skipped.principal.id)).toBe(true);
            else if (reason.code === "group-change-failed")
              expect(reason.groupIds!.some((g) => failing.has(`grp-${g.slice(1)}`))).toBe(true);
            else expect(reason.groupIds!.some((g) => slowGroups.has(g))).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { applyPlan } from "../../src/apply/apply-plan.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { assign, buildPlan, usageLocation, wave } from "./plan-builder.js";
import { applyTenant, holdings, lookup, writerFor } from "./emulator-setup.js";
import { LAGGED, WINDOW } from "../support/consistency-lag.js";

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function start(
  options: { groupProcessingDelayMs?: number; throttle?: { writesPerSecond: number; burst?: number } } = {},
) {
  emulator = await startEmulator({
    tenant: applyTenant(),
    port: 0,
    groupProcessingDelayMs: 0,
    ...LAGGED,
    ...options,
  });
  return emulator;
}

const fastWait = { timeoutMs: 5_000, pollMs: 10 };

describe("applyPlan against the emulator", () => {
  it("sets a usage location, then licenses the user; swaps and updates in one call each", async () => {
    const emu = await start();
    const ids = lookup(emu.snapshot());
    const E3 = ids.sku("ENTERPRISEPACK");
    const E5 = ids.sku("SPE_E5");
    const plan = buildPlan([
      wave("usage-locations", [usageLocation("loc-alex", ids.user("alex.wilber@contoso.com").id, "GB")]),
      wave("updates", [
        assign("swap-adele", ids.user("adele.vance@contoso.com"), {
          add: [{ ...E5, disabledPlans: [] }],
          remove: [E3],
        }),
        assign("update-grady", ids.user("grady.archie@contoso.com"), {
          update: [{ ...E3, fromDisabledPlans: [], toDisabledPlans: [ids.plan("ENTERPRISEPACK", "SWAY")] }],
        }),
      ]),
      wave("add-users", [
        assign("add-alex", ids.user("alex.wilber@contoso.com"), { add: [{ ...E3, disabledPlans: [] }] }),
      ]),
    ]);
    const result = await applyPlan(plan, writerFor(emu.url), { groupWait: fastWait, ...WINDOW });

    expect(result.failed).toEqual([]);
    expect(result.applied.map((o) => o.changeId)).toEqual([
      "loc-alex",
      "swap-adele",
      "update-grady",
      "add-alex",
    ]);
    expect(emu.counters.writesApplied).toBe(4);
    const after = emu.snapshot();
    expect(ids.userRecord("alex.wilber@contoso.com").usageLocation).toBeNull();
    expect(after.users.find((u) => u.userPrincipalName === "alex.wilber@contoso.com")?.usageLocation).toBe(
      "GB",
    );
    expect(holdings(after, "alex.wilber@contoso.com")).toEqual(["ENTERPRISEPACK:direct"]);
    expect(holdings(after, "adele.vance@contoso.com")).toEqual(["SPE_E5:direct"]);
    const grady = after.users.find((u) => u.userPrincipalName === "grady.archie@contoso.com")!;
    expect(grady.assignedLicenses).toEqual([
      { skuId: E3.skuId, disabledPlans: [ids.plan("ENTERPRISEPACK", "SWAY").id] },
    ]);
  });

  it("reports Graph's failures, skips what depends on them and applies the rest", async () => {
    const emu = await start();
    const ids = lookup(emu.snapshot());
    const E3 = ids.sku("ENTERPRISEPACK");
    const pbi = ids.sku("POWER_BI_PRO");
    const ghost = {
      kind: "user" as const,
      id: "00000000-0000-4000-8000-00000000dead",
      name: "ghost@contoso.com",
    };
    const plan = buildPlan([
      wave("usage-locations", [
        { ...usageLocation("loc-ghost", ghost.id), user: ghost },
        usageLocation("loc-alex", ids.user("alex.wilber@contoso.com").id),
      ]),
      wave("add-users", [
        assign("add-alex", ids.user("alex.wilber@contoso.com"), { add: [{ ...E3, disabledPlans: [] }] }),
        assign("add-diego", ids.user("diego.siciliani@contoso.com"), {
          add: [{ ...pbi, disabledPlans: [] }],
        }),
        assign("add-ghost", ghost, { add: [{ ...E3, disabledPlans: [] }] }),
      ]),
    ]);
    const result = await applyPlan(plan, writerFor(emu.url), { groupWait: fastWait, ...WINDOW });

    expect(result.applied.map((o) => o.changeId)).toEqual(["loc-alex", "add-alex"]);
    expect(result.failed.map((o) => [o.changeId, o.httpStatus, o.error?.code])).toEqual([
      ["loc-ghost", 404, "Request_ResourceNotFound"],
      ["add-diego", 400, "Request_BadRequest"],
    ]);
    expect(result.failed[1]?.error?.message).toBe(
      `Subscription with SKU ${pbi.skuId} does not have any available licenses.`,
    );
    expect(result.skipped).toMatchObject([
      { changeId: "add-ghost", reason: { code: "usage-location-failed" } },
    ]);
    expect(emu.counters.writesApplied).toBe(2);
    // The skipped change was never sent.
    expect(emu.counters.writesAttempted).toBe(4);
  });

  it("hands a direct license over to a group only after the group is processed, and reports members with errors", async () => {
    const emu = await start({ groupProcessingDelayMs: 20 });
    const ids = lookup(emu.snapshot());
    const E3 = ids.sku("ENTERPRISEPACK");
    const EMS = ids.sku("EMS");
    const engineering = ids.group("Engineering");
    const contractors = ids.group("Contractors");
    const plan = buildPlan([
      wave("add-groups", [
        assign("eng-e3", engineering, { add: [{ ...E3, disabledPlans: [] }] }),
        assign("contractors-ems", contractors, { add: [{ ...EMS, disabledPlans: [] }] }),
      ]),
      wave(
        "group-handover",
        [assign("handover-grady", ids.user("grady.archie@contoso.com"), { remove: [E3] })],
        [engineering.id],
      ),
    ]);
    const log: string[] = [];
    const result = await applyPlan(plan, writerFor(emu.url), {
      ...WINDOW,
      groupWait: fastWait,
      onEvent: (event) => {
        if (event.type === "waiting-for-groups") log.push(`wait:${event.state}`);
        if (event.type === "change-done") log.push(`done:${event.changeId}`);
      },
    });

    expect(result.failed).toEqual([]);
    expect(result.skipped).toEqual([]);
    // The handover is written only once the group is seen processed.
    expect(log.indexOf("wait:complete")).toBeGreaterThan(log.indexOf("done:eng-e3"));
    expect(log.indexOf("done:handover-grady")).toBeGreaterThan(log.indexOf("wait:complete"));
    const after = emu.snapshot();
    expect(holdings(after, "grady.archie@contoso.com")).toEqual(["ENTERPRISEPACK:group"]);
    expect(holdings(after, "henrietta.mueller@contoso.com")).toEqual(["ENTERPRISEPACK:group"]);
    // EMS has one seat for two contractors: one of them gets CountViolation.
    expect(result.groupErrors).toHaveLength(1);
    expect(result.groupErrors[0]).toMatchObject({
      groupId: contractors.id,
      groupName: "Contractors",
      skuId: EMS.skuId,
      skuPartNumber: "EMS",
      error: "CountViolation",
    });
    expect(["diego.siciliani@contoso.com", "isaiah.langer@contoso.com"]).toContain(
      result.groupErrors[0]?.userPrincipalName,
    );
  });

  it("leaves the direct license in place when group processing does not finish in time", async () => {
    const emu = await start({ groupProcessingDelayMs: 60_000 });
    const ids = lookup(emu.snapshot());
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
    const result = await applyPlan(plan, writerFor(emu.url), {
      ...WINDOW,
      groupWait: { timeoutMs: 40, pollMs: 10 },
    });

    expect(result.applied.map((o) => o.changeId)).toEqual(["eng-e3"]);
    expect(result.skipped).toMatchObject([
      { changeId: "handover-grady", reason: { code: "group-processing-incomplete" } },
    ]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain("Engineering");
    expect(holdings(emu.snapshot(), "grady.archie@contoso.com")).toEqual(["ENTERPRISEPACK:direct"]);
  });

  it("rides out throttling: every change applied, the 429s counted", async () => {
    const emu = await start({ throttle: { writesPerSecond: 50, burst: 2 } });
    const ids = lookup(emu.snapshot());
    const upns = [
      "alex.wilber@contoso.com",
      "diego.siciliani@contoso.com",
      "grady.archie@contoso.com",
      "henrietta.mueller@contoso.com",
      "isaiah.langer@contoso.com",
      "adele.vance@contoso.com",
    ];
    const plan = buildPlan([
      wave(
        "usage-locations",
        upns.map((upn, i) => usageLocation(`loc-${i}`, ids.user(upn).id, "CA")),
      ),
    ]);
    const result = await applyPlan(plan, writerFor(emu.url), { groupWait: fastWait, ...WINDOW });

    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(6);
    expect(result.throttled).toBeGreaterThan(0);
    expect(result.retries).toBeGreaterThan(0);
    expect(emu.snapshot().users.every((u) => u.usageLocation === "CA")).toBe(true);
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- Graph answers are untyped JSON; the assertions check their shape. */
import { afterEach, describe, expect, it } from "vitest";
import { LaggedView } from "../../src/emulator/consistency.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import type { UserRecord } from "../../src/emulator/tenant-model.js";
import { E3, EMS, emulatorCall, smallTenant } from "./helpers.js";

const LAG = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("LaggedView", () => {
  it("serves each read a version no older than the lag, and the current one once the lag has passed", () => {
    let now = 1_000;
    const view = new LaggedView(100, 7, () => now);
    const user = { id: "u", usageLocation: "US" } as UserRecord;
    view.beforeChange(user);
    user.usageLocation = "GB";
    now += 10;
    const seen = new Set(Array.from({ length: 50 }, () => view.user(user).usageLocation));
    expect(seen).toEqual(new Set(["US", "GB"]));
    now += 100;
    expect(new Set(Array.from({ length: 50 }, () => view.user(user).usageLocation))).toEqual(new Set(["GB"]));
  });

  it("is the store itself without a lag", () => {
    const view = new LaggedView(0, 1);
    const user = { id: "u", usageLocation: "US" } as UserRecord;
    view.beforeChange(user);
    user.usageLocation = "GB";
    expect(view.user(user)).toBe(user);
  });
});

describe("emulator: --consistency-lag", () => {
  let emulator: RunningEmulator;
  afterEach(() => emulator.stop());

  const call = (method: string, path: string, body?: unknown) =>
    emulatorCall(emulator.url, method, path, body);
  const skus = async (path: string) =>
    ((await call("GET", `/users/${path}?$select=assignedLicenses`)).body.assignedLicenses as any[]).map(
      (l) => l.skuId,
    );

  it("reads see a write late, but never later than the lag", async () => {
    emulator = await startEmulator({
      tenant: smallTenant(),
      groupProcessingDelayMs: 0,
      consistencyLagMs: LAG,
      seed: 3,
    });
    const write = await call("POST", "/users/grady.archie@contoso.com/assignLicense", {
      addLicenses: [{ skuId: E3, disabledPlans: [] }],
      removeLicenses: [],
    });
    expect(write.status).toBe(200);
    const early = await Promise.all(Array.from({ length: 10 }, () => skus("grady.archie@contoso.com")));
    expect(early.some((held) => !held.includes(E3))).toBe(true);
    await sleep(LAG + 50);
    const late = await Promise.all(Array.from({ length: 10 }, () => skus("grady.archie@contoso.com")));
    expect(late.every((held) => held.includes(E3))).toBe(true);
  });

  it("reports group processing and consumedUnits late", async () => {
    emulator = await startEmulator({
      tenant: smallTenant(),
      groupProcessingDelayMs: 0,
      consistencyLagMs: LAG,
      seed: 5,
    });
    const group = emulator.snapshot().groups.find((g) => g.displayName === "Engineering")!;
    const consumedBefore = emulator.snapshot().skus.find((s) => s.skuId === EMS)!.consumedUnits;
    expect(
      (
        await call("POST", `/groups/${group.id}/assignLicense`, {
          addLicenses: [{ skuId: EMS, disabledPlans: [] }],
          removeLicenses: [],
        })
      ).status,
    ).toBe(202);
    // The write is done: the truth already shows the group processed.
    expect(emulator.snapshot().groups.find((g) => g.id === group.id)!.licenseProcessingState).toBe(
      "ProcessingComplete",
    );
    const states = await Promise.all(
      Array.from(
        { length: 10 },
        async () =>
          (await call("GET", `/groups/${group.id}?$select=licenseProcessingState`)).body
            .licenseProcessingState?.state ?? null,
      ),
    );
    expect(states.some((s) => s !== "ProcessingComplete")).toBe(true);
    const consumed = await Promise.all(
      Array.from(
        { length: 10 },
        async () =>
          ((await call("GET", "/subscribedSkus")).body.value as any[]).find((s) => s.skuId === EMS)
            .consumedUnits,
      ),
    );
    expect(consumed).toContain(consumedBefore);
    await sleep(LAG + 50);
    const settled = (await call("GET", `/groups/${group.id}?$select=licenseProcessingState`)).body;
    expect(settled.licenseProcessingState.state).toBe("ProcessingComplete");
    const truth = emulator.snapshot().skus.find((s) => s.skuId === EMS)!.consumedUnits;
    expect(
      ((await call("GET", "/subscribedSkus")).body.value as any[]).find((s) => s.skuId === EMS).consumedUnits,
    ).toBe(truth);
    expect(truth).toBeGreaterThan(consumedBefore);
  });

  it("checks writes against the current state, whatever a lagged read showed", async () => {
    emulator = await startEmulator({
      tenant: smallTenant(),
      groupProcessingDelayMs: 0,
      consistencyLagMs: LAG,
      seed: 9,
    });
    const add = { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] };
    expect((await call("POST", "/users/grady.archie@contoso.com/assignLicense", add)).status).toBe(200);
    // Removing at once works although a read may still show the user without E3.
    const removed = await call("POST", "/users/grady.archie@contoso.com/assignLicense", {
      addLicenses: [],
      removeLicenses: [E3],
    });
    expect(removed.status).toBe(200);
    const again = await call("POST", "/users/grady.archie@contoso.com/assignLicense", {
      addLicenses: [],
      removeLicenses: [E3],
    });
    expect(again.body.error.message).toBe("User does not have a corresponding license.");
  });

  it("is off by default: a read right after a write sees it", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), groupProcessingDelayMs: 0 });
    await call("POST", "/users/grady.archie@contoso.com/assignLicense", {
      addLicenses: [{ skuId: E3, disabledPlans: [] }],
      removeLicenses: [],
    });
    for (let i = 0; i < 5; i++) expect(await skus("grady.archie@contoso.com")).toContain(E3);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { generateTenant, startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { readLiveState } from "../../src/graph/read-live-state.js";
import { connectTo, memberBatches, smallTenant } from "./emulator-helpers.js";

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

describe("readLiveState against the emulator", () => {
  it("reads a 2,500-user tenant page after page in ceil(users/999) + ceil(groups/999) + 1 + member batches requests", async () => {
    emulator = await startEmulator({ tenant: generateTenant({ users: 2500, groups: 30, seed: 7 }), port: 0 });
    const connection = connectTo(emulator.url);
    const phases = new Set<string>();
    const live = await readLiveState(connection, {
      readConcurrency: 1,
      onProgress: (event) => phases.add(event.phase),
    });
    const truth = emulator.snapshot();

    const licensed = truth.groups.filter((g) => g.assignedLicenses.length > 0);
    const memberPages = licensed.reduce(
      (sum, g) => sum + Math.max(1, Math.ceil(g.memberIds!.length / 999)),
      0,
    );
    const batches = memberBatches(licensed.map((g) => g.memberIds!.length));
    const expected = Math.ceil(2500 / 999) + Math.ceil(30 / 999) + 1 + batches;
    expect(licensed.length).toBeGreaterThan(20);
    expect(batches).toBeLessThan(memberPages);
    expect(connection.requestCount()).toBe(expected);
    expect(emulator.counters.requests).toBe(expected);
    // One for /organization and /subscribedSkus, the others carry every member page.
    expect(emulator.counters.byRoute["POST /$batch"]).toBe(1 + batches);
    expect(emulator.counters.byRoute["GET /groups/{id}/members/microsoft.graph.user"]).toBe(memberPages);
    expect(emulator.counters.byRoute["GET /users"]).toBe(3);
    expect(phases).toEqual(new Set(["tenant", "users", "groups", "members"]));

    expect(live.tenant.id).toBe(truth.tenant.id);
    expect(live.skus.map((s) => s.skuId).sort()).toEqual(truth.skus.map((s) => s.skuId).sort());
    expect(live.users).toHaveLength(2500);
    expect(new Set(live.users.map((u) => u.id)).size).toBe(2500);
    const byId = new Map(live.users.map((u) => [u.id, u]));
    for (const user of truth.users) {
      const read = byId.get(user.id)!;
      expect(read.licenseAssignmentStates.length, user.userPrincipalName).toBe(
        user.licenseAssignmentStates.length,
      );
      expect(read.usageLocation).toBe(user.usageLocation);
    }
    for (const group of live.groups) {
      const real = truth.groups.find((g) => g.id === group.id)!;
      if (real.assignedLicenses.length > 0)
        expect([...group.memberIds!].sort()).toEqual([...real.memberIds!].sort());
      else expect(group.memberIds).toBeUndefined();
    }
  });

  it("follows member nextLinks of large groups inside later batches and keeps the request formula", async () => {
    emulator = await startEmulator({ tenant: generateTenant({ users: 5000, groups: 2, seed: 3 }), port: 0 });
    const connection = connectTo(emulator.url);
    const live = await readLiveState(connection, { readConcurrency: 1 });
    const truth = emulator.snapshot();
    const sizes = truth.groups.map((g) => g.memberIds!.length);
    expect(Math.max(...sizes)).toBeGreaterThan(999);
    const memberPages = truth.groups
      .filter((g) => g.assignedLicenses.length > 0)
      .reduce((sum, g) => sum + Math.max(1, Math.ceil(g.memberIds!.length / 999)), 0);
    const licensedSizes = truth.groups
      .filter((g) => g.assignedLicenses.length > 0)
      .map((g) => g.memberIds!.length);
    expect(connection.requestCount()).toBe(Math.ceil(5000 / 999) + 1 + 1 + memberBatches(licensedSizes));
    expect(emulator.counters.byRoute["GET /groups/{id}/members/microsoft.graph.user"]).toBe(memberPages);
    for (const group of truth.groups.filter((g) => g.assignedLicenses.length > 0)) {
      const read = live.groups.find((g) => g.id === group.id)!;
      expect(new Set(read.memberIds)).toEqual(new Set(group.memberIds));
      expect(read.memberIds).toHaveLength(group.memberIds!.length);
    }
  });

  it("tells direct from inherited assignments and lower-cases ids", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), port: 0 });
    const live = await readLiveState(connectTo(emulator.url));
    const sales = live.groups.find((g) => g.displayName === "Sales")!;
    const e5 = live.skus.find((s) => s.skuPartNumber === "SPE_E5")!.skuId;
    const e3 = live.skus.find((s) => s.skuPartNumber === "ENTERPRISEPACK")!;
    const user = (upn: string) => live.users.find((u) => u.userPrincipalName === upn)!;

    expect(user("alex@contoso.com").licenseAssignmentStates).toEqual([
      expect.objectContaining({ skuId: e5, assignedByGroup: sales.id, error: null }),
    ]);
    const diego = user("diego@contoso.com").licenseAssignmentStates;
    expect(
      diego
        .filter((s) => s.skuId === e5)
        .map((s) => s.assignedByGroup)
        .sort(),
    ).toEqual([null, sales.id].sort());
    const adele = user("adele@contoso.com");
    expect(adele.licenseAssignmentStates).toEqual([
      expect.objectContaining({ skuId: e3.skuId, assignedByGroup: null }),
    ]);
    const sway = e3.servicePlans.find((p) => p.servicePlanName === "SWAY")!.servicePlanId;
    expect(adele.assignedLicenses[0]!.disabledPlans).toEqual([sway]);
    expect(user("grady@contoso.com")).toMatchObject({
      usageLocation: null,
      assignedLicenses: [],
      licenseAssignmentStates: [],
    });
    for (const u of live.users) expect(u.id).toBe(u.id.toLowerCase());
    expect(sales.memberIds).toHaveLength(2);
    expect(live.tenant).toEqual({
      id: "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90",
      displayName: "Contoso",
      countryLetterCode: "US",
    });
  });

  it("reads the members of unlicensed groups the manifests name, by id, name or mail nickname", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), port: 0 });
    const truth = emulator.snapshot();
    const mobility = truth.groups.find((g) => g.displayName === "Mobility")!;
    const connection = connectTo(emulator.url);
    const live = await readLiveState(connection, {
      groupRefs: ["FALCON", mobility.id.toUpperCase(), "no such group"],
      readConcurrency: 1,
    });
    const group = (name: string) => live.groups.find((g) => g.displayName === name)!;
    expect(group("Project Falcon").memberIds).toHaveLength(1);
    expect([...group("Mobility").memberIds!].sort()).toEqual([...mobility.memberIds!].sort());
    expect(group("Unnamed").memberIds).toBeUndefined();
    // 1 batch + 1 users page + 1 groups page + 1 batch of Sales, Falcon and Mobility members.
    expect(connection.requestCount()).toBe(4);
    expect(emulator.counters.byRoute["GET /groups/{id}/members/microsoft.graph.user"]).toBe(3);
  });

  it("re-sends reads whose connection dropped and still reads the same tenant", async () => {
    emulator = await startEmulator({ tenant: generateTenant({ users: 1200, groups: 12, seed: 5 }), port: 0 });
    const clean = await readLiveState(connectTo(emulator.url));
    await emulator.stop();
    emulator = await startEmulator({
      tenant: generateTenant({ users: 1200, groups: 12, seed: 5 }),
      port: 0,
      faults: { dropRate: 0.2, seed: 17 },
    });
    const connection = connectTo(emulator.url);
    const waits: number[] = [];
    const live = await readLiveState(connection, {
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    expect(emulator.counters.faultsInjected).toBeGreaterThan(0);
    expect(waits.length).toBeGreaterThan(0);
    expect(connection.requestCount()).toBe(emulator.counters.requests);
    expect(live).toEqual(clean);
  });
});

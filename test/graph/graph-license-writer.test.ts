import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { createLicenseWriter } from "../../src/graph/graph-license-writer.js";
import type { WriteEvent, WriteOperation } from "../../src/graph/write-operations.js";
import type { LiveState } from "../../src/model/live-state.js";
import { WINDOW } from "../support/consistency-lag.js";
import { connectTo, scaledSleep, smallTenant } from "./emulator-helpers.js";

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const instant = (): Promise<void> => Promise.resolve();

function skuId(state: LiveState, partNumber: string): string {
  return state.skus.find((s) => s.skuPartNumber === partNumber)!.skuId;
}

function userId(state: LiveState, upn: string): string {
  return state.users.find((u) => u.userPrincipalName === upn)!.id;
}

/** For each of the 60 bulk users: give E3 directly. */
function addE3ToBulkUsers(state: LiveState, count = 60): WriteOperation[] {
  const e3 = skuId(state, "ENTERPRISEPACK");
  return Array.from({ length: count }, (_, i) => ({
    id: `add-${i}`,
    kind: "assignLicense" as const,
    target: { kind: "user" as const, id: userId(state, `user${i}@contoso.com`) },
    body: { addLicenses: [{ skuId: e3, disabledPlans: [] }], removeLicenses: [] },
  }));
}

function directSkus(state: LiveState, upn: string): string[] {
  const user = state.users.find((u) => u.userPrincipalName === upn)!;
  return user.licenseAssignmentStates.filter((s) => s.assignedByGroup === null).map((s) => s.skuId);
}

describe("the Graph license writer against the emulator", () => {
  it("packs n operations into ceil(n/20) $batch requests and applies each", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), port: 0 });
    const before = emulator.snapshot();
    const connection = connectTo(emulator.url);
    const operations = addE3ToBulkUsers(before, 45);
    const events: WriteEvent[] = [];
    const outcomes = await createLicenseWriter(connection, { sleep: instant }).execute(operations, (e) =>
      events.push(e),
    );

    expect(connection.requestCount()).toBe(3);
    expect(emulator.counters.byRoute["POST /$batch"]).toBe(3);
    expect(emulator.counters.writesApplied).toBe(45);
    expect(outcomes.map((o) => o.id)).toEqual(operations.map((o) => o.id));
    expect(outcomes.every((o) => o.ok && o.status === 200 && o.attempts === 1)).toBe(true);
    expect(
      events
        .filter((e) => e.type === "batch-sent")
        .map((e) => (e.type === "batch-sent" ? e.size : 0))
        .sort(),
    ).toEqual([20, 20, 5]);
    expect(events.filter((e) => e.type === "operation-done")).toHaveLength(45);
    const after = emulator.snapshot();
    const e3 = skuId(after, "ENTERPRISEPACK");
    for (let i = 0; i < 45; i++) expect(directSkus(after, `user${i}@contoso.com`)).toEqual([e3]);
    expect(directSkus(after, "user45@contoso.com")).toEqual([]);
  });

  it("swaps licenses in one call, sets usage locations, and returns 202 for groups", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), port: 0, groupProcessingDelayMs: 0 });
    const before = emulator.snapshot();
    const e3 = skuId(before, "ENTERPRISEPACK");
    const e5 = skuId(before, "SPE_E5");
    const falcon = before.groups.find((g) => g.displayName === "Project Falcon")!.id;
    const outcomes = await createLicenseWriter(connectTo(emulator.url), { sleep: instant }).execute([
      {
        id: "swap",
        kind: "assignLicense",
        target: { kind: "user", id: userId(before, "adele@contoso.com") },
        body: { addLicenses: [{ skuId: e5, disabledPlans: [] }], removeLicenses: [e3] },
      },
      {
        id: "loc",
        kind: "setUsageLocation",
        userId: userId(before, "grady@contoso.com"),
        usageLocation: "FR",
      },
      {
        id: "group",
        kind: "assignLicense",
        target: { kind: "group", id: falcon },
        body: { addLicenses: [{ skuId: e3, disabledPlans: [] }], removeLicenses: [] },
      },
    ]);
    expect(outcomes.map((o) => [o.id, o.status, o.ok])).toEqual([
      ["swap", 200, true],
      ["loc", 204, true],
      ["group", 202, true],
    ]);
    const after = emulator.snapshot();
    expect(directSkus(after, "adele@contoso.com")).toEqual([e5]);
    expect(after.users.find((u) => u.userPrincipalName === "grady@contoso.com")!.usageLocation).toBe("FR");
  });

  it("returns Graph's code and message for requests Graph refuses, without retrying them", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), port: 0 });
    const before = emulator.snapshot();
    const e3 = skuId(before, "ENTERPRISEPACK");
    const unknownSku = "00000000-1111-4222-8333-444444444444";
    const connection = connectTo(emulator.url);
    const outcomes = await createLicenseWriter(connection, { sleep: instant }).execute([
      {
        id: "no-location",
        kind: "assignLicense",
        target: { kind: "user", id: userId(before, "grady@contoso.com") },
        body: { addLicenses: [{ skuId: e3, disabledPlans: [] }], removeLicenses: [] },
      },
      {
        id: "unknown-sku",
        kind: "assignLicense",
        target: { kind: "user", id: userId(before, "alex@contoso.com") },
        body: { addLicenses: [{ skuId: unknownSku, disabledPlans: [] }], removeLicenses: [] },
      },
      {
        id: "no-user",
        kind: "setUsageLocation",
        userId: "99999999-9999-4999-8999-999999999999",
        usageLocation: "US",
      },
    ]);
    const byId = new Map(outcomes.map((o) => [o.id, o]));
    expect(byId.get("no-location")).toMatchObject({
      ok: false,
      status: 400,
      attempts: 1,
      error: {
        code: "Request_BadRequest",
        message: "License assignment cannot be done for user with invalid usage location.",
      },
    });
    expect(byId.get("unknown-sku")).toMatchObject({ ok: false, status: 400 });
    expect(byId.get("unknown-sku")!.error!.message).toContain(
      `License ${unknownSku} does not correspond to a valid company License.`,
    );
    expect(byId.get("no-user")).toMatchObject({
      ok: false,
      status: 404,
      error: { code: "Request_ResourceNotFound" },
    });
    expect(connection.requestCount()).toBe(1);
    expect(emulator.counters.writesApplied).toBe(0);
  });

  it("retries throttled requests, honouring Retry-After, until every operation is applied exactly once", async () => {
    emulator = await startEmulator({
      tenant: smallTenant(),
      port: 0,
      throttle: { writesPerSecond: 200, burst: 15 },
    });
    const before = emulator.snapshot();
    const operations = addE3ToBulkUsers(before, 60);
    const waits: number[] = [];
    const events: WriteEvent[] = [];
    const sleep = scaledSleep(0.05);
    const connection = connectTo(emulator.url);
    const outcomes = await createLicenseWriter(connection, {
      sleep: (ms) => {
        waits.push(ms);
        return sleep(ms);
      },
    }).execute(operations, (e) => events.push(e));

    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(emulator.counters.throttled).toBeGreaterThan(0);
    expect(emulator.counters.writesApplied).toBe(60);
    const retried = outcomes.filter((o) => o.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    // The emulator asks for whole seconds; the writer waits for them (pacing waits between come shorter).
    const retryAfters = events.flatMap((e) => (e.type === "throttled" ? [e.retryAfterMs] : []));
    expect(retryAfters.length).toBeGreaterThan(0);
    expect(retryAfters.every((ms) => ms >= 1000)).toBe(true);
    expect(Math.max(...waits)).toBeGreaterThan(900);
    expect(events.some((e) => e.type === "throttled" && e.scope === "request")).toBe(true);
    const batches = events.filter((e) => e.type === "batch-sent").length;
    expect(connection.requestCount()).toBe(batches);
    expect(batches).toBeGreaterThan(Math.ceil(60 / 20));
    expect(emulator.counters.byRoute["POST /$batch"]).toBe(batches);
    const after = emulator.snapshot();
    const e3 = skuId(after, "ENTERPRISEPACK");
    for (let i = 0; i < 60; i++) expect(directSkus(after, `user${i}@contoso.com`)).toEqual([e3]);
  });

  it("survives 503/504 answers and dropped connections, applying each operation once", async () => {
    emulator = await startEmulator({
      tenant: smallTenant(),
      port: 0,
      faults: { errorRate: 0.2, dropRate: 0.15, seed: 42 },
    });
    const before = emulator.snapshot();
    const e3 = skuId(before, "ENTERPRISEPACK");
    // Removals fail with 400 if sent twice after succeeding, so a double write would show.
    const operations: WriteOperation[] = [
      ...addE3ToBulkUsers(before, 50),
      {
        id: "remove-adele",
        kind: "assignLicense",
        target: { kind: "user", id: userId(before, "adele@contoso.com") },
        body: { addLicenses: [], removeLicenses: [e3] },
      },
      ...Array.from({ length: 9 }, (_, i) => ({
        id: `loc-${i}`,
        kind: "setUsageLocation" as const,
        userId: userId(before, `user${50 + i}@contoso.com`),
        usageLocation: "NL",
      })),
    ];
    const events: WriteEvent[] = [];
    const connection = connectTo(emulator.url);
    const outcomes = await createLicenseWriter(connection, {
      sleep: instant,
      random: () => 0.5,
      concurrency: 3,
      // The emulator has no lag here; the short window keeps the read-backs' waits out of the test's time.
      ...WINDOW,
    }).execute(operations, (e) => events.push(e));
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(emulator.counters.faultsInjected).toBeGreaterThan(0);
    expect(emulator.counters.writesApplied).toBe(operations.length);
    // 503/504 and dropped connections are lost answers, not throttling.
    expect(events.some((e) => e.type === "answer-lost")).toBe(true);
    expect(events.some((e) => e.type === "throttled")).toBe(false);
    // Every write whose answer was lost is read back before it is sent again.
    const batches = events.filter((e) => e.type === "batch-sent").length;
    const lost = events.filter((e) => e.type === "answer-lost").length;
    const readBacks = events.filter((e) => e.type === "read-back").length;
    expect(readBacks).toBe(lost);
    const targetReads =
      (emulator.counters.byRoute["GET /users/{id}"] ?? 0) +
      (emulator.counters.byRoute["GET /groups/{id}"] ?? 0);
    expect(targetReads).toBeGreaterThanOrEqual(lost);
    // The read-backs are HTTP requests beyond the write batches (themselves retried when faults hit them).
    expect(connection.requestCount()).toBeGreaterThan(batches);
    const after = emulator.snapshot();
    expect(directSkus(after, "adele@contoso.com")).toEqual([]);
    for (let i = 0; i < 50; i++) expect(directSkus(after, `user${i}@contoso.com`)).toEqual([e3]);
    for (let i = 50; i < 59; i++) {
      expect(after.users.find((u) => u.userPrincipalName === `user${i}@contoso.com`)!.usageLocation).toBe(
        "NL",
      );
    }
  });

  it("gives up with a clear error once the retry time is spent", async () => {
    emulator = await startEmulator({
      tenant: smallTenant(),
      port: 0,
      throttle: { writesPerSecond: 1, burst: 1 },
    });
    const before = emulator.snapshot();
    const waits: number[] = [];
    const outcomes = await createLicenseWriter(connectTo(emulator.url), {
      maxRetryTimeMs: 3_000,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    }).execute(addE3ToBulkUsers(before, 3));
    const failed = outcomes.filter((o) => !o.ok);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(failed).toHaveLength(2);
    for (const outcome of failed) {
      expect(outcome.status).toBe(429);
      expect(outcome.error!.message).toMatch(/^gave up after \d+ attempts/);
      expect(outcome.attempts).toBeGreaterThan(1);
    }
    expect(emulator.counters.writesApplied).toBe(1);
  });

  it("reads group processing states and members with license errors", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), port: 0, groupProcessingDelayMs: 0 });
    const before = emulator.snapshot();
    const ems = skuId(before, "EMS");
    const mobility = before.groups.find((g) => g.displayName === "Mobility")!.id;
    const sales = before.groups.find((g) => g.displayName === "Sales")!.id;
    const connection = connectTo(emulator.url);
    const writer = createLicenseWriter(connection, { sleep: instant });
    const [outcome] = await writer.execute([
      {
        id: "g",
        kind: "assignLicense",
        target: { kind: "group", id: mobility.toUpperCase() },
        body: { addLicenses: [{ skuId: ems, disabledPlans: [] }], removeLicenses: [] },
      },
    ]);
    expect(outcome).toMatchObject({ ok: true, status: 202 });

    const statuses = await writer.groupLicenseStatus([mobility, sales]);
    expect(statuses).toEqual([
      { groupId: mobility, state: "ProcessingComplete" },
      { groupId: sales, state: "ProcessingComplete" },
    ]);

    // EMS has one seat and Mobility two members: one of them gets CountViolation.
    const errors = await writer.membersWithLicenseErrors(mobility);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ skuId: ems, error: "CountViolation" });
    expect(["user0@contoso.com", "user1@contoso.com"]).toContain(errors[0]!.userPrincipalName);
    expect(await writer.membersWithLicenseErrors(sales)).toEqual([]);
  });

  it("sends nothing for no operations", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), port: 0 });
    const connection = connectTo(emulator.url);
    const writer = createLicenseWriter(connection);
    expect(await writer.execute([])).toEqual([]);
    expect(await writer.groupLicenseStatus([])).toEqual([]);
    expect(connection.requestCount()).toBe(0);
  });

  it("refuses operation ids that collide ignoring case", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), port: 0 });
    const writer = createLicenseWriter(connectTo(emulator.url));
    await expect(
      writer.execute([
        { id: "a", kind: "setUsageLocation", userId: "x", usageLocation: "US" },
        { id: "A", kind: "setUsageLocation", userId: "y", usageLocation: "US" },
      ]),
    ).rejects.toMatchObject({ code: "internal-error" });
    expect(emulator.counters.requests).toBe(0);
  });
});

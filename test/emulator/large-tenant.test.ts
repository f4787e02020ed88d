import { PageIterator } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant, startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { graphClient } from "./helpers.js";

describe("emulator: a generated tenant of 100,000 users", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      tenant: generateTenant({ users: 100_000, seed: 42 }),
      groupProcessingDelayMs: 0,
    });
  });
  afterAll(() => emulator.stop());

  it("lists every user with $top=999 in 101 requests", async () => {
    const client = graphClient(emulator.url);
    emulator.resetCounters();
    const first = await client
      .api("/users")
      .select("id,userPrincipalName,usageLocation,assignedLicenses,licenseAssignmentStates")
      .top(999)
      .get();
    const ids = new Set<string>();
    const iterator = new PageIterator(client, first, (user: { id: string }) => {
      ids.add(user.id);
      return true;
    });
    await iterator.iterate();
    expect(ids.size).toBe(100_000);
    expect(emulator.counters.requests).toBe(101);
    expect(emulator.counters.byRoute).toEqual({ "GET /users": 101 });
  });

  it("pages 100 users at a time without $top", async () => {
    const page = await graphClient(emulator.url).api("/users").get();
    expect(page.value).toHaveLength(100);
    expect(page["@odata.nextLink"]).toContain("$skiptoken=");
  });

  it("accounts seats for the whole tenant", () => {
    const snapshot = emulator.snapshot();
    for (const sku of snapshot.skus) {
      const holders = snapshot.users.filter((u) =>
        u.assignedLicenses.some((l) => l.skuId === sku.skuId),
      ).length;
      expect(sku.consumedUnits).toBe(holders);
      expect(sku.consumedUnits).toBeLessThanOrEqual(sku.prepaidUnits.enabled);
    }
  });
});

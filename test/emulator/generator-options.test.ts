import { afterEach, describe, expect, it } from "vitest";
import { generateTenant, startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { graphClient, graphFailure } from "./helpers.js";

/** A generated tenant can carry subscriptions, departments, sign-in activity and P1, each only when asked for. */

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date("2026-06-01T00:00:00Z");

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

describe("generateTenant options", () => {
  it("adds nothing unless asked, and asking leaves the seed's users, groups and licenses as they were", () => {
    const plain = generateTenant({ users: 400, seed: 5 });
    expect(plain.tenant.premium).toBeUndefined();
    expect(plain.skus.every((s) => s.subscriptions === undefined)).toBe(true);
    expect(plain.users.some((u) => u.department !== undefined || u.signInActivity !== undefined)).toBe(false);

    const rich = generateTenant({
      users: 400,
      seed: 5,
      subscriptions: "varied",
      departments: true,
      signInActivity: true,
      premium: false,
      now: NOW,
    });
    expect(rich.tenant.premium).toBe(false);
    expect(rich.skus.map(({ sku, seats }) => ({ sku, seats }))).toEqual(plain.skus);
    expect(rich.groups).toEqual(plain.groups);
    expect(rich.users.map(({ department: _d, signInActivity: _s, ...rest }) => rest)).toEqual(plain.users);
  });

  it("serves varied subscriptions whose seats add up to each SKU's, with a trial and one in Warning", async () => {
    const tenant = generateTenant({ users: 300, seed: 3, subscriptions: "varied", now: NOW });
    emulator = await startEmulator({ tenant, port: 0 });
    const client = graphClient(emulator.url);
    const subscriptions = (await client.api("/directory/subscriptions").get()).value as {
      skuPartNumber: string;
      totalLicenses: number;
      isTrial: boolean;
      status: string;
      nextLifecycleDateTime: string | null;
    }[];
    for (const sku of tenant.skus) {
      const total = subscriptions
        .filter((s) => s.skuPartNumber === sku.sku)
        .reduce((sum, s) => sum + s.totalLicenses, 0);
      expect(total).toBe(sku.seats);
    }
    // Every subscription says when it renews or ends, within the year ahead.
    for (const s of subscriptions) {
      const at = Date.parse(s.nextLifecycleDateTime!);
      expect(at).toBeGreaterThan(NOW.getTime());
      expect(at).toBeLessThanOrEqual(NOW.getTime() + 366 * DAY);
    }
    const trial = subscriptions.filter((s) => s.isTrial);
    expect(trial).toEqual([
      expect.objectContaining({
        skuPartNumber: tenant.skus[1]!.sku,
        nextLifecycleDateTime: "2026-06-21T00:00:00Z",
      }),
    ]);
    expect(subscriptions.filter((s) => s.status === "Warning").map((s) => s.skuPartNumber)).toEqual([
      tenant.skus[2]!.sku,
    ]);
  });

  it("gives the listed SKUs exactly the subscriptions asked for", () => {
    const tenant = generateTenant({
      users: 100,
      seed: 2,
      subscriptions: { SPE_E3: [{ seats: 7, trial: true, nextLifecycleDateTime: "2026-07-01T00:00:00Z" }] },
    });
    expect(tenant.skus.find((s) => s.sku === "SPE_E3")?.subscriptions).toEqual([
      { seats: 7, trial: true, nextLifecycleDateTime: "2026-07-01T00:00:00Z" },
    ]);
    expect(tenant.skus.filter((s) => s.subscriptions !== undefined)).toHaveLength(1);
  });

  it("serves departments and sign-in activity: some never signed in, some long ago, most lately", async () => {
    const tenant = generateTenant({
      users: 1000,
      seed: 9,
      departments: ["Sales", "Finance"],
      signInActivity: true,
      now: NOW,
    });
    emulator = await startEmulator({ tenant, port: 0 });
    const client = graphClient(emulator.url);
    const users: { department: string | null; signInActivity: { lastSignInDateTime: string } | null }[] = [];
    let page = await client.api("/users").select(["id", "department", "signInActivity"]).top(999).get();
    for (;;) {
      users.push(...page.value);
      if (!page["@odata.nextLink"]) break;
      page = await client.api(page["@odata.nextLink"]).get();
    }
    expect(users).toHaveLength(1000);
    expect(new Set(users.map((u) => u.department))).toEqual(new Set(["Sales", "Finance"]));
    const never = users.filter((u) => u.signInActivity === null).length;
    const daysAgo = users
      .filter((u) => u.signInActivity !== null)
      .map((u) => (NOW.getTime() - Date.parse(u.signInActivity!.lastSignInDateTime)) / DAY);
    const old = daysAgo.filter((d) => d >= 100).length;
    expect(daysAgo.every((d) => d >= 0 && d < 400)).toBe(true);
    // About 10 % never, 15 % long ago, 75 % within 30 days.
    expect(never).toBeGreaterThan(50);
    expect(never).toBeLessThan(150);
    expect(old).toBeGreaterThan(100);
    expect(old).toBeLessThan(200);
    expect(daysAgo.filter((d) => d < 30).length).toBe(1000 - never - old);
  });

  it("makes a tenant without P1 that refuses signInActivity as Graph does", async () => {
    const running = await startEmulator({
      tenant: generateTenant({ users: 20, seed: 1, signInActivity: true, premium: false }),
      port: 0,
    });
    emulator = running;
    const failure = await graphFailure(() =>
      graphClient(running.url).api("/users").select(["signInActivity"]).get(),
    );
    expect(failure).toMatchObject({
      statusCode: 403,
      code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
    });
  });
});

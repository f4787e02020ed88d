import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator, type TenantFixture } from "../../src/emulator/index.js";
import { readSubscriptions } from "../../src/graph/read-subscriptions.js";
import { connectTo, smallTenant } from "./emulator-helpers.js";

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

function withSubscriptions(): TenantFixture {
  const base = smallTenant();
  return {
    ...base,
    skus: base.skus.map((s) =>
      s.sku === "SPE_E5"
        ? {
            ...s,
            subscriptions: [
              { seats: 40, nextLifecycleDateTime: "2027-03-31T00:00:00Z" },
              { seats: 10, trial: true, status: "Warning", nextLifecycleDateTime: "2026-12-15T00:00:00Z" },
            ],
          }
        : s,
    ),
  };
}

describe("GET /directory/subscriptions through the Graph client", () => {
  it("serves each SKU's subscriptions in Graph's companySubscription shape", async () => {
    emulator = await startEmulator({ tenant: withSubscriptions(), port: 0 });
    const response = await connectTo(emulator.url).send({ method: "GET", url: "/directory/subscriptions" });
    expect(response.status).toBe(200);
    const body = response.body as { "@odata.context": string; value: Record<string, unknown>[] };
    expect(body["@odata.context"]).toMatch(/\/v1\.0\/\$metadata#directory\/subscriptions$/);
    const e5 = body.value.filter((s) => s.skuPartNumber === "SPE_E5");
    expect(e5).toHaveLength(2);
    expect(Object.keys(e5[0]!).sort()).toEqual(
      [
        "commerceSubscriptionId",
        "createdDateTime",
        "id",
        "isTrial",
        "nextLifecycleDateTime",
        "ownerId",
        "ownerTenantId",
        "ownerType",
        "serviceStatus",
        "skuId",
        "skuPartNumber",
        "status",
        "totalLicenses",
      ].sort(),
    );
    expect(e5[1]).toMatchObject({ isTrial: true, status: "Warning", totalLicenses: 10 });
    // A SKU with no subscriptions listed has one for all its seats, with no invented date.
    const e3 = body.value.filter((s) => s.skuPartNumber === "ENTERPRISEPACK");
    expect(e3).toEqual([
      expect.objectContaining({
        totalLicenses: 100,
        status: "Enabled",
        isTrial: false,
        nextLifecycleDateTime: null,
      }),
    ]);
    // subscribedSkus names the same subscriptions.
    const skus = await connectTo(emulator.url).send({ method: "GET", url: "/subscribedSkus" });
    const e5Sku = (skus.body as { value: { skuPartNumber: string; subscriptionIds: string[] }[] }).value.find(
      (s) => s.skuPartNumber === "SPE_E5",
    );
    expect(e5Sku?.subscriptionIds.sort()).toEqual(e5.map((s) => s.id).sort());
  });

  it("honours $select and refuses an unknown property as Graph does", async () => {
    emulator = await startEmulator({ tenant: withSubscriptions(), port: 0 });
    const connection = connectTo(emulator.url);
    const selected = await connection.send({
      method: "GET",
      url: "/directory/subscriptions?$select=skuId,status",
    });
    const value = (selected.body as { value: Record<string, unknown>[] }).value;
    expect(Object.keys(value[0]!).sort()).toEqual(["skuId", "status"]);
    const unknown = await connection.send({ method: "GET", url: "/directory/subscriptions?$select=seats" });
    expect(unknown.status).toBe(400);
  });

  it("reads them into the model, lower-cased and complete", async () => {
    emulator = await startEmulator({ tenant: withSubscriptions(), port: 0 });
    const read = await readSubscriptions(connectTo(emulator.url));
    expect(read.available).toBe(true);
    if (!read.available) return;
    expect(read.subscriptions).toHaveLength(4);
    expect(read.subscriptions.find((s) => s.isTrial)).toMatchObject({
      skuPartNumber: "SPE_E5",
      status: "Warning",
      totalLicenses: 10,
      nextLifecycleDateTime: "2026-12-15T00:00:00Z",
    });
    expect(
      read.subscriptions.every((s) => s.id === s.id.toLowerCase() && s.skuId === s.skuId.toLowerCase()),
    ).toBe(true);
  });
});

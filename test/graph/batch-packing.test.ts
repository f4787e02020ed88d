import { describe, expect, it } from "vitest";
import {
  batchRequestBody,
  chunk,
  findDuplicateIds,
  MAX_BATCH_SIZE,
  toBatchItem,
} from "../../src/graph/batch-packing.js";
import type { WriteOperation } from "../../src/graph/write-operations.js";

const SKU = "6fd2c87f-b296-42f0-b197-1e91e994b900";
const PLAN = "7547a3fe-08ee-4ccb-b430-5077c5041653";

describe("packing writes into $batch requests", () => {
  it("sends assignLicense with both arrays and a Content-Type header", () => {
    const op: WriteOperation = {
      id: "op-1",
      kind: "assignLicense",
      target: { kind: "user", id: "0b7c0000-0000-4000-8000-000000000001" },
      body: { addLicenses: [{ skuId: SKU, disabledPlans: [PLAN] }], removeLicenses: [] },
    };
    expect(toBatchItem(op)).toEqual({
      id: "op-1",
      method: "POST",
      url: "/users/0b7c0000-0000-4000-8000-000000000001/assignLicense",
      headers: { "Content-Type": "application/json" },
      body: { addLicenses: [{ skuId: SKU, disabledPlans: [PLAN] }], removeLicenses: [] },
    });
    const removeOnly = toBatchItem({ ...op, id: "op-2", body: { addLicenses: [], removeLicenses: [SKU] } });
    expect(removeOnly.body).toEqual({ addLicenses: [], removeLicenses: [SKU] });
  });

  it("targets groups and sets usage locations with PATCH", () => {
    const group = toBatchItem({
      id: "g",
      kind: "assignLicense",
      target: { kind: "group", id: "a1" },
      body: { addLicenses: [], removeLicenses: [SKU] },
    });
    expect(group.url).toBe("/groups/a1/assignLicense");
    expect(toBatchItem({ id: "u", kind: "setUsageLocation", userId: "b2", usageLocation: "GB" })).toEqual({
      id: "u",
      method: "PATCH",
      url: "/users/b2",
      headers: { "Content-Type": "application/json" },
      body: { usageLocation: "GB" },
    });
  });

  it("chunks into groups of at most 20, never dependsOn", () => {
    const items = Array.from({ length: 45 }, (_, i) => i);
    expect(chunk(items).map((c) => c.length)).toEqual([20, 20, 5]);
    expect(chunk([])).toEqual([]);
    expect(chunk(items.slice(0, 20))).toHaveLength(1);
    const body = batchRequestBody(
      Array.from({ length: MAX_BATCH_SIZE }, (_, i) => ({
        id: String(i),
        method: "GET" as const,
        url: "/users",
      })),
    );
    expect(body.requests).toHaveLength(20);
    expect(body.requests.every((r) => !("dependsOn" in r))).toBe(true);
    expect(() =>
      batchRequestBody(
        Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET" as const, url: "/" })),
      ),
    ).toThrow();
  });

  it("finds ids that collide ignoring case, as Graph compares them", () => {
    expect(findDuplicateIds(["a", "B", "A", "c"])).toEqual(["A"]);
    expect(findDuplicateIds(["a", "b"])).toEqual([]);
  });
});

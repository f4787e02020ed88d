import { BatchRequestContent, BatchResponseContent } from "@microsoft/microsoft-graph-client";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { E3, errorBody, graphClient, graphFailure, smallTenant } from "./helpers.js";

describe("emulator: POST /$batch", () => {
  let emulator: RunningEmulator;
  let client: ReturnType<typeof graphClient>;
  const start = async (options: { throttle?: { writesPerSecond: number; burst?: number } } = {}) => {
    emulator = await startEmulator({ tenant: smallTenant(), groupProcessingDelayMs: 0, ...options });
    client = graphClient(emulator.url);
  };
  afterEach(() => emulator.stop());

  // SDK 3.0.7 keeps everything after the host as the inner URL, so the version must stay out of it
  // (its maintainers' advice in microsoftgraph/msgraph-sdk-javascript#1451).
  const assignRequest = (upn: string) =>
    new Request(`${emulator.url}/users/${upn}/assignLicense`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] }),
    });

  it("runs inner requests through the SDK's batch content, with per-request status, headers and body", async () => {
    await start();
    const batch = new BatchRequestContent([
      { id: "1", request: assignRequest("grady.archie@contoso.com") },
      { id: "2", request: assignRequest("diego.siciliani@contoso.com") },
      {
        id: "3",
        request: new Request(`${emulator.url}/users/grady.archie@contoso.com?$select=id,usageLocation`),
      },
    ]);
    emulator.resetCounters();
    const result = new BatchResponseContent(await client.api("/$batch").post(await batch.getContent()));
    const ok = result.getResponseById("1");
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { userPrincipalName: string }).userPrincipalName).toBe(
      "grady.archie@contoso.com",
    );
    const failed = result.getResponseById("2");
    expect(failed.status).toBe(400);
    expect(((await failed.json()) as { error: { message: string } }).error.message).toBe(
      "License assignment cannot be done for user with invalid usage location.",
    );
    expect(result.getResponseById("3").status).toBe(200);
    expect(emulator.counters.requests).toBe(1);
    expect(emulator.counters.byRoute).toMatchObject({
      "POST /$batch": 1,
      "POST /users/{id}/assignLicense": 2,
      "GET /users/{id}": 1,
    });
    expect(emulator.counters).toMatchObject({ writesAttempted: 2, writesApplied: 1 });
  });

  it("refuses an inner URL that carries the version, as Graph does, and runs the others", async () => {
    await start();
    const result = (await client.api("/$batch").post({
      requests: [
        { id: "1", method: "GET", url: "/v1.0/organization" },
        { id: "2", method: "GET", url: "/organization" },
      ],
    })) as {
      responses: { id: string; status: number; body: { error?: { code: string; message: string } } }[];
    };
    const byId = new Map(result.responses.map((r) => [r.id, r]));
    expect(byId.get("1")).toMatchObject({
      status: 400,
      body: { error: { code: "BadRequest", message: "Resource not found for the segment 'v1.0'." } },
    });
    expect(byId.get("2")?.status).toBe(200);
  });

  it("answers independent requests in an order other than the request order", async () => {
    await start();
    const requests = ["adele.vance", "alex.wilber", "grady.archie", "isaiah.langer"].map((name, i) => ({
      id: String(i + 1),
      method: "GET",
      url: `/users/${name}@contoso.com`,
    }));
    const result = (await client.api("/$batch").post({ requests })) as {
      responses: { id: string; status: number }[];
    };
    expect(result.responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(result.responses.map((r) => r.id).sort()).toEqual(["1", "2", "3", "4"]);
    expect(result.responses.map((r) => r.id)).not.toEqual(["1", "2", "3", "4"]);
  });

  it("runs dependents after their dependency and answers 424 when it failed", async () => {
    await start();
    const batch = new BatchRequestContent([
      { id: "1", request: assignRequest("nobody@contoso.com") },
      { id: "2", request: assignRequest("grady.archie@contoso.com"), dependsOn: ["1"] },
    ]);
    const result = new BatchResponseContent(await client.api("/$batch").post(await batch.getContent()));
    expect(result.getResponseById("1").status).toBe(404);
    expect(result.getResponseById("2").status).toBe(424);
    const grady = await client.api("/users/grady.archie@contoso.com").select("assignedLicenses").get();
    expect(grady.assignedLicenses).toEqual([]);
  });

  it("refuses more than 20 requests and duplicate ids with 400 for the whole batch", async () => {
    await start();
    const many = Array.from({ length: 21 }, (_, i) => ({
      id: String(i),
      method: "GET",
      url: "/organization",
    }));
    const tooMany = await graphFailure(() => client.api("/$batch").post({ requests: many }));
    expect(tooMany.statusCode).toBe(400);
    expect(errorBody(tooMany).error.code).toBe("BadRequest");
    const duplicate = await graphFailure(() =>
      client.api("/$batch").post({
        requests: [
          { id: "a", method: "GET", url: "/organization" },
          { id: "A", method: "GET", url: "/organization" },
        ],
      }),
    );
    expect(duplicate.statusCode).toBe(400);
  });

  it("throttles inner writes one by one: 429 with Retry-After in the inner headers, outer 200", async () => {
    await start({ throttle: { writesPerSecond: 1, burst: 1 } });
    const requests = ["adele.vance", "alex.wilber", "grady.archie"].map((name, i) => ({
      id: String(i + 1),
      method: "PATCH",
      url: `/users/${name}@contoso.com`,
      headers: { "Content-Type": "application/json" },
      body: { usageLocation: "US" },
    }));
    const result = (await client.api("/$batch").post({ requests })) as {
      responses: {
        id: string;
        status: number;
        headers: Record<string, string>;
        body?: { error: { code: string } };
      }[];
    };
    const statuses = result.responses.map((r) => r.status).sort();
    expect(statuses).toEqual([204, 429, 429]);
    const throttled = result.responses.find((r) => r.status === 429)!;
    expect(Number(throttled.headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    expect(throttled.body!.error.code).toBe("TooManyRequests");
    expect(emulator.counters.throttled).toBe(2);
  });
});

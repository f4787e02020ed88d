import type { Context } from "@microsoft/microsoft-graph-client";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { NodeHttpMessageHandler, receivedBody } from "../../src/graph/node-http-handler.js";
import { smallTenant } from "./emulator-helpers.js";

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

/** Runs one request through the handler alone, as the last middleware of the chain does. */
async function send(request: Context["request"], options: RequestInit = {}): Promise<Response> {
  const context: Context = { request, options };
  await new NodeHttpMessageHandler().execute(context);
  return context.response!;
}

describe("NodeHttpMessageHandler", () => {
  it("answers with a fetch Response: status, every header, the whole body", async () => {
    emulator = await startEmulator({ tenant: smallTenant() });
    const headers = { "client-request-id": "5f0c3b8e-0000-4000-8000-000000000001" };
    const page = await send(`${emulator.url}/v1.0/users?$select=id&$top=2`, { method: "GET", headers });
    expect(page.status).toBe(200);
    expect(page.headers.get("client-request-id")).toBe(headers["client-request-id"]);
    expect(page.headers.get("content-type")).toContain("application/json");
    const body = (await page.json()) as { value: unknown[]; "@odata.nextLink"?: string };
    expect(body.value).toHaveLength(2);
    expect(body["@odata.nextLink"]).toContain("$skiptoken=");
  });

  it("keeps each body's bytes, in memory of their own, beside a stream that still reads them", async () => {
    emulator = await startEmulator({ tenant: smallTenant() });
    for (const top of [1, 999]) {
      const page = await send(`${emulator.url}/v1.0/users?$select=id&$top=${top}`, { method: "GET" });
      const bytes = receivedBody(page)!;
      // A small body was in Node's shared pool: it is copied out, so moving it to a worker moves nothing else.
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
      expect(Buffer.from(bytes).toString("utf8")).toBe(await page.text());
    }
    expect(receivedBody(new Response("{}"))).toBeUndefined();
  });

  it("sends a body and gives a 204 answer no body", async () => {
    emulator = await startEmulator({ tenant: smallTenant() });
    const patched = await send(`${emulator.url}/v1.0/users/grady@contoso.com`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ usageLocation: "FR" }),
    });
    expect(patched.status).toBe(204);
    expect(patched.body).toBeNull();
    const user = await send(`${emulator.url}/v1.0/users/grady@contoso.com?$select=usageLocation`, {
      method: "GET",
    });
    expect(((await user.json()) as { usageLocation: string }).usageLocation).toBe("FR");
  });

  it("passes Graph's error answers through, and a Request object to fetch", async () => {
    emulator = await startEmulator({ tenant: smallTenant() });
    const missing = await send(`${emulator.url}/v1.0/users/nobody@contoso.com`, { method: "GET" });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      "Request_ResourceNotFound",
    );
    const viaFetch = await send(new Request(`${emulator.url}/v1.0/organization`));
    expect(viaFetch.status).toBe(200);
  });

  it("rejects a refused connection with Node's error as the cause", async () => {
    emulator = await startEmulator({ tenant: smallTenant() });
    const url = emulator.url;
    await emulator.stop();
    emulator = undefined;
    const error = (await send(`${url}/v1.0/organization`, { method: "GET" }).catch(
      (e: unknown) => e,
    )) as Error;
    expect((error.cause as { code?: string }).code).toBe("ECONNREFUSED");
  });
});

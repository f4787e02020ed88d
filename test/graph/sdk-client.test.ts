import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { createGraphClient } from "../../src/graph/create-graph-client.js";
import { smallTenant, TENANT_ID } from "./emulator-helpers.js";

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

describe("the Graph SDK client of a connection", () => {
  it("reaches the emulator through the same counting, logging chain", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), port: 0 });
    const lines: string[] = [];
    const connection = createGraphClient({
      cloud: "global",
      auth: "none",
      graphUrl: emulator.url,
      env: {},
      verbose: (line) => lines.push(line),
    });
    const organization = (await connection.client.api("/organization").select("id").get()) as {
      value: { id: string }[];
    };
    expect(organization.value[0]!.id).toBe(TENANT_ID);
    const answer = await connection.send({ method: "GET", url: "/users/nobody@contoso.com" });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ error: { code: "Request_ResourceNotFound" } });
    expect(connection.requestCount()).toBe(2);
    expect(emulator.counters.requests).toBe(2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^GET \/v1\.0\/organization\?\$select=id 200 \d+ ms$/);
    expect(lines[1]).toMatch(/^GET \/v1\.0\/users\/nobody@contoso\.com 404 \d+ ms$/);
    expect(lines.join("\n")).not.toMatch(/authorization|bearer/i);
  });
});

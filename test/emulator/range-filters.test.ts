/* eslint-disable @typescript-eslint/no-explicit-any -- Graph answers are untyped JSON; the assertions check their shape. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { compareFilterText } from "../../src/emulator/filter.js";
import { smallTenant } from "../graph/emulator-helpers.js";

/** The filters and counts a partitioned read of /users relies on, answered as Graph answers them. */

let emulator: RunningEmulator;
const UPNS = [
  "0800@contoso.com",
  "_svc@contoso.com",
  "Zoë@contoso.com",
  "Émile@contoso.com",
  "Ωmega@contoso.com",
];

beforeAll(async () => {
  const tenant = smallTenant();
  emulator = await startEmulator({
    tenant: { ...tenant, users: [...tenant.users, ...UPNS.map((upn) => ({ upn, usageLocation: "US" }))] },
  });
});
afterAll(() => emulator.stop());

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator.url}/v1.0${path}`, { headers });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as any) };
}

const upnsOf = (body: any): string[] =>
  body.value.map((u: any) => u.userPrincipalName).sort(compareFilterText);
const filter = (text: string) =>
  `/users?$select=userPrincipalName&$top=999&$filter=${encodeURIComponent(text)}`;

describe("emulator: userPrincipalName ranges", () => {
  it("answers ge and le on userPrincipalName without advanced query parameters, case-blind", async () => {
    const answer = await get(filter("userPrincipalName ge 'd' and userPrincipalName le 'H'"));
    expect(answer.status).toBe(200);
    const all = emulator.snapshot().users.map((u) => u.userPrincipalName);
    const want = all.filter((u) => compareFilterText(u, "d") >= 0 && compareFilterText(u, "h") <= 0);
    expect(upnsOf(answer.body)).toEqual(want.sort(compareFilterText));
    expect(want).toContain("diego@contoso.com");
    expect(want).toContain("grady@contoso.com");
  });

  it("orders digits and punctuation before letters and non-Latin letters after them", async () => {
    expect(upnsOf((await get(filter("userPrincipalName le 'a'"))).body)).toEqual([
      "0800@contoso.com",
      "_svc@contoso.com",
    ]);
    expect(upnsOf((await get(filter("userPrincipalName ge 'z'"))).body)).toEqual([
      "Zoë@contoso.com",
      "Émile@contoso.com",
      "Ωmega@contoso.com",
    ]);
  });

  it("splits the collection into ranges that meet only at their bound", async () => {
    const total = emulator.snapshot().users.length;
    const low = (await get(filter("userPrincipalName le 'm'"))).body.value.length;
    const high = (await get(filter("userPrincipalName ge 'm'"))).body.value.length;
    expect(low + high).toBe(total);
  });

  it("refuses gt and lt, and ge on properties Graph does not order, as unsupported", async () => {
    for (const text of [
      "userPrincipalName gt 'a'",
      "userPrincipalName lt 'a'",
      "accountEnabled ge 'a'",
      "id le 'a'",
    ]) {
      const answer = await get(filter(text));
      expect(answer.status, text).toBe(400);
      expect(answer.body.error.code).toBe("Request_UnsupportedQuery");
      expect(answer.body.error.message).toMatch(
        /^Unsupported or invalid query filter clause specified for property/,
      );
    }
  });

  it("counts a range with $count=true only under ConsistencyLevel: eventual, and /users/$count with a range", async () => {
    const path = `${filter("userPrincipalName ge 'a' and userPrincipalName le 'b'")}&$count=true`;
    const counted = await get(path, { ConsistencyLevel: "eventual" });
    expect(counted.body["@odata.count"]).toBe(counted.body.value.length);
    expect(counted.body["@odata.count"]).toBeGreaterThan(0);
    // Without the header Graph ignores $count: no count, no error.
    const plain = await get(path);
    expect(plain.status).toBe(200);
    expect(plain.body["@odata.count"]).toBeUndefined();

    const text = encodeURIComponent("userPrincipalName ge 'a' and userPrincipalName le 'b'");
    const response = await fetch(`${emulator.url}/v1.0/users/$count?$filter=${text}`, {
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(await response.text()).toBe(String(counted.body["@odata.count"]));
    expect((await fetch(`${emulator.url}/v1.0/users/$count?$filter=${text}`)).status).toBe(400);
  });

  it("counts ranges inside $batch, each request with its own ConsistencyLevel header", async () => {
    const response = await fetch(`${emulator.url}/v1.0/$batch`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        requests: [
          {
            id: "1",
            method: "GET",
            url: "/users?$count=true&$top=1&$select=id",
            headers: { ConsistencyLevel: "eventual" },
          },
          { id: "2", method: "GET", url: "/users?$count=true&$top=1&$select=id" },
        ],
      }),
    });
    const answers = Object.fromEntries(((await response.json()) as any).responses.map((r: any) => [r.id, r]));
    expect(answers["1"].body["@odata.count"]).toBe(emulator.snapshot().users.length);
    expect(answers["2"].body["@odata.count"]).toBeUndefined();
  });
});

describe("emulator: renaming a user", () => {
  it("takes a new userPrincipalName, refuses one another user holds or that is no address", async () => {
    const patch = (id: string, body: unknown) =>
      fetch(`${emulator.url}/v1.0/users/${id}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await patch("grady@contoso.com", { userPrincipalName: "zz.grady@contoso.com" })).status).toBe(
      204,
    );
    expect((await get("/users/zz.grady@contoso.com?$select=userPrincipalName")).body.userPrincipalName).toBe(
      "zz.grady@contoso.com",
    );
    expect((await get("/users/grady@contoso.com")).status).toBe(404);
    // Ranges and their counts follow the new name at once (the emulator's range keys are rebuilt).
    expect(upnsOf((await get(filter("userPrincipalName ge 'zz'"))).body)).toContain("zz.grady@contoso.com");
    expect(
      upnsOf((await get(filter("userPrincipalName ge 'g' and userPrincipalName le 'h'"))).body),
    ).not.toContain("grady@contoso.com");
    const counted = await get(
      "/users/$count?$filter=userPrincipalName%20ge%20'zz'%20and%20userPrincipalName%20le%20'zzz'",
      {
        ConsistencyLevel: "eventual",
      },
    );
    expect(counted.body).toBe(1);
    const taken = await patch("zz.grady@contoso.com", { userPrincipalName: "ALEX@contoso.com" });
    expect(taken.status).toBe(400);
    expect(((await taken.json()) as any).error.message).toBe(
      "Another object with the same value for property userPrincipalName already exists.",
    );
    const bad = await patch("zz.grady@contoso.com", { userPrincipalName: "no-at-sign" });
    expect(((await bad.json()) as any).error.message).toBe(
      "Invalid value specified for property 'userPrincipalName' of resource 'User'.",
    );
  });
});

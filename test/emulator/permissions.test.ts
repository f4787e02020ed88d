import { afterEach, describe, expect, it } from "vitest";
import {
  parseTenantFixture,
  startEmulator,
  type RunningEmulator,
  type TenantFixture,
} from "../../src/emulator/index.js";
import type { LicensectlError } from "../../src/model/errors.js";
import { formatProblem, type Problem } from "../../src/model/problem.js";
import { errorBody, graphClient, graphFailure, smallTenant } from "./helpers.js";

/** The application permissions a fixture grants: what needs a missing one answers Graph's 403. */

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function serve(permissions?: readonly string[]) {
  const base = smallTenant();
  const tenant: TenantFixture = {
    ...base,
    tenant: { ...base.tenant, ...(permissions ? { permissions } : {}) },
    users: base.users.map((u, i) =>
      i === 0 ? { ...u, signInActivity: { lastSignInDateTime: "2026-01-02T03:04:05Z" } } : u,
    ),
  };
  emulator = await startEmulator({ tenant, port: 0 });
  return graphClient(emulator.url);
}

const DENIED = {
  code: "Authorization_RequestDenied",
  message: "Insufficient privileges to complete the operation.",
};

describe("emulator permissions", () => {
  it("grants everything when the fixture lists none", async () => {
    const client = await serve();
    expect((await client.api("/directory/subscriptions").get()).value.length).toBeGreaterThan(0);
    const users = (await client.api("/users").select(["id", "signInActivity"]).get()).value;
    expect(users[0].signInActivity).toMatchObject({ lastSignInDateTime: "2026-01-02T03:04:05Z" });
  });

  it("refuses /directory/subscriptions without Organization.Read.All, in Graph's envelope", async () => {
    const client = await serve(["User.Read.All", "GroupMember.Read.All", "LicenseAssignment.ReadWrite.All"]);
    const failure = await graphFailure(() => client.api("/directory/subscriptions").get());
    expect(failure.statusCode).toBe(403);
    const body = errorBody(failure);
    expect(body.error).toMatchObject(DENIED);
    expect(Object.keys(body.error.innerError).sort()).toEqual(["client-request-id", "date", "request-id"]);
    // What the app may read is still served.
    expect((await client.api("/subscribedSkus").get()).value.length).toBeGreaterThan(0);
  });

  it("accepts a broader permission for subscriptions: Directory.Read.All", async () => {
    const client = await serve(["directory.read.all"]);
    expect((await client.api("/directory/subscriptions").get()).value.length).toBeGreaterThan(0);
  });

  it("refuses signInActivity without AuditLog.Read.All, in a list and for one user, but serves users without it", async () => {
    const client = await serve(["User.Read.All", "Organization.Read.All"]);
    const list = await graphFailure(() => client.api("/users").select(["id", "signInActivity"]).get());
    expect([list.statusCode, errorBody(list).error]).toEqual([403, expect.objectContaining(DENIED)]);
    const one = await graphFailure(() =>
      client.api("/users/adele.vance@contoso.com").select(["signInActivity"]).get(),
    );
    expect([one.statusCode, errorBody(one).error]).toEqual([403, expect.objectContaining(DENIED)]);
    const users = (await client.api("/users").select(["id", "department"]).get()).value;
    expect(users.length).toBe(6);
  });

  it("answers the same 403 inside $batch, beside what is allowed", async () => {
    const client = await serve(["User.Read.All"]);
    const result = (await client.api("/$batch").post({
      requests: [
        { id: "1", method: "GET", url: "/directory/subscriptions" },
        { id: "2", method: "GET", url: "/users?$select=id,signInActivity" },
        { id: "3", method: "GET", url: "/users?$select=id" },
      ],
    })) as {
      responses: { id: string; status: number; body: { error?: { code: string; message: string } } }[];
    };
    const byId = new Map(result.responses.map((r) => [r.id, r]));
    expect([byId.get("1")!.status, byId.get("1")!.body.error]).toEqual([
      403,
      expect.objectContaining(DENIED),
    ]);
    expect([byId.get("2")!.status, byId.get("2")!.body.error]).toEqual([
      403,
      expect.objectContaining(DENIED),
    ]);
    expect(byId.get("3")!.status).toBe(200);
  });

  it("serves signInActivity with AuditLog.Read.All", async () => {
    const client = await serve(["User.Read.All", "AuditLog.Read.All"]);
    const users = (await client.api("/users").select(["id", "signInActivity"]).get()).value;
    expect(users[0].signInActivity).toMatchObject({ lastSignInDateTime: "2026-01-02T03:04:05Z" });
  });

  it("rejects a permissions list that is not a list of names, at the line of the bad entry", () => {
    const yaml = [
      "apiVersion: licensectl.emulator/v1",
      "kind: Tenant",
      "tenant:",
      "  id: 3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90",
      "  displayName: Contoso",
      "  countryLetterCode: US",
      "  domains: [contoso.onmicrosoft.com]",
      "  permissions:",
      "    - User.Read.All",
      "    - { name: AuditLog.Read.All }",
      "skus: []",
      "users: []",
      "",
    ].join("\n");
    let problems: readonly Problem[] = [];
    try {
      parseTenantFixture(yaml);
    } catch (error) {
      problems = (error as LicensectlError).problems;
    }
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^tenant\.yaml:10:\d+: error: tenant\.permissions\[1\] must be a string$/),
    ]);
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- Graph answers are untyped JSON; the assertions check their shape. */
import { PageIterator } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { E3, EMS, TENANT_ID, errorBody, graphClient, graphFailure, smallTenant } from "./helpers.js";

describe("emulator: reading the tenant like Graph", () => {
  let emulator: RunningEmulator;
  let client: ReturnType<typeof graphClient>;
  beforeAll(async () => {
    emulator = await startEmulator({ tenant: smallTenant(), groupProcessingDelayMs: 0 });
    client = graphClient(emulator.url);
  });
  afterAll(() => emulator.stop());

  it("answers GET /organization with the tenant id, country and verified domains", async () => {
    const org = await client.api("/organization").get();
    expect(org.value).toHaveLength(1);
    expect(org.value[0]).toMatchObject({ id: TENANT_ID, displayName: "Contoso", countryLetterCode: "US" });
    expect(org.value[0].verifiedDomains[0]).toMatchObject({
      name: "contoso.onmicrosoft.com",
      isInitial: true,
      type: "Managed",
    });
  });

  it("counts each user holding a SKU once in consumedUnits, however many paths", async () => {
    const skus = (await client.api("/subscribedSkus").get()).value as Record<string, any>[];
    const e3 = skus.find((s) => s.skuId === E3)!;
    expect(e3).toMatchObject({
      skuPartNumber: "ENTERPRISEPACK",
      consumedUnits: 1,
      appliesTo: "User",
      capabilityStatus: "Enabled",
    });
    expect(e3.prepaidUnits).toEqual({ enabled: 5, suspended: 0, warning: 0, lockedOut: 0 });
    expect(e3.id).toBe(`${TENANT_ID}_${E3}`);
    // adele holds EMS through Sales; give her EMS directly as well: still one seat.
    const adele = await client.api("/users/adele.vance@contoso.com").get();
    await client
      .api(`/users/${adele.id}/assignLicense`)
      .post({ addLicenses: [{ skuId: EMS, disabledPlans: [] }], removeLicenses: [] });
    const after = (await client.api("/subscribedSkus").get()).value.find((s: any) => s.skuId === EMS);
    expect(after.consumedUnits).toBe(2);
    const states = await client
      .api(`/users/${adele.id}`)
      .select("licenseAssignmentStates,assignedLicenses")
      .get();
    expect(states.licenseAssignmentStates.filter((s: any) => s.skuId === EMS)).toHaveLength(2);
    expect(states.assignedLicenses.filter((s: any) => s.skuId === EMS)).toHaveLength(1);
    await client.api(`/users/${adele.id}/assignLicense`).post({ addLicenses: [], removeLicenses: [EMS] });
  });

  it("rejects $filter on subscribedSkus as an unsupported query", async () => {
    const error = await graphFailure(() =>
      client.api("/subscribedSkus").filter("skuPartNumber eq 'EMS'").get(),
    );
    expect(error.statusCode).toBe(400);
    expect(errorBody(error).error.code).toBe("Request_UnsupportedQuery");
  });

  it("returns the default user projection without $select and the selected properties with it", async () => {
    const user = await client.api("/users/adele.vance@contoso.com").get();
    expect(
      Object.keys(user)
        .filter((k) => !k.startsWith("@"))
        .sort(),
    ).toEqual(
      [
        "businessPhones",
        "displayName",
        "givenName",
        "id",
        "jobTitle",
        "mail",
        "mobilePhone",
        "officeLocation",
        "preferredLanguage",
        "surname",
        "userPrincipalName",
      ].sort(),
    );
    expect(user.displayName).toBe("Adele Vance");
    const selected = await client.api(`/users/${user.id}`).select("id,usageLocation,accountEnabled").get();
    expect(selected).toMatchObject({ id: user.id, usageLocation: "US", accountEnabled: true });
    expect(selected.displayName).toBeUndefined();
  });

  it("answers 404 with Graph's envelope for an unknown user or group", async () => {
    const error = await graphFailure(() => client.api("/users/nobody@contoso.com").get());
    expect(error.statusCode).toBe(404);
    const body = errorBody(error);
    expect(body.error.code).toBe("Request_ResourceNotFound");
    expect(body.error.message).toBe(
      "Resource 'nobody@contoso.com' does not exist or one of its queried reference-property objects are not present.",
    );
    expect(body.error.innerError).toMatchObject({
      "request-id": expect.any(String),
      "client-request-id": expect.any(String),
    });
    expect(body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const group = await graphFailure(() => client.api("/groups/00000000-0000-0000-0000-000000000001").get());
    expect(group.statusCode).toBe(404);
  });

  it("refuses $top outside 1..999 with Graph's message", async () => {
    for (const top of [0, 1000]) {
      const error = await graphFailure(() => client.api("/users").top(top).get());
      expect(error.statusCode).toBe(400);
      expect(errorBody(error).error).toMatchObject({
        code: "Request_UnsupportedQuery",
        message: `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`,
      });
    }
  });

  it("pages with an absolute @odata.nextLink carrying $skiptoken, which PageIterator follows", async () => {
    const first = await client.api("/users").select("id,userPrincipalName").top(2).get();
    expect(first.value).toHaveLength(2);
    expect(first["@odata.nextLink"]).toMatch(new RegExp(`^${emulator.url}/v1\\.0/users\\?.*\\$skiptoken=`));
    const upns: string[] = [];
    const iterator = new PageIterator(client, first, (user: { userPrincipalName: string }) => {
      upns.push(user.userPrincipalName);
      return true;
    });
    await iterator.iterate();
    expect(upns).toHaveLength(6);
    expect(new Set(upns).size).toBe(6);
  });

  it("uses pages of 100 by default", async () => {
    const page = await client.api("/users").get();
    expect(page.value).toHaveLength(6);
    expect(page["@odata.nextLink"]).toBeUndefined();
  });

  it("returns @odata.count only with ConsistencyLevel: eventual", async () => {
    const counted = await client
      .api("/users")
      .header("ConsistencyLevel", "eventual")
      .count(true)
      .top(1)
      .get();
    expect(counted["@odata.count"]).toBe(6);
    // Documented: without the header Graph "silently ignores the $count query parameter".
    const ignored = await client.api("/users").count(true).top(1).get();
    expect(ignored["@odata.count"]).toBeUndefined();
    expect(ignored.value).toHaveLength(1);
  });

  it("answers /users/$count as text with ConsistencyLevel: eventual", async () => {
    const counted = await fetch(`${emulator.url}/v1.0/users/$count`, {
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(counted.status).toBe(200);
    expect(await counted.text()).toBe("6");
    expect((await fetch(`${emulator.url}/v1.0/users/$count`)).status).toBe(400);
  });

  it("filters users by SKU, UPN, id list and display name", async () => {
    const bySku = await client
      .api("/users")
      .filter(`assignedLicenses/any(x:x/skuId eq ${EMS})`)
      .select("userPrincipalName")
      .get();
    expect(bySku.value.map((u: any) => u.userPrincipalName).sort()).toEqual([
      "adele.vance@contoso.com",
      "diego.siciliani@contoso.com",
    ]);
    const byUpn = await client.api("/users").filter("userPrincipalName eq 'ALEX.WILBER@contoso.com'").get();
    expect(byUpn.value).toHaveLength(1);
    const ids = bySku.value.length
      ? (await client.api("/users").select("id").top(3).get()).value.map((u: any) => u.id)
      : [];
    const byIds = await client
      .api("/users")
      .filter(`id in (${ids.map((i: string) => `'${i}'`).join(",")})`)
      .get();
    expect(byIds.value.map((u: any) => u.id).sort()).toEqual([...ids].sort());
    const byName = await client.api("/users").filter("displayName eq 'Grady Archie'").get();
    expect(byName.value.map((u: any) => u.userPrincipalName)).toEqual(["grady.archie@contoso.com"]);
  });

  it("requires advanced-query parameters for ne, not and /$count filters", async () => {
    const error = await graphFailure(() => client.api("/users").filter("usageLocation ne 'US'").get());
    expect(errorBody(error).error.code).toBe("Request_UnsupportedQuery");
    expect(errorBody(error).error.message).toMatch(
      /^Operator 'ne' is not supported because the required parameters might be missing/,
    );
    const unlicensed = await client
      .api("/users")
      .header("ConsistencyLevel", "eventual")
      .count(true)
      .filter("assignedLicenses/$count eq 0")
      .get();
    expect(unlicensed["@odata.count"]).toBe(4);
  });

  it("refuses unsupported query options and filter properties instead of ignoring them", async () => {
    const expand = await graphFailure(() => client.api("/users").expand("manager").get());
    expect(errorBody(expand).error.code).toBe("Request_UnsupportedQuery");
    const property = await graphFailure(() => client.api("/users").filter("jobTitle eq 'CEO'").get());
    expect(errorBody(property).error).toMatchObject({
      code: "Request_UnsupportedQuery",
      message:
        "Unsupported or invalid query filter clause specified for property 'jobTitle' of resource 'User'.",
    });
    const select = await graphFailure(() => client.api("/users").select("nonsense").get());
    expect(select.statusCode).toBe(400);
  });

  it("serves groups with licensing properties only on $select, and filters them", async () => {
    const groups = await client.api("/groups").get();
    expect(groups.value.map((g: any) => g.displayName)).toEqual(["Sales", "Engineering"]);
    expect(groups.value[0].assignedLicenses).toBeUndefined();
    const sales = await client
      .api(`/groups/${groups.value[0].id}`)
      .select("id,assignedLicenses,licenseProcessingState")
      .get();
    expect(sales.assignedLicenses).toEqual([{ disabledPlans: [], skuId: EMS }]);
    expect(sales.licenseProcessingState).toEqual({ state: "ProcessingComplete" });
    const licensed = await client.api("/groups").filter(`assignedLicenses/any(x:x/skuId eq ${EMS})`).get();
    expect(licensed.value.map((g: any) => g.displayName)).toEqual(["Sales"]);
    const withErrors = await client.api("/groups").filter("hasMembersWithLicenseErrors eq true").get();
    expect(withErrors.value).toEqual([]);
  });

  it("lists group members as directory objects, and as users through the cast", async () => {
    const sales = (await client.api("/groups").filter("displayName eq 'Sales'").get()).value[0];
    const members = await client.api(`/groups/${sales.id}/members`).select("id,userPrincipalName").get();
    expect(members.value).toHaveLength(2);
    expect(members.value[0]["@odata.type"]).toBe("#microsoft.graph.user");
    const users = await client
      .api(`/groups/${sales.id}/members/microsoft.graph.user`)
      .select("id,usageLocation")
      .top(1)
      .get();
    expect(users.value).toHaveLength(1);
    expect(users["@odata.nextLink"]).toContain(`/groups/${sales.id}/members/microsoft.graph.user?`);
    const errors = await client.api(`/groups/${sales.id}/membersWithLicenseErrors`).get();
    expect(errors.value).toEqual([]);
  });

  it("serves licenseDetails with disabled plans shown as Disabled", async () => {
    const details = await client.api("/users/adele.vance@contoso.com/licenseDetails").get();
    const e3 = details.value.find((d: any) => d.skuId === E3);
    expect(e3.skuPartNumber).toBe("ENTERPRISEPACK");
    const sway = e3.servicePlans.find((p: any) => p.servicePlanName === "SWAY");
    expect(sway.provisioningStatus).toBe("Disabled");
    expect(e3.servicePlans.find((p: any) => p.servicePlanName === "TEAMS1").provisioningStatus).toBe(
      "Success",
    );
    expect(details.value.map((d: any) => d.skuId).sort()).toEqual([E3, EMS].sort());
  });

  it("sorts by displayName with $orderby and refuses other sort keys", async () => {
    const sorted = await client.api("/users").orderby("displayName desc").select("displayName").get();
    const names = sorted.value.map((u: any) => u.displayName as string);
    expect(names).toEqual([...names].sort().reverse());
    const error = await graphFailure(() => client.api("/users").orderby("usageLocation").get());
    expect(errorBody(error).error.code).toBe("Request_UnsupportedQuery");
  });

  it("answers a path it does not serve with Graph's 400 in the full envelope", async () => {
    const response = await fetch(`${emulator.url}/v1.0/me/licenseDetails`, {
      headers: { "client-request-id": "abc" },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("client-request-id")).toBe("abc");
    const body = (await response.json()) as {
      error: { code: string; message: string; innerError: Record<string, string> };
    };
    expect(Object.keys(body)).toEqual(["error"]);
    expect(body.error.code).toBe("BadRequest");
    expect(body.error.message).toBe("Resource not found for the segment 'me'.");
    expect(body.error.innerError["client-request-id"]).toBe("abc");
    expect(body.error.innerError["request-id"]).toBe(response.headers.get("request-id"));
  });

  it("counts requests per route", async () => {
    emulator.resetCounters();
    await client.api("/users").top(1).get();
    await client.api("/users/adele.vance@contoso.com").get();
    expect(emulator.counters.requests).toBe(2);
    expect(emulator.counters.byRoute).toEqual({ "GET /users": 1, "GET /users/{id}": 1 });
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- Graph answers are untyped JSON; the assertions check their shape. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator, type TenantFixture } from "../../src/emulator/index.js";
import { E3, EMS, TENANT_ID } from "./helpers.js";

/** A tenant with a mail-only group, a suspended subscription and a nested group. */
function tenant(): TenantFixture {
  return {
    apiVersion: "licensectl.emulator/v1",
    kind: "Tenant",
    tenant: { id: TENANT_ID, displayName: "Contoso", countryLetterCode: "US", domains: ["contoso.com"] },
    skus: [
      { sku: "ENTERPRISEPACK", seats: 5 },
      { sku: "EMS", seats: 5 },
      { sku: "POWER_BI_PRO", seats: 10, status: "Suspended" },
      { sku: "VISIOCLIENT", seats: 10, status: "LockedOut" },
    ],
    users: [
      { upn: "adele@contoso.com", usageLocation: "US", licenses: [{ sku: "ENTERPRISEPACK" }] },
      { upn: "alex@contoso.com", usageLocation: "GB" },
      { upn: "diego@contoso.com", usageLocation: "DE" },
    ],
    groups: [
      { name: "Newsletter", securityEnabled: false, members: ["alex@contoso.com"] },
      { name: "Engineering", members: ["adele@contoso.com", "Platform"], licenses: [{ sku: "EMS" }] },
      { name: "Platform", members: ["diego@contoso.com"] },
    ],
  };
}

describe("emulator: as strict as Graph", () => {
  let emulator: RunningEmulator;
  beforeEach(async () => {
    emulator = await startEmulator({ tenant: tenant(), groupProcessingDelayMs: 0 });
  });
  afterEach(() => emulator.stop());

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${emulator.url}/v1.0${path}`, {
      method,
      headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined };
  };
  const groupId = (name: string) => emulator.snapshot().groups.find((g) => g.displayName === name)!.id;

  it("refuses a usageLocation that is two letters but no ISO 3166-1 country", async () => {
    const zz = await call("PATCH", "/users/alex@contoso.com", { usageLocation: "ZZ" });
    expect(zz.status).toBe(400);
    expect(zz.body.error).toMatchObject({
      code: "Request_BadRequest",
      message: "Property usageLocation is invalid.",
    });
    expect((await call("PATCH", "/users/alex@contoso.com", { usageLocation: "NL" })).status).toBe(204);
    expect(
      emulator.snapshot().users.find((u) => u.userPrincipalName === "alex@contoso.com")!.usageLocation,
    ).toBe("NL");
  });

  it("licenses only security-enabled groups", async () => {
    const response = await call("POST", `/groups/${groupId("Newsletter")}/assignLicense`, {
      addLicenses: [{ skuId: EMS, disabledPlans: [] }],
      removeLicenses: [],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("Request_BadRequest");
    expect(response.body.error.message).toMatch(/not security enabled/);
    expect(emulator.snapshot().groups.find((g) => g.displayName === "Newsletter")!.assignedLicenses).toEqual(
      [],
    );
  });

  it("keeps a Suspended or LockedOut subscription's units out of enabled and refuses to assign it", async () => {
    const skus = (await call("GET", "/subscribedSkus")).body.value as any[];
    expect(skus.find((s) => s.skuPartNumber === "POWER_BI_PRO")).toMatchObject({
      capabilityStatus: "Suspended",
      prepaidUnits: { enabled: 0, suspended: 10, lockedOut: 0 },
    });
    expect(skus.find((s) => s.skuPartNumber === "VISIOCLIENT")).toMatchObject({
      capabilityStatus: "LockedOut",
      prepaidUnits: { enabled: 0, lockedOut: 10 },
    });
    for (const part of ["POWER_BI_PRO", "VISIOCLIENT"]) {
      const skuId = skus.find((s) => s.skuPartNumber === part).skuId as string;
      const response = await call("POST", "/users/alex@contoso.com/assignLicense", {
        addLicenses: [{ skuId, disabledPlans: [] }],
        removeLicenses: [],
      });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toBe(
        `Subscription with SKU ${skuId} does not have any available licenses.`,
      );
    }
  });

  it("needs the advanced query parameters for $filter with $orderby and for filters on members", async () => {
    const sorted = await call("GET", "/users?$filter=startsWith(displayName,'a')&$orderby=displayName");
    expect(sorted.status).toBe(400);
    expect(sorted.body.error).toMatchObject({
      code: "Request_UnsupportedQuery",
      message: "Sorting not supported for current query.",
    });
    const advanced = await call(
      "GET",
      "/users?$filter=startsWith(displayName,'a')&$orderby=displayName&$count=true",
      undefined,
      { ConsistencyLevel: "eventual" },
    );
    expect(advanced.status).toBe(200);
    expect(advanced.body.value.map((u: any) => u.userPrincipalName)).toEqual([
      "adele@contoso.com",
      "alex@contoso.com",
    ]);
    const members = `/groups/${groupId("Engineering")}/members/microsoft.graph.user?$filter=startsWith(displayName,'a')`;
    expect((await call("GET", members)).status).toBe(400);
    const filtered = await call("GET", `${members}&$count=true`, undefined, { ConsistencyLevel: "eventual" });
    expect(filtered.status).toBe(200);
    expect(filtered.body["@odata.count"]).toBe(1);
  });

  it("refuses hasMembersWithLicenseErrors eq false, with or without $count", async () => {
    for (const headers of [{}, { ConsistencyLevel: "eventual" }] as Record<string, string>[]) {
      const response = await call(
        "GET",
        "/groups?$filter=hasMembersWithLicenseErrors eq false&$count=true",
        undefined,
        headers,
      );
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("Request_UnsupportedQuery");
    }
    expect((await call("GET", "/groups?$filter=hasMembersWithLicenseErrors eq true")).status).toBe(200);
  });

  it("refuses $select of a property the type does not have on subscribedSkus, organization and licenseDetails", async () => {
    const cases = [
      ["/subscribedSkus?$select=skuId,bogus", "subscribedSku"],
      ["/organization?$select=bogus", "organization"],
      ["/users/alex@contoso.com/licenseDetails?$select=bogus", "licenseDetails"],
    ] as const;
    for (const [path, type] of cases) {
      const response = await call("GET", path);
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({
        code: "BadRequest",
        message: `Could not find a property named 'bogus' on type 'microsoft.graph.${type}'.`,
      });
    }
    const ok = await call("GET", "/subscribedSkus?$select=skuId,consumedUnits");
    expect(Object.keys(ok.body.value[0]).sort()).toEqual(["consumedUnits", "skuId"]);
  });

  it("counts /users/$count with its $filter", async () => {
    const response = await fetch(`${emulator.url}/v1.0/users/$count?$filter=usageLocation eq 'US'`, {
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("1");
    const licensed = await fetch(`${emulator.url}/v1.0/users/$count?$filter=assignedLicenses/$count eq 0`, {
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(await licensed.text()).toBe("2");
  });

  it("refuses assignLicense with unknown body members or without a JSON Content-Type", async () => {
    const extra = await call("POST", "/users/alex@contoso.com/assignLicense", {
      addLicenses: [{ skuId: E3, disabledPlans: [] }],
      removeLicenses: [],
      force: true,
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toMatchObject({
      code: "BadRequest",
      message:
        "The parameter 'force' in the request payload is not a valid parameter for the operation 'assignLicense'.",
    });
    const body = JSON.stringify({ addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] });
    for (const headers of [{}, { "Content-Type": "text/plain" }] as Record<string, string>[]) {
      const response = await fetch(`${emulator.url}/v1.0/users/alex@contoso.com/assignLicense`, {
        method: "POST",
        headers,
        body,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).error.message).toMatch(/^Unable to read JSON request payload/);
    }
    const alex = emulator.snapshot().users.find((u) => u.userPrincipalName === "alex@contoso.com")!;
    expect(alex.assignedLicenses).toEqual([]);
  });
});

describe("emulator: nested groups", () => {
  let emulator: RunningEmulator;
  beforeEach(async () => {
    emulator = await startEmulator({ tenant: tenant(), groupProcessingDelayMs: 0 });
  });
  afterEach(() => emulator.stop());
  const get = async (path: string) => (await (await fetch(`${emulator.url}/v1.0${path}`)).json()) as any;

  it("lists a nested group among the members as a #microsoft.graph.group, and only users under the user cast", async () => {
    const { groups } = emulator.snapshot();
    const engineering = groups.find((g) => g.displayName === "Engineering")!;
    const platform = groups.find((g) => g.displayName === "Platform")!;
    const all = await get(`/groups/${engineering.id}/members?$select=id,displayName,userPrincipalName`);
    expect(all.value).toEqual([
      expect.objectContaining({
        "@odata.type": "#microsoft.graph.user",
        userPrincipalName: "adele@contoso.com",
      }),
      { "@odata.type": "#microsoft.graph.group", id: platform.id, displayName: "Platform" },
    ]);
    const users = await get(
      `/groups/${engineering.id}/members/microsoft.graph.user?$select=id,userPrincipalName`,
    );
    expect(users.value.map((u: any) => u.userPrincipalName)).toEqual(["adele@contoso.com"]);
    const nested = await get(`/groups/${engineering.id}/members/microsoft.graph.group?$select=id`);
    expect(nested.value).toEqual([{ id: platform.id }]);
  });

  it("licenses only the direct user members, not the members of a nested group", () => {
    const { users, groups } = emulator.snapshot();
    const engineering = groups.find((g) => g.displayName === "Engineering")!;
    const holds = (upn: string) =>
      users
        .find((u) => u.userPrincipalName === upn)!
        .licenseAssignmentStates.some((s) => s.assignedByGroup === engineering.id);
    expect(holds("adele@contoso.com")).toBe(true);
    expect(holds("diego@contoso.com")).toBe(false);
    expect(engineering.memberIds).toHaveLength(1);
  });

  it("reports a member that is neither a user nor a group of the fixture", async () => {
    const bad = tenant();
    const fixture = { ...bad, groups: [{ name: "Engineering", members: ["nobody"] }] };
    await expect(startEmulator({ tenant: fixture })).rejects.toMatchObject({
      problems: [
        expect.objectContaining({ message: expect.stringContaining('groups[0].members[0] "nobody"') }),
      ],
    });
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- Graph answers are untyped JSON; the assertions check their shape. */
import { afterEach, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { resolveFixture } from "../../src/emulator/resolve-fixture.js";
import { TenantStore } from "../../src/emulator/tenant-store.js";
import { keptUserTextWriter } from "../../src/emulator/user-json-text.js";
import { E3, EMS, emulatorCall, smallTenant } from "./helpers.js";

/** What a licensing read selects, and selections whose text depends on other fields (proxyAddresses: the name). */
const SELECTS = [
  "id,userPrincipalName,displayName,usageLocation,assignedLicenses,licenseAssignmentStates,accountEnabled,department",
  "id,proxyAddresses,mail",
  undefined,
];

describe("kept user text", () => {
  it("serve an older version (a lagged read's copy) its own text and the record its current one", () => {
    const store = new TenantStore(resolveFixture(smallTenant(), loadCatalog()), true);
    const write = keptUserTextWriter(["id", "displayName", "assignedLicenses"]);
    const user = store.users[0]!;
    // Texts are kept once the tenant has been read through: read it, then read again what is now kept.
    for (const each of store.users) write(each, store);
    const before = write(user, store);
    expect(write(user, store)).toBe(before);
    const older = { ...user };
    user.displayName = "Renamed";
    user.states = [];
    expect(write(older, store)).toBe(before);
    expect(JSON.parse(write(user, store))).toEqual({
      id: user.id,
      displayName: "Renamed",
      assignedLicenses: [],
    });
    expect(write(older, store)).toBe(before);
  });
});

describe("emulator: user pages after every kind of change", () => {
  let emulator: RunningEmulator;
  afterEach(() => emulator.stop());

  const call = async (method: string, path: string, body?: unknown) => {
    const answer = await emulatorCall(emulator.url, method, path, body);
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
    return answer.body;
  };

  /**
   * Every user as the collection pages give them (the kept text), checked
   * against the single-user GET, which writes each user afresh.
   */
  const readAll = async (): Promise<Map<string, any>> => {
    for (const select of SELECTS) {
      const query = select === undefined ? "" : `&$select=${select}`;
      const listed: any[] = (await call("GET", `/users?$top=999${query}`)).value;
      for (const user of listed) {
        const { "@odata.context": _context, ...single } = await call(
          "GET",
          `/users/${user.id}${select === undefined ? "" : `?$select=${select}`}`,
        );
        expect(user).toEqual(single);
      }
      const sales = (await call("GET", "/groups?$select=id,displayName")).value.find(
        (g: any) => g.displayName === "Sales",
      );
      const members: any[] = (
        await call("GET", `/groups/${sales.id}/members/microsoft.graph.user?$top=999${query}`)
      ).value;
      for (const member of members) expect(member).toEqual(listed.find((u) => u.id === member.id));
    }
    // Read three times: the emulator keeps the page the second time, and serves the third from it.
    const pages: string[] = [];
    for (let i = 0; i < 3; i += 1)
      pages.push(JSON.stringify(await call("GET", `/users?$top=999&$select=${SELECTS[0]}`)));
    expect(new Set(pages).size).toBe(1);
    const licensing = JSON.parse(pages[2]!).value as any[];
    return new Map(licensing.map((u) => [u.userPrincipalName, u]));
  };

  it("shows each change on the next read, through every path that changes a user", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), groupProcessingDelayMs: 0, keepPages: true });
    await readAll();
    const adele = "adele.vance@contoso.com";
    const grady = "grady.archie@contoso.com";

    await call("PATCH", `/users/${adele}`, { displayName: "Adele V.", accountEnabled: false });
    let users = await readAll();
    expect(users.get(adele)).toMatchObject({ displayName: "Adele V.", accountEnabled: false });

    await call("PATCH", `/users/${adele}`, { usageLocation: "fr" });
    users = await readAll();
    expect(users.get(adele).usageLocation).toBe("FR");
    await call("PATCH", `/users/${adele}`, { usageLocation: null });
    expect((await readAll()).get(adele).usageLocation).toBeNull();

    await call("PATCH", `/users/${adele}`, { userPrincipalName: "adele@contoso.com" });
    users = await readAll();
    expect(users.has(adele)).toBe(false);
    const renamed = users.get("adele@contoso.com");
    const proxies = await call("GET", `/users?$top=999&$select=id,proxyAddresses`);
    expect(proxies.value.find((u: any) => u.id === renamed.id).proxyAddresses).toEqual([
      "SMTP:adele@contoso.com",
    ]);

    // Direct licenses, added and removed.
    await call("POST", `/users/${grady}/assignLicense`, {
      addLicenses: [{ skuId: E3, disabledPlans: [] }],
      removeLicenses: [],
    });
    users = await readAll();
    expect(users.get(grady).assignedLicenses.map((l: any) => l.skuId)).toEqual([E3]);
    await call("POST", `/users/${grady}/assignLicense`, { addLicenses: [], removeLicenses: [E3] });
    expect((await readAll()).get(grady).assignedLicenses).toEqual([]);

    // Group-based licenses: taken back from the members, given again, reprocessed.
    const groups = (await call("GET", "/groups?$select=id,displayName")).value as any[];
    const sales = groups.find((g) => g.displayName === "Sales").id;
    const diego = "diego.siciliani@contoso.com";
    expect(users.get(diego).licenseAssignmentStates.map((s: any) => s.skuId)).toEqual([EMS]);
    await call("POST", `/groups/${sales}/assignLicense`, { addLicenses: [], removeLicenses: [EMS] });
    users = await readAll();
    expect(users.get(diego).licenseAssignmentStates).toEqual([]);
    await call("POST", `/groups/${sales}/assignLicense`, {
      addLicenses: [{ skuId: EMS, disabledPlans: [] }],
      removeLicenses: [],
    });
    users = await readAll();
    expect(users.get(diego).licenseAssignmentStates).toMatchObject([
      { skuId: EMS, assignedByGroup: sales, state: "Active" },
    ]);
    await call("POST", `/users/${diego}/reprocessLicenseAssignment`);
    expect((await readAll()).get(diego).licenseAssignmentStates).toMatchObject([
      { skuId: EMS, assignedByGroup: sales, state: "Active" },
    ]);
  });
});

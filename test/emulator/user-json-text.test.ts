import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { generateTenant } from "../../src/emulator/index.js";
import { resolveFixture } from "../../src/emulator/resolve-fixture.js";
import { userJson } from "../../src/emulator/serializers.js";
import { TenantStore } from "../../src/emulator/tenant-store.js";
import { userTextWriter } from "../../src/emulator/user-json-text.js";
import { smallTenant } from "./helpers.js";

const SELECTS: (readonly string[] | undefined)[] = [
  undefined,
  ["*"],
  ["id", "userPrincipalName", "displayName", "usageLocation", "assignedLicenses", "licenseAssignmentStates"],
  ["ID", "AssignedLicenses", "id", "department", "accountEnabled", "signInActivity", "assignedPlans"],
  ["proxyAddresses", "businessPhones", "createdDateTime", "mail", "givenName", "surname", "userType"],
];

function stores(): TenantStore[] {
  const catalog = loadCatalog();
  return [
    new TenantStore(resolveFixture(smallTenant(), catalog), true),
    new TenantStore(
      resolveFixture(generateTenant({ users: 400, groups: 12, seed: 3, departments: true }), catalog),
      true,
    ),
  ];
}

describe("users written as JSON text", () => {
  it("is exactly JSON.stringify of the user object, for every $select", () => {
    for (const store of stores()) {
      // A user holding one SKU by two paths, and one with a property left undefined (an older state file).
      const [first, second] = store.users;
      first!.states = [...first!.states, ...first!.states.map((s) => ({ ...s, assignedByGroup: null }))];
      delete (second as { department?: unknown }).department;
      for (const select of SELECTS) {
        const write = userTextWriter(select);
        for (const user of store.users)
          expect(write(user, store)).toBe(JSON.stringify(userJson(user, store, select)));
      }
    }
  });

  it("refuses a property users do not have, as the object path does", () => {
    expect(() => userTextWriter(["id", "nonsense"])).toThrow(/Could not find a property named 'nonsense'/);
  });
});

import { describe, expect, it } from "vitest";
import {
  normalizeGroup,
  normalizeSku,
  normalizeUser,
  UserNormalizer,
} from "../../src/graph/normalize-live-state.js";

describe("normalising Graph objects", () => {
  it("lower-cases GUIDs, fills missing arrays and maps error None to null", () => {
    const user = normalizeUser({
      id: "0B7C0000-0000-4000-8000-00000000000A",
      userPrincipalName: "Adele@contoso.com",
      assignedLicenses: [{ skuId: "6FD2C87F-B296-42F0-B197-1E91E994B900", disabledPlans: null }],
      licenseAssignmentStates: [
        {
          skuId: "6FD2C87F-B296-42F0-B197-1E91E994B900",
          assignedByGroup: "AAAA0000-0000-4000-8000-000000000000",
          state: "Active",
          error: "None",
          disabledPlans: ["7547A3FE-08EE-4CCB-B430-5077C5041653"],
        },
      ],
    });
    expect(user).toEqual({
      id: "0b7c0000-0000-4000-8000-00000000000a",
      userPrincipalName: "Adele@contoso.com",
      displayName: null,
      usageLocation: null,
      accountEnabled: null,
      assignedLicenses: [{ skuId: "6fd2c87f-b296-42f0-b197-1e91e994b900", disabledPlans: [] }],
      licenseAssignmentStates: [
        {
          skuId: "6fd2c87f-b296-42f0-b197-1e91e994b900",
          assignedByGroup: "aaaa0000-0000-4000-8000-000000000000",
          state: "Active",
          error: null,
          disabledPlans: ["7547a3fe-08ee-4ccb-b430-5077c5041653"],
        },
      ],
    });
    expect(normalizeUser({ id: "x" }).licenseAssignmentStates).toEqual([]);
  });

  it("keeps real license errors and the group processing state", () => {
    const user = normalizeUser({
      id: "x",
      licenseAssignmentStates: [
        { skuId: "s", assignedByGroup: null, state: "Error", error: "CountViolation" },
      ],
    });
    expect(user.licenseAssignmentStates[0]).toMatchObject({ assignedByGroup: null, error: "CountViolation" });
    const group = normalizeGroup(
      { id: "G", displayName: "Sales", licenseProcessingState: { state: "ProcessingComplete" } },
      ["u1"],
    );
    expect(group).toMatchObject({
      id: "g",
      assignedLicenses: [],
      licenseProcessingState: "ProcessingComplete",
      memberIds: ["u1"],
    });
    expect("memberIds" in normalizeGroup({ id: "g" })).toBe(false);
  });

  it("fills SKU units that Graph leaves out", () => {
    const sku = normalizeSku({
      skuId: "ABC",
      skuPartNumber: "ENTERPRISEPACK",
      prepaidUnits: { enabled: 25 },
    });
    expect(sku.prepaidUnits).toEqual({ enabled: 25, suspended: 0, warning: 0, lockedOut: 0 });
    expect(sku.skuId).toBe("abc");
  });

  it("reads a SKU's service plans, passing over one without an id", () => {
    const sku = normalizeSku({
      skuId: "abc",
      servicePlans: [
        { servicePlanId: "EFB87545-963C-4E0D-99DF-69C6916D9EB0", servicePlanName: "EXCHANGE_S_ENTERPRISE" },
        { servicePlanId: null, servicePlanName: "NAMELESS" },
      ],
    });
    expect(sku.servicePlans).toEqual([
      {
        servicePlanId: "efb87545-963c-4e0d-99df-69c6916d9eb0",
        servicePlanName: "EXCHANGE_S_ENTERPRISE",
        provisioningStatus: "Success",
        appliesTo: "User",
      },
    ]);
  });

  it("shares one frozen license list between users holding the same licenses, and only then", () => {
    const normalizer = new UserNormalizer();
    const state = (skuId: string, group: string | null, disabledPlans: string[] = []) => ({
      skuId,
      assignedByGroup: group,
      disabledPlans,
      state: "Active",
      error: "None",
    });
    const user = (id: string, states: ReturnType<typeof state>[]) =>
      normalizer.normalize({
        id,
        userPrincipalName: `${id}@contoso.com`,
        usageLocation: "US",
        assignedLicenses: states.map((s) => ({ skuId: s.skuId, disabledPlans: s.disabledPlans })),
        licenseAssignmentStates: states,
      });
    const a = user("a", [state("SKU-1", "G-1")]);
    const b = user("b", [state("SKU-1", "G-1")]);
    const c = user("c", [state("SKU-1", null)]);
    // Values that would run together if joined without lengths: still told apart.
    const d = user("d", [state("SKU-1", "G-1", ["P,Q"])]);
    const e = user("e", [state("SKU-1", "G-1", ["P", "Q"])]);
    expect(b.licenseAssignmentStates).toBe(a.licenseAssignmentStates);
    expect(b.assignedLicenses).toBe(a.assignedLicenses);
    expect(c.licenseAssignmentStates).not.toBe(a.licenseAssignmentStates);
    expect(c.licenseAssignmentStates[0]!.assignedByGroup).toBeNull();
    expect(a.licenseAssignmentStates[0]!.assignedByGroup).toBe("g-1");
    expect(d.licenseAssignmentStates[0]!.disabledPlans).toEqual(["p,q"]);
    expect(e.licenseAssignmentStates[0]!.disabledPlans).toEqual(["p", "q"]);
    expect(Object.isFrozen(a.licenseAssignmentStates)).toBe(true);
    expect(Object.isFrozen(a.licenseAssignmentStates[0])).toBe(true);
    expect(a.licenseAssignmentStates).toEqual(
      normalizeUser({ id: "a", licenseAssignmentStates: [state("SKU-1", "G-1")] }).licenseAssignmentStates,
    );
  });
});

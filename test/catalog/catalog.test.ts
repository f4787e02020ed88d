import { describe, expect, it } from "vitest";
import { loadCatalog, parseCatalogCsv } from "../../src/catalog/bundled-catalog.js";
import { Catalog } from "../../src/catalog/catalog.js";

describe("bundled catalog", () => {
  const catalog = loadCatalog();

  it("holds every SKU of Microsoft's table", () => {
    expect(catalog.skus.length).toBe(569);
  });

  it("calls a part number or display name shared by two SKUs ambiguous", () => {
    const lookup = catalog.lookupSku("MCOPSTN5");
    expect(lookup.kind).toBe("ambiguous");
    expect(lookup.kind === "ambiguous" && lookup.candidates.map((c) => c.id).sort()).toEqual([
      "54a152dc-90de-4996-93d2-bc47e670fc06",
      "d43177b5-475b-4880-92d4-d54c27b5efbd",
    ]);
    expect(catalog.lookupSku("Microsoft 365 Apps for Business").kind).toBe("ambiguous");
  });

  it("finds a SKU by part number, display name and GUID, ignoring case", () => {
    const byPart = catalog.lookupSku("enterprisepack");
    expect(byPart).toMatchObject({
      kind: "found",
      sku: { partNumber: "ENTERPRISEPACK", displayName: "Office 365 E3" },
    });
    const byName = catalog.lookupSku("office 365 e3");
    expect(byName).toMatchObject({ kind: "found", sku: { id: "6fd2c87f-b296-42f0-b197-1e91e994b900" } });
    const byGuid = catalog.lookupSku("6FD2C87F-B296-42F0-B197-1E91E994B900");
    expect(byGuid).toMatchObject({ kind: "found", sku: { partNumber: "ENTERPRISEPACK" } });
  });

  it("suggests the closest names on a typo", () => {
    const lookup = catalog.lookupSku("ENTERPRISEPAK");
    expect(lookup.kind).toBe("unknown");
    expect(lookup.kind === "unknown" && lookup.suggestions[0]).toBe("ENTERPRISEPACK");
  });

  it("tells a plan outside the SKU from an unknown plan", () => {
    const e3 = catalog.skuById("6fd2c87f-b296-42f0-b197-1e91e994b900")!;
    expect(catalog.lookupPlan(e3, "exchange_s_enterprise")).toMatchObject({ kind: "found" });
    expect(catalog.lookupPlan(e3, "AAD_PREMIUM_P2")).toMatchObject({ kind: "not-in-sku" });
    const typo = catalog.lookupPlan(e3, "EXCHANGE_S_ENTERPRIS");
    expect(typo).toMatchObject({ kind: "unknown", suggestions: ["EXCHANGE_S_ENTERPRISE"] });
  });
});

describe("CSV parsing", () => {
  it("handles a BOM, the old header, quoted commas, tabs and mixed-case GUIDs", () => {
    const csv =
      "\uFEFFProduct_Display_Name,String_ Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names\n" +
      '"Contoso, Premium",CONTOSO_P,AAAAAAAA-0000-4000-8000-000000000001,\tPLAN_A ,BBBBBBBB-0000-4000-8000-000000000002,"Plan A, friendly"\n';
    const catalog = parseCatalogCsv(csv);
    const sku = catalog.lookupSku("Contoso, Premium");
    expect(sku).toMatchObject({
      kind: "found",
      sku: {
        id: "aaaaaaaa-0000-4000-8000-000000000001",
        partNumber: "CONTOSO_P",
        servicePlans: [
          { id: "bbbbbbbb-0000-4000-8000-000000000002", name: "PLAN_A", friendlyName: "Plan A, friendly" },
        ],
      },
    });
  });

  it("builds a tenant catalog from subscribedSkus with names from the reference", () => {
    const reference = loadCatalog();
    const tenant = Catalog.fromSubscribedSkus(
      [
        {
          skuId: "6FD2C87F-B296-42F0-B197-1E91E994B900",
          skuPartNumber: "ENTERPRISEPACK",
          appliesTo: "User",
          capabilityStatus: "Enabled",
          consumedUnits: 0,
          prepaidUnits: { enabled: 10, suspended: 0, warning: 0, lockedOut: 0 },
          servicePlans: [
            {
              servicePlanId: "efb87545-963c-4e0d-99df-69c6916d9eb0",
              servicePlanName: "EXCHANGE_S_ENTERPRISE",
              provisioningStatus: "Success",
              appliesTo: "User",
            },
          ],
        },
      ],
      reference,
    );
    expect(tenant.lookupSku("Office 365 E3")).toMatchObject({
      kind: "found",
      sku: { servicePlans: [{ name: "EXCHANGE_S_ENTERPRISE" }] },
    });
    expect(tenant.lookupSku("SPE_E5").kind).toBe("unknown");
  });
});
